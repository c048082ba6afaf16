"""ShuffleNet v2's guideline experiments: the paper's set-ups, analytic costs checked against torch, and runs on
tiny sizes that return sane results in set-up order. No timing thresholds: only structure and signs."""
from __future__ import annotations

import pytest

import effviz
from effviz.blocks.layers.graph_module import structure_of
from effviz.speed import guidelines as g
from effviz.speed import latency
from effviz.speed import memory_access as ma

TINY = dict(min_run_time=0.005, warmup=1, min_repeats=2, rounds=1)


def test_paper_widths_at_the_reference_size():
    """ShuffleNet v2 Table 1 (c1, c2) and Table 2 (c) at c = 128, fixed MACs."""
    g1 = g.setups("g1")
    assert [s.label for s in g1] == ["1:1", "1:2", "1:6", "1:12"]
    assert [(s.block.parts[0].c_in, s.block.parts[0].c_out) for s in g1] == [(128, 128), (90, 180), (52, 312),
                                                                              (36, 432)]
    g2 = g.setups("g2")
    assert [(s.block.groups, s.block.c_in) for s in g2] == [(1, 128), (2, 180), (4, 256), (8, 360)]
    assert all(s.sizes == g.Sizes(56, 128, 10) for s in g1 + g2)
    assert [s.label for s in g.setups("g3")] == ["1-fragment", "2-series", "4-series", "2-parallel", "4-parallel"]
    assert len(g.setups("g4")) == 4


@pytest.mark.parametrize("name", g.NAMES)
def test_macs_are_held_nearly_fixed(name):
    macs = [s.macs for s in g.setups(name)]
    assert max(macs) / min(macs) < 1.06, macs
    if name == "g4":
        assert len(set(macs)) == 1  # ReLU and additions are 0 MACs


@pytest.mark.parametrize("name", g.NAMES)
@pytest.mark.parametrize("sizes", [g.QUICK, g.Sizes(size=5, channels=24, repeat=1)])
def test_analytic_costs_equal_torch_counts(name, sizes):
    for s in g.setups(name, sizes):
        module = s.build()
        counted = effviz.count(module, s.input_size)
        assert (counted.macs, counted.params) == (s.macs, s.params), s.label
        assert ma.trace(module, s.input_size).elements == s.memory.elements, s.label
        assert structure_of(module) == s.graph().structure(), s.label  # the module the graph declares


def test_memory_access_moves_the_way_the_paper_argues():
    mem = {name: [s.memory.elements for s in g.setups(name)] for name in g.NAMES}
    assert mem["g1"] == sorted(mem["g1"]) and len(set(mem["g1"])) == 4   # 1:1 least
    assert mem["g2"] == sorted(mem["g2"]) and len(set(mem["g2"])) == 4   # more groups, more traffic
    relu_short, relu_only, short_only, neither = mem["g4"]
    assert neither < relu_only < relu_short and neither < short_only < relu_short


def test_run_on_tiny_sizes_returns_results_in_setup_order():
    calls = []
    exp = g.run("g3", g.QUICK, threads=1, progress=lambda done, total: calls.append((done, total)), **TINY)
    setups = g.setups("g3", g.QUICK)
    assert [r.setup for r in exp.results] == list(setups)
    assert all(r.latency.median > 0 and r.latency.threads == 1 for r in exp.results)
    assert exp.relative()[0] == 1.0 and all(x > 0 for x in exp.relative())
    assert isinstance(exp.agrees(), bool)
    assert calls == [(i, len(setups)) for i in range(1, len(setups) + 1)]
    assert exp.title.startswith("G3") and "fragment" in exp.expectation


def test_rounds_are_interleaved_and_pooled():
    order = []
    exp = g.run("g4", g.QUICK, threads=1, progress=lambda done, total: order.append(done),
                **{**TINY, "rounds": 2})
    assert order == list(range(1, 9))
    assert all(r.latency.repeats >= 4 for r in exp.results)  # two rounds of at least two blocks each


