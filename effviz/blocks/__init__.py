"""Building-block families: frozen specs, each declaring its block once as a graph (effviz.blocks.graph).

    spec = blocks.make("ghost_module", c_in=64, c_out=128, ratio=2, dw_kernel=3)
    spec.graph(56, 56)          # nodes (op, output shape, params, MACs, memory access) and edges
    spec.cost(56, 56).macs      # the graph's nodes summed into named parts; no torch
    spec.build()                # the nn.Module

Also here, for the block costs: spec.py (the spec base class and the shared parameter checks), graph.py (the
graph language), counting.py (torch's FLOP counter: the check), formulas.py (the LaTeX formulas), comparison.py
(a block against the standard conv, sweeps), theory.py (the papers' closed-form ratios) and layers/ (the torch
modules; the only part that imports torch at import).

Adding a family: write `effviz/blocks/<family>.py` with a `@register`ed spec that implements `_validate` and
`_graph`, and import it below (README: "Adding a block family").
"""
from __future__ import annotations

from dataclasses import fields
from typing import Any

from effviz.blocks._registry import FAMILIES, register
from effviz.blocks.spec import ACTIVATIONS, BlockSpec

# The registry lines: one import per family, in the order the app lists them (import order = registry order,
# so these lines are exempt from import sorting in pyproject.toml).
from effviz.blocks import standard, group, depthwise_separable  # noqa: F401
from effviz.blocks import shuffle_v1, shuffle_v2  # noqa: F401
from effviz.blocks import ghost_module, ghost_bottleneck, mbconv  # noqa: F401
from effviz.blocks import partial_conv, uib, ghost_v2  # noqa: F401

__all__ = ["ACTIVATIONS", "BlockSpec", "make", "names", "spec_class", "field_names", "register"]


def names() -> list[str]:
    return list(FAMILIES)


def spec_class(name: str) -> type[BlockSpec]:
    return FAMILIES.lookup(name)


def field_names(name: str) -> list[str]:
    return [f.name for f in fields(spec_class(name))]


def make(name: str, **params: Any) -> BlockSpec:
    """The spec of family `name`; unset parameters take the family's textbook defaults.

    Raises ValueError naming the parameter and the allowed values for anything invalid."""
    cls = spec_class(name)
    allowed = field_names(name)
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise ValueError(f"{name} has no parameter {', '.join(unknown)}; allowed: {', '.join(allowed)}")
    return cls(**params)
