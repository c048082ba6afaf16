from __future__ import annotations

from collections import OrderedDict

from torch import nn

_ACTIVATIONS = {
    "relu": lambda: nn.ReLU(inplace=True),
    "relu6": lambda: nn.ReLU6(inplace=True),
    "hswish": lambda: nn.Hardswish(inplace=True),
    "swish": lambda: nn.SiLU(inplace=True),
    "none": nn.Identity,
}


def activation(name: str) -> nn.Module:
    return _ACTIVATIONS[name]()


def conv_norm_act(c_in: int, c_out: int, kernel: int, stride: int = 1, groups: int = 1, *,
                  bias: bool = False, norm: bool = True, act: str = "none") -> nn.Sequential:
    """Conv (padding k // 2) -> optional BatchNorm -> optional activation, named conv / bn / act."""
    layers: list[tuple[str, nn.Module]] = [
        ("conv", nn.Conv2d(c_in, c_out, kernel, stride, kernel // 2, groups=groups, bias=bias))
    ]
    if norm:
        layers.append(("bn", nn.BatchNorm2d(c_out)))
    if act != "none":
        layers.append(("act", activation(act)))
    return nn.Sequential(OrderedDict(layers))
