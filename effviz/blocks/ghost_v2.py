"""GhostNetV2's Ghost module with DFC attention (Tang et al. 2022, "GhostNetV2: Enhance Cheap Operation with
Long-Range Attention", NeurIPS 2022, arXiv 2211.12905, Sec. 4; timm.models.ghostnet.GhostModuleV2).

The Ghost module's cheap features only see a d x d neighbourhood. A decoupled fully-connected (DFC) attention
branch lets them see the whole map at little cost: on the input average-pooled 2 x 2 (a quarter of the pixels),
a conv like the primary one (to C_out channels, BN), then a 1 x 5 depthwise conv along the width and a 5 x 1
depthwise conv along the height (each with BN): the two "decoupled" fully-connected layers, as depthwise convs.
A sigmoid turns the result into a gate, nearest-neighbour upsampled back to the Ghost output's size, and the
Ghost output is multiplied by it.

Costs: the Ghost module's (GhostModuleSpec), plus on the pooled map H/2 x W/2 (rounded down) the DFC convs:
k^2 C_in C_out + 5 C_out + 5 C_out weights, each MAC per output pixel of the pooled map. Everything numeric about
the family is in this file; the pooling needs an input of at least 2 x 2.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from effviz.blocks._registry import register
from effviz.blocks.formulas import Formula, formula_of
from effviz.blocks.ghost_module import GhostModuleSpec, check_ratio, ghost, intrinsic_maps
from effviz.blocks.spec import BlockSpec, Builder, Tensor, check_choice, check_odd_kernel, out_size

DFC_KERNEL = 5  # the paper's 1 x 5 and 5 x 1 (Sec. 4.2)
POOL = 2        # the DFC branch works on the input downsampled 2 x 2


@register
@dataclass(frozen=True)
class GhostV2Spec(BlockSpec):
    """Ghost module (primary k x k conv to m = ceil(n / s) maps, cheap d x d depthwise ghosts) multiplied by a
    DFC attention gate: 2x2 avg pool -> k x k conv (BN) -> 1x5 DW (BN) -> 5x1 DW (BN) -> sigmoid -> nearest
    upsample."""

    family: ClassVar[str] = "ghost_v2"
    summary: ClassVar[str] = "Ghost module × DFC attention: pool 2×2 → conv → 1×5 DW → 5×1 DW → sigmoid → upsample."
    min_size: ClassVar[int] = POOL
    ranges: ClassVar[dict[str, tuple[int, int]]] = GhostModuleSpec.ranges
    c_in: int = 64
    c_out: int = 128
    kernel: int = 1
    ratio: int = 2
    dw_kernel: int = 3
    stride: int = 1
    activation: str = "relu"

    @property
    def intrinsic(self) -> int:
        return intrinsic_maps(self.c_out, self.ratio)

    def _validate(self) -> None:
        check_odd_kernel("kernel", self.kernel)
        check_ratio(self.ratio)
        check_odd_kernel("dw_kernel", self.dw_kernel)
        check_choice("activation", self.activation, ("relu", "none"))

    def pooled(self, h: int, w: int) -> tuple[int, int]:
        """The DFC branch's map: the input pooled 2 x 2 (rounded down), then the primary conv's stride."""
        return out_size(h // POOL, self.stride), out_size(w // POOL, self.stride)

    def _graph(self, b: Builder, x: Tensor) -> Tensor:
        y = ghost(b, x, "ghost", self.c_out, self.kernel, self.ratio, self.dw_kernel, self.stride, self.activation)
        with b.scope("dfc", kind="dfc", params={"pool": POOL, "kernel": DFC_KERNEL}):
            b.parts("conv", "horizontal", "vertical")
            a = b.pool(x, "pool", POOL, POOL, padding=0)
            a = b.conv_bn_act(a, "conv", self.c_out, self.kernel, self.stride)
            a = b.conv_bn_act(a, "horizontal", self.c_out, (1, DFC_KERNEL), groups=self.c_out)
            a = b.conv_bn_act(a, "vertical", self.c_out, (DFC_KERNEL, 1), groups=self.c_out)
            a = b.gate(a, "gate", "sigmoid")
            a = b.upsample(a, y, "upsample")
        return b.mul(y, a, "attend")

    def formulas(self, h: int, w: int) -> list[Formula]:
        cost = self.cost(h, w)
        k, c, s, d, m, n, K = self.kernel, self.c_in, self.ratio, self.dw_kernel, self.intrinsic, self.c_out, DFC_KERNEL
        ho, wo = out_size(h, self.stride), out_size(w, self.stride)
        hp, wp = self.pooled(h, w)
        return [
            formula_of("params", r"\underbrace{k^2 c\, m + d^2 m (s-1) + 2 m s}_{\text{Ghost}} + "
                       r"\underbrace{k^2 c\, n + 2 \cdot 5 n + 3 \cdot 2 n}_{\text{DFC}}",
                       [(rf"{k}^2 \cdot {c} \cdot {m}", f"{k}**2*{c}*{m}"),
                        (rf"{d}^2 \cdot {m} \cdot {s - 1}", f"{d}**2*{m}*{s - 1}"),
                        (rf"2 \cdot {m} \cdot {s}", f"2*{m}*{s}"),
                        (rf"{k}^2 \cdot {c} \cdot {n}", f"{k}**2*{c}*{n}"),
                        (rf"2 \cdot {K} \cdot {n}", f"2*{K}*{n}"), (rf"6 \cdot {n}", f"6*{n}")], cost.params),
            formula_of("MACs", r"H_{out} W_{out} (k^2 c\, m + d^2 m (s-1)) + "
                       r"\tfrac{H}{2} \tfrac{W}{2} (k^2 c\, n + 2 \cdot 5 n)",
                       [(rf"{ho} \cdot {wo} \cdot ({k}^2 \cdot {c} \cdot {m} + {d}^2 \cdot {m} \cdot {s - 1})",
                         f"{ho}*{wo}*({k}**2*{c}*{m}+{d}**2*{m}*{s - 1})"),
                        (rf"{hp} \cdot {wp} \cdot ({k}^2 \cdot {c} \cdot {n} + 2 \cdot {K} \cdot {n})",
                         f"{hp}*{wp}*({k}**2*{c}*{n}+2*{K}*{n})")], cost.macs),
        ]
