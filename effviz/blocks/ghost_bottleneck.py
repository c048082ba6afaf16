from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from effviz.blocks._registry import register
from effviz.blocks.ghost_module import GhostModuleSpec, check_ratio, ghost, module_spec
from effviz.blocks.spec import (
    BlockSpec,
    Builder,
    Tensor,
    check_expansion,
    check_int,
    check_odd_kernel,
    check_se_ratio,
    make_divisible,
)

SE_DIVISOR = 4               # the SE width is rounded to a multiple of 4 (the authors' code)
SE_ACT, SE_GATE = "relu", "hard_sigmoid"

@register
@dataclass(frozen=True)
class GhostBottleneckSpec(BlockSpec):
    """Ghost bottleneck (GhostNet Fig. 3): Ghost module expanding to C_mid (ReLU), a k x k stride-2 depthwise
    conv when stride is 2, optional SE (reduced to make_divisible(C_mid * se_ratio, 4), hard-sigmoid gate), a
    linear Ghost module projecting to C_out, and a shortcut (identity, or depthwise + 1x1 when shapes differ).

    C_mid is `c_mid` when given, else round(C_in * expansion)."""

    family: ClassVar[str] = "ghost_bottleneck"
    summary: ClassVar[str] = "Ghost module (expand) → [stride-2 depthwise] → [SE] → Ghost module (project) + shortcut."
    ranges: ClassVar[dict[str, tuple[int, int]]] = GhostModuleSpec.ranges
    c_in: int = 40
    c_out: int = 40
    kernel: int = 5
    stride: int = 1
    expansion: float = 3.0
    c_mid: int = 0
    se_ratio: float = 0.25
    ratio: int = 2
    dw_kernel: int = 3

    @property
    def mid(self) -> int:
        return self.c_mid or max(1, round(self.c_in * self.expansion))

    @property
    def se_reduced(self) -> int:
        return make_divisible(self.mid * self.se_ratio, SE_DIVISOR) if self.se_ratio > 0 else 0

    def _validate(self) -> None:
        check_odd_kernel("kernel", self.kernel)
        check_expansion(self.expansion)
        check_int("c_mid", self.c_mid, 0, 8192)
        check_se_ratio(self.se_ratio)
        check_ratio(self.ratio)
        check_odd_kernel("dw_kernel", self.dw_kernel)

    def _graph(self, b: Builder, x: Tensor) -> Tensor:
        mid, k, s = self.mid, self.kernel, self.stride
        b.parts("ghost1", "depthwise", "se", "ghost2", "shortcut")
        y = ghost(b, x, "ghost1", mid, 1, self.ratio, self.dw_kernel, 1, "relu")
        if s == 2:
            y = b.conv_bn_act(y, "depthwise", mid, k, s, groups=mid)
        if self.se_reduced:
            y = b.se(y, "se", self.se_reduced, SE_ACT, SE_GATE)
        y = ghost(b, y, "ghost2", self.c_out, 1, self.ratio, self.dw_kernel, 1, "none")
        shortcut = x
        if not (self.c_in == self.c_out and s == 1):
            with b.scope("shortcut", kind="branch"):
                shortcut = b.conv_bn_act(x, "depthwise", self.c_in, k, s, groups=self.c_in)
                shortcut = b.conv_bn_act(shortcut, "pointwise", self.c_out, 1)
        return b.add(y, shortcut, "residual")

    def sub_blocks(self, h: int) -> list[tuple[str, BlockSpec, int]]:
        """Its two Ghost modules as blocks of their own, with the input size each sees: read from the graph's
        "ghost_module" scopes (the parameters the declaration gave them)."""
        graph = self.graph(h, h)
        return [(s.name, module_spec(s), graph.scope_input(s.name)[1]) for s in graph.scopes
                if s.kind == "ghost_module"]

    def build(self):
        from effviz.blocks.layers.ghost_layers import GhostBottleneck

        return GhostBottleneck(self.c_in, self.mid, self.c_out, self.kernel, self.stride, self.se_reduced,
                               self.ratio, self.dw_kernel)
