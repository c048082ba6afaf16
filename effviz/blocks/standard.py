from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from effviz.blocks._registry import register
from effviz.blocks.spec import ACTIVATIONS, BlockSpec, Builder, Tensor, check_choice, check_odd_kernel


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

    def _graph(self, b: Builder, x: Tensor) -> Tensor:
        return plain_conv(b, x, self.c_out, self.kernel, self.stride, 1, self.bias, self.norm, self.activation)

    def build(self):
        from effviz.blocks.layers.conv import conv_norm_act

        return conv_norm_act(self.c_in, self.c_out, self.kernel, self.stride,
                             bias=self.bias, norm=self.norm, act=self.activation)


def plain_conv(b: Builder, x: Tensor, c_out: int, kernel: int, stride: int, groups: int, bias: bool, norm: bool,
               activation: str) -> Tensor:
    """conv -> [BN] -> [act] with the conv and the BN as separate cost parts ("conv", "bn")."""
    y = b.conv(x, "conv", c_out, kernel, stride, groups, bias=bias, part="conv")
    if norm:
        y = b.norm(y, "conv.bn", part="bn")
    return b.act(y, "conv.act", activation)
