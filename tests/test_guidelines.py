"""ShuffleNet v2's guideline experiments: the paper's set-ups, analytic costs checked against torch, and runs on
tiny sizes that return sane results in set-up order. No timing thresholds: only structure and signs."""
from __future__ import annotations

import pytest

import effviz
from effviz.blocks.layers.graph_module import structure_of
from effviz.speed import guideline_tables as tables
from effviz.speed import guidelines as g
from effviz.speed import latency
from effviz.speed import memory_access as ma

TINY = dict(min_run_time=0.005, warmup=1, min_repeats=2, rounds=1)


def test_paper_widths_at_the_reference_size():
    """ShuffleNet v2 Table 1 (c1, c2) and Table 2 (c) as transcribed in effviz.speed.guideline_tables: the
    GPU columns' widths at c = 128, and Table 1's ARM widths at c = 32."""
    widths = tables.table("g1").widths
    g1 = g.setups("g1")
    assert [s.label for s in g1] == ["1:1", "1:2", "1:6", "1:12"]
    assert [(s.block.parts[0].c_in, s.block.parts[0].c_out) for s in g1] == list(widths["gpu"])
    arm = g.setups("g1", g.Sizes(channels=32))
    assert [(s.block.parts[0].c_in, s.block.parts[0].c_out) for s in arm] == list(widths["arm"])
    g2 = g.setups("g2")
    assert [(s.block.groups, s.block.c_in) for s in g2] == list(zip((1, 2, 4, 8), tables.table("g2").widths["gpu"],
                                                                    strict=True))
    # Table 2's ARM column prints c = 180 for g = 8, which 8 does not divide; effviz rounds to a multiple of g.
    assert [s.block.c_in for s in g.setups("g2", g.Sizes(channels=64))][:3] == [64, 90, 128]
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
    assert exp.verdict() == "no_verdict"  # quick sizes: MACs differ, overhead dominates
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


def _lat(ms: float, iqr_ms: float = 0.0, backend: str = "") -> latency.Latency:
    s, d = ms / 1e3, iqr_ms / 1e3
    return latency.Latency(median=s, q1=s - d / 2, q3=s + d / 2, times=(s - d / 2, s, s + d / 2), number=1,
                           threads=1, input_size=(1, 1, 1), backend=backend)


def _recorded(name, times, sizes=g.PAPER_SIZES):
    """An experiment from recorded timings (ms, or (ms, IQR ms)) at the paper's sizes."""
    points = [p if isinstance(p, tuple) else (p,) for p in times]
    return g.experiment(name, list(zip(g.setups(name, sizes), (_lat(*p) for p in points), strict=True)))


@pytest.mark.parametrize("name, times, verdict", [
    ("g1", [10, 11, 12, 13], "agrees"),
    ("g1", [10, 11, 11.05, 13], "partly"),        # 1:6 no slower than 1:2: a flat step
    ("g1", [10, 9, 12, 13], "mixed"),            # 1:2 faster than 1:1, the rest slower
    ("g1", [10, 9, 8, 7], "disagrees"),
    ("g1", [10, 10.1, 9.95, 10.05], "flat"),     # all within 2 %: the MACs predicted the time
    # G2 as measured at 2 threads (issue 27): g = 2 faster than g = 1, g = 4 the slowest of all. The endpoints
    # alone (g = 8 slower than g = 1) would say "agrees".
    ("g2", [6.2, 5.8, 9.1, 7.4], "mixed"),
    ("g2", [6.2, 5.8, 5.5, 5.0], "disagrees"),
    ("g2", [10, 10.5, 11.4, 13.9], "agrees"),
    ("g3", [10, 11, 12, 11, 12], "agrees"),
    ("g3", [10, 11, 12, 9, 12], "mixed"),
    ("g4", [10, 9, 9, 8], "agrees"),             # each removal faster
    ("g4", [10, 9, 10.1, 9.1], "partly"),         # ReLU off alone: no change
    ("g4", [10, 11, 11, 12], "disagrees"),
])
def test_verdict_checks_every_step_of_the_sequence(name, times, verdict):
    exp = _recorded(name, times)
    assert exp.verdict() == verdict, [s.outcome for s in exp.steps()]
    assert exp.relative() == pytest.approx([t / times[0] for t in times])


