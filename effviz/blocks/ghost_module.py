from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar

from effviz.blocks._registry import register
from effviz.blocks.formulas import Formula, formula_of
from effviz.blocks.spec import BlockSpec, Builder, Tensor, check_choice, check_int, check_odd_kernel, out_size

# The ratio s every Ghost family accepts (ghost_module, ghost_bottleneck, ghost_v2), and the range the Conv
# Playground's slider and links, its sweeps, the exercises and the redundancy atlas offer: the one statement of it.
RATIO_RANGE = (1, 8)


def check_ratio(value) -> None:
    check_int("ratio", value, *RATIO_RANGE)


def intrinsic_maps(c_out: int, ratio: int) -> int:
    """m = ceil(n / s): the intrinsic maps a Ghost module's primary conv makes (GhostNet, Sec. 3.1). Every Ghost
    family (ghost_module, ghost_v2, and the bottleneck through its modules) reads it from here."""
    return -(-c_out // ratio)


def ghost_maps(c_out: int, ratio: int) -> int:
    """m (s - 1): the maps the cheap depthwise op makes, s - 1 from each intrinsic map."""
    return intrinsic_maps(c_out, ratio) * (ratio - 1)


@register
@dataclass(frozen=True)
class GhostModuleSpec(BlockSpec):
    """Ghost module (GhostNet, Han et al. 2020, Sec. 3.1).

    An ordinary conv makes only m = ceil(n / s) intrinsic maps; cheap d x d depthwise ops make the other maps
    ("ghosts") from them. Against a dense conv the MACs shrink by c k^2 s / (c k^2 + (s - 1) d^2) -> s (eq. 4)."""

    family: ClassVar[str] = "ghost_module"
    summary: ClassVar[str] = "Primary conv makes n/s intrinsic maps; cheap d×d depthwise ops make the rest."
    ranges: ClassVar[dict[str, tuple[int, int]]] = {"ratio": RATIO_RANGE}
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

    @property
    def ghosts(self) -> int:
        return ghost_maps(self.c_out, self.ratio)

    def _validate(self) -> None:
        check_odd_kernel("kernel", self.kernel)
        check_ratio(self.ratio)
        check_odd_kernel("dw_kernel", self.dw_kernel)
        check_choice("activation", self.activation, ("relu", "none"))

    def _graph(self, b: Builder, x: Tensor) -> Tensor:
        return ghost(b, x, "ghost", self.c_out, self.kernel, self.ratio, self.dw_kernel, self.stride,
                     self.activation, part=False)

    def formulas(self, h: int, w: int) -> list[Formula]:
        cost = self.cost(h, w)
        ho, wo = out_size(h, self.stride), out_size(w, self.stride)
        k, c, s, d, m, n = self.kernel, self.c_in, self.ratio, self.dw_kernel, self.intrinsic, self.c_out
        sym_m = rf"m = \lceil n / s \rceil = \lceil {n} / {s} \rceil = {m}"
        return [
            formula_of("params", r"k^2 c\, m + d^2 m (s-1) + 2 m s \;\; (" + sym_m + ")",
                       [(rf"{k}^2 \cdot {c} \cdot {m}", f"{k}**2*{c}*{m}"),
                        (rf"{d}^2 \cdot {m} \cdot {s - 1}", f"{d}**2*{m}*{s - 1}"),
                        (rf"2 \cdot {m} \cdot {s}", f"2*{m}*{s}")], cost.params),
            formula_of("MACs", r"H_{out} W_{out} \, (k^2 c\, m + d^2 m (s-1))",
                       [(rf"{ho} \cdot {wo} \cdot ({k}^2 \cdot {c} \cdot {m} + {d}^2 \cdot {m} \cdot {s - 1})",
                         f"{ho}*{wo}*({k}**2*{c}*{m}+{d}**2*{m}*{s - 1})")], cost.macs),
        ]

    def build(self):
        from effviz.blocks.layers.ghost_layers import GhostModule

        return GhostModule(self.c_in, self.c_out, self.kernel, self.ratio, self.dw_kernel, self.stride,
                           self.activation)


def ghost(b: Builder, x: Tensor, name: str, c_out: int, kernel: int, ratio: int, dw_kernel: int, stride: int,
          act: str, part: bool = True) -> Tensor:
    """A Ghost module as scope `name` (kind "ghost_module"): primary: k x k conv to m = ceil(c_out / s)
    intrinsic maps; cheap: d x d depthwise, each intrinsic map to s - 1 ghosts; concat and keep the first c_out
    (cost parts "primary" and "cheap"). The scope carries the module's parameters: its GhostModuleSpec fields
    (c_in, c_out, kernel, ratio, dw_kernel, stride, activation) and the derived intrinsic maps m and ghosts."""
    m = intrinsic_maps(c_out, ratio)
    params = {"c_in": x.shape[0], "c_out": c_out, "kernel": kernel, "ratio": ratio, "dw_kernel": dw_kernel,
              "stride": stride, "activation": act, "intrinsic": m, "ghosts": ghost_maps(c_out, ratio)}
    with b.scope(name, kind="ghost_module", part=part, params=params):
        b.parts("primary", "cheap")
        y = b.conv_bn_act(x, "primary", m, kernel, stride, act=act)
        if ratio > 1:
            y = b.concat(y, b.conv_bn_act(y, "cheap", ghost_maps(c_out, ratio), dw_kernel, groups=m, act=act),
                         name="concat")
        return b.slice(y, "slice", c_out) if y.shape[0] > c_out else y


GHOST_MODULE_FIELDS = ("c_in", "c_out", "kernel", "ratio", "dw_kernel", "stride", "activation")


def module_spec(scope) -> GhostModuleSpec:
    """The GhostModuleSpec of a graph's "ghost_module" scope (its declared parameters)."""
    return GhostModuleSpec(**{f: scope.params[f] for f in GHOST_MODULE_FIELDS})


def ghost_speedup(c_in: int, kernel: int, ratio: int, dw_kernel: int) -> Fraction:
    """GhostNet (eq. 4): standard / Ghost-module MACs = c k^2 s / (c k^2 + (s - 1) d^2) when s divides n;
    it tends to s as c k^2 grows against d^2."""
    ck2 = c_in * kernel * kernel
    return Fraction(ck2 * ratio, ck2 + (ratio - 1) * dw_kernel * dw_kernel)
