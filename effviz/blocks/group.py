from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from effviz.blocks._registry import register
from effviz.blocks.formulas import Formula
from effviz.blocks.spec import (
    ACTIVATIONS,
    BlockSpec,
    Builder,
    Tensor,
    check_choice,
    check_divides,
    check_int,
    check_odd_kernel,
)
from effviz.blocks.standard import plain_conv, plain_formulas


@register
@dataclass(frozen=True)
class GroupConv(BlockSpec):
    """Grouped convolution (AlexNet, ResNeXt): channels split into g groups, each convolved on its own.

    params = k^2 (C_in / g) C_out;  MACs = k^2 (C_in / g) C_out H_out W_out: g times fewer than dense."""

    family: ClassVar[str] = "group"
    summary: ClassVar[str] = "Channels split into g groups convolved separately: g× fewer params and MACs."
    c_in: int = 64
    c_out: int = 64
    kernel: int = 3
    stride: int = 1
    groups: int = 4
    bias: bool = False
    norm: bool = False
    activation: str = "none"

    def _validate(self) -> None:
        check_odd_kernel("kernel", self.kernel)
        check_int("groups", self.groups, 1, 8192)
        check_divides("groups", self.groups, c_in=self.c_in, c_out=self.c_out)
        check_choice("activation", self.activation, ("none",) + ACTIVATIONS)

    def _graph(self, b: Builder, x: Tensor) -> Tensor:
        return plain_conv(b, x, self.c_out, self.kernel, self.stride, self.groups, self.bias, self.norm,
                          self.activation)

    def formulas(self, h: int, w: int) -> list[Formula]:
        return plain_formulas(self, h, w, self.groups)

    def build(self):
        from effviz.blocks.layers.conv import conv_norm_act

        return conv_norm_act(self.c_in, self.c_out, self.kernel, self.stride, self.groups,
                             bias=self.bias, norm=self.norm, act=self.activation)
