"""The torch side shared by effviz's own networks. Imported only by the builders (torch is heavy)."""
from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn


class Network(nn.Module):
    """features (stem -> stages -> head, an nn.Sequential) -> global average pool -> classifier.

    The layout every effviz network shares, so that features can be read by stage name
    (`model.features.stage3`) and `forward_features` gives the last feature map."""

    def __init__(self, features: OrderedDict[str, nn.Module], classifier: nn.Module):
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


class XceptionBlock(nn.Module):
    """One block of Xception's entry, middle or exit flow (Chollet 2017, Fig. 5):
    ([ReLU] -> separable conv -> BN) per entry of `convs`, then a 3x3 stride-2 max pool when stride is 2;
    plus the shortcut: a strided 1x1 conv + BN when the shape changes, else the identity. With residual=False
    (the exit flow's last two convs) there is no shortcut and a ReLU ends the block.

    `convs` are the separable-conv specs (effviz.blocks depthwise_separable: depthwise 3x3 then pointwise 1x1,
    nothing between them, as in Keras' SeparableConv2D)."""

    def __init__(self, convs, stride: int, relu_first: bool, residual: bool = True):
        super().__init__()
        self.residual = residual
        layers: list[tuple[str, nn.Module]] = []
        for i, spec in enumerate(convs):
            if i or relu_first:
                layers.append((f"act{i + 1}", nn.ReLU(inplace=i > 0)))  # the block's input feeds the shortcut too
            layers.append((f"sepconv{i + 1}", spec.build()))
            layers.append((f"bn{i + 1}", nn.BatchNorm2d(spec.c_out)))
        if stride == 2:
            layers.append(("pool", nn.MaxPool2d(3, 2, 1)))
        if not residual:
            layers.append(("act_out", nn.ReLU(inplace=True)))
        self.body = nn.Sequential(OrderedDict(layers))
        c_in, c_out = convs[0].c_in, convs[-1].c_out
        if not residual:
            self.shortcut = None
        elif stride == 1 and c_in == c_out:
            self.shortcut = nn.Identity()
        else:
            self.shortcut = nn.Sequential(OrderedDict(
                conv=nn.Conv2d(c_in, c_out, 1, stride, bias=False), bn=nn.BatchNorm2d(c_out)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x) + self.shortcut(x) if self.residual else self.body(x)
