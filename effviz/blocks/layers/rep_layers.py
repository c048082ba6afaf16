"""The training form of a RepVGG block (effviz.blocks.reparam.RepSpec) as a torch module."""
from __future__ import annotations

import torch
from torch import nn


class RepBlock(nn.Module):
    """dense (k x k conv, BN) + pointwise (1 x 1 conv, BN) [+ identity (BN)] -> ReLU. The BNs get random affine
    weights and running statistics from `seed`, so that folding them is not trivially the identity."""

    def __init__(self, spec, seed: int = 0) -> None:
        super().__init__()
        self.spec = spec
        k, g, s = spec.kernel, spec.groups, spec.stride
        self.dense = nn.Sequential(nn.Conv2d(spec.c_in, spec.c_out, k, s, k // 2, groups=g, bias=False),
                                   nn.BatchNorm2d(spec.c_out))
        self.pointwise = nn.Sequential(nn.Conv2d(spec.c_in, spec.c_out, 1, s, 0, groups=g, bias=False),
                                       nn.BatchNorm2d(spec.c_out))
        self.identity = nn.BatchNorm2d(spec.c_in) if spec.identity else None
        self.act = nn.ReLU()
        gen = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * (2.0 / m.weight[0].numel()) ** 0.5)
                elif isinstance(m, nn.BatchNorm2d):
                    n = m.num_features
                    m.weight.copy_(torch.rand(n, generator=gen) + 0.5)
                    m.bias.copy_(torch.randn(n, generator=gen) * 0.1)
                    m.running_mean.copy_(torch.randn(n, generator=gen) * 0.1)
                    m.running_var.copy_(torch.rand(n, generator=gen) + 0.5)

    def forward(self, x):
        y = self.dense(x) + self.pointwise(x)
        if self.identity is not None:
            y = y + self.identity(x)
        return self.act(y)
