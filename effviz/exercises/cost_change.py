"""How the cost changes when one thing changes: double the groups, halve or double the resolution, thin the
network with MobileNet's width multiplier, or grow the kernel from 3x3 to 5x5 (MnasNet). The answer is the
factor new / old, computed from the two blocks' costs.

Easy questions offer the factor as options from a ladder (x1/8 ... x8); only changes whose factor is exactly on
the ladder are asked that way."""
from __future__ import annotations

import dataclasses
import functools
from fractions import Fraction

from effviz import blocks
from effviz.exercises import real_layers
from effviz.exercises._common import FAMILIES, METRICS, TOLERANCE, metric_of, playground_link, worked
from effviz.exercises._question import NUMBER, OPTION, Question, ladder_options
from effviz.exercises._registry import register
from effviz.networks import mobilenet_v1

LADDER = tuple(Fraction(2) ** e for e in range(-3, 4))  # 1/8 ... 8
CHANGES = ("groups", "resolution", "width", "kernel")


@dataclasses.dataclass(frozen=True)
class Change:
    change: str            # one of CHANGES
    metric: str
    family: str
    before: tuple          # (params, h)
    after: tuple           # (params, h)
    source: str
    index: int
    detail: tuple = ()     # (what, old, new), e.g. ("width", 1.0, 0.5)

    def specs(self):
        return (blocks.make(self.family, **dict(self.before[0])), self.before[1],
                blocks.make(self.family, **dict(self.after[0])), self.after[1])

    def factor(self) -> Fraction:
        b, hb, a, ha = self.specs()
        return Fraction(metric_of(a, ha, self.metric), metric_of(b, hb, self.metric))


def _valid(family: str, params: dict):
    try:
        spec = blocks.make(family, **params)
    except ValueError:
        return None
    return real_layers.preset_params(spec)


def _changes(families: tuple[str, ...]) -> list[Change]:
    out = []
    for e in real_layers.of_family(*families):
        params = dict(e.params)
        if "groups" in params and e.family in ("group", "shuffle_v1"):
            doubled = _valid(e.family, {**params, "groups": 2 * params["groups"]})
            if doubled is not None:
                out += [Change("groups", m, e.family, (e.params, e.h), (tuple(sorted(doubled.items())), e.h),
                               e.source, e.index, ("groups", params["groups"], 2 * params["groups"]))
                        for m in METRICS]
        for h in (2 * e.h, e.h // 2):
            if e.h % 2 == 0 and 1 <= h <= real_layers.PRESET_LIMITS["size"]:
                out += [Change("resolution", m, e.family, (e.params, e.h), (e.params, h), e.source, e.index,
                               ("h", e.h, h)) for m in METRICS]
        if e.family == "depthwise_separable" and params["kernel"] == 3:
            five = _valid(e.family, {**params, "kernel": 5})
            out.append(Change("kernel", "macs", e.family, (e.params, e.h), (tuple(sorted(five.items())), e.h),
                              e.source, e.index, ("kernel", 3, 5)))
    if "depthwise_separable" in families:
        out += _width_changes()
    return out


def _width_changes() -> list[Change]:
    """The same MobileNet v1 layer (from its own table) at two width multipliers."""
    out = []
    widths = sorted(mobilenet_v1.WIDTHS, reverse=True)
    walks = {w: real_layers.walk("mobilenet_v1", width=w) for w in widths}
    for i, w_old in enumerate(widths):
        for w_new in widths[i + 1:]:
            for index, ((_, old, h), (_, new, h2)) in enumerate(zip(walks[w_old], walks[w_new], strict=True), 1):
                before, after = real_layers.preset_params(old), real_layers.preset_params(new)
                if before is None or after is None:
                    continue
                out += [Change("width", m, "depthwise_separable", (tuple(sorted(before.items())), h),
                               (tuple(sorted(after.items())), h2), f"mobilenet_v1:width={w_old}", index,
                               ("width", w_old, w_new)) for m in METRICS]
    return out


@functools.cache
def candidates(difficulty: str):
    changes = _changes(FAMILIES[difficulty])
    if difficulty == "easy":
        changes = [c for c in changes if c.factor() in LADDER]
    return tuple(changes)


def build(c: Change, difficulty: str, rng) -> Question:
    b, hb, a, ha = c.specs()
    factor = c.factor()
    values = {"change": c.change, "metric": c.metric, "family": c.family, "spec": dict(c.before[0]), "h": hb,
              "what": c.detail[0], "old": c.detail[1], "new": c.detail[2], "source": c.source, "index": c.index}
    common = dict(kind="cost_change", difficulty=difficulty, values=values,
                  worked=(worked(b, hb, c.metric, "before"), worked(a, ha, c.metric, "after")),
                  link=playground_link(c.family, dict(c.after[0]), ha),
                  figures={"before": metric_of(b, hb, c.metric), "after": metric_of(a, ha, c.metric)})
    if difficulty == "easy":
        options = ladder_options(rng, factor, LADDER)
        return Question(answer_type=OPTION, answer=options.index(factor), tolerance=0.0, unit="factor",
                        options=tuple(float(o) for o in options), **common)
    return Question(answer_type=NUMBER, answer=float(factor), tolerance=TOLERANCE[difficulty], unit="factor",
                    **common)


register("cost_change", candidates=candidates, build=build, stratum=lambda c: c.change)
