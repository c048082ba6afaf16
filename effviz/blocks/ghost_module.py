from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from effviz.blocks._registry import register
from effviz.blocks.spec import BlockSpec, Builder, Tensor, check_choice, check_int, check_odd_kernel


def intrinsic_maps(c_out: int, ratio: int) -> int:
    """m = ceil(n / s): the intrinsic maps a Ghost module's primary conv makes (GhostNet, Sec. 3.1). Every Ghost
    family (ghost_module, ghost_v2, and the bottleneck through its modules) reads it from here."""
    return -(-c_out // ratio)


@register
@dataclass(frozen=True)
class GhostModuleSpec(BlockSpec):
    """Ghost module (GhostNet, Han et al. 2020, Sec. 3.1).

    An ordinary conv makes only m = ceil(n / s) intrinsic maps; cheap d x d depthwise ops make the other maps
    ("ghosts") from them. Against a dense conv the MACs shrink by c k^2 s / (c k^2 + (s - 1) d^2) -> s (eq. 4)."""

    family: ClassVar[str] = "ghost_module"
    summary: ClassVar[str] = "Primary conv makes n/s intrinsic maps; cheap d×d depthwise ops make the rest."
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
        return self.intrinsic * (self.ratio - 1)

    def _validate(self) -> None:
        check_odd_kernel("kernel", self.kernel)
        check_int("ratio", self.ratio, 1, 16)
        check_odd_kernel("dw_kernel", self.dw_kernel)
        check_choice("activation", self.activation, ("relu", "none"))

    def _graph(self, b: Builder, x: Tensor) -> Tensor:
        with b.scope("ghost", kind="ghost_module", part=False):
            return ghost(b, x, self.c_out, self.kernel, self.ratio, self.dw_kernel, self.stride, self.activation)

    def build(self):
        from effviz.blocks.layers.ghost_layers import GhostModule

        return GhostModule(self.c_in, self.c_out, self.kernel, self.ratio, self.dw_kernel, self.stride,
                           self.activation)


def ghost(b: Builder, x: Tensor, c_out: int, kernel: int, ratio: int, dw_kernel: int, stride: int,
          act: str) -> Tensor:
    """primary: k x k conv to m = ceil(c_out / s) intrinsic maps; cheap: d x d depthwise, each intrinsic map to
    s - 1 ghosts; concat and keep the first c_out (cost parts "primary" and "cheap")."""
    m = intrinsic_maps(c_out, ratio)
    b.parts("primary", "cheap")
    y = b.conv_bn_act(x, "primary", m, kernel, stride, act=act)
    if ratio > 1:
        y = b.concat(y, b.conv_bn_act(y, "cheap", m * (ratio - 1), dw_kernel, groups=m, act=act), name="concat")
    return b.slice(y, "slice", c_out) if y.shape[0] > c_out else y
