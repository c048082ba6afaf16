from __future__ import annotations

from torch import nn

from effviz.blocks.layers.conv import activation


class SqueezeExcite(nn.Module):
    """SE (Hu et al. 2018): global average pool -> 1x1 reduce (bias) -> act -> 1x1 expand (bias) -> gate -> scale.

    The two 1x1 convs act on a 1x1 map, so their MACs are channels x reduced each."""

    def __init__(self, channels: int, reduced: int, act: str = "relu", gate: str = "sigmoid"):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.reduce = nn.Conv2d(channels, reduced, 1, bias=True)
        self.act = activation(act)
        self.expand = nn.Conv2d(reduced, channels, 1, bias=True)
        self.gate = nn.Hardsigmoid() if gate == "hard_sigmoid" else nn.Sigmoid()

    def forward(self, x):
        s = self.gate(self.expand(self.act(self.reduce(self.pool(x)))))
        return x * s
