"""Channel shuffle (ShuffleNet, Zhang et al. 2018): reshape (g, C/g) -> transpose -> flatten.

`permutation` is pure Python; `channel_shuffle` works on any tensor of shape [N, C, ...] without importing torch
here (it only calls tensor methods). `connectivity.py` proves from real modules which input channels each output
channel of a group-conv stack sees, with and without the shuffle (effviz.connectivity, the old name); `units.py`
builds ShuffleNet v1 and v2 units at the papers' stage-2 widths."""
from __future__ import annotations

from dataclasses import dataclass

from effviz.problems import Problem


def _check(channels: int, groups: int) -> None:
    for name, v in (("channels", channels), ("groups", groups)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise Problem("positive", name=name, value=repr(v))
    if channels % groups:
        valid = [d for d in range(1, channels + 1) if channels % d == 0]
        raise Problem("divides", name="groups", value=groups, channels={"channels": channels}, valid=valid)


def permutation(channels: int, groups: int) -> list[int]:
    """perm[i] = the input channel that output channel i comes from.

    Input channel j = group a, slot b (j = a * C/g + b) lands at output b * g + a."""
    _check(channels, groups)
    per_group = channels // groups
    return [(i % groups) * per_group + i // groups for i in range(channels)]


def channel_shuffle(x, groups: int):
    """Shuffle the channels (dim 1) of x: [N, C, ...] -> [N, C, ...], output[:, i] = x[:, permutation(C, g)[i]]."""
    n, c = x.shape[0], x.shape[1]
    _check(int(c), groups)
    rest = tuple(x.shape[2:])
    return x.reshape(n, groups, c // groups, *rest).transpose(1, 2).reshape(n, c, *rest)


def source_group(channel: int, channels: int, groups: int) -> int:
    """The group (0..g-1) that input channel `channel` belongs to before the shuffle: channel // (C/g)."""
    _check(channels, groups)
    if not 0 <= channel < channels:
        raise Problem("range", name="channel", low=0, high=channels - 1, value=repr(channel))
    return channel // (channels // groups)


@dataclass(frozen=True)
class Stage:
    """One state of the shuffle as a grid of channel ids: layout[r][c] is the input channel at row r, column c.

    name: "input" (1 x C), "reshape" (g x C/g), "transpose" (C/g x g) or "flatten" (1 x C)."""

    name: str
    layout: tuple[tuple[int, ...], ...]

    @property
    def rows(self) -> int:
        return len(self.layout)

    @property
    def cols(self) -> int:
        return len(self.layout[0])

    def order(self) -> list[int]:
        """The channel ids read row by row (memory order): what a flatten of this state would give."""
        return [ch for row in self.layout for ch in row]

    def position(self) -> dict[int, tuple[int, int]]:
        """channel id -> (row, column) in this state."""
        return {ch: (r, c) for r, row in enumerate(self.layout) for c, ch in enumerate(row)}


STAGE_NAMES = ("input", "reshape", "transpose", "flatten")


def stages(channels: int, groups: int) -> list[Stage]:
    """The four states of the shuffle of arange(C), computed step by step (not from `permutation`):
    the channel row, reshaped to (g, C/g), transposed to (C/g, g), and flattened back to one row.
    The last stage's order() equals permutation(C, g), and so channel_shuffle on arange(C)."""
    _check(channels, groups)
    n = channels // groups
    row = tuple(range(channels))
    grid = tuple(row[a * n:(a + 1) * n] for a in range(groups))          # (g, n): group a is row a
    transposed = tuple(tuple(grid[a][b] for a in range(groups)) for b in range(n))   # (n, g)
    flat = tuple(ch for r in transposed for ch in r)
    return [Stage("input", (row,)), Stage("reshape", grid), Stage("transpose", transposed),
            Stage("flatten", (flat,))]
