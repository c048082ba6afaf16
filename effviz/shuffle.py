"""Channel shuffle (ShuffleNet, Zhang et al. 2018): reshape (g, C/g) -> transpose -> flatten.

`permutation` is pure Python; `channel_shuffle` works on any tensor of shape [N, C, ...] without importing torch
here (it only calls tensor methods)."""
from __future__ import annotations


def _check(channels: int, groups: int) -> None:
    for name, v in (("channels", channels), ("groups", groups)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    if channels % groups:
        valid = [d for d in range(1, channels + 1) if channels % d == 0]
        raise ValueError(f"groups={groups} must divide channels={channels}; valid groups: {valid}")


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
