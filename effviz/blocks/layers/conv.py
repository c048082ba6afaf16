from __future__ import annotations

import math
from collections import OrderedDict

from torch import nn
from torch.nn import functional as F

_ACTIVATIONS = {
    "relu": lambda: nn.ReLU(inplace=True),
    "relu6": lambda: nn.ReLU6(inplace=True),
    "hswish": lambda: nn.Hardswish(inplace=True),
    "swish": lambda: nn.SiLU(inplace=True),
    "none": nn.Identity,
}


def activation(name: str) -> nn.Module:
    return _ACTIVATIONS[name]()


PADDINGS = ("same", "tf_same")


class Conv2dTFSame(nn.Conv2d):
    """Conv2d with TensorFlow's "SAME" padding: output ceil(n / stride), the padding split with the extra pixel
    after (right/bottom), computed from each input's size. For stride 1 and odd k it equals padding k // 2; for
    stride 2 on an even input it is asymmetric (k = 3: 0 before, 1 after), which TF-trained weights expect."""

    def __init__(self, c_in: int, c_out: int, kernel: int, stride: int = 1, groups: int = 1, bias: bool = True):
        super().__init__(c_in, c_out, kernel, stride, padding=0, groups=groups, bias=bias)

    def _pad(self, size: int, dim: int) -> tuple[int, int]:
        k, s, d = self.kernel_size[dim], self.stride[dim], self.dilation[dim]
        total = max((math.ceil(size / s) - 1) * s + (k - 1) * d + 1 - size, 0)
        return total // 2, total - total // 2

    def forward(self, x):
        pads = (*self._pad(x.shape[-1], 1), *self._pad(x.shape[-2], 0))  # F.pad order: left, right, top, bottom
        return super().forward(F.pad(x, pads) if any(pads) else x)


def conv_norm_act(c_in: int, c_out: int, kernel: int, stride: int = 1, groups: int = 1, *,
                  bias: bool = False, norm: bool = True, act: str = "none", padding: str = "same") -> nn.Sequential:
    """Conv -> optional BatchNorm -> optional activation, named conv / bn / act.

    padding "same": padding k // 2 (PyTorch style); "tf_same": TensorFlow's SAME (Conv2dTFSame). Both give an
    output of ceil(n / stride) for odd k, so costs are the same."""
    if padding not in PADDINGS:
        raise ValueError(f"padding must be one of {', '.join(PADDINGS)}; got {padding!r}")
    if padding == "tf_same":
        conv = Conv2dTFSame(c_in, c_out, kernel, stride, groups=groups, bias=bias)
    else:
        conv = nn.Conv2d(c_in, c_out, kernel, stride, kernel // 2, groups=groups, bias=bias)
    layers: list[tuple[str, nn.Module]] = [("conv", conv)]
    if norm:
        layers.append(("bn", nn.BatchNorm2d(c_out)))
    if act != "none":
        layers.append(("act", activation(act)))
    return nn.Sequential(OrderedDict(layers))
