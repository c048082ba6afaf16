"""Side-by-side numbers for the playground: every family at one shape, sweeps, the 5x5-vs-3x3 crossover.

Pure Python on the analytic costs (no torch), so the page stays as light as a bare Streamlit app."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from effviz import blocks
from effviz.blocks.spec import BlockSpec, divisors


@dataclass(frozen=True)
class Row:
    family: str
    params: int | None
    macs: int | None
    problem: ValueError | None = None  # why a family has no number at this shape (an effviz.problems.Problem)
    changed: tuple[tuple[str, Any, Any], ...] = ()  # (field, asked, used): shown at the nearest shape it takes
    spec: BlockSpec | None = field(default=None, compare=False, repr=False)  # the block the numbers are of

    @property
    def note(self) -> str:
        """The problem in English ("" when the family has numbers); the app words it from problem.code."""
        return str(self.problem) if self.problem is not None else ""


def standard_equivalent(spec: BlockSpec) -> BlockSpec:
    """The baseline: a dense conv with the same input/output shape, kernel and bias, and with BatchNorm where
    the block has it (every family but the bare standard/group/depthwise-separable convs, which have a switch)."""
    return blocks.make("standard", c_in=spec.c_in, c_out=spec.c_out, kernel=getattr(spec, "kernel", 3),
                       stride=spec.stride, norm=getattr(spec, "norm", True), bias=getattr(spec, "bias", False))


def try_make(family: str, size: tuple[int, int] | None = None, **params: Any
             ) -> tuple[BlockSpec | None, ValueError | None]:
    """(spec, None), or (None, the refusal): an effviz.problems.Problem (code and values) for a value the family
    cannot take, or (with `size` = (h, w)) for an input the block cannot run on (GhostNetV2's 2x2 pool)."""
    allowed = set(blocks.field_names(family))
    try:
        spec = blocks.make(family, **{k: v for k, v in params.items() if k in allowed})
    except ValueError as err:
        return None, err
    problem = size_problem(spec, *size) if size is not None else None
    return (None, problem) if problem is not None else (spec, None)


def size_problem(spec: BlockSpec, h: int, w: int) -> ValueError | None:
    """Why the block cannot run on an h x w input (None if it can): the input is below the family's min_size."""
    try:
        spec.cost(h, w)
    except ValueError as err:
        return err
    return None


def valid_values(family: str, field: str, candidates: Iterable[Any], **params: Any) -> list[Any]:
    """The candidate values of `field` for which the family accepts the other parameters."""
    return [v for v in candidates if try_make(family, **{**params, field: v})[0] is not None]


def group_candidates(c_in: int, c_out: int) -> list[int]:
    return sorted(set(divisors(c_in)) | set(divisors(c_out)))


def _near(value: int, candidates: Iterable[int]) -> list[int]:
    """The candidates, nearest to `value` first (the smaller one first on a tie), without repeats."""
    return sorted(set(candidates), key=lambda c: (abs(c - value), c))


def nearest_valid(family: str, **params: Any) -> tuple[BlockSpec | None, tuple[tuple[str, Any, Any], ...],
                                                        ValueError | None]:
    """The family at the given parameters, or at the nearest shape it takes: (spec, changes, None), where
    changes lists (field, asked, used) and is empty when the parameters were taken as they are; (None, (),
    the refusal) when no nearby shape works.

    What is moved, in this order: c_out (a stride-1 shuffle unit adds or splits its input, so c_out = c_in; a
    stride-2 one concatenates, so c_out > c_in: 2 c_in, as the papers' stage widths double; ShuffleNet v2's
    two branches need an even c_out), then groups (the divisor nearest to the one asked for). Other fields are
    never moved: a refusal about them stays a refusal."""
    spec, problem = try_make(family, **params)
    if spec is not None:
        return spec, (), None
    fields = set(blocks.field_names(family))
    asked = {k: v for k, v in params.items() if k in fields}
    c_in, c_out = asked.get("c_in"), asked.get("c_out")
    outs = [c_out]
    if isinstance(c_in, int) and isinstance(c_out, int):
        outs += [c_in if asked.get("stride", 1) == 1 else 2 * c_in, c_out + 1, c_out - 1]
    if "groups" in fields and "groups" not in asked:  # the family's own default (a Ghost bottleneck has none)
        asked["groups"] = blocks.make(family).params_dict()["groups"]
    groups = [asked["groups"]] if "groups" in asked else [None]
    if "groups" in asked:
        groups += _near(asked["groups"], [g for g in (1, 2, 3, 4, 8) if g != asked["groups"]])
    tried = []
    for out in dict.fromkeys(o for o in outs if o is None or o >= 1):
        for g in groups:
            changes = {k: v for k, v in (("c_out", out), ("groups", g)) if v is not None and v != asked.get(k)}
            tried.append(changes)
    for changes in sorted(tried, key=len):  # fewest fields moved first
        if not changes:
            continue
        spec, _ = try_make(family, **{**asked, **changes})
        if spec is not None:
            return spec, tuple((k, asked[k], v) for k, v in changes.items()), None
    return None, (), problem


def families_at(h: int, w: int, **params: Any) -> list[Row]:
    """Every family built from the same shared parameters (c_in, c_out, kernel, stride, groups, ...).

    Where a family cannot take them as they are (a stride-1 shuffle unit needs c_in == c_out, groups must
    divide the channels), it is shown at the nearest shape it takes (nearest_valid; `changed` says what was
    moved); where none is near, the row has no numbers and says why."""
    rows = []
    for family in blocks.names():
        spec, changed, problem = nearest_valid(family, **params)
        if spec is None:
            rows.append(Row(family, None, None, problem))
            continue
        try:
            cost = spec.cost(h, w)
        except ValueError as err:  # an input too small for the block (GhostNetV2's 2x2 pool on a 1-pixel map)
            rows.append(Row(family, None, None, err))
            continue
        rows.append(Row(family, cost.params, cost.macs, changed=changed, spec=spec))
    return rows


SWEEPABLE = ("c_in", "c_out", "groups", "kernel", "ratio", "dw_kernel", "expansion", "h")


def sweep_values(spec: BlockSpec, field: str, h: int) -> list[Any]:
    """Sensible x values for a sweep of `field` around the current spec."""
    if field in ("c_in", "c_out"):
        return [8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024]
    if field == "groups":
        return group_candidates(spec.c_in, spec.c_out)
    if field in ("kernel", "dw_kernel"):
        return [1, 3, 5, 7, 9, 11]
    if field == "ratio":
        low, high = spec.ranges["ratio"]
        return list(range(low, high + 1))
    if field == "expansion":
        return [1, 2, 3, 4, 6, 8]
    if field == "h":
        return [7, 14, 28, 56, 112, 224]
    raise ValueError(f"sweep parameter must be one of {', '.join(SWEEPABLE)}, got {field!r}")


@dataclass(frozen=True)
class SweepPoint:
    x: Any
    params: int
    macs: int
    baseline_params: int
    baseline_macs: int


def sweep(spec: BlockSpec, field: str, h: int, w: int) -> list[SweepPoint]:
    """Cost of `spec` with `field` varied (other parameters fixed), beside the dense conv of the same shape.

    Values the family refuses (e.g. groups not dividing the channels) are left out. Sweeping c_in or c_out of
    a block that needs c_in == c_out moves both."""
    names = set(blocks.field_names(spec.family))
    if field != "h" and field not in names:
        raise ValueError(f"{spec.family} has no parameter {field!r}; sweepable here: "
                         f"{', '.join(f for f in SWEEPABLE if f in names or f == 'h')}")
    points = []
    for x in sweep_values(spec, field, h):
        hh, ww = (x, x) if field == "h" else (h, w)
        changes = {} if field == "h" else {field: x}
        if field in ("c_in", "c_out") and spec.c_in == spec.c_out:
            changes = {"c_in": x, "c_out": x}
        try:
            s = replace(spec, **changes)
        except ValueError:
            continue
        cost, base = s.cost(hh, ww), standard_equivalent(s).cost(hh, ww)
        points.append(SweepPoint(x, cost.params, cost.macs, base.params, base.macs))
    return points


@dataclass(frozen=True)
class CrossoverPoint:
    n: int
    one_5x5: int
    two_3x3: int


def kernel_crossover(m: int, h: int, w: int, n_values: Iterable[int] = range(1, 33)) -> list[CrossoverPoint]:
    """MnasNet's comparison computed from block costs: one 5x5 depthwise-separable layer M -> N against two
    3x3 ones (each counted, as MnasNet does, as a layer with M inputs): H W M (25 + N) vs 2 H W M (9 + N)."""
    points = []
    for n in n_values:
        five = blocks.make("depthwise_separable", c_in=m, c_out=n, kernel=5).cost(h, w).macs
        three = blocks.make("depthwise_separable", c_in=m, c_out=n, kernel=3).cost(h, w).macs
        points.append(CrossoverPoint(n, five, 2 * three))
    return points

