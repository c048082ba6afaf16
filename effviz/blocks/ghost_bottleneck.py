from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from effviz.blocks._registry import register
from effviz.blocks._spec import (
    BlockSpec,
    check_expansion,
    check_int,
    check_odd_kernel,
    check_se_ratio,
    make_divisible,
    out_size,
)
from effviz.blocks.ghost_module import GhostModuleSpec
from effviz.cost import ZERO, Cost, conv_cost, se_cost


@register
@dataclass(frozen=True)
class GhostBottleneckSpec(BlockSpec):
    """Ghost bottleneck (GhostNet Fig. 3): Ghost module expanding to C_mid (ReLU), a k x k stride-2 depthwise
    conv when stride is 2, optional SE (reduced to make_divisible(C_mid * se_ratio, 4), hard-sigmoid gate), a
    linear Ghost module projecting to C_out, and a shortcut (identity, or depthwise + 1x1 when shapes differ).

    C_mid is `c_mid` when given, else round(C_in * expansion)."""

    family: ClassVar[str] = "ghost_bottleneck"
    summary: ClassVar[str] = "Ghost module (expand) → [stride-2 depthwise] → [SE] → Ghost module (project) + shortcut."
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
        return make_divisible(self.mid * self.se_ratio, 4) if self.se_ratio > 0 else 0

    def _validate(self) -> None:
        check_odd_kernel("kernel", self.kernel)
        check_expansion(self.expansion)
        check_int("c_mid", self.c_mid, 0, 8192)
        check_se_ratio(self.se_ratio)
        check_int("ratio", self.ratio, 1, 16)
        check_odd_kernel("dw_kernel", self.dw_kernel)

    def _ghosts(self) -> tuple[GhostModuleSpec, GhostModuleSpec]:
        return (
            GhostModuleSpec(self.c_in, self.mid, 1, self.ratio, self.dw_kernel, 1, "relu"),
            GhostModuleSpec(self.mid, self.c_out, 1, self.ratio, self.dw_kernel, 1, "none"),
        )

    def _cost(self, h: int, w: int) -> Cost:
        ho, wo = out_size(h, self.stride), out_size(w, self.stride)
        ghost1, ghost2 = self._ghosts()
        k, mid = self.kernel, self.mid
        parts = {
            "ghost1": ghost1.cost(h, w),
            "depthwise": conv_cost(mid, mid, k, ho, wo, mid, norm=True) if self.stride == 2 else ZERO,
            "se": se_cost(mid, self.se_reduced),
            "ghost2": ghost2.cost(ho, wo),
            "shortcut": ZERO if (self.c_in == self.c_out and self.stride == 1) else Cost.of_parts(
                depthwise=conv_cost(self.c_in, self.c_in, k, ho, wo, self.c_in, norm=True),
                pointwise=conv_cost(self.c_in, self.c_out, 1, ho, wo, norm=True),
            ),
        }
        return Cost.of_parts(**parts)

    def build(self):
        from effviz.layers.ghost import GhostBottleneck

        return GhostBottleneck(self.c_in, self.mid, self.c_out, self.kernel, self.stride, self.se_reduced,
                               self.ratio, self.dw_kernel)
