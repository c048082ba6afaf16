"""Ghost module and Ghost bottleneck (Han et al., GhostNet, CVPR 2020; layout as in the authors' code)."""
from __future__ import annotations

import torch
from torch import nn

from effviz.blocks.ghost_bottleneck import SE_ACT, SE_GATE
from effviz.blocks.ghost_module import ghost_maps, intrinsic_maps
from effviz.blocks.layers.conv import conv_norm_act
from effviz.blocks.layers.squeeze_excite import SqueezeExcite


class GhostModule(nn.Module):
    """primary: k x k conv C_in -> m = ceil(C_out / s) intrinsic maps; cheap: d x d depthwise, each intrinsic map
    -> s - 1 ghost maps; concat [intrinsic, ghosts] and keep the first C_out."""

    def __init__(self, c_in: int, c_out: int, kernel: int, ratio: int, dw_kernel: int, stride: int, act: str):
        super().__init__()
        self.c_out = c_out
        m = intrinsic_maps(c_out, ratio)
        self.primary = conv_norm_act(c_in, m, kernel, stride, act=act)
        self.cheap = conv_norm_act(m, ghost_maps(c_out, ratio), dw_kernel, groups=m, act=act) if ratio > 1 else None

    def forward(self, x):
        y = self.primary(x)
        if self.cheap is not None:
            y = torch.cat([y, self.cheap(y)], dim=1)
        return y[:, : self.c_out]


class GhostBottleneck(nn.Module):
    """Ghost module (expand, ReLU) -> [k x k depthwise, stride 2] -> [SE] -> Ghost module (project, linear),
    plus the identity, or a depthwise + 1x1 shortcut when the shape changes."""

    def __init__(self, c_in, c_mid, c_out, kernel, stride, se_reduced, ratio, dw_kernel):
        super().__init__()
        self.ghost1 = GhostModule(c_in, c_mid, 1, ratio, dw_kernel, 1, "relu")
        self.depthwise = conv_norm_act(c_mid, c_mid, kernel, stride, groups=c_mid) if stride == 2 else nn.Identity()
        self.se = SqueezeExcite(c_mid, se_reduced, SE_ACT, SE_GATE) if se_reduced else nn.Identity()
        self.ghost2 = GhostModule(c_mid, c_out, 1, ratio, dw_kernel, 1, "none")
        if c_in == c_out and stride == 1:
            self.shortcut = nn.Identity()
        else:
            self.shortcut = nn.Sequential(
                conv_norm_act(c_in, c_in, kernel, stride, groups=c_in),
                conv_norm_act(c_in, c_out, 1),
            )

    def forward(self, x):
        return self.ghost2(self.se(self.depthwise(self.ghost1(x)))) + self.shortcut(x)
