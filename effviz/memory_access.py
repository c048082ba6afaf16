"""Memory access cost (MAC in ShuffleNet v2's sense, Ma et al. 2018, Sec. 2): the elements (and bytes, at 4 B per
float32) that each layer reads and writes, summed over the layers.

Per layer: inputs read + weights read + outputs written. For a 1x1 conv with c1 -> c2 channels on h x w that is
ShuffleNet v2's own formula, MAC = hw(c1 + c2) + c1 c2, bounded below by 2 sqrt(hw B) + B / hw where
B = hw c1 c2 (its MACs), with equality exactly when c1 == c2 (guideline G1).

We count every operation PyTorch's eager mode executes for the block, not only convolutions, because
element-wise work is where MACs and speed part ways (guideline G4):
  * conv / linear: input + weights (+ bias) + output;
  * BatchNorm (eval, not folded into the conv): input + 4 C (weight, bias, running mean and variance) + output;
  * activation, SE gate: input + output (in-place ReLU still reads and writes every element);
  * residual add: two inputs + output;  SE scale (x * s): input + C + output;
  * concat: inputs + output;  channel shuffle: a copy (input + output), as reshape -> transpose -> reshape
    must make the transposed tensor contiguous (no copy when groups is 1 or equals the channels);
  * pooling, explicit padding (TF "SAME"): input + output;  channel split, slicing and views: nothing (no data moves).
Caches are not modelled: a tensor read by two layers is counted twice, as in the paper's per-layer sum.

`of(spec, h, w)` is analytic (pure Python, a walk of the block's layers as `build()` makes them);
`trace(module, input_size)` measures the same quantity from the aten operations torch actually runs, and
the tests check that the two agree for every family."""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from effviz.blocks._spec import BlockSpec, out_size

BYTES_PER_ELEMENT = 4  # float32


@dataclass(frozen=True)
class Access:
    """One operation's memory traffic, in elements."""

    name: str
    kind: str      # conv, norm, act, add, mul, concat, shuffle, pool, gate, pad
    inputs: int    # activation elements read
    weights: int   # parameter and buffer elements read
    outputs: int   # elements written

    @property
    def elements(self) -> int:
        return self.inputs + self.weights + self.outputs

    @property
    def bytes(self) -> int:
        return self.elements * BYTES_PER_ELEMENT


@dataclass(frozen=True)
class MemoryAccess:
    """Per-operation memory traffic of a block (batch 1) and its totals."""

    layers: tuple[Access, ...]

    @property
    def elements(self) -> int:
        return sum(a.elements for a in self.layers)

    @property
    def bytes(self) -> int:
        return self.elements * BYTES_PER_ELEMENT

    def by_kind(self) -> dict[str, int]:
        """Elements per kind of operation, in order of first appearance."""
        totals: dict[str, int] = {}
        for a in self.layers:
            totals[a.kind] = totals.get(a.kind, 0) + a.elements
        return totals


# --- ShuffleNet v2's closed forms --------------------------------------------------------------------------


def conv1x1(h: int, w: int, c1: int, c2: int, groups: int = 1) -> int:
    """MAC of a 1x1 (group) conv, ShuffleNet v2 eqs. (1)-(2): hw(c1 + c2) + c1 c2 / g."""
    return h * w * (c1 + c2) + c1 * c2 // groups


def lower_bound(h: int, w: int, macs: int) -> float:
    """ShuffleNet v2 eq. (1): for a 1x1 conv of B = hw c1 c2 MACs, MAC >= 2 sqrt(hw B) + B / hw (equality iff
    c1 == c2), by the inequality of arithmetic and geometric means on hw c1 and hw c2."""
    hw = h * w
    return 2 * math.sqrt(hw * macs) + macs / hw


# --- Building the per-operation list -----------------------------------------------------------------------


