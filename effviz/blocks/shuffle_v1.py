from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from effviz.blocks._registry import register
from effviz.blocks.spec import BlockSpec, Builder, Tensor, check_divides, check_int, check_odd_kernel
from effviz.problems import Problem

BOTTLENECK = 4  # the bottleneck is a quarter of the unit's output width (Sec. 3.3)


@register
@dataclass(frozen=True)
class ShuffleV1(BlockSpec):
    """ShuffleNet v1 unit (Zhang et al. 2018, Fig. 2b/c). Bottleneck width m = C_out / 4 (BOTTLENECK).

    Stride 1: C_out == C_in, residual add. Stride 2: the conv branch makes C_out - C_in channels and is
    concatenated with a 3x3 average pool of the input. `first_grouped=False` is the paper's first unit of
    stage 2, whose input (24 channels) is too narrow to group."""

    family: ClassVar[str] = "shuffle_v1"
    summary: ClassVar[str] = "1×1 group conv → channel shuffle → 3×3 depthwise → 1×1 group conv (+ shortcut)."
    c_in: int = 240
    c_out: int = 240
    groups: int = 3
    stride: int = 1
    kernel: int = 3
    first_grouped: bool = True

    @property
    def mid(self) -> int:
        return self.c_out // BOTTLENECK

    @property
    def branch_out(self) -> int:
        return self.c_out - self.c_in if self.stride == 2 else self.c_out

    def _validate(self) -> None:
        check_odd_kernel("kernel", self.kernel)
        check_int("groups", self.groups, 1, 64)
        if self.stride == 1 and self.c_in != self.c_out:
            raise Problem("add_equal", c_in=self.c_in, c_out=self.c_out)
        if self.stride == 2 and self.c_out <= self.c_in:
            raise Problem("concat_wider", c_in=self.c_in, c_out=self.c_out)
        if self.mid < 1:
            raise Problem("bottleneck_min", c_out=self.c_out)
        channels = {"c_in": self.c_in} if self.first_grouped else {}
        check_divides("groups", self.groups, **channels, bottleneck=self.mid, branch_out=self.branch_out)

    @property
    def first_groups(self) -> int:
        """The first 1x1 conv's groups: g, or 1 for the paper's first unit of stage 2 (first_grouped=False)."""
        return self.groups if self.first_grouped else 1

    def _graph(self, b: Builder, x: Tensor) -> Tensor:
        g, mid = self.groups, self.mid
        # the unit's numbers for what reads the graph (effviz.shuffle.connectivity): the input groups are the
        # shuffle's g; the shuffle is a permutation of its own, so it can be taken out
        b.block_params(groups=g, mid=mid, branch_out=self.branch_out, input_groups=g, shuffle_optional=True)
        y = b.conv_bn_act(x, "gconv1", mid, 1, groups=self.first_groups, act="relu")
        y = b.shuffle(y, "shuffle", g)
        y = b.conv_bn_act(y, "dwconv", mid, self.kernel, self.stride, groups=mid)
        y = b.conv_bn_act(y, "gconv2", self.branch_out, 1, groups=g)
        if self.stride == 2:  # concat with a 3x3 average pool of the input
            y = b.concat(b.pool(x, "shortcut", 3, 2), y, name="concat")
        else:
            y = b.add(y, x, "residual")
        return b.act(y, "act", "relu")

    def sub_blocks(self, h: int) -> list[tuple[str, BlockSpec, int]]:
        """Its two 1x1 group convs (with BN) as group-conv blocks, at the input size each sees in the graph."""
        from effviz.blocks.group import GroupConv

        graph = self.graph(h, h)
        return [("gconv1", GroupConv(c_in=self.c_in, c_out=self.mid, kernel=1, groups=self.first_groups,
                                     norm=True), graph.node_input("gconv1")[1]),
                ("gconv2", GroupConv(c_in=self.mid, c_out=self.branch_out, kernel=1, groups=self.groups, norm=True),
                 graph.node_input("gconv2")[1])]

    def build(self):
        from effviz.blocks.layers.shuffle_layers import ShuffleV1Unit

        return ShuffleV1Unit(self.c_in, self.mid, self.branch_out, self.groups, self.stride, self.kernel,
                             self.first_groups)
