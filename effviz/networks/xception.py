"""Xception (Chollet, "Xception: Deep Learning with Depthwise Separable Convolutions", CVPR 2017, Fig. 5), laid
out as Keras' reference implementation: entry flow (two unpadded 3x3 convs, then three residual blocks with
stride 2), middle flow (eight residual blocks of three separable convs at 728 channels), exit flow (one residual
block to 1024, then separable convs to 1536 and 2048), global pooling, one FC layer. Default input 299x299.

Parameters count BatchNorm's scale and shift (not its running statistics), which is what Keras reports as
trainable: 22,855,952, the figure of the paper's Table 3."""
from __future__ import annotations

from dataclasses import dataclass

from effviz.networks._registry import Published, options_key, register


@dataclass(frozen=True)
class _Config:
    # flow, c (output channels of each separable conv), s (stride: a max pool and a strided 1x1 shortcut), relu first
    flow: str
    channels: tuple[int, ...]
    stride: int
    relu_first: bool


TABLE: tuple[_Config, ...] = (
    _Config("entry", (128, 128), 2, False),
    _Config("entry", (256, 256), 2, True),
    _Config("entry", (728, 728), 2, True),
    *(_Config("middle", (728, 728, 728), 1, True),) * 8,
    _Config("exit", (728, 1024), 2, True),
)
STEM = (32, 64)
EXIT = (1536, 2048)


def _sepconv(c_in: int, c_out: int):
    from effviz import blocks

    return blocks.make("depthwise_separable", c_in=c_in, c_out=c_out, kernel=3, stride=1, bias=False, norm=False,
                       activation="none", mid_relu=False)


def block_specs():
    """Per residual block: (flow name, [separable-conv specs], stride, relu_first)."""
    out, c_in = [], STEM[-1]
    for cfg in TABLE:
        convs = []
        for c in cfg.channels:
            convs.append(_sepconv(c_in, c))
            c_in = c
        out.append((cfg.flow, convs, cfg.stride, cfg.relu_first))
    return out


def xception(num_classes: int = 1000):
    from collections import OrderedDict

    from torch import nn

    from effviz.networks._layers import Network, XceptionBlock, classifier

    def conv_bn_relu(c_in: int, c_out: int, stride: int) -> nn.Sequential:  # Keras' "valid" padding: none
        return nn.Sequential(OrderedDict(conv=nn.Conv2d(c_in, c_out, 3, stride, bias=False),
                                         bn=nn.BatchNorm2d(c_out), act=nn.ReLU(inplace=True)))

    features: OrderedDict[str, nn.Module] = OrderedDict(
        stem=nn.Sequential(OrderedDict(conv1=conv_bn_relu(3, STEM[0], 2), conv2=conv_bn_relu(STEM[0], STEM[1], 1))))
    for flow, convs, stride, relu_first in block_specs():
        features.setdefault(f"{flow}_flow", nn.Sequential()).append(XceptionBlock(convs, stride, relu_first))
    c_in, convs = TABLE[-1].channels[-1], []
    for c in EXIT:
        convs.append(_sepconv(c_in, c))
        c_in = c
    features["head"] = XceptionBlock(convs, stride=1, relu_first=False, residual=False)
    return Network(features, classifier(EXIT[-1], num_classes))


SOURCE = ("Chollet, Xception (CVPR 2017): Table 1 (top-1 0.790) and Table 3 (22,855,952 parameters); the paper "
          "gives no FLOPs: MACs are the count of osmr/imgclsmob's model table (8,385.86M), a third-party figure")

register(
    "xception", label="Xception", origin="effviz", input_size=(3, 299, 299), builder=xception,
    published=lambda: {options_key({}): Published(79.0, 22_855_952, 8.386e9, SOURCE, params_unit=1,
                                                   macs_unit=1e7, note="MACs not from the paper")},
    paper="Chollet, Xception (CVPR 2017)",
)