def test_run_all_is_in_paper_order():
    exps = g.run_all(g.QUICK, threads=1, **TINY)
    assert [e.name for e in exps] == list(g.NAMES)
    assert all(len(e.results) == len(g.setups(e.name, g.QUICK)) for e in exps)


def _lat(ms: float) -> latency.Latency:
    s = ms / 1e3
    return latency.Latency(median=s, q1=s, q3=s, times=(s,), number=1, threads=1, input_size=(1, 1, 1))


@pytest.mark.parametrize("name, times, agrees", [
    ("g1", [1, 2, 3, 4], True), ("g1", [2, 1, 3, 4], False),
    ("g2", [1, 1.5, 1.2, 2], True), ("g2", [2, 1, 1, 1], False),
    ("g3", [1, 2, 3, 2, 3], True), ("g3", [2, 1, 3, 2, 3], False),
    ("g4", [1, 0.9, 0.9, 0.8], True), ("g4", [1, 0.9, 0.9, 1.1], False),
])
def test_agreement_with_the_paper_is_judged_from_the_measurements(name, times, agrees):
    exp = g.experiment(name, list(zip(g.setups(name, g.QUICK), map(_lat, times), strict=True)))
    assert exp.agrees() is agrees
    assert exp.relative() == pytest.approx([t / times[0] for t in times])


@pytest.mark.parametrize("call, message", [
    (lambda: g.setups("g5"), "guideline must be one of g1, g2, g3, g4"),
    (lambda: g.Sizes(size=0), "size"),
    (lambda: g.Sizes(channels=4), "channels"),
    (lambda: g.Sizes(repeat=50), "repeat"),
    (lambda: g.run("g1", g.QUICK, rounds=0), "rounds"),
])
def test_bad_input_names_the_parameter(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def _spread(ms: float, iqr_ms: float) -> latency.Latency:
    s, d = ms / 1e3, iqr_ms / 1e3
    return latency.Latency(median=s, q1=s - d / 2, q3=s + d / 2, times=(s - d / 2, s, s + d / 2), number=1,
                           threads=1, input_size=(1, 1, 1))


@pytest.mark.parametrize("name, points, verdict", [
    ("g1", [(10, 0.1), (11, 0.1), (12, 0.1), (13, 0.1)], "agrees"),
    ("g1", [(10, 0.5), (9.8, 0.5), (12, 0.1), (13, 0.1)], "unclear"),    # 2% apart, IQR 0.5: noise
    ("g1", [(10, 0.1), (9.0, 0.1), (12, 0.1), (13, 0.1)], "disagrees"),
    ("g1", [(10, 0.01), (10.1, 0.01), (12, 0.1), (13, 0.1)], "unclear"),  # 1% apart: under the 2% floor
    ("g2", [(10, 0.1), (10, 0.1), (10, 0.1), (12, 3.0)], "unclear"),     # g = 8 slower, but IQR 3 ms
    ("g4", [(10, 0.1), (9, 0.1), (9, 0.1), (8, 0.1)], "agrees"),
])
def test_verdict_allows_for_noise(name, points, verdict):
    exp = g.experiment(name, list(zip(g.setups(name, g.QUICK), (_spread(*p) for p in points), strict=True)))
    assert exp.verdict() == verdict


def test_guideline_convs_are_group_family_blocks():
    """G2's set-ups are 1x1 group convs: one block of a set-up is the "group" family's graph, node for node."""
    from dataclasses import replace

    from effviz import blocks

    for s in g.setups("g2", g.QUICK):
        one = replace(s, sizes=g.Sizes(s.sizes.size, s.sizes.channels, 1)).graph()
        family = blocks.make("group", c_in=s.block.c_in, c_out=s.block.c_out, kernel=1,
                             groups=s.block.groups).graph(s.sizes.size, s.sizes.size)
        assert one.structure() == family.structure()
        assert [(n.op, n.shape, n.params, n.macs, n.memory) for n in one.nodes] == \
               [(n.op, n.shape, n.params, n.macs, n.memory) for n in family.nodes]
