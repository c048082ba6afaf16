"""Redundancy atlas: where in a network Ghost modules would pay off, layer by layer, in MACs and in error.

GhostNet (Han et al., CVPR 2020) argues about a whole network: replace every ordinary convolution by a Ghost
module (m = ceil(C / s) maps from the original k x k conv, the rest from cheap d x d depthwise ops) and lose
little. `redundancy_atlas(model, image)` computes that argument for every `nn.Conv2d` of a network, in execution
order, on one photo:

* redundancy of the conv's output maps: each map's cosine similarity to its most similar other map
  (effviz.redundancy.similarity), averaged, and the share of maps with a near-copy (>= NEAR_COPY);
* how well a Ghost module could make those maps: effviz.redundancy.reconstruction.reconstruct at (s, d),
  intrinsic maps "first" (the Ghost module's own layout);
* cost, as the layer is and as a Ghost module of the same input/output shape, kernel and stride, from the
  block engine (`blocks.make("ghost_module", ...)`). "As it is" is the conv and the BatchNorm that directly
  follows it, if one does, because a Ghost module brings its own BatchNorms (the block engine counts them).

Maps are each convolution's own output (before its BatchNorm and activation): the maps a Ghost module would
have to make, and what the single-layer views show for the same layer name. Grouped and depthwise convs stay as
they are (GhostNet keeps them: a Ghost module's primary conv is dense, so it would cost more), as does a conv
whose output a Ghost module cannot match (a kernel that is not square and odd, padding that changes the size,
dilation); their rows carry a status code saying so, and their redundancy and error are still measured.

All conv outputs come from one forward pass (hooks on a structural copy of the model, so the shared model is
never touched and other threads never see the hooks); no layer is computed twice."""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

NEAR_COPY = 0.9
STATUSES = ("ghost", "grouped", "shape")   # replaced by a Ghost module / kept: grouped or depthwise / kept: shape

Progress = Callable[[int, int], None]     # (layers done, layers in all)


@dataclass(frozen=True)
class AtlasRow:
    """One convolution: what it makes, how redundant that is, and what a Ghost module would cost instead."""

    index: int                       # execution order, from 0
    name: str                        # module name (what features.extract takes as `layer`)
    in_shape: tuple[int, int, int]   # (C_in, H, W)
    shape: tuple[int, int, int]      # output (C, H, W)
    kernel: tuple[int, int]
    stride: tuple[int, int]
    groups: int
    norm: bool                       # a BatchNorm directly follows (counted in params)
    nn_mean: float                   # mean cosine similarity of each map to its nearest other map (nan: 1 map)
    near_copies: float               # share of maps whose nearest other map has similarity >= NEAR_COPY
    error: float                     # Ghost reconstruction's relative error over all C maps
    ghost_error: float               # ... over the reconstructed (non-intrinsic) maps only
    params: int                      # as it is: conv (+ bias) + its BatchNorm's affine weights
    macs: int                        # as it is: the conv's multiply-accumulates
    status: str                      # one of STATUSES
    ghost_params: int                # a Ghost module at (s, d) in its place; the layer's own where kept
    ghost_macs: int

    @property
    def replaced(self) -> bool:
        return self.status == "ghost"

    @property
    def macs_saved(self) -> int:
        return self.macs - self.ghost_macs

    @property
    def params_saved(self) -> int:
        return self.params - self.ghost_params


@dataclass(frozen=True)
class Atlas:
    ratio: int
    dw_kernel: int
    choice: str
    rows: tuple[AtlasRow, ...]
    params: int                      # the whole network as it is (every parameter)
    macs: int                        # the whole network as it is (convs + linear layers, batch 1)
    # where the time went, seconds: forward (one pass, all convs), similarity, reconstruction, cost
    seconds: tuple[tuple[str, float], ...] = ()

    @property
    def replaced(self) -> tuple[AtlasRow, ...]:
        return tuple(r for r in self.rows if r.replaced)

    @property
    def ghost_params(self) -> int:
        """The network's params if every replaceable conv became a Ghost module at (s, d)."""
        return self.params - sum(r.params_saved for r in self.rows)

    @property
    def ghost_macs(self) -> int:
        return self.macs - sum(r.macs_saved for r in self.rows)

    @property
    def mean_error(self) -> float:
        """Mean over the replaced convs of the error of their rebuilt maps (nan when none is replaced)."""
        errs = [r.ghost_error for r in self.replaced]
        return float(np.mean(errs)) if errs else math.nan

    def mean_error_halves(self) -> tuple[float, float]:
        """Mean error of the rebuilt maps over the replaced convs of the first and of the second half of the
        network (execution order); nan for a half without one."""
        half = len(self.rows) // 2
        parts = ([r.ghost_error for r in self.replaced if r.index < half],
                 [r.ghost_error for r in self.replaced if r.index >= half])
        return tuple(float(np.mean(p)) if p else math.nan for p in parts)

    def payoff_front(self) -> tuple[AtlasRow, ...]:
        """The replaced convs that no other replaced conv beats on both counts (saves at least as many MACs with
        no more error, and is better on one): where Ghost modules pay off, most MACs saved first."""
        rows = self.replaced
        front = [r for r in rows if not any(
            o.macs_saved >= r.macs_saved and o.ghost_error <= r.ghost_error
            and (o.macs_saved > r.macs_saved or o.ghost_error < r.ghost_error) for o in rows)]
        return tuple(sorted(front, key=lambda r: -r.macs_saved))

    def most_redundant(self, k: int = 3) -> tuple[AtlasRow, ...]:
        """The k convs with the largest share of near-copies (ties: higher mean nearest-neighbour similarity)."""
        rows = [r for r in self.rows if not math.isnan(r.nn_mean)]
        return tuple(sorted(rows, key=lambda r: (-r.near_copies, -r.nn_mean, r.index))[:k])

    @property
    def mean_error_all(self) -> float:
        errs = [r.error for r in self.replaced]
        return float(np.mean(errs)) if errs else math.nan


