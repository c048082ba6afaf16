from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from effviz.blocks._registry import register
from effviz.blocks.spec import (
    ACTIVATIONS,
    BlockSpec,
    Builder,
    Tensor,
    check_choice,
    check_expansion,
    check_int,
    check_odd_kernel,
    check_se_ratio,
)


@register
@dataclass(frozen=True)
class MBConvSpec(BlockSpec):
    """Mobile inverted bottleneck (MobileNet v2 / EfficientNet): 1x1 expand to C_mid, k x k depthwise, SE,
    linear 1x1 project, residual when shapes match. C_mid = `c_mid` if given, else round(C_in * expansion);
    SE reduces to max(1, int(C_in * se_ratio)) channels (EfficientNet's convention); se_ratio 0 drops SE.
    padding "tf_same" builds TensorFlow's SAME padding (asymmetric at stride 2) for TF-trained weights; the
    output size, hence the cost, is the same as "same"."""

    family: ClassVar[str] = "mbconv"
    summary: ClassVar[str] = "1×1 expand → k×k depthwise → SE → 1×1 linear project (+ residual)."
    c_in: int = 24
    c_out: int = 24
    kernel: int = 3
    stride: int = 1
    expansion: float = 6.0
    c_mid: int = 0
    se_ratio: float = 0.25
    activation: str = "swish"
    padding: str = "same"

    @property
    def mid(self) -> int:
        return self.c_mid or max(1, round(self.c_in * self.expansion))

    @property
    def se_reduced(self) -> int:
        return max(1, int(self.c_in * self.se_ratio)) if self.se_ratio > 0 else 0

    @property
    def se_gate(self) -> str:
        """MobileNet v3's hard sigmoid with hard swish, else the sigmoid."""
        return "hard_sigmoid" if self.activation == "hswish" else "sigmoid"

    def _validate(self) -> None:
        check_odd_kernel("kernel", self.kernel)
        check_expansion(self.expansion)
        check_int("c_mid", self.c_mid, 0, 8192)
        check_se_ratio(self.se_ratio)
        check_choice("activation", self.activation, ACTIVATIONS)
        check_choice("padding", self.padding, ("same", "tf_same"))

    def _graph(self, b: Builder, x: Tensor) -> Tensor:
        mid, act = self.mid, self.activation
        b.parts("expand", "depthwise", "se", "project")
        y = b.conv_bn_act(x, "expand", mid, 1, act=act) if mid != self.c_in else x
        y = b.conv_bn_act(y, "depthwise", mid, self.kernel, self.stride, groups=mid, act=act, padding=self.padding)
        if self.se_reduced:
            y = b.se(y, "se", self.se_reduced, act, self.se_gate)
        y = b.conv_bn_act(y, "project", self.c_out, 1)
        return b.add(y, x, "residual") if self.stride == 1 and self.c_in == self.c_out else y

    def build(self):
        from effviz.blocks.layers.mbconv_layers import MBConv

        return MBConv(self.c_in, self.mid, self.c_out, self.kernel, self.stride, self.se_reduced, self.activation,
                      self.se_gate, self.padding)
