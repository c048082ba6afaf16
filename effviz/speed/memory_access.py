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

`of(spec, h, w)` is analytic (pure Python): it reads each node's traffic off the block's graph
(`spec.graph(h, w)`, effviz.blocks.graph, where the rules above are applied as the block is declared);
`trace(module, input_size)` measures the same quantity from the aten operations torch actually runs, and
the tests check that the two agree for every family."""
from __future__ import annotations

import math
from dataclasses import dataclass

from effviz.blocks.graph import BYTES_PER_ELEMENT, Access
from effviz.blocks.spec import BlockSpec

__all__ = ["BYTES_PER_ELEMENT", "Access", "MemoryAccess", "conv1x1", "lower_bound", "of", "families", "trace"]


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


# --- Analytic: from the block's graph ----------------------------------------------------------------------


def families() -> list[str]:
    """The block families with a memory-access model: every family, since each declares its graph."""
    from effviz import blocks

    return blocks.names()


def of(spec: BlockSpec, h: int, w: int) -> MemoryAccess:
    """Analytic memory access of one batch-1 forward pass of `spec` on an h x w input (no torch)."""
    spec.output_shape(h, w)  # validates h and w with the usual messages
    try:
        graph = spec.graph(h, w)
    except NotImplementedError:
        raise ValueError(f"no memory-access model for block family {spec.family!r}: it declares no graph; "
                         f"allowed: {', '.join(families())}") from None
    return MemoryAccess(graph.accesses())


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

    from effviz.blocks.counting import input_for

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

    x = input_for(module, input_size, batch)
    was_training = module.training
    module.eval()
    try:
        with torch.inference_mode(), _Recorder():
            module(x)
    finally:
        module.train(was_training)
    return MemoryAccess(tuple(rows))
