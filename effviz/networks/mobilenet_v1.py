"""MobileNet v1 (Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision
Applications", 2017, Table 1): a 3x3 stem and 13 depthwise separable convolutions (each depthwise 3x3 and
pointwise 1x1 followed by BatchNorm and ReLU), global average pooling, one fully connected layer.

The width multiplier alpha thins every layer: channels int(c * alpha), at least 8 (TF-slim's `min_depth`)."""
from __future__ import annotations

from dataclasses import dataclass

from effviz.networks._registry import Published, options_key, register

WIDTHS = (0.25, 0.5, 0.75, 1.0)
STEM = 32


@dataclass(frozen=True)
class _Config:
    # c (output channels), n (depthwise separable layers), s (stride of the first depthwise conv)
    c_out: int
    repeats: int
    stride: int


TABLE: tuple[_Config, ...] = (
    _Config(64, 1, 1),
    _Config(128, 2, 2),
    _Config(256, 2, 2),
    _Config(512, 6, 2),
    _Config(1024, 2, 2),
)


def channels(c: int, width: float) -> int:
    return max(int(c * width), 8)


def block_specs(width: float = 1.0):
    """The 13 depthwise separable specs in order, as (stage name, spec)."""
    from effviz import blocks

    specs, c_in = [], channels(STEM, width)
    for i, cfg in enumerate(TABLE, start=1):
        for j in range(cfg.repeats):
            c_out = channels(cfg.c_out, width)
            specs.append((f"stage{i}", blocks.make(
                "depthwise_separable", c_in=c_in, c_out=c_out, kernel=3, stride=cfg.stride if j == 0 else 1,
                norm=True, activation="relu", mid_relu=True)))
            c_in = c_out
    return specs


def mobilenet_v1(width: float = 1.0, num_classes: int = 1000):
    from collections import OrderedDict

    from torch import nn

    from effviz.blocks.layers.conv import conv_norm_act
    from effviz.networks._layers import Network, classifier

    features: OrderedDict[str, nn.Module] = OrderedDict(stem=conv_norm_act(3, channels(STEM, width), 3, 2, act="relu"))
    for stage, spec in block_specs(width):
        features.setdefault(stage, nn.Sequential()).append(spec.build())
    return Network(features, classifier(channels(TABLE[-1].c_out, width), num_classes))


SOURCE = "Howard et al., MobileNets (2017), Table 6 (α MobileNet-224: top-1, Mult-Adds, parameters)"
# (top-1 %, params as printed, Mult-Adds as printed) per width multiplier
_TABLE6 = {1.0: (70.6, 4.2e6, 569e6), 0.75: (68.4, 2.6e6, 325e6), 0.5: (63.7, 1.3e6, 149e6), 0.25: (50.6, 0.5e6, 41e6)}

register(
    "mobilenet_v1", label="MobileNet v1", origin="effviz", input_size=(3, 224, 224), builder=mobilenet_v1,
    options={"width": WIDTHS}, defaults={"width": 1.0},
    published=lambda: {options_key({"width": w}): Published(t, p, m, SOURCE, params_unit=1e5, macs_unit=1e6)
                       for w, (t, p, m) in _TABLE6.items()},
    paper="Howard et al., MobileNets (arXiv 2017)",
)
