"""Which of two networks of the zoo has more MACs or parameters (counted with torch on the meta device), and
(standard and hard) which runs faster on this server (measured). The question itself is pure data; its answer
waits for those numbers (Needs), which the app takes from its caches at reveal time and `exercises.measure`
computes directly."""
from __future__ import annotations

import functools
import itertools

from effviz import networks
from effviz.exercises._question import OPTION, Link, Need, Question
from effviz.exercises._registry import register

# Networks timed for "which is faster": the efficient ones (the big baselines take seconds per run on a
# classroom server), each at its default options.
TIMED = ("mobilenet_v1", "shufflenet_v1", "ghostnet", "efficientnet_lite0", "mobilenet_v2", "mobilenet_v3_large",
         "mobilenet_v3_small", "shufflenet_v2", "efficientnet_b0", "mnasnet1_0")


def _variants(difficulty: str) -> list[str]:
    if difficulty == "easy":
        return [networks.variant_id(n) for n in networks.names()]
    return [networks.variant_id(n, **o) for n, o in networks.variants()]


@functools.cache
def candidates(difficulty: str):
    out = []
    for a, b in itertools.combinations(_variants(difficulty), 2):
        if networks.parse_variant(a)[0] != networks.parse_variant(b)[0]:
            out += [("more", a, b, metric) for metric in ("params", "macs")]
    if difficulty != "easy":
        out += [("faster", networks.variant_id(a), networks.variant_id(b), "latency")
                for a, b in itertools.combinations(TIMED, 2)]
    return tuple(out)


def explorer_link(first: str, second: str) -> Link:
    name, options = networks.parse_variant(first)
    query = {"nx_net": name, **{f"nx_{k}": v for k, v in options.items()}, "nx_cmp": second}
    return Link("network_explorer", query)


def build(candidate, difficulty: str, rng) -> Question:
    case, a, b, metric = candidate
    first, second = (a, b) if rng.random() < 0.5 else (b, a)
    needs = (Need("profile", first), Need("profile", second))
    if case == "faster":
        needs += (Need("latency", first), Need("latency", second))
    return Question(
        kind="network_compare", difficulty=difficulty, answer_type=OPTION, answer=None, tolerance=0.0,
        unit=metric, options=(first, second), values={"case": case, "metric": metric, "first": first,
                                                       "second": second},
        needs=needs,
        link=Link("latency_lab", {}) if case == "faster" else explorer_link(first, second),
    )


def resolve(question: Question, measured) -> Question:
    """measured: {Need("profile", id): (params, MACs), Need("latency", id): median seconds}."""
    first, second = question.options
    profiles = [measured[Need("profile", v)] for v in (first, second)]
    figures = {"params": tuple(p[0] for p in profiles), "macs": tuple(p[1] for p in profiles)}
    if question.values["case"] == "faster":
        times = [measured[Need("latency", v)] for v in (first, second)]
        return question.with_answer(0 if times[0] <= times[1] else 1, latency=tuple(times), **figures)
    values = figures[question.unit]
    if values[0] == values[1]:
        raise ValueError(f"{first} and {second} have the same {question.unit}: no question to ask")
    return question.with_answer(0 if values[0] > values[1] else 1, **figures)


register("network_compare", candidates=candidates, build=build, resolve=resolve, stratum=lambda c: (c[0], c[3]))
