"""Parameters or MACs of one block at a real network's layer shape (each of the eight families)."""
from __future__ import annotations

from effviz.exercises import real_layers
from effviz.exercises._common import FAMILIES, METRICS, TOLERANCE, metric_of, playground_link, worked
from effviz.exercises._question import NUMBER, Question
from effviz.exercises._registry import register


def candidates(difficulty: str):
    return tuple((example, metric) for example in real_layers.of_family(*FAMILIES[difficulty]) for metric in METRICS)


def build(candidate, difficulty: str, rng) -> Question:
    example, metric = candidate
    spec = example.spec()
    params = dict(example.params)
    return Question(
        kind="block_cost", difficulty=difficulty, answer_type=NUMBER, unit=metric,
        answer=metric_of(spec, example.h, metric), tolerance=TOLERANCE[difficulty],
        values={"metric": metric, "family": example.family, "spec": params, "h": example.h,
                "source": example.source, "index": example.index, "role": example.role},
        worked=(worked(spec, example.h, metric),),
        link=playground_link(example.family, params, example.h),
    )


register("block_cost", candidates=candidates, build=build, stratum=lambda c: c[0].family)
