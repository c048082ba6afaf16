"""ShuffleNet v1 (Zhang et al., "ShuffleNet: An Extremely Efficient Convolutional Neural Network for Mobile
Devices", CVPR 2018, Table 1): a 3x3 stem and 3x3 max pool, three stages of ShuffleNet units (4, 8, 4; the first
of each with stride 2, bottleneck = output / 4, the very first 1x1 not grouped), global pooling, one FC layer.

Stage channels per group count are the paper's Table 1. "ShuffleNet s×" scales them by s; where c·s is not a
multiple of 4g (the bottleneck c/4 must split into g groups) it is rounded with make_divisible(c·s, 4g). The stem
follows the authors' code (megvii-model/ShuffleNet-Series): 12 at 0.5×, 24 at 1× and 1.5×, 48 at 2×, rounded up
to a multiple of g (16 for g = 8 at 0.5×, as in that code) so that the first unit's branch splits into g groups."""
from __future__ import annotations

from dataclasses import dataclass

from effviz.blocks.spec import make_divisible
from effviz.networks._registry import Published, options_key, register

GROUPS = (1, 2, 3, 4, 8)
WIDTHS = (0.5, 1.0, 1.5, 2.0)
STEM = {0.5: 12, 1.0: 24, 1.5: 24, 2.0: 48}
REPEATS = (4, 8, 4)


@dataclass(frozen=True)
class _Config:
    # g (groups), output channels of stages 2, 3, 4 at 1× (paper, Table 1)
    groups: int
    stage2: int
    stage3: int
    stage4: int


TABLE: tuple[_Config, ...] = (
    _Config(1, 144, 288, 576),
    _Config(2, 200, 400, 800),
    _Config(3, 240, 480, 960),
    _Config(4, 272, 544, 1088),
    _Config(8, 384, 768, 1536),
)


def stem_channels(groups: int, width: float) -> int:
    return -(-STEM[width] // groups) * groups


def stage_channels(groups: int, width: float) -> tuple[int, int, int]:
    cfg = next(c for c in TABLE if c.groups == groups)
    return tuple(make_divisible(c * width, 4 * groups) for c in (cfg.stage2, cfg.stage3, cfg.stage4))


def block_specs(groups: int = 3, width: float = 1.0):
    """The 16 ShuffleNet unit specs in order, as (stage name, spec)."""
    from effviz import blocks

    specs, c_in = [], stem_channels(groups, width)
    for i, (c_out, repeats) in enumerate(zip(stage_channels(groups, width), REPEATS, strict=True), start=2):
        for j in range(repeats):
            specs.append((f"stage{i}", blocks.make(
                "shuffle_v1", c_in=c_in, c_out=c_out, groups=groups, stride=2 if j == 0 else 1, kernel=3,
                first_grouped=not (i == 2 and j == 0))))
            c_in = c_out
    return specs


def shufflenet_v1(groups: int = 3, width: float = 1.0, num_classes: int = 1000):
    from collections import OrderedDict

    from torch import nn

    from effviz.blocks.layers.conv import conv_norm_act
    from effviz.networks._layers import Network, classifier

    stem = conv_norm_act(3, stem_channels(groups, width), 3, 2, act="relu")
    stem.add_module("pool", nn.MaxPool2d(3, 2, 1))
    features: OrderedDict[str, nn.Module] = OrderedDict(stem=stem)
    for stage, spec in block_specs(groups, width):
        features.setdefault(stage, nn.Sequential()).append(spec.build())
    return Network(features, classifier(stage_channels(groups, width)[-1], num_classes))


PAPER = "Zhang et al., ShuffleNet (CVPR 2018)"
CODE = "megvii-model/ShuffleNet-Series, ShuffleNetV1/README.md (the authors' code)"


def _published() -> dict:
    def pub(top1, params, macs, source, note=""):
        return Published(top1, params, macs, source, params_unit=1e5, macs_unit=1e6, note=note)

    table = {}
    # 1×: MFLOPs (= mult-adds) per g from Table 1; top-1 = 100 - error of Table 2; params only in the code's README.
    complexity = {1: 143e6, 2: 140e6, 3: 137e6, 4: 133e6, 8: 137e6}
    error_1x = {1: 33.6, 2: 32.7, 3: 32.6, 4: 32.8, 8: 32.4}
    params_1x = {3: 1.9e6, 8: 2.4e6}
    for g in GROUPS:
        src = f"{PAPER}, Table 1 (MACs) and Table 2 (top-1)" + (f"; params: {CODE}" if g in params_1x else "")
        table[options_key({"groups": g, "width": 1.0})] = pub(round(100 - error_1x[g], 1), params_1x.get(g),
                                                               complexity[g], src)
    # 0.5×: Table 2 gives ~38 MFLOPs for every g. g = 8 is taken from the code's README instead, whose 0.5× g = 8
    # layout (stem 16) is the one built here.
    error_05 = {1: 45.1, 2: 44.4, 3: 43.2, 4: 41.6}
    for g, err in error_05.items():
        src = f"{PAPER}, Table 2 (0.5×: MFLOPs, top-1)" + (f"; params: {CODE}" if g == 3 else "")
        table[options_key({"groups": g, "width": 0.5})] = pub(round(100 - err, 1), 0.7e6 if g == 3 else None,
                                                               38e6, src)
    table[options_key({"groups": 8, "width": 0.5})] = pub(58.8, 1.0e6, 40e6, CODE)
    # 1.5× and 2× with g = 3: Table 5 (MFLOPs, error); params from the code's README. g = 8: the README only.
    table[options_key({"groups": 3, "width": 1.5})] = pub(71.5, 3.4e6, 292e6, f"{PAPER}, Table 5; params: {CODE}")
    table[options_key({"groups": 3, "width": 2.0})] = pub(73.7, 5.4e6, 524e6, f"{PAPER}, Table 5; params: {CODE}")
    table[options_key({"groups": 8, "width": 1.5})] = pub(71.0, 4.3e6, 290e6, CODE)
    table[options_key({"groups": 8, "width": 2.0})] = pub(72.9, 6.5e6, 522e6, CODE)
    return table


register(
    "shufflenet_v1", label="ShuffleNet v1", origin="effviz", input_size=(3, 224, 224), builder=shufflenet_v1,
    options={"groups": GROUPS, "width": WIDTHS}, defaults={"groups": 3, "width": 1.0},
    published=_published, paper=PAPER,
)
