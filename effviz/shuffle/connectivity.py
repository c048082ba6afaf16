"""Which input channels each output channel depends on, measured on real torch modules.

The measurement is the sparsity of the Jacobian d(output channel o, summed over space) / d(input channel i),
taken by autograd on a copy of the module whose weights are random and *positive*, in eval mode, on a positive
random input. With every weight, BatchNorm scale/shift and input positive, every pre-activation is positive, so
ReLU-family activations pass gradients and no two paths can cancel: an entry is nonzero exactly when the
module's wiring connects input i to output o. (Weights of both signs give the same pattern almost surely, but a
ReLU that happens to be off would hide a real connection.) Nothing here is drawn by hand: the group convs come
from `effviz.blocks.make("group", ...)`, the shuffle is `effviz.shuffle.channel_shuffle`, and the ShuffleNet units
are `effviz.blocks.make("shuffle_v1" / "shuffle_v2", ...).build()`.

    conn = connectivity.stack(channels=12, groups=3, layers=2, shuffle=True).total
    conn.matrix          # bool [C_out, C_in]
    conn.groups_seen()   # per output channel: how many of the g input groups it depends on
    conn.verdict(5)      # "output channel 5 sees all 3 groups"

This module imports torch only inside its functions, so the data classes can be used (e.g. by the figure
builders) without it.
"""
from __future__ import annotations

import copy
import functools
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from effviz import blocks
from effviz.blocks.spec import check_int, divisors
from effviz.problems import Problem

MAX_CHANNELS = 512
MAX_LAYERS = 3
PROBE_SIZE = 4  # spatial size of the probe input: any size works for channel dependence; small keeps it cheap
UNIT_FAMILIES = ("shuffle_v1", "shuffle_v2")


@dataclass(frozen=True)
class Verdict:
    """What one output channel sees: the input groups it depends on, out of `groups`."""

    output: int
    seen: tuple[int, ...]
    groups: int

    @property
    def count(self) -> int:
        return len(self.seen)

    @property
    def all(self) -> bool:
        return self.count == self.groups

    def __str__(self) -> str:
        if self.all:
            if self.groups == 1:
                return f"output channel {self.output} sees the only group"
            return f"output channel {self.output} sees all {self.groups} groups"
        which = ", ".join(map(str, self.seen))
        return f"output channel {self.output} sees {self.count} of {self.groups} groups ({which})"


@dataclass(frozen=True, eq=False)
class Connectivity:
    """matrix[o, i] is True when output channel o depends on input channel i; input_group[i] is i's group."""

    matrix: np.ndarray
    input_group: np.ndarray
    groups: int

    @property
    def outputs(self) -> int:
        return self.matrix.shape[0]

    @property
    def inputs(self) -> int:
        return self.matrix.shape[1]

    def group_matrix(self) -> np.ndarray:
        """bool [C_out, g]: output o depends on at least one channel of input group a."""
        onehot = np.zeros((self.inputs, self.groups), dtype=bool)
        onehot[np.arange(self.inputs), self.input_group] = True
        return (self.matrix.astype(np.int64) @ onehot.astype(np.int64)) > 0

    def groups_seen(self) -> np.ndarray:
        """int [C_out]: how many input groups each output channel depends on."""
        return self.group_matrix().sum(axis=1)

    def groups_of(self, output: int) -> tuple[int, ...]:
        self._check_output(output)
        return tuple(int(a) for a in np.flatnonzero(self.group_matrix()[output]))

    def verdict(self, output: int) -> Verdict:
        return Verdict(output, self.groups_of(output), self.groups)

    def mixes_all(self) -> bool:
        """Every output channel depends on every input group."""
        return bool((self.groups_seen() == self.groups).all())

    def is_block_diagonal(self) -> bool:
        """Every output channel depends on exactly one input group (the pattern of group convs alone)."""
        return bool((self.groups_seen() == 1).all())

    def _check_output(self, output: int) -> None:
        if isinstance(output, bool) or not isinstance(output, (int, np.integer)) or not 0 <= output < self.outputs:
            raise ValueError(f"output must be a channel index 0..{self.outputs - 1}, got {output!r}")


def verdict(conn: Connectivity, output: int) -> Verdict:
    """The verdict helper: which of the input groups output channel `output` of `conn` sees."""
    return conn.verdict(output)


