from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from effviz.blocks._registry import register
from effviz.blocks.spec import BlockSpec, Builder, Tensor, check_odd_kernel
from effviz.problems import Problem

SPLIT = 2  # two branches of equal width, and the channel shuffle's groups


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
        return self.c_out // SPLIT

    def _validate(self) -> None:
        check_odd_kernel("kernel", self.kernel)
        if self.c_out % SPLIT:
            raise Problem("even_branches", c_out=self.c_out)
        if self.stride == 1 and self.c_in != self.c_out:
            raise Problem("split_equal", c_in=self.c_in, c_out=self.c_out)

    def _graph(self, b: Builder, x: Tensor) -> Tensor:
        c, k, s = self.branch, self.kernel, self.stride
        # the unit's numbers for what reads the graph (effviz.shuffle.connectivity): the input groups are the
        # split's two halves; the shuffle is part of the split/concat, so it stays
        b.block_params(groups=SPLIT, branch=c, input_groups=SPLIT, shuffle_optional=False)
        if s == 1:  # the left half passes through untouched
            left, right = b.split(x, "split", (c, c))
        else:  # both branches read the whole input
            left = right = x
            with b.scope("left", kind="branch"):
                left = b.conv_bn_act(x, "depthwise", self.c_in, k, s, groups=self.c_in)
                left = b.conv_bn_act(left, "pointwise", c, 1, act="relu")
        with b.scope("right", kind="branch"):
            right = b.conv_bn_act(right, "pw1", c, 1, act="relu")
            right = b.conv_bn_act(right, "depthwise", c, k, s, groups=c)
            right = b.conv_bn_act(right, "pw2", c, 1, act="relu")
        return b.shuffle(b.concat(left, right, name="concat"), "shuffle", SPLIT)

    def build(self):
        from effviz.blocks.layers.shuffle_layers import ShuffleV2Unit

        return ShuffleV2Unit(self.c_in, self.branch, self.stride, self.kernel, SPLIT)
