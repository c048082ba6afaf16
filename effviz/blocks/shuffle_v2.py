from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from effviz.blocks._registry import register
from effviz.blocks._spec import BlockSpec, check_odd_kernel, out_size
from effviz.cost import Cost, conv_cost


@register
@dataclass(frozen=True)
class ShuffleV2(BlockSpec):
    """ShuffleNet v2 unit (Ma et al. 2018, Fig. 3c/d): channel split, one branch of 1x1 -> dw -> 1x1 with equal
    widths (guideline G1), no group convs (G2), concat and a 2-group channel shuffle."""

    family: ClassVar[str] = "shuffle_v2"
    summary: ClassVar[str] = "Channel split → (1×1 → 3×3 depthwise → 1×1) on one half → concat → shuffle."
    c_in: int = 116
    c_out: int = 116
    stride: int = 1
    kernel: int = 3

    @property
    def branch(self) -> int:
        return self.c_out // 2

    def _validate(self) -> None:
        check_odd_kernel("kernel", self.kernel)
        if self.c_out % 2:
            raise ValueError(f"c_out must be even (two equal branches), got {self.c_out}")
        if self.stride == 1 and self.c_in != self.c_out:
            raise ValueError(f"c_out must equal c_in={self.c_in} for a stride-1 unit (channel split), got {self.c_out}")

    def _cost(self, h: int, w: int) -> Cost:
        ho, wo = out_size(h, self.stride), out_size(w, self.stride)
        b, k = self.branch, self.kernel
        right_in = self.c_in if self.stride == 2 else b
        right = Cost.of_parts(
            pw1=conv_cost(right_in, b, 1, h, w, norm=True),
            depthwise=conv_cost(b, b, k, ho, wo, b, norm=True),
            pw2=conv_cost(b, b, 1, ho, wo, norm=True),
        )
        if self.stride == 1:
            return Cost.of_parts(right=right)
        left = Cost.of_parts(
            depthwise=conv_cost(self.c_in, self.c_in, k, ho, wo, self.c_in, norm=True),
            pointwise=conv_cost(self.c_in, b, 1, ho, wo, norm=True),
        )
        return Cost.of_parts(left=left, right=right)

    def build(self):
        from effviz.layers.shuffle_units import ShuffleV2Unit

        return ShuffleV2Unit(self.c_in, self.c_out, self.stride, self.kernel)
