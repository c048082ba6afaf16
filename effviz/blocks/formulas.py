"""The cost formulas as LaTeX, with the current numbers substituted, for the playground.

Each family writes its own formulas in its own file (`formulas(h, w)` on its spec, with `formula_of` and
`number` from here); this module holds the Formula record and the fallback for composite blocks (the sum of
their named parts). Each formula is checked in the tests: the substituted expression is evaluated and must equal
spec.cost()."""
from __future__ import annotations

from dataclasses import dataclass

from effviz.blocks.spec import BlockSpec


@dataclass(frozen=True)
class Formula:
    label: str      # "params" or "MACs"
    symbolic: str   # LaTeX with symbols
    numeric: str    # LaTeX with the numbers substituted, ending in "= total"
    expression: str  # the same arithmetic as plain Python, for the tests
    total: int


def _n(x: int) -> str:
    return f"{x:,}".replace(",", "{,}")


def _formula(label: str, symbolic: str, terms: list[tuple[str, str]], total: int) -> Formula:
    """terms: (latex, python) pairs summed."""
    latex = " + ".join(t for t, _ in terms)
    python = " + ".join(f"({p})" for _, p in terms)
    return Formula(label, symbolic, f"{latex} = {_n(total)}", python, total)


# For a family's own file: a family that defines `formulas(h, w)` returns its formulas from there.
formula_of = _formula
number = _n


def formulas(spec: BlockSpec, h: int, w: int) -> list[Formula]:
    """The spec's formulas: its family's own (`spec.formulas(h, w)`, in the family's file), else the sum of its
    named cost parts (composite blocks: ShuffleNet units, MBConv, the Ghost bottleneck)."""
    own = getattr(spec, "formulas", None)
    return own(h, w) if own is not None else parts_formulas(spec, h, w)


def parts_formulas(spec: BlockSpec, h: int, w: int) -> list[Formula]:
    """A composite block's formulas: the sum of its named parts (e.g. right.pw1 + right.depthwise)."""
    cost = spec.cost(h, w)
    parts = [(name, part) for name, part in cost.leaves() if part.params or part.macs]
    names = r" + ".join(rf"\text{{{name}}}" for name, _ in parts)
    return [
        _formula("params", names, [(_n(p.params), str(p.params)) for _, p in parts], cost.params),
        _formula("MACs", names, [(_n(p.macs), str(p.macs)) for _, p in parts], cost.macs),
    ]
