"""ShuffleNet v1 and v2 units, as in the papers (and torchvision's ShuffleNetV2.InvertedResidual)."""
from __future__ import annotations

import torch
from torch import nn

from effviz.blocks.layers.conv import conv_norm_act
from effviz.shuffle import channel_shuffle


class ShuffleV1Unit(nn.Module):
    """1x1 group conv -> BN -> ReLU -> shuffle -> k x k depthwise (stride s) -> BN -> 1x1 group conv -> BN,
    then add the identity (stride 1) or concat a 3x3 stride-2 average pool of the input (stride 2); ReLU. The
    widths (bottleneck `mid`, the branch's `branch_out`) and the first conv's groups come from the spec
    (effviz.blocks.shuffle_v1)."""

    def __init__(self, c_in: int, mid: int, branch_out: int, groups: int, stride: int, kernel: int,
                 first_groups: int):
        super().__init__()
        self.groups = groups
        self.stride = stride
        self.gconv1 = conv_norm_act(c_in, mid, 1, groups=first_groups, act="relu")
        self.dwconv = conv_norm_act(mid, mid, kernel, stride, groups=mid)
        self.gconv2 = conv_norm_act(mid, branch_out, 1, groups=groups)
        self.shortcut = nn.AvgPool2d(3, stride=2, padding=1) if stride == 2 else nn.Identity()
        self.act = nn.ReLU(inplace=True)

    def forward(self, x):
        y = self.gconv2(self.dwconv(channel_shuffle(self.gconv1(x), self.groups)))
        if self.stride == 2:
            return self.act(torch.cat([self.shortcut(x), y], dim=1))
        return self.act(y + x)


class ShuffleV2Unit(nn.Module):
    """Stride 1: split channels in half, left half untouched, right half through 1x1 -> dw k x k -> 1x1;
    stride 2: both halves computed from the whole input (left: dw -> 1x1). Concat, then shuffle with `split`
    groups (2). The branch width comes from the spec (effviz.blocks.shuffle_v2)."""

    def __init__(self, c_in: int, branch: int, stride: int, kernel: int, split: int):
        super().__init__()
        self.stride = stride
        self.split = split
        if stride == 2:
            self.left = nn.Sequential(
                conv_norm_act(c_in, c_in, kernel, stride, groups=c_in),
                conv_norm_act(c_in, branch, 1, act="relu"),
            )
        right_in = c_in if stride == 2 else branch
        self.right = nn.Sequential(
            conv_norm_act(right_in, branch, 1, act="relu"),
            conv_norm_act(branch, branch, kernel, stride, groups=branch),
            conv_norm_act(branch, branch, 1, act="relu"),
        )

    def forward(self, x):
        if self.stride == 1:
            left, right = x.chunk(self.split, dim=1)
            out = torch.cat([left, self.right(right)], dim=1)
        else:
            out = torch.cat([self.left(x), self.right(x)], dim=1)
        return channel_shuffle(out, self.split)
