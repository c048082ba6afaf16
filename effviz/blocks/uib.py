"""MobileNetV4's Universal Inverted Bottleneck (Qin et al. 2024, "MobileNetV4 - Universal Models for the Mobile
Ecosystem", arXiv 2404.10518, Sec. 3.2 and Fig. 4; timm.models._efficientnet_blocks.UniversalInvertedResidual).

An inverted bottleneck with two optional depthwise convs: one before the expansion (`dw_start`, on the C_in-wide
input) and one between the expansion and the projection (`dw_mid`, on the wide C_mid map). The two switches give
four blocks:

    dw_start  dw_mid   variant
       -        k      IB (MobileNetV2's inverted bottleneck)
       k        -      ConvNext-like (spatial mixing before the expansion, on the cheap narrow map)
       k        k      ExtraDW (both: a larger receptive field for little cost)
       -        -      FFN (two 1 x 1 convs: the transformer's feed-forward network)

C_mid = make_divisible(C_in * expansion, 8) (timm's rule). The stride goes to the middle depthwise conv if there
is one, else to the first; a block with no depthwise conv cannot stride. The start conv has BN and no
activation, the expansion and middle conv BN and the activation, the projection BN and no activation; a residual
adds the input when the shapes match. Everything numeric about the family is in this file.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from effviz.blocks._registry import register
from effviz.blocks.formulas import Formula, formula_of, number
from effviz.blocks.spec import (
    ACTIVATIONS,
    BlockSpec,
    Builder,
    Tensor,
    check_choice,
    check_expansion,
    make_divisible,
    out_size,
)
from effviz.problems import Problem

DW_KERNELS = (0, 3, 5, 7)  # 0: no depthwise conv at that place
VARIANTS = {(True, True): "extra_dw", (False, True): "ib", (True, False): "convnext", (False, False): "ffn"}


@register
@dataclass(frozen=True)
class UIBSpec(BlockSpec):
    """Universal Inverted Bottleneck: [dw_start x dw_start depthwise] -> 1x1 expand -> [dw_mid x dw_mid
    depthwise] -> 1x1 linear project (+ residual). dw_start / dw_mid 0 leaves that conv out."""

    family: ClassVar[str] = "uib"
    summary: ClassVar[str] = "[k×k DW] → 1×1 expand → [k×k DW] → 1×1 project (+ x): IB, ConvNext-like, ExtraDW, FFN."
    c_in: int = 64
    c_out: int = 64
    dw_start: int = 3
    dw_mid: int = 3
    expansion: float = 4.0
    stride: int = 1
    activation: str = "relu"

    @property
    def mid(self) -> int:
        return make_divisible(self.c_in * self.expansion, 8)

    @property
    def variant(self) -> str:
        """"ib", "convnext", "extra_dw" or "ffn" (MobileNetV4's names, Fig. 4)."""
        return VARIANTS[(bool(self.dw_start), bool(self.dw_mid))]

    def _validate(self) -> None:
        check_choice("dw_start", self.dw_start, DW_KERNELS)
        check_choice("dw_mid", self.dw_mid, DW_KERNELS)
        check_expansion(self.expansion)
        check_choice("activation", self.activation, ACTIVATIONS)
        if self.stride > 1 and not (self.dw_start or self.dw_mid):
            raise Problem("stride_needs_dw")

    def _graph(self, b: Builder, x: Tensor) -> Tensor:
        mid, act, s = self.mid, self.activation, self.stride
        b.parts("dw_start", "expand", "dw_mid", "project")
        y = x
        if self.dw_start:
            y = b.conv_bn_act(y, "dw_start", self.c_in, self.dw_start, 1 if self.dw_mid else s, groups=self.c_in)
        y = b.conv_bn_act(y, "expand", mid, 1, act=act)
        if self.dw_mid:
            y = b.conv_bn_act(y, "dw_mid", mid, self.dw_mid, s, groups=mid, act=act)
        y = b.conv_bn_act(y, "project", self.c_out, 1)
        return b.add(y, x, "residual") if s == 1 and self.c_in == self.c_out else y

    def formulas(self, h: int, w: int) -> list[Formula]:
        """Per conv: params k^2 C (+2C BN); MACs on the map it runs at (the start conv at the input size when the
        middle conv strides, at the output size when it strides itself)."""
        cost = self.cost(h, w)
        c, m, co, s = self.c_in, self.mid, self.c_out, self.stride
        ho, wo = out_size(h, s), out_size(w, s)
        hs, ws = (h, w) if self.dw_mid else (ho, wo)  # where the start conv's output lives
        sym_p, sym_m = [], []
        p_terms, m_terms = [], []
        if self.dw_start:
            a = self.dw_start
            sym_p.append(r"(a^2 + 2) C_{in}")
            sym_m.append(r"H_s W_s\, a^2 C_{in}")
            p_terms.append((rf"({a}^2 + 2) \cdot {c}", f"({a}**2+2)*{c}"))
            m_terms.append((rf"{hs} \cdot {ws} \cdot {a}^2 \cdot {c}", f"{hs}*{ws}*{a}**2*{c}"))
        sym_p.append(r"(C_{in} + 2) C_{mid}")
        sym_m.append(r"H_e W_e\, C_{in} C_{mid}")
        he, we = (hs, ws) if self.dw_start else (h, w)
        p_terms.append((rf"({c} + 2) \cdot {m}", f"({c}+2)*{m}"))
        m_terms.append((rf"{he} \cdot {we} \cdot {c} \cdot {m}", f"{he}*{we}*{c}*{m}"))
        if self.dw_mid:
            k = self.dw_mid
            sym_p.append(r"(b^2 + 2) C_{mid}")
            sym_m.append(r"H_{out} W_{out}\, b^2 C_{mid}")
            p_terms.append((rf"({k}^2 + 2) \cdot {m}", f"({k}**2+2)*{m}"))
            m_terms.append((rf"{ho} \cdot {wo} \cdot {k}^2 \cdot {m}", f"{ho}*{wo}*{k}**2*{m}"))
        sym_p.append(r"(C_{mid} + 2) C_{out}")
        sym_m.append(r"H_{out} W_{out}\, C_{mid} C_{out}")
        p_terms.append((rf"({m} + 2) \cdot {co}", f"({m}+2)*{co}"))
        m_terms.append((rf"{ho} \cdot {wo} \cdot {m} \cdot {co}", f"{ho}*{wo}*{m}*{co}"))
        where = rf"\;\; (C_{{mid}} = {number(m)})"
        return [formula_of("params", " + ".join(sym_p) + where, p_terms, cost.params),
                formula_of("MACs", " + ".join(sym_m), m_terms, cost.macs)]
