"""What every block spec shares: validation that names the parameter, the 'same'-padding geometry, and the
graph every cost is read from.

Specs are frozen dataclasses of plain ints/floats/strings. Each declares its block once, as a graph of operations
(`_graph`, see effviz.blocks.graph); cost() adds up that graph's nodes and imports no torch; build() imports torch
lazily, so the analytic path (and the pages that only need it) stay light.
"""
from __future__ import annotations

import math
from dataclasses import fields
from functools import lru_cache
from typing import Any, ClassVar

from effviz.blocks.graph import ACTIVATION_FNS, Builder, Graph, Tensor, out_size
from effviz.cost import Cost
from effviz.problems import Problem

ACTIVATIONS = ACTIVATION_FNS
NOMINAL_SIZE = 16  # the input size a graph is declared at when only its structure matters (build())

__all__ = ["ACTIVATIONS", "BlockSpec", "Builder", "Graph", "Tensor", "out_size"]


def make_divisible(value: float, divisor: int, min_value: int | None = None) -> int:
    """Round channels to a multiple of divisor without dropping more than 10% (MobileNet v2 / GhostNet code)."""
    min_value = min_value or divisor
    new = max(min_value, int(value + divisor / 2) // divisor * divisor)
    if new < 0.9 * value:
        new += divisor
    return new


def check_int(name: str, value: Any, low: int = 1, high: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Problem("integer", name=name, value=repr(value))
    if value < low or (high is not None and value > high):
        if high is None:
            raise Problem("at_least", name=name, low=low, value=value)
        raise Problem("range", name=name, low=low, high=high, value=value)


def check_odd_kernel(name: str, value: Any) -> None:
    check_int(name, value, 1, 15)
    if value % 2 == 0:
        raise Problem("odd_kernel", name=name, value=value)


def check_choice(name: str, value: Any, allowed: tuple) -> None:
    if value not in allowed:
        raise Problem("choice", name=name, allowed=tuple(allowed), value=repr(value))


def check_divides(name: str, groups: int, **channels: int) -> None:
    """groups must divide every named channel count; the message lists the values that would work."""
    if any(c % groups for c in channels.values()):
        raise Problem("divides", name=name, value=groups, channels=dict(channels),
                      valid=common_divisors(*channels.values()))


def check_expansion(value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= 16:
        raise Problem("expansion", value=repr(value))


def check_se_ratio(value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise Problem("se_ratio", value=repr(value))


def divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


def common_divisors(*ns: int) -> list[int]:
    g = 0
    for n in ns:
        g = math.gcd(g, n)
    return divisors(g) if g else []


class BlockSpec:
    """Base of every family's frozen dataclass spec.

    A family sets `family` and `summary`, declares its fields (all with defaults, so `make(name)` gives the
    textbook example), and implements `_validate` and `_graph` (its structure, once). Everything numeric about
    a family (its derived widths, valid ranges, formula text: `formulas(h, w)`, sub-blocks: `sub_blocks(h)`)
    is in its own file. `build` defaults to a
    torch module executing the graph (effviz.blocks.layers.graph_module.GraphModule); families with a module of their
    own (state-dict names that pretrained weights expect) return it instead, and the tests check its structure
    against the graph. `c_in`, `c_out` and `stride` are common.
    """

    family: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    min_size: ClassVar[int] = 1  # the smallest input H and W the block runs on (GhostNetV2's 2x2 pool: 2)
    # (low, high) of the integer fields whose range is the family's own (Ghost's ratio s): _validate checks them,
    # and the app's sliders and links, the sweeps and the exercises read them from here.
    ranges: ClassVar[dict[str, tuple[int, int]]] = {}
    c_in: int
    c_out: int
    stride: int

    def __post_init__(self) -> None:
        check_int("c_in", self.c_in, 1, 8192)
        check_int("c_out", self.c_out, 1, 8192)
        check_choice("stride", self.stride, (1, 2))
        self._validate()

    def _validate(self) -> None:
        pass

    def params_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def output_shape(self, h: int, w: int) -> tuple[int, int, int]:
        check_int("h", h, 1, 4096)
        check_int("w", w, 1, 4096)
        return (self.c_out, out_size(h, self.stride), out_size(w, self.stride))

    def graph(self, h: int, w: int) -> Graph:
        """The block on one h x w input as a graph: nodes (name, op, output shape, params, MACs, memory access)
        and edges (with the tensor shapes on them). Its nodes add up to cost(h, w) exactly."""
        check_int("h", h, self.min_size, 4096)
        check_int("w", w, self.min_size, 4096)
        return _declared(self, h, w)

    def _graph(self, b: Builder, x: Tensor) -> Tensor:
        """Declare the block on builder `b` from input `x`; return its output."""
        raise NotImplementedError

    def sub_blocks(self, h: int) -> list[tuple[str, BlockSpec, int]]:
        """Parts of the block that are blocks of another family, as (role, spec, input size) for an h x h
        input (a ShuffleNet v1 unit's 1x1 group convs, a Ghost bottleneck's Ghost modules); none by default."""
        return []

    def cost(self, h: int, w: int) -> Cost:
        """Params and MACs for one h x w input (batch 1), with the named parts, from the graph's nodes."""
        check_int("h", h, self.min_size, 4096)
        check_int("w", w, self.min_size, 4096)
        return _cost(self, h, w)

    def build(self):
        """The torch nn.Module implementing exactly this block (BN and activations where the paper has them)."""
        from effviz.blocks.layers.graph_module import GraphModule

        return GraphModule(self.graph(NOMINAL_SIZE, NOMINAL_SIZE))


# Specs are frozen (hashable) and graphs immutable, so both are kept for the slider positions a page revisits;
# a graph is about 30 small tuples, so 512 of them stay under a few MB.
@lru_cache(maxsize=512)
def _declared(spec: BlockSpec, h: int, w: int) -> Graph:
    b = Builder(spec.family, spec.c_in, h, w)
    return b.output(spec._graph(b, b.input))


@lru_cache(maxsize=4096)
def _cost(spec: BlockSpec, h: int, w: int) -> Cost:
    return _declared(spec, h, w).cost()
