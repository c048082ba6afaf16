"""GhostNet (Han et al., "GhostNet: More Features from Cheap Operations", CVPR 2020, Table 1), with the layout
of the authors' code (huawei-noah/ghostnet): a 3x3 stem, 16 Ghost bottlenecks in 9 stages, a 1x1 conv to 960,
global pooling, a 1x1 conv to 1280 (with bias, ReLU; not scaled by width), dropout, the classifier.

Width w scales every channel count with make_divisible(c * w, 4), as the authors' code does."""
from __future__ import annotations

from dataclasses import dataclass

from effviz.blocks.spec import make_divisible
from effviz.networks._registry import Published, options_key, register

WIDTHS = (0.5, 1.0, 1.3)
STEM = 16
HEAD = 960        # the last 1x1 conv before pooling (exp size of the last bottleneck)
HEAD_FC = 1280    # the 1x1 conv after pooling
DROPOUT = 0.2


@dataclass(frozen=True)
class _Config:
    # stage, k (depthwise kernel), t (hidden channels, "#exp"), c (output channels), se (SE ratio), s (stride)
    stage: int
    kernel: int
    hidden: int
    c_out: int
    se_ratio: float
    stride: int


TABLE: tuple[_Config, ...] = (
    _Config(1, 3, 16, 16, 0, 1),
    _Config(2, 3, 48, 24, 0, 2),
    _Config(3, 3, 72, 24, 0, 1),
    _Config(4, 5, 72, 40, 0.25, 2),
    _Config(5, 5, 120, 40, 0.25, 1),
    _Config(6, 3, 240, 80, 0, 2),
    _Config(7, 3, 200, 80, 0, 1),
    _Config(7, 3, 184, 80, 0, 1),
    _Config(7, 3, 184, 80, 0, 1),
    _Config(7, 3, 480, 112, 0.25, 1),
    _Config(7, 3, 672, 112, 0.25, 1),
    _Config(8, 5, 672, 160, 0.25, 2),
    _Config(9, 5, 960, 160, 0, 1),
    _Config(9, 5, 960, 160, 0.25, 1),
    _Config(9, 5, 960, 160, 0, 1),
    _Config(9, 5, 960, 160, 0.25, 1),
)


def block_specs(width: float = 1.0):
    """The 16 Ghost bottleneck specs in order, as (stage name, spec)."""
    from effviz import blocks

    specs, c_in = [], make_divisible(STEM * width, 4)
    for cfg in TABLE:
        c_out = make_divisible(cfg.c_out * width, 4)
        specs.append((f"stage{cfg.stage}", blocks.make(
            "ghost_bottleneck", c_in=c_in, c_out=c_out, kernel=cfg.kernel, stride=cfg.stride,
            c_mid=make_divisible(cfg.hidden * width, 4), se_ratio=cfg.se_ratio, ratio=2, dw_kernel=3)))
        c_in = c_out
    return specs


def ghostnet(width: float = 1.0, num_classes: int = 1000):
    from collections import OrderedDict

    from torch import nn

    from effviz.blocks.layers.conv import conv_norm_act
    from effviz.networks._layers import Network

    features: OrderedDict[str, nn.Module] = OrderedDict(
        stem=conv_norm_act(3, make_divisible(STEM * width, 4), 3, 2, act="relu"))
    specs = block_specs(width)
    for stage, spec in specs:
        features.setdefault(stage, nn.Sequential()).append(spec.build())
    head = make_divisible(HEAD * width, 4)
    features["head"] = conv_norm_act(specs[-1][1].c_out, head, 1, act="relu")
    classifier = nn.Sequential(OrderedDict(
        conv_head=conv_norm_act(head, HEAD_FC, 1, bias=True, norm=False, act="relu"),
        flatten=nn.Flatten(1),
        dropout=nn.Dropout(DROPOUT),
        fc=nn.Linear(HEAD_FC, num_classes),
    ))
    return Network(features, classifier)


SOURCE = "Han et al., GhostNet (CVPR 2020), Table 7 (ImageNet: weights, FLOPs = MACs, top-1)"
# (top-1 %, params as printed, MACs as printed) per width
_TABLE7 = {0.5: (66.2, 2.6e6, 42e6), 1.0: (73.9, 5.2e6, 141e6), 1.3: (75.7, 7.3e6, 226e6)}

register(
    "ghostnet", label="GhostNet", origin="effviz", input_size=(3, 224, 224), builder=ghostnet,
    options={"width": WIDTHS}, defaults={"width": 1.0},
    published=lambda: {options_key({"width": w}): Published(t, p, m, SOURCE, params_unit=1e5, macs_unit=1e6)
                       for w, (t, p, m) in _TABLE7.items()},
    paper="Han et al., GhostNet (CVPR 2020)",
)
