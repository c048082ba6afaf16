"""What the Feature Redundancy page analyses (the subject: photo, network and weights, layer, feature maps), its
untrained twin for the trained-vs-untrained comparisons, and the cached computations on both. Values only: the
page and app_support.feature_redundancy.atlas_view draw them."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from app_support.shell import cache
from effviz.redundancy import reconstruction as ghost


class Subject(NamedTuple):
    """What is analysed: the image, the network and weights, the layer, its feature maps."""

    image: object          # RGB PIL image
    image_key: str
    model: object
    info: object           # effviz.redundancy.weights.WeightsInfo
    layer: str
    fmap: np.ndarray       # [C, H, W]
    metric: str

    @property
    def data(self) -> tuple:
        """What the feature maps are computed from (image, weights, layer): the key of the figures drawn from them,
        and the first arguments of the caches computed on them (cache.redundancy_reconstruction(*subject.data,
        ...))."""
        return (self.image_key, self.info.key, self.layer)


def similarity(subject: Subject) -> dict:
    """The subject's channel similarity (cached): "sim" matrix, "order" (clustered), "nn_value" per channel."""
    return cache.redundancy_similarity(subject.image_key, subject.info.key, subject.layer, subject.metric,
                                       subject.fmap)


def untrained_twin(subject: Subject) -> Subject | None:
    """The same architecture, layer and image, untrained; None when the subject is itself untrained."""
    if not subject.info.trained or subject.info.network == "onnx":   # an ONNX file has only its own weights
        return None
    model, info = cache.redundancy_model(subject.info.network, "untrained")
    fmap = cache.redundancy_features(subject.image_key, info.key, subject.layer, subject.image, model, info)
    return Subject(subject.image, subject.image_key, model, info, subject.layer, fmap, subject.metric)


def sweeps(subjects: dict[str, Subject], choice: str) -> dict[str, list]:
    """{series name: the rebuild error over every (s, d)} for each subject; empty when a layer has fewer maps
    than the largest ratio (the sweep would not cover it)."""
    if any(s.fmap.shape[0] < max(ghost.RATIOS) for s in subjects.values()):
        return {}
    return {name: cache.redundancy_sweep(s.image_key, s.info.key, s.layer, choice, s.fmap)
            for name, s in subjects.items()}
