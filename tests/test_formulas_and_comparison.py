"""The playground's formulas and comparisons are computed from the same costs, and say the same numbers."""
from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings

from effviz import blocks
from effviz.blocks import comparison, formulas
from tests.strategies import BY_FAMILY, sizes_for


@pytest.mark.parametrize("family", list(BY_FAMILY))
def test_substituted_formula_evaluates_to_the_cost(family):
    @settings(max_examples=40, deadline=None)
    @given(spec=BY_FAMILY[family], h=sizes_for(family), w=sizes_for(family))
    def check(spec, h, w):
        cost = spec.cost(h, w)
        graph = spec.graph(h, w)  # the hand-written formulas against the declaration
        fs = {f.label: f for f in formulas.formulas(spec, h, w)}
        assert fs["params"].total == cost.params == graph.params and fs["MACs"].total == cost.macs == graph.macs
        for f in fs.values():
            assert eval(f.expression, {"__builtins__": {}}) == f.total  # the arithmetic shown is the arithmetic
            assert f.numeric.endswith(f"{f.total:,}".replace(",", "{,}"))

    check()


def test_seed_formula_text():
    spec = blocks.make("depthwise_separable", c_in=3, c_out=4, kernel=3, bias=True)
    params = formulas.formulas(spec, 64, 64)[0]
    assert params.numeric == r"3^2 \cdot 3 + 3 \cdot 4 + 1 \cdot (3 + 4) = 46"


def test_families_at_one_shape_shows_every_family_at_the_nearest_shape_it_takes():
    """Issue 21, item 1: ShuffleNet units at 64 -> 128, stride 1 were empty rows; now at c_out = c_in, saying so."""
    rows = {r.family: r for r in comparison.families_at(56, 56, c_in=64, c_out=128, kernel=3, stride=1, groups=4)}
    assert rows["standard"].macs == 3 * 3 * 64 * 128 * 56 * 56
    assert rows["group"].macs == rows["standard"].macs // 4
    assert rows["shuffle_v1"].macs == blocks.make("shuffle_v1", c_in=64, c_out=64, groups=4).cost(56, 56).macs
    assert rows["shuffle_v1"].changed == (("c_out", 128, 64),)
    assert rows["shuffle_v2"].params == blocks.make("shuffle_v2", c_in=64, c_out=64).cost(56, 56).params
    assert rows["standard"].changed == () and all(r.problem is None for r in rows.values())
    # each row carries the block its numbers are of (the Latency Lab times exactly these)
    assert rows["shuffle_v1"].spec == blocks.make("shuffle_v1", c_in=64, c_out=64, groups=4)
    assert all(r.spec.cost(56, 56).macs == r.macs for r in rows.values())
    # stride 2 concatenates: c_out must exceed c_in, so 2 c_in; groups move to the nearest divisor only if needed
    spec, changed, problem = comparison.nearest_valid("shuffle_v1", c_in=64, c_out=64, groups=3, stride=2)
    assert problem is None and spec.c_out == 128 and ("c_out", 64, 128) in changed
    # what no nearby shape fixes stays a refusal, with the library's reason
    spec, changed, problem = comparison.nearest_valid("ghost_module", c_in=64, c_out=128, ratio=99)
    assert spec is None and changed == () and "ratio" in str(problem)
    for family in ("depthwise_separable", "ghost_module", "mbconv"):
        assert rows[family].params == blocks.make(family, c_in=64, c_out=128, kernel=3).cost(56, 56).params


def test_sweep_groups_only_valid_divisors_and_falls_g_fold():
    spec = blocks.make("group", c_in=48, c_out=96, groups=4)
    points = comparison.sweep(spec, "groups", 14, 14)
    assert [p.x for p in points] == [1, 2, 3, 4, 6, 8, 12, 16, 24, 48]
    for p in points:
        assert p.macs * p.x == p.baseline_macs


def test_sweep_resolution_is_quadratic_for_macs_and_flat_for_params():
    spec = blocks.make("ghost_module")
    points = comparison.sweep(spec, "h", 56, 56)
    assert len({p.params for p in points}) == 1
    for a, b in zip(points, points[1:], strict=False):
        assert b.macs * a.x * a.x == a.macs * b.x * b.x


def test_sweep_rejects_a_parameter_the_family_lacks():
    with pytest.raises(ValueError, match="standard has no parameter 'ratio'"):
        comparison.sweep(blocks.make("standard"), "ratio", 8, 8)


def test_crossover_from_block_costs():
    points = comparison.kernel_crossover(m=32, h=28, w=28)
    assert [p.n for p in points if p.one_5x5 < p.two_3x3] == [n for n in range(1, 33) if n > 7]
    assert next(p for p in points if p.n == 7).one_5x5 == next(p for p in points if p.n == 7).two_3x3


def test_analytic_path_does_not_import_torch():
    code = ("import sys; import effviz, effviz.blocks, effviz.blocks.comparison, effviz.blocks.formulas, "
            "effviz.blocks.theory, effviz.plots.playground_charts, effviz.plots.anatomy, effviz.shuffle, "
            "effviz.speed.memory_access\n"
            "from effviz import blocks\n"
            "from effviz.speed import memory_access\n"
            "from effviz.plots import anatomy\n"
            "[blocks.make(n).cost(56, 56) for n in blocks.names()]\n"
            "[anatomy.block_dot(blocks.make(n).graph(56, 56)) for n in blocks.names()]\n"
            "[memory_access.of(blocks.make(n), 56, 56) for n in blocks.names()]\n"
            "assert 'torch' not in sys.modules, 'torch was imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_seed_checks_put_the_papers_ratios_beside_the_blocks_costs():
    """The Playground's Theory tab, without the app: the closed forms agree with the costs where the papers'
    assumptions hold (s divides C_out), and the Ghost speed-up falls short of eq. 4 where they do not."""
    from effviz.blocks import theory

    dws, ghost = theory.seed_checks(blocks.make("ghost_module", c_in=64, c_out=128, kernel=1, ratio=2), 56, 56)
    assert (dws["n"], dws["k"]) == (128, 3) and dws["measured"] == pytest.approx(dws["formula"])
    assert dws["formula"] == pytest.approx(1 / 128 + 1 / 9)
    assert (ghost["c"], ghost["k"], ghost["s"], ghost["d"], ghost["divisible"]) == (64, 1, 2, 3, True)
    assert ghost["measured"] == pytest.approx(ghost["formula"])
    dws, ghost = theory.seed_checks(blocks.make("ghost_module", c_in=64, c_out=127, kernel=3, ratio=4,
                                                dw_kernel=5), 56, 56)
    assert not ghost["divisible"] and ghost["measured"] < ghost["formula"]
    # a 1x1 block is checked at k = 3, a block without a ratio at s = 2
    dws, ghost = theory.seed_checks(blocks.make("standard", c_in=32, c_out=48, kernel=1), 28, 28)
    assert dws["k"] == 3 and ghost["s"] == 2 and ghost["k"] == 1