@dataclass(frozen=True, eq=False)
class StackConnectivity:
    """A stack measured module by module: steps[k] names the k-th module ("gconv1", "shuffle1", ...),
    step_matrices[k] is that module's own [C, C] channel connectivity, cumulative[k] the connectivity from the
    stack's input to the output of step k (measured on the stack cut after step k). total = cumulative[-1]."""

    channels: int
    groups: int
    steps: tuple[str, ...]
    step_matrices: tuple[np.ndarray, ...]
    cumulative: tuple[Connectivity, ...]

    @property
    def total(self) -> Connectivity:
        return self.cumulative[-1]


def contiguous_groups(channels: int, groups: int) -> np.ndarray:
    """Group of each channel when `channels` are split into `groups` contiguous, near-equal blocks."""
    return np.arange(channels) * groups // channels


# --- building the modules -------------------------------------------------------------------------------------


@functools.cache
def _shuffle_layer_class():
    from torch import nn

    from effviz.shuffle import channel_shuffle

    class ChannelShuffle(nn.Module):
        """effviz.shuffle.channel_shuffle as a module, so it can sit in an nn.Sequential. 0 params, 0 MACs."""

        def __init__(self, groups: int):
            super().__init__()
            self.groups = groups

        def forward(self, x):
            return channel_shuffle(x, self.groups)

        def extra_repr(self) -> str:
            return f"groups={self.groups}"

    return ChannelShuffle


def shuffle_layer(groups: int):
    """An nn.Module applying effviz.shuffle.channel_shuffle(x, groups)."""
    check_int("groups", groups, 1, MAX_CHANNELS)
    return _shuffle_layer_class()(groups)


def _check_stack(channels: int, groups: int, layers: int) -> None:
    check_int("channels", channels, 1, MAX_CHANNELS)
    check_int("groups", groups, 1, MAX_CHANNELS)
    if channels % groups:
        raise Problem("divides", name="groups", value=groups, channels={"channels": channels},
                      valid=divisors(channels))
    check_int("layers", layers, 1, MAX_LAYERS)


def group_stack(channels: int, groups: int, layers: int = 2, shuffle: bool = True, kernel: int = 1):
    """nn.Sequential of `layers` group convs (C -> C, groups g, BN + ReLU as in ShuffleNet) built by
    effviz.blocks, with a channel shuffle between consecutive convs when `shuffle`. Children are named
    gconv1, shuffle1, gconv2, ..."""
    from torch import nn

    _check_stack(channels, groups, layers)
    spec = blocks.make("group", c_in=channels, c_out=channels, groups=groups, kernel=kernel, norm=True,
                       activation="relu")
    children: list[tuple[str, nn.Module]] = []
    for k in range(1, layers + 1):
        if k > 1 and shuffle:
            children.append((f"shuffle{k - 1}", shuffle_layer(groups)))
        children.append((f"gconv{k}", spec.build()))
    return nn.Sequential(OrderedDict(children))


def unit_stack(family: str, units: int = 1, shuffle: bool = True, **params):
    """nn.Sequential of `units` ShuffleNet units of `family` ("shuffle_v1" or "shuffle_v2"), each
    effviz.blocks.make(family, **params).build(). Several units need stride 1 (C_out == C_in).

    shuffle=False (v1 only) keeps every conv as built and sets the unit's shuffle to 1 group, which is the
    identity permutation: the same unit with the shuffle taken out."""
    from torch import nn

    if family not in UNIT_FAMILIES:
        raise ValueError(f"family must be one of {', '.join(UNIT_FAMILIES)}, got {family!r}")
    check_int("units", units, 1, MAX_LAYERS)
    spec = blocks.make(family, **params)
    if spec.c_in > MAX_CHANNELS or spec.c_out > MAX_CHANNELS:
        raise ValueError(f"c_in and c_out must be at most {MAX_CHANNELS} for a connectivity probe, "
                         f"got c_in={spec.c_in}, c_out={spec.c_out}")
    if units > 1 and spec.stride != 1:
        raise ValueError(f"units must be 1 for a stride-2 unit (its output is wider than its input), got {units}")
    if not shuffle and not _unit_numbers(spec)["shuffle_optional"]:
        raise ValueError(f"shuffle can be turned off only for shuffle_v1 (v2's shuffle is part of its "
                         f"split/concat), got family={family!r}")
    modules = []
    for _ in range(units):
        module = spec.build()
        if not shuffle:
            if not isinstance(getattr(module, "groups", None), int):
                raise TypeError(f"{type(module).__name__} has no integer `groups` for its channel shuffle")
            module.groups = 1  # channel_shuffle(x, 1) is the identity
        modules.append(module)
    return nn.Sequential(*modules) if units > 1 else modules[0]


# --- measuring ------------------------------------------------------------------------------------------------


