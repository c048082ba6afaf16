"""Mobile inverted bottleneck (MobileNet v2, MnasNet, EfficientNet, MobileNet v3)."""
from __future__ import annotations

from torch import nn

from effviz.blocks.layers.conv import conv_norm_act
from effviz.blocks.layers.squeeze_excite import SqueezeExcite


class MBConv(nn.Module):
    """1x1 expand (skipped when C_mid == C_in) -> k x k depthwise -> [SE] -> 1x1 linear project, + residual
    when stride is 1 and C_in == C_out. padding "tf_same" pads the depthwise conv as TensorFlow does (for
    TF-trained weights such as EfficientNet-Lite's). The widths and the SE gate come from the spec
    (effviz.blocks.mbconv)."""

    def __init__(self, c_in, c_mid, c_out, kernel, stride, se_reduced, act, gate, padding="same"):
        super().__init__()
        self.expand = conv_norm_act(c_in, c_mid, 1, act=act) if c_mid != c_in else nn.Identity()
        self.depthwise = conv_norm_act(c_mid, c_mid, kernel, stride, groups=c_mid, act=act, padding=padding)
        self.se = SqueezeExcite(c_mid, se_reduced, act, gate) if se_reduced else nn.Identity()
        self.project = conv_norm_act(c_mid, c_out, 1)
        self.residual = stride == 1 and c_in == c_out

    def forward(self, x):
        y = self.project(self.se(self.depthwise(self.expand(x))))
        return y + x if self.residual else y
