"""The torch side shared by effviz's own networks. Imported only by the builders (torch is heavy)."""
from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn


class Network(nn.Module):
    """features (stem -> stages -> head, an nn.Sequential) -> global average pool -> classifier.

    The layout every effviz network shares, so that features can be read by stage name
    (`model.features.stage3`) and `forward_features` gives the last feature map."""

    def __init__(self, features: "OrderedDict[str, nn.Module]", classifier: nn.Module):
        super().__init__()
        self.features = nn.Sequential(features)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = classifier

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        return self.features(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.pool(self.features(x)))


def classifier(c_in: int, num_classes: int = 1000, dropout: float = 0.0) -> nn.Sequential:
    """flatten -> [dropout] -> fc, applied to the pooled (N, C, 1, 1) features."""
    layers: list[tuple[str, nn.Module]] = [("flatten", nn.Flatten(1))]
    if dropout:
        layers.append(("dropout", nn.Dropout(dropout)))
    layers.append(("fc", nn.Linear(c_in, num_classes)))
    return nn.Sequential(OrderedDict(layers))


def set_batchnorm(module: nn.Module, eps: float, momentum: float) -> None:
    """Use another framework's BatchNorm constants (TF: eps 1e-3, decay 0.99 = torch momentum 0.01)."""
    for m in module.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.eps, m.momentum = eps, momentum
