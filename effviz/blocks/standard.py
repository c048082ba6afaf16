from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from effviz.blocks._registry import register
from effviz.blocks._spec import ACTIVATIONS, BlockSpec, check_choice, check_odd_kernel, out_size
from effviz.cost import Cost, conv_cost, norm_cost


@register
@dataclass(frozen=True)
class StandardConv(BlockSpec):
    """A dense k x k convolution: every output channel sees every input channel.

    params = k^2 C_in C_out (+ C_out bias);  MACs = k^2 C_in C_out H_out W_out."""

    family: ClassVar[str] = "standard"
    summary: ClassVar[str] = "Dense k×k convolution: every output channel sees every input channel."
    c_in: int = 3
    c_out: int = 4
    kernel: int = 3
    stride: int = 1
    bias: bool = False
    norm: bool = False
    activation: str = "none"

    def _validate(self) -> None:
        check_odd_kernel("kernel", self.kernel)
        check_choice("activation", self.activation, ("none",) + ACTIVATIONS)

    def _cost(self, h: int, w: int) -> Cost:
        ho, wo = out_size(h, self.stride), out_size(w, self.stride)
        conv = conv_cost(self.c_in, self.c_out, self.kernel, ho, wo, bias=self.bias)
        return Cost.of_parts(conv=conv, bn=norm_cost(self.c_out)) if self.norm else Cost.of_parts(conv=conv)

    def build(self):
        from effviz.layers.conv import conv_norm_act

        return conv_norm_act(self.c_in, self.c_out, self.kernel, self.stride,
                             bias=self.bias, norm=self.norm, act=self.activation)
