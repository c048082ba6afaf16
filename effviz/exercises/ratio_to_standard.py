"""How many times fewer MACs (or parameters) a block needs than the standard conv of the same shape: the
Playground's baseline, comparison.standard_equivalent."""
from __future__ import annotations

from effviz.blocks import comparison
from effviz.exercises import real_layers
from effviz.exercises._common import FAMILIES, TOLERANCE, metric_of, playground_link, worked
from effviz.exercises._question import NUMBER, Question
from effviz.exercises._registry import register


def candidates(difficulty: str):
    families = [f for f in FAMILIES[difficulty] if f != "standard"]
    metrics = ("macs",) if difficulty == "easy" else ("macs", "params")
    return tuple((example, metric) for example in real_layers.of_family(*families) for metric in metrics)


def build(candidate, difficulty: str, rng) -> Question:
    example, metric = candidate
    spec = example.spec()
    base = comparison.standard_equivalent(spec)
    ours, theirs = metric_of(spec, example.h, metric), metric_of(base, example.h, metric)
    params = dict(example.params)
    return Question(
        kind="ratio_to_standard", difficulty=difficulty, answer_type=NUMBER, unit="factor",
        answer=theirs / ours, tolerance=TOLERANCE[difficulty],
        values={"metric": metric, "family": example.family, "spec": params, "h": example.h,
                "source": example.source, "index": example.index, "role": example.role,
                "baseline_kernel": base.kernel},
        worked=(worked(spec, example.h, metric), worked(base, example.h, metric, role="baseline")),
        link=playground_link(example.family, params, example.h),
        figures={"ours": ours, "theirs": theirs},
    )


register("ratio_to_standard", candidates=candidates, build=build, stratum=lambda c: c[0].family)
