"""FasterNet's block around a partial convolution (Chen et al. 2023, "Run, Don't Walk: Chasing Higher FLOPS for
Faster Neural Networks", arXiv 2303.03667, Sec. 3.1-3.2; timm.models.fasternet.MLPBlock).

PConv applies a k x k conv to only c_p = c / n_div of the channels (r = c_p / c = 1 / n_div) and passes the rest
through untouched; two 1 x 1 convs (the "MLP", expand to c * mlp ratio with BN and activation, project back) mix
all channels, and a residual adds the input. The argument is about FLOPS (operations per second), not FLOPs:

  * PConv's MACs are h w k^2 c_p^2, a fraction r^2 of a full k x k conv's (1/16 at r = 1/4);
  * its memory access is about h w 2 c_p, a fraction r of the full conv's (1/4), so it keeps a high
    MACs-per-byte ratio where a depthwise conv (cheap in MACs, heavy in traffic per MAC) does not.

Everything numeric about the family (c_p, the hidden width, the valid ranges, the formula text) is in this file.
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
    check_int,
    check_odd_kernel,
    out_size,
)
from effviz.problems import Problem

N_DIV_MAX = 16
N_DIV_CHOICES = (1, 2, 4, 8, N_DIV_MAX)  # what the Conv Playground offers: r = 1 / n_div (FasterNet: n_div 4)


@register
@dataclass(frozen=True)
class PartialConvSpec(BlockSpec):
    """FasterNet block: split off c_p = c_in // n_div channels, k x k conv on them (no BN), concat the untouched
    rest back, 1 x 1 expand to int(c_in * expansion) (BN, activation), 1 x 1 project to c_out, residual when
    c_out == c_in. Stride 1 only: FasterNet downsamples in separate merging layers."""

    family: ClassVar[str] = "partial_conv"
    summary: ClassVar[str] = "k×k conv on c/n_div channels, the rest passed through → 1×1 expand → 1×1 project (+ x)."
    c_in: int = 64
    c_out: int = 64
    kernel: int = 3
    n_div: int = 4
    expansion: float = 2.0
    stride: int = 1
    activation: str = "relu"

    @property
    def partial(self) -> int:
        """c_p: the channels the k x k conv sees (timm: dim // n_div)."""
        return self.c_in // self.n_div

    @property
    def mid(self) -> int:
        """The MLP's hidden width (timm: int(dim * mlp_ratio))."""
        return int(self.c_in * self.expansion)

    def _validate(self) -> None:
        check_odd_kernel("kernel", self.kernel)
        check_int("n_div", self.n_div, 1, N_DIV_MAX)
        if self.c_in // self.n_div < 1:
            raise Problem("at_least", name="c_in", low=self.n_div, value=self.c_in)
        check_expansion(self.expansion)
        if self.stride != 1:
            raise Problem("pconv_stride", value=self.stride)
        check_choice("activation", self.activation, ACTIVATIONS)

    def _graph(self, b: Builder, x: Tensor) -> Tensor:
        cp = self.partial
        b.parts("pconv", "expand", "project")
        if cp < self.c_in:
            touched, untouched = b.split(x, "split", (cp, self.c_in - cp))
            y = b.concat(b.conv(touched, "pconv", cp, self.kernel), untouched, name="concat")
        else:  # n_div 1: a full conv
            y = b.conv(x, "pconv", cp, self.kernel)
        y = b.conv_bn_act(y, "expand", self.mid, 1, act=self.activation)
        y = b.conv(y, "project", self.c_out, 1)
        return b.add(y, x, "residual") if self.c_out == self.c_in else y

    def formulas(self, h: int, w: int) -> list[Formula]:
        cost = self.cost(h, w)
        k, c, cp, m, co = self.kernel, self.c_in, self.partial, self.mid, self.c_out
        ho, wo = out_size(h, self.stride), out_size(w, self.stride)
        return [
            formula_of("params", r"k^2 c_p^2 + c\,m + 2m + m\,C_{out} \;\; (c_p = \lfloor c / n \rfloor = "
                       rf"\lfloor {c} / {self.n_div} \rfloor = {cp},\; m = {number(m)})",
                       [(rf"{k}^2 \cdot {cp}^2", f"{k}**2*{cp}**2"), (rf"{c} \cdot {m}", f"{c}*{m}"),
                        (rf"2 \cdot {m}", f"2*{m}"), (rf"{m} \cdot {co}", f"{m}*{co}")], cost.params),
            formula_of("MACs", r"H W \, (k^2 c_p^2 + c\,m + m\,C_{out})",
                       [(rf"{ho} \cdot {wo} \cdot ({k}^2 \cdot {cp}^2 + {c} \cdot {m} + {m} \cdot {co})",
                         f"{ho}*{wo}*({k}**2*{cp}**2+{c}*{m}+{m}*{co})")], cost.macs),
        ]


def pconv_share(n_div: int) -> tuple[int, int]:
    """PConv against a full k x k conv on all c channels, when n_div divides c: (MACs denominator, memory
    denominator), i.e. MACs are 1 / n_div^2 and the feature-map traffic about 1 / n_div of the full conv's."""
    return n_div * n_div, n_div