class _Walk:
    """Collects Access rows while following a block's layers; tracks nothing but shapes."""

    def __init__(self) -> None:
        self.rows: list[Access] = []

    def conv(self, name: str, c_in: int, c_out: int, k: int, h: int, w: int, stride: int = 1, groups: int = 1,
             bias: bool = False, norm: bool = False, act: str = "none", tf_same: bool = False) -> tuple[int, int]:
        ho, wo = out_size(h, stride), out_size(w, stride)
        hp, wp = h, w
        if tf_same:  # TensorFlow SAME padding is an explicit F.pad: a copy into a larger tensor
            hp += max((ho - 1) * stride + k - h, 0)
            wp += max((wo - 1) * stride + k - w, 0)
            if (hp, wp) != (h, w):
                self.rows.append(Access(f"{name}.pad", "pad", c_in * h * w, 0, c_in * hp * wp))
        weights = k * k * (c_in // groups) * c_out + (c_out if bias else 0)
        self.rows.append(Access(name, "conv", c_in * hp * wp, weights, c_out * ho * wo))
        if norm:
            self.rows.append(Access(f"{name}.bn", "norm", c_out * ho * wo, 4 * c_out, c_out * ho * wo))
        if act != "none":
            self.act(f"{name}.act", c_out * ho * wo, act)
        return ho, wo

    def act(self, name: str, n: int, act: str = "relu") -> None:
        self.rows.append(Access(name, "act", n, 0, n))

    def add(self, name: str, n: int) -> None:
        self.rows.append(Access(name, "add", 2 * n, 0, n))

    def concat(self, name: str, *parts: int) -> None:
        self.rows.append(Access(name, "concat", sum(parts), 0, sum(parts)))

    def shuffle(self, name: str, channels: int, groups: int, hw: int) -> None:
        if 1 < groups < channels:  # otherwise reshape/transpose/reshape stays a view
            self.rows.append(Access(name, "shuffle", channels * hw, 0, channels * hw))

    def pool(self, name: str, n_in: int, n_out: int) -> None:
        self.rows.append(Access(name, "pool", n_in, 0, n_out))

    def se(self, name: str, channels: int, reduced: int, hw: int) -> None:
        """Squeeze-excite: pool to 1x1, two 1x1 convs with bias (act between), a gate, then x * s."""
        self.pool(f"{name}.pool", channels * hw, channels)
        self.conv(f"{name}.reduce", channels, reduced, 1, 1, 1, bias=True, act="act")
        self.conv(f"{name}.expand", reduced, channels, 1, 1, 1, bias=True)
        self.rows.append(Access(f"{name}.gate", "gate", channels, 0, channels))
        self.rows.append(Access(f"{name}.scale", "mul", channels * hw + channels, 0, channels * hw))

    def ghost(self, name: str, c_in: int, c_out: int, kernel: int, ratio: int, dw_kernel: int, stride: int,
              act: str, h: int, w: int) -> tuple[int, int]:
        """GhostModule: primary conv to m = ceil(c_out / s) maps, cheap depthwise to m (s - 1), concat, slice."""
        m = -(-c_out // ratio)
        ho, wo = self.conv(f"{name}.primary", c_in, m, kernel, h, w, stride, norm=True, act=act)
        if ratio > 1:
            self.conv(f"{name}.cheap", m, m * (ratio - 1), dw_kernel, ho, wo, groups=m, norm=True, act=act)
            self.concat(f"{name}.concat", m * ho * wo, m * (ratio - 1) * ho * wo)
        return ho, wo


_WALKERS: dict[str, Callable[[_Walk, BlockSpec, int, int], None]] = {}


def walker(family: str):
    """Register the memory-access walk of a block family (one function per family, mirroring its build())."""
    def register(fn):
        if family in _WALKERS:
            raise ValueError(f"memory-access walk for {family!r} is already registered")
        _WALKERS[family] = fn
        return fn
    return register


@walker("group")
@walker("standard")  # applied first: the families keep blocks.names() order
def _plain_conv(walk: _Walk, s, h: int, w: int) -> None:
    walk.conv("conv", s.c_in, s.c_out, s.kernel, h, w, s.stride, getattr(s, "groups", 1), s.bias, s.norm,
              s.activation)


@walker("depthwise_separable")
def _depthwise_separable(walk: _Walk, s, h: int, w: int) -> None:
    mid_act = (s.activation if s.activation != "none" else "relu") if s.mid_relu else "none"
    ho, wo = walk.conv("depthwise", s.c_in, s.c_in, s.kernel, h, w, s.stride, s.c_in, s.bias, s.norm, mid_act)
    walk.conv("pointwise", s.c_in, s.c_out, 1, ho, wo, bias=s.bias, norm=s.norm, act=s.activation)


@walker("shuffle_v1")
def _shuffle_v1(walk: _Walk, s, h: int, w: int) -> None:
    g1 = s.groups if s.first_grouped else 1
    walk.conv("gconv1", s.c_in, s.mid, 1, h, w, groups=g1, norm=True, act="relu")
    walk.shuffle("shuffle", s.mid, s.groups, h * w)
    ho, wo = walk.conv("dwconv", s.mid, s.mid, s.kernel, h, w, s.stride, s.mid, norm=True)
    walk.conv("gconv2", s.mid, s.branch_out, 1, ho, wo, groups=s.groups, norm=True)
    if s.stride == 2:
        walk.pool("shortcut", s.c_in * h * w, s.c_in * ho * wo)
        walk.concat("concat", s.c_in * ho * wo, s.branch_out * ho * wo)
    else:
        walk.add("residual", s.c_out * ho * wo)
    walk.act("act", s.c_out * ho * wo)


@walker("shuffle_v2")
def _shuffle_v2(walk: _Walk, s, h: int, w: int) -> None:
    b, k = s.branch, s.kernel
    ho, wo = out_size(h, s.stride), out_size(w, s.stride)
    if s.stride == 2:
        walk.conv("left.depthwise", s.c_in, s.c_in, k, h, w, 2, s.c_in, norm=True)
        walk.conv("left.pointwise", s.c_in, b, 1, ho, wo, norm=True, act="relu")
    right_in = s.c_in if s.stride == 2 else b
    walk.conv("right.pw1", right_in, b, 1, h, w, norm=True, act="relu")
    walk.conv("right.depthwise", b, b, k, h, w, s.stride, b, norm=True)
    walk.conv("right.pw2", b, b, 1, ho, wo, norm=True, act="relu")
    walk.concat("concat", b * ho * wo, b * ho * wo)
    walk.shuffle("shuffle", 2 * b, 2, ho * wo)


@walker("ghost_module")
def _ghost_module(walk: _Walk, s, h: int, w: int) -> None:
    walk.ghost("ghost", s.c_in, s.c_out, s.kernel, s.ratio, s.dw_kernel, s.stride, s.activation, h, w)


@walker("ghost_bottleneck")
def _ghost_bottleneck(walk: _Walk, s, h: int, w: int) -> None:
    mid = s.mid
    walk.ghost("ghost1", s.c_in, mid, 1, s.ratio, s.dw_kernel, 1, "relu", h, w)
    ho, wo = out_size(h, s.stride), out_size(w, s.stride)
    if s.stride == 2:
        walk.conv("depthwise", mid, mid, s.kernel, h, w, 2, mid, norm=True)
    if s.se_reduced:
        walk.se("se", mid, s.se_reduced, ho * wo)
    walk.ghost("ghost2", mid, s.c_out, 1, s.ratio, s.dw_kernel, 1, "none", ho, wo)
    if not (s.c_in == s.c_out and s.stride == 1):
        walk.conv("shortcut.depthwise", s.c_in, s.c_in, s.kernel, h, w, s.stride, s.c_in, norm=True)
        walk.conv("shortcut.pointwise", s.c_in, s.c_out, 1, ho, wo, norm=True)
    walk.add("residual", s.c_out * ho * wo)


@walker("mbconv")
def _mbconv(walk: _Walk, s, h: int, w: int) -> None:
    mid = s.mid
    if mid != s.c_in:
        walk.conv("expand", s.c_in, mid, 1, h, w, norm=True, act=s.activation)
    ho, wo = walk.conv("depthwise", mid, mid, s.kernel, h, w, s.stride, mid, norm=True, act=s.activation,
                       tf_same=getattr(s, "padding", "same") == "tf_same")
    if s.se_reduced:
        walk.se("se", mid, s.se_reduced, ho * wo)
    walk.conv("project", mid, s.c_out, 1, ho, wo, norm=True)
    if s.stride == 1 and s.c_in == s.c_out:
        walk.add("residual", s.c_out * ho * wo)


def families() -> list[str]:
    return list(_WALKERS)


def of(spec: BlockSpec, h: int, w: int) -> MemoryAccess:
    """Analytic memory access of one batch-1 forward pass of `spec` on an h x w input (no torch)."""
    spec.output_shape(h, w)  # validates h and w with the usual messages
    try:
        walk_fn = _WALKERS[spec.family]
    except KeyError:
        raise ValueError(f"no memory-access model for block family {spec.family!r}; "
                         f"allowed: {', '.join(_WALKERS)}") from None
    walk = _Walk()
    walk_fn(walk, spec, h, w)
    return MemoryAccess(tuple(walk.rows))


# --- Measured: from the aten operations torch runs ---------------------------------------------------------


def trace(module, input_size, batch: int = 1) -> MemoryAccess:
    """Memory access of one forward pass as torch executes it (eval mode, inference mode): for every aten
    operation that moves data, the elements of its tensor arguments plus those of its results.

    Views (reshape without a copy, transpose, chunk, slicing) move nothing and are skipped; a reshape that
    has to copy counts as a read and a write. Tensor arguments that are parameters or buffers count as
    weights. This is the independent check on `of()`."""
    import torch
    from torch.utils._python_dispatch import TorchDispatchMode
    from torch.utils._pytree import tree_flatten

    from effviz.counting import _input_for

    held = {t.data_ptr() for t in module.parameters()} | {t.data_ptr() for t in module.buffers()}
    rows: list[Access] = []

    class _Recorder(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            ins = [a for a in tree_flatten((args, kwargs))[0] if isinstance(a, torch.Tensor)]
            outs = [a for a in tree_flatten(out)[0] if isinstance(a, torch.Tensor)]
            sources = {a.untyped_storage().data_ptr() for a in ins}
            mutates = func._schema.is_mutable
            if not mutates and all(o.untyped_storage().data_ptr() in sources for o in outs):
                return out  # a view: no data moved
            weights = sum(a.numel() for a in ins if a.data_ptr() in held)
            inputs = sum(a.numel() for a in ins) - weights
            rows.append(Access(func.__name__, func.__name__.split(".")[0], inputs, weights,
                               sum(o.numel() for o in outs)))
            return out

    x = _input_for(module, input_size, batch)
    was_training = module.training
    module.eval()
    try:
        with torch.inference_mode(), _Recorder():
            module(x)
    finally:
        module.train(was_training)
    return MemoryAccess(tuple(rows))