def check(ratio: int, dw_kernel: int) -> None:
    from effviz.blocks.ghost_module import RATIO_RANGE  # the Ghost families' range of s, stated there once
    from effviz.redundancy import reconstruction as ghost

    low, high = RATIO_RANGE
    if isinstance(ratio, bool) or not isinstance(ratio, (int, np.integer)) or not low <= ratio <= high:
        raise ValueError(f"ratio: s must be an integer between {low} and {high}, got {ratio!r}")
    if (isinstance(dw_kernel, bool) or not isinstance(dw_kernel, (int, np.integer)) or dw_kernel < 1
            or dw_kernel % 2 == 0 or dw_kernel > ghost.MAX_DW_KERNEL):
        raise ValueError(f"dw_kernel: d must be an odd integer between 1 and {ghost.MAX_DW_KERNEL}, "
                         f"got {dw_kernel!r}")


@dataclass
class _Call:
    name: str
    module: object
    in_shape: tuple[int, int, int]
    out: object            # [C, H, W] float32 tensor
    norm: object = None    # the BatchNorm fed directly by this output, if any


def _trace(model, x) -> tuple[list[_Call], int]:
    """One forward pass: every Conv2d call's input shape and output, the BatchNorm each output feeds, and the
    linear layers' MACs. Hooks go on a structural copy (the original's tensors, a new module tree)."""
    import torch
    from torch import nn

    from effviz.redundancy import features

    copy = features._structural_copy(model)
    calls: list[_Call] = []
    by_output: dict[int, _Call] = {}
    linear_macs = [0]
    names = {id(m): n for n, m in copy.named_modules()}

    def on_conv(module, args, out):
        call = _Call(names[id(module)], module, tuple(args[0].shape[1:]), out)
        calls.append(call)
        by_output[id(out)] = call

    def on_norm(module, args):
        call = by_output.get(id(args[0]))
        if call is not None and call.out is args[0] and call.norm is None:
            call.norm = module

    def on_linear(module, args, out):
        linear_macs[0] += module.in_features * module.out_features * (out.numel() // module.out_features)

    for m in copy.modules():
        if isinstance(m, nn.Conv2d):
            m.register_forward_hook(on_conv)
        elif isinstance(m, nn.BatchNorm2d):
            m.register_forward_pre_hook(on_norm)
        elif isinstance(m, nn.Linear):
            m.register_forward_hook(on_linear)
    copy.eval()
    with torch.inference_mode():
        copy(x)
    for call in calls:
        if call.out.dim() != 4 or call.out.shape[0] != 1:
            raise ValueError(f"image: expected one image, {call.name} returned shape {tuple(call.out.shape)}")
        call.out = call.out[0].float().contiguous()
    return calls, linear_macs[0]


def redundancy(fmap) -> tuple[float, float]:
    """(mean nearest-neighbour cosine similarity, share of maps with a near-copy >= NEAR_COPY) of one layer's
    maps [C, H, W]; (nan, nan) for a single map. The atlas's two redundancy columns, and the Feature Redundancy
    page's summary numbers for the same layer."""
    from effviz.redundancy import similarity

    if fmap.shape[0] < 2:
        return math.nan, math.nan
    _, nn = similarity.nearest(similarity.matrix(fmap, "cosine"))
    return float(np.mean(nn)), float(np.mean(nn >= NEAR_COPY))


@dataclass(frozen=True)
class ConvRedundancy:
    """One convolution's redundancy alone (the atlas's columns without reconstruction or cost)."""

    index: int                       # execution order, from 0
    name: str
    shape: tuple[int, int, int]      # output (C, H, W)
    nn_mean: float
    near_copies: float


def conv_redundancy(model, image, info=None) -> tuple[ConvRedundancy, ...]:
    """Every convolution's redundancy on one photo, in execution order: one forward pass, no Ghost
    reconstruction (a few times cheaper than redundancy_atlas; the same numbers as its rows)."""
    from effviz.redundancy import features

    calls, _ = _trace(model, features.to_input(image, info))
    if not calls:
        raise ValueError(f"model: {type(model).__name__} has no nn.Conv2d that runs on this input")
    rows = []
    for i, call in enumerate(calls):
        rows.append(ConvRedundancy(i, call.name, tuple(call.out.shape), *redundancy(call.out)))
        call.out = None
    return tuple(rows)


def _ghost_spec(call: _Call, ratio: int, dw_kernel: int):
    """The Ghost module that can stand in for this conv, or (None, status code)."""
    from effviz import blocks

    conv = call.module
    if conv.groups != 1:
        return None, "grouped"
    (kh, kw), (sh, sw), dil = conv.kernel_size, conv.stride, conv.dilation
    if kh != kw or kh % 2 == 0 or sh != sw or tuple(dil) != (1, 1):
        return None, "shape"
    spec = blocks.make("ghost_module", c_in=conv.in_channels, c_out=conv.out_channels, kernel=kh, ratio=ratio,
                       dw_kernel=dw_kernel, stride=sh)
    if spec.output_shape(h=call.in_shape[1], w=call.in_shape[2]) != tuple(call.out.shape):
        return None, "shape"
    return spec, "ghost"


def _row(index: int, call: _Call, ratio: int, dw_kernel: int, choice: str, clock: dict[str, float]) -> AtlasRow:
    from effviz.redundancy import reconstruction as ghost

    conv = call.module
    fmap = call.out
    c, h, w = fmap.shape
    t0 = time.perf_counter()
    nn_mean, near = redundancy(fmap)
    t1 = time.perf_counter()
    # a layer with fewer maps than s keeps one intrinsic map: the same m = 1 as a Ghost module at s
    rec = ghost.reconstruct(fmap, min(ratio, c), dw_kernel, choice)
    t2 = time.perf_counter()
    macs = conv.weight.numel() * h * w
    params = sum(p.numel() for p in conv.parameters())
    if call.norm is not None:
        params += sum(p.numel() for p in call.norm.parameters())
    spec, status = _ghost_spec(call, ratio, dw_kernel)
    if spec is not None:
        cost = spec.cost(h=call.in_shape[1], w=call.in_shape[2])
        g_params, g_macs = cost.params, cost.macs
    else:
        g_params, g_macs = params, macs
    t3 = time.perf_counter()
    for key, dt in (("similarity", t1 - t0), ("reconstruction", t2 - t1), ("cost", t3 - t2)):
        clock[key] += dt
    return AtlasRow(index, call.name, call.in_shape, (c, h, w), tuple(conv.kernel_size), tuple(conv.stride),
                    conv.groups, call.norm is not None, nn_mean, near, rec.error, rec.ghost_error, params, macs,
                    status, g_params, g_macs)


def redundancy_atlas(model, image, ratio: int = 2, dw_kernel: int = 3, info=None, *, choice: str = "first",
                     progress: Progress | None = None) -> Atlas:
    """One row per convolution of `model` (execution order) on one photo; see the module docstring.

    image: a PIL image (preprocessed with `info`'s mean/std/resize, or ImageNet's) or a [3, H, W] tensor.
    progress(done, total) is called after each layer (and once with done = 0 after the forward pass)."""
    from effviz.redundancy import features
    from effviz.redundancy import reconstruction as ghost

    check(ratio, dw_kernel)
    if choice not in ghost.CHOICES:
        raise ValueError(f"choice: unknown intrinsic-map choice {choice!r}; allowed: {', '.join(ghost.CHOICES)}")
    x = features.to_input(image, info)
    t0 = time.perf_counter()
    calls, linear_macs = _trace(model, x)
    clock = {"forward": time.perf_counter() - t0, "similarity": 0.0, "reconstruction": 0.0, "cost": 0.0}
    if not calls:
        raise ValueError(f"model: {type(model).__name__} has no nn.Conv2d that runs on this input")
    total = len(calls)
    if progress is not None:
        progress(0, total)
    rows = []
    for i, call in enumerate(calls):
        rows.append(_row(i, call, int(ratio), int(dw_kernel), choice, clock))
        call.out = None   # free the maps as we go
        if progress is not None:
            progress(i + 1, total)
    params = sum(p.numel() for p in model.parameters())
    macs = sum(r.macs for r in rows) + linear_macs
    return Atlas(int(ratio), int(dw_kernel), choice, tuple(rows), params, macs, tuple(clock.items()))
