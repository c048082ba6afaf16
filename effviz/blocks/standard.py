from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from effviz.blocks._registry import register
from effviz.blocks.formulas import Formula, formula_of
from effviz.blocks.spec import ACTIVATIONS, BlockSpec, Builder, Tensor, check_choice, check_odd_kernel, out_size


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

    def formulas(self, h: int, w: int) -> list[Formula]:
        return plain_formulas(self, h, w, None)

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


def plain_formulas(spec: BlockSpec, h: int, w: int, groups: int | None) -> list[Formula]:
    """A plain_conv's formulas: k^2 C_in C_out (+ bias, + BN) params; with `groups` (the group conv's own file
    passes it) C_in becomes C_in / g."""
    cost = spec.cost(h, w)
    ho, wo = out_size(h, spec.stride), out_size(w, spec.stride)
    k, ci, co = spec.kernel, spec.c_in, spec.c_out
    extra_sym = (r" + C_{out}" if spec.bias else "") + (r" + 2C_{out}" if spec.norm else "")
    g_sym = r"\frac{C_{in}}{g}" if groups is not None else "C_{in}"
    g_num = rf"\frac{{{ci}}}{{{groups}}}" if groups is not None else f"{ci}"
    g_py = f"({ci}//{groups})" if groups is not None else f"{ci}"
    p_terms = [(rf"{k}^2 \cdot {g_num} \cdot {co}", f"{k}**2*{g_py}*{co}")]
    if spec.bias:
        p_terms.append((f"{co}", f"{co}"))
    if spec.norm:
        p_terms.append((rf"2 \cdot {co}", f"2*{co}"))
    return [
        formula_of("params", rf"k^2 \, {g_sym} \, C_{{out}}{extra_sym}", p_terms, cost.params),
        formula_of("MACs", rf"k^2 \, {g_sym} \, C_{{out}} \, H_{{out}} W_{{out}}",
                   [(rf"{k}^2 \cdot {g_num} \cdot {co} \cdot {ho} \cdot {wo}", f"{k}**2*{g_py}*{co}*{ho}*{wo}")],
                   cost.macs),
    ]