def test_noise_is_not_the_same_as_macs_predicting_the_time():
    """1:2 measured 1.66x slower than 1:1, but 1:1's spread (10.6 ms) was larger than its median (6.2 ms): the
    measurement cannot tell (noisy). Tight timings with no difference are another thing: flat."""
    noisy = _recorded("g1", [(6.2, 10.6), (10.3, 2.0), (10.5, 2.0), (10.6, 2.0)])
    assert noisy.steps()[0].outcome == "noise" and noisy.steps()[0].ratio == pytest.approx(10.3 / 6.2)
    assert noisy.verdict() == "noisy"
    assert _recorded("g1", [(6.2, 10.6), (6.3, 2.0), (6.25, 2.0), (6.3, 2.0)]).verdict() == "noisy"
    flat = _recorded("g1", [(6.2, 0.05), (6.25, 0.05), (6.21, 0.05), (6.3, 0.05)])
    assert flat.verdict() == "flat" and {s.outcome for s in flat.steps()} == {"flat"}


def test_quick_effort_gives_no_verdict():
    """At the quick sizes (8x8, c = 16) the widths round so far that the MACs differ by up to 25 %, and every
    timing is far under a millisecond: per-operation overhead. No verdict, and the reason is said."""
    for name in g.NAMES:
        macs = [s.macs for s in g.setups(name, g.QUICK)]
        exp = _recorded(name, [0.011 + 0.01 * i for i in range(len(macs))], g.QUICK)  # 11-51 us, as measured
        assert exp.verdict() == "no_verdict"
        assert exp.unjudged() == ("macs" if max(macs) / min(macs) > g.MAX_MACS_SPREAD else "small")
        slow = _recorded(name, [50 + i for i in range(len(macs))], g.QUICK)  # a loaded machine: still none
        assert slow.verdict() == "no_verdict"
    measured = g.run("g4", g.QUICK, threads=1, **TINY)
    assert measured.verdict() == "no_verdict" and measured.unjudged() == "small"
    assert _recorded("g4", [10, 9, 9, 8]).unjudged() is None
    # at the paper's sizes, a reference under a millisecond is overhead too
    assert _recorded("g4", [0.5, 0.45, 0.45, 0.4]).unjudged() == "overhead"


def test_a_drift_between_rounds_is_reported():
    """Rounds that agree: steady. A set-up whose rounds moved far more than their own spread (G1 1:12 measured
    from 9 to 79 ms a few minutes apart at 2 threads, issue 27): not steady, and which set-up says so."""
    setups = g.setups("g1")
    steady = g.experiment("g1", [(s, [_lat(10 + i, 0.2), _lat(10.2 + i, 0.2), _lat(10.1 + i, 0.2)])
                                 for i, s in enumerate(setups)])
    d = steady.drift()
    assert d.steady and d.drift == pytest.approx(0.2 / 10.1, rel=0.05)
    drifting = [[_lat(10, 0.2)] * 3, [_lat(11, 0.2)] * 3, [_lat(12, 0.2)] * 3,
                [_lat(9, 0.3), _lat(79, 0.5), _lat(30, 0.4)]]
    moved = g.experiment("g1", list(zip(setups, drifting, strict=True))).drift()
    assert not moved.steady and moved.index == 3 and moved.drift > 2
    assert _recorded("g1", [10, 11, 12, 13]).drift() is None  # one round: nothing to compare
    assert all(len(r.rounds) == 3 for r in g.experiment("g1", list(zip(setups, drifting, strict=True))).results)


def test_measured_factor_beside_macs_and_time_per_mac():
    """G1's 1:12 has 5 % fewer MACs than 1:1 by the paper's own widths: a time factor of 1.0 is 5 % more time
    per MAC."""
    exp = _recorded("g1", [10, 10, 10, 10])
    assert exp.macs_ratio()[3] == pytest.approx(36 * 432 / (128 * 128))
    assert exp.time_per_mac()[3] == pytest.approx(1 / exp.macs_ratio()[3])
    assert exp.headline == 3 and 0.94 < exp.macs_ratio()[3] < 0.96


@pytest.mark.parametrize("measured, paper, word", [
    (1.2, 3.0, "smaller"), (1.9, 2.0, "similar"), (5.0, 1.5, "larger"), (0.9, 1.5, "opposite"),
    (0.91, 1436 / 1782, "smaller"), (0.8, 0.806, "similar"), (1.0, 1.5, "smaller"),
])
def test_size_of_the_effect_against_the_paper(measured, paper, word):
    assert g.size_versus_paper(measured, paper) == word


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