def _positive_probe(module, seed: int):
    """A float64 copy in eval mode with all parameters uniform in [0.5, 1.5] and BatchNorm statistics (0, 1)."""
    import torch
    from torch import nn

    probe = copy.deepcopy(module).to(torch.float64).eval()
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in probe.parameters():
            p.copy_(torch.rand(p.shape, generator=gen, dtype=p.dtype) + 0.5)
            p.requires_grad_(False)
        for m in probe.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm) and m.track_running_stats:
                m.running_mean.zero_()
                m.running_var.fill_(1.0)
    return probe


def channel_jacobian(module, channels_in: int, size: int = PROBE_SIZE, seed: int = 0) -> np.ndarray:
    """float [C_out, C_in]: sum over space of |d output channel o / d input channel i| on a positive probe."""
    import torch

    from effviz.blocks.counting import GLOBAL_HOOKS_LOCK

    probe = _positive_probe(module, seed)
    gen = torch.Generator().manual_seed(seed + 1)
    x = (torch.rand((1, channels_in, size, size), generator=gen, dtype=torch.float64) + 0.5).requires_grad_(True)
    with GLOBAL_HOOKS_LOCK:  # a FlopCounterMode in another thread would hook this graph (see effviz.blocks.counting)
        y = probe(x)
        per_channel = y.sum(dim=tuple(range(2, y.dim())))[0]  # [C_out]
        c_out = per_channel.shape[0]
        try:  # retain the graph: the fallback below needs it if the batched pass fails
            (jac,) = torch.autograd.grad(per_channel, x, torch.eye(c_out, dtype=x.dtype), is_grads_batched=True,
                                         retain_graph=True)
        except RuntimeError:  # an op without a batching rule: one backward pass per output channel
            rows = [torch.autograd.grad(per_channel[o], x, retain_graph=True)[0] for o in range(c_out)]
            jac = torch.stack(rows)
    return jac.abs().sum(dim=(1, 3, 4)).numpy()  # [C_out, 1, C_in, H, W] -> [C_out, C_in]


def measure(module, channels_in: int, input_group=None, groups: int | None = None, size: int = PROBE_SIZE,
            seed: int = 0) -> Connectivity:
    """Channel connectivity of any module taking [N, channels_in, H, W]. Input groups default to one group
    per channel; pass `groups` for contiguous equal groups or `input_group` (one int per input channel)."""
    check_int("channels_in", channels_in, 1, MAX_CHANNELS)
    if input_group is None:
        groups = channels_in if groups is None else groups
        check_int("groups", groups, 1, channels_in)
        input_group = contiguous_groups(channels_in, groups)
    input_group = np.asarray(input_group, dtype=np.int64)
    if input_group.shape != (channels_in,) or input_group.min() < 0:
        raise ValueError(f"input_group must hold one non-negative group index per input channel ({channels_in})")
    groups = int(input_group.max()) + 1 if groups is None else groups
    matrix = channel_jacobian(module, channels_in, size, seed) > 0
    return Connectivity(matrix=matrix, input_group=input_group, groups=groups)


def stack(channels: int, groups: int, layers: int = 2, shuffle: bool = True, kernel: int = 1,
          seed: int = 0) -> StackConnectivity:
    """Measure a stack of group convs (see group_stack): each module alone, and the stack cut after each step.
    Input groups are the convs' g groups (channel c is in group c // (C/g))."""
    model = group_stack(channels, groups, layers, shuffle, kernel)
    names = tuple(name for name, _ in model.named_children())
    step_matrices = tuple(measure(m, channels, seed=seed).matrix for m in model)
    cumulative = tuple(measure(model[:k + 1], channels, groups=groups, seed=seed) for k in range(len(model)))
    return StackConnectivity(channels, groups, names, step_matrices, cumulative)


def unit(family: str, units: int = 1, shuffle: bool = True, seed: int = 0, **params) -> Connectivity:
    """Measure a ShuffleNet v1 or v2 unit (or `units` of them in a row, stride 1).

    Input groups: for v1 its g groups of the input channels; for v2 the two halves of its channel split."""
    module = unit_stack(family, units, shuffle, **params)
    spec = blocks.make(family, **params)
    return measure(module, spec.c_in, groups=_unit_numbers(spec)["input_groups"], seed=seed)


def _unit_numbers(spec) -> dict:
    """The numbers a ShuffleNet unit's family declares on its graph (Graph.block_params): the input groups its
    first layer sees, and whether its shuffle can be taken out on its own."""
    return dict(spec.graph(PROBE_SIZE, PROBE_SIZE).block_params)
