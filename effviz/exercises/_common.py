"""Pieces the kinds share: tolerances per difficulty, the families each difficulty asks about, links into the
Conv Playground, and the worked formulas of effviz.blocks.formulas (the ones the Playground shows)."""
from __future__ import annotations

from typing import Any

from effviz.blocks import formulas
from effviz.blocks.spec import BlockSpec
from effviz.exercises._question import Link, Worked

# Relative tolerance of typed numbers per difficulty (exact answers, e.g. channel indices, use 0).
TOLERANCE = {"easy": 0.05, "standard": 0.02, "hard": 0.01}

# Block families asked about at each difficulty: the plain convolutions first, the composite units last.
FAMILIES = {
    "easy": ("standard", "group", "depthwise_separable"),
    "standard": ("standard", "group", "depthwise_separable", "ghost_module", "shuffle_v2", "mbconv"),
    "hard": ("standard", "group", "depthwise_separable", "shuffle_v1", "shuffle_v2", "ghost_module",
             "ghost_bottleneck", "mbconv"),
}
METRICS = ("params", "macs")


def shuffle_shapes(max_channels: int) -> list[tuple[int, int]]:
    """The (C, g) a channel-shuffle question can ask about: 4 <= C <= max_channels channels in g groups, g a
    proper divisor of C other than 1 (both kinds that follow a shuffle draw from these, in this order)."""
    return [(c, g) for c in range(4, max_channels + 1) for g in range(2, c) if c % g == 0]


def query_value(value: Any) -> str:
    """A value as the app's URL parameters write it (booleans 1/0, floats with a decimal point)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(float(value))
    return str(value)


def playground_link(family: str, params: dict[str, Any], h: int) -> Link:
    return Link("playground", {"family": family, **{k: query_value(v) for k, v in params.items()}, "h": h, "w": h})


def worked(spec: BlockSpec, h: int, metric: str, role: str = "block") -> Worked:
    """The Playground's formula for `metric` ("params" or "macs") of spec at h x h, with the numbers in."""
    label = "params" if metric == "params" else "MACs"
    formula = next(f for f in formulas.formulas(spec, h, h) if f.label == label)
    return Worked(role, formula)


def metric_of(spec: BlockSpec, h: int, metric: str) -> int:
    cost = spec.cost(h, h)
    return cost.params if metric == "params" else cost.macs