def _conv_ops(module, input_size, threads: int, native: bool) -> set[str]:
    import torch
    from torch.profiler import profile

    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        with torch.inference_mode(), latency.onednn_enabled(not native), profile() as prof:
            module(torch.randn(1, *input_size))
    finally:
        torch.set_num_threads(previous)
    return {e.name for e in prof.events() if "conv" in e.name}


@pytest.mark.parametrize("backend", latency.BACKENDS)
def test_a_result_names_its_backend_and_ran_on_it(backend):
    """Each result records the convolution code it was pinned to, and that is the code that ran: oneDNN's
    convolution even at one thread (where torch's own dispatch picks its native code), and no oneDNN at two
    threads when pinned to native (where torch would pick oneDNN)."""
    import os

    exp = g.run("g2", g.QUICK, threads=1, backend=backend, **TINY)
    assert exp.backend == backend and all(r.latency.backend == backend for r in exp.results)
    assert g.run("g2", g.QUICK, threads=1, **TINY).backend == ""  # not pinned: torch chose, and it says so
    setup = g.setups("g2", g.Sizes(size=8, channels=32, repeat=1))[1]
    for threads in sorted({1, min(2, os.cpu_count() or 1)}):
        ops = _conv_ops(setup.build(backend), setup.input_size, threads, native=backend == "native")
        if backend == "onednn":
            assert "aten::mkldnn_convolution" in ops, ops
        else:
            assert "aten::mkldnn_convolution" not in ops and "aten::thnn_conv2d" in ops, ops
    with pytest.raises(ValueError, match="backend must be one of onednn, native"):
        g.setups("g1", g.QUICK)[0].build("cudnn")


def test_combine_refuses_to_pool_two_backends():
    with pytest.raises(ValueError, match="backend"):
        latency.combine([_lat(1, backend="onednn"), _lat(1, backend="native")])


def test_paper_tables_have_one_speed_per_setup_and_a_column_at_the_reference_width():
    for name in g.NAMES:
        table = tables.table(name)
        assert len(table.rows) == len(g.setups(name)), name
        assert all(len(c.speeds) == len(table.rows) for c in table.columns)
        assert {c.platform for c in table.columns} == {"gpu", "arm"}
        for platform in tables.PLATFORMS:  # the app compares its c = 128 set-ups with these columns
            assert table.column(platform, g.Sizes().channels) is not None, (name, platform)
        assert table.source.startswith("Ma et al., ShuffleNet V2") and f"Table {table.number}" in table.source
    # The paper's text, checked against its own table: "8 groups is more than two times slower than 1 group on
    # GPU and up to 30% slower on ARM"; "4-fragment structure is 3x slower than 1-fragment" on GPU.
    g2 = tables.table("g2")
    assert g2.column("gpu", 128).relative_time()[3] > 2
    slowest_arm = max(c.relative_time()[3] for c in g2.columns if c.platform == "arm")
    assert 0.25 < 1 - 1 / slowest_arm <= 0.31  # "30 % slower" read as speed: 27.8 images/s against 40.0
    assert 3.0 < tables.table("g3").column("gpu", 128).relative_time()[2] < 3.6
    # ReLU and shortcut removed: about 20 % faster (relative time about 0.8 on GPU at c = 32 and c = 128)
    g4 = tables.table("g4")
    assert 0.8 < g4.column("gpu", 128).relative_time()[3] < 0.82
    with pytest.raises(ValueError, match="guideline must be one of"):
        tables.table("g5")


def test_native_group_conv_is_a_loop_over_groups_and_a_concatenation():
    """Why part of G2's slowdown on PyTorch native is not the paper's memory access: a g-group conv runs as g
    separate convolutions and a torch.cat copy (the paper's own code avoided that, Sec. 2). oneDNN runs it as
    one convolution."""
    from collections import Counter

    import torch
    from torch.profiler import profile

    setup = g.setups("g2", g.Sizes(size=8, channels=32, repeat=1))[2]  # g = 4
    counts = {}
    for backend in latency.BACKENDS:
        module = setup.build(backend).eval()
        with torch.inference_mode(), latency.onednn_enabled(backend != "native"), profile() as prof:
            module(torch.randn(1, *setup.input_size))
        counts[backend] = Counter(e.name for e in prof.events())
    assert counts["native"]["aten::thnn_conv2d"] == 4 and counts["native"]["aten::cat"] == 1
    assert counts["onednn"]["aten::mkldnn_convolution"] == 1 and counts["onednn"]["aten::cat"] == 0
