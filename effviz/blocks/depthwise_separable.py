from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar

from effviz.blocks._registry import register
from effviz.blocks.formulas import Formula, formula_of
from effviz.blocks.spec import ACTIVATIONS, BlockSpec, Builder, Tensor, check_choice, check_odd_kernel, out_size


@register
@dataclass(frozen=True)
class DepthwiseSeparable(BlockSpec):
    """Depthwise k x k conv (one filter per channel) then a 1 x 1 pointwise conv (MobileNet v1, Xception).

    MACs = H W C_in (k^2 + C_out): a fraction 1/C_out + 1/k^2 of the dense conv's (MobileNet v1, eq. 5).
    `mid_relu` puts an activation between the two convs (MobileNet v1); Xception drops it."""

    family: ClassVar[str] = "depthwise_separable"
    summary: ClassVar[str] = "Depthwise k×k (spatial, per channel) + pointwise 1×1 (mixing channels)."
    c_in: int = 3
    c_out: int = 4
    kernel: int = 3
    stride: int = 1
    bias: bool = False
    norm: bool = False
    activation: str = "none"
    mid_relu: bool = True

    def _validate(self) -> None:
        check_odd_kernel("kernel", self.kernel)
        check_choice("activation", self.activation, ("none",) + ACTIVATIONS)

    @property
    def mid_act(self) -> str:
        return (self.activation if self.activation != "none" else "relu") if self.mid_relu else "none"

    def _graph(self, b: Builder, x: Tensor) -> Tensor:
        y = b.conv_bn_act(x, "depthwise", self.c_in, self.kernel, self.stride, self.c_in, bias=self.bias,
                          norm=self.norm, act=self.mid_act)
        return b.conv_bn_act(y, "pointwise", self.c_out, 1, bias=self.bias, norm=self.norm, act=self.activation)

    def formulas(self, h: int, w: int) -> list[Formula]:
        cost = self.cost(h, w)
        ho, wo = out_size(h, self.stride), out_size(w, self.stride)
        k, ci, co = self.kernel, self.c_in, self.c_out
        per_conv = (1 if self.bias else 0) + (2 if self.norm else 0)
        p_terms = [(rf"{k}^2 \cdot {ci}", f"{k}**2*{ci}"), (rf"{ci} \cdot {co}", f"{ci}*{co}")]
        if per_conv:
            p_terms.append((rf"{per_conv} \cdot ({ci} + {co})", f"{per_conv}*({ci}+{co})"))
        return [
            formula_of("params", r"k^2 C_{in} + C_{in} C_{out}" + (r" + \text{bias/BN}" if per_conv else ""),
                       p_terms, cost.params),
            formula_of("MACs", r"H_{out} W_{out} \, C_{in} \, (k^2 + C_{out})",
                       [(rf"{ho} \cdot {wo} \cdot {ci} \cdot ({k}^2 + {co})", f"{ho}*{wo}*{ci}*({k}**2+{co})")],
                       cost.macs),
        ]

    def build(self):
        from collections import OrderedDict

        from torch import nn

        from effviz.blocks.layers.conv import conv_norm_act

        return nn.Sequential(OrderedDict(
            depthwise=conv_norm_act(self.c_in, self.c_in, self.kernel, self.stride, self.c_in,
                                    bias=self.bias, norm=self.norm, act=self.mid_act),
            pointwise=conv_norm_act(self.c_in, self.c_out, 1, bias=self.bias, norm=self.norm,
                                    act=self.activation),
        ))


def depthwise_separable_ratio(c_out: int, kernel: int) -> Fraction:
    """MobileNet v1 (eq. 5): depthwise-separable / standard cost = 1/N + 1/k^2 (same shape, no bias)."""
    return Fraction(1, c_out) + Fraction(1, kernel * kernel)
