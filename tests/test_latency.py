"""The latency harness on tiny blocks: sane, positive, ordered results; eval + inference mode; errors named.
No timing thresholds: timings on a shared machine are noisy; only orderings with a vast MACs gap are asserted."""
from __future__ import annotations

import os
import statistics
import subprocess
import sys

import numpy as np
import pytest
import torch
from torch import nn

from effviz import blocks
from effviz.speed import latency

FAST = dict(min_run_time=0.01, warmup=1, min_repeats=3)


def test_measure_a_spec_gives_positive_ordered_statistics():
    spec = blocks.make("standard", c_in=4, c_out=8, kernel=3)
    r = latency.measure(spec, (4, 8, 8), threads=1, **FAST)
    assert r.median > 0 and 0 < r.q1 <= r.median <= r.q3
    assert r.iqr == pytest.approx(r.q3 - r.q1) and r.iqr >= 0
    assert r.repeats >= 3 and all(x > 0 for x in r.times) and r.number >= 1
    assert r.threads == 1 and r.input_size == (4, 8, 8) and r.batch == 1
    assert r.median_ms == pytest.approx(r.median * 1e3)
    # median and quartiles are those of the per-block times (numpy's linear percentiles, computed here)
    assert r.median == pytest.approx(statistics.median(r.times))
    assert r.q1 == pytest.approx(np.percentile(r.times, 25)) and r.q3 == pytest.approx(np.percentile(r.times, 75))
    assert r.throughput(spec.cost(8, 8).macs) == pytest.approx(spec.cost(8, 8).macs / r.median)


def test_spec_input_can_omit_channels():
    spec = blocks.make("depthwise_separable", c_in=6, c_out=6)
    assert latency.measure(spec, (5, 7), threads=1, **FAST).input_size == (6, 5, 7)


def test_threads_are_used_and_restored():
    before = torch.get_num_threads()
    seen = []

    class Probe(nn.Module):
        def forward(self, x):
            seen.append(torch.get_num_threads())
            return x + 1

    r = latency.measure(Probe(), (1, 2, 2), threads=1, **FAST)
    assert r.threads == 1 and set(seen) == {1}
    assert torch.get_num_threads() == before
    assert latency.measure(Probe(), (1, 2, 2), **FAST).threads == before  # default: torch's current setting


def test_eval_mode_and_inference_mode_and_train_flag_restored():
    modes = []

    class Probe(nn.Module):
        def forward(self, x):
            modes.append((self.training, torch.is_inference_mode_enabled()))
            return x

    # BatchNorm in train mode refuses a batch of one 1x1 map: only eval mode can run this
    module = nn.Sequential(nn.Conv2d(3, 3, 1), nn.BatchNorm2d(3), Probe())
    module.train()
    latency.measure(module, (3, 1, 1), threads=1, **FAST)
    assert set(modes) == {(False, True)}
    assert module.training  # put back as it was


def test_ordering_with_a_vast_macs_gap():
    """A 3x3 conv 64 -> 64 on 32x32 has ~9000x the MACs of a 1x1 conv 4 -> 4 on 8x8: it must measure slower."""
    small, big = blocks.make("standard", c_in=4, c_out=4, kernel=1), blocks.make("standard", c_in=64, c_out=64)
    assert big.cost(32, 32).macs > 5000 * small.cost(8, 8).macs
    t_small = latency.measure(small, (4, 8, 8), threads=1, **FAST)
    t_big = latency.measure(big, (64, 32, 32), threads=1, **FAST)
    assert t_small.median < t_big.median


def test_combine_pools_the_times():
    spec = blocks.make("standard", c_in=2, c_out=2, kernel=1)
    a = latency.measure(spec, (2, 4, 4), threads=1, **FAST)
    b = latency.measure(spec, (2, 4, 4), threads=1, **FAST)
    c = latency.combine([a, b])
    assert c.times == a.times + b.times and c.repeats == a.repeats + b.repeats
    assert c.median == pytest.approx(statistics.median(a.times + b.times))
    with pytest.raises(ValueError, match="at least one"):
        latency.combine([])
    other = latency.measure(blocks.make("standard", c_in=2, c_out=2, kernel=1), (2, 5, 5), threads=1, **FAST)
    with pytest.raises(ValueError, match="same threads, input_size"):
        latency.combine([a, other])


def test_point_throughput():
    lat = latency.Latency(median=0.002, q1=0.001, q3=0.003, times=(0.001, 0.002, 0.003), number=1, threads=1,
                          input_size=(1, 1, 1))
    assert latency.Point("x", 4_000_000, lat).throughput == pytest.approx(2e9)


@pytest.mark.parametrize("kwargs, message", [
    (dict(input_size=(3, 8, 8, 8)), "input_size"),
    (dict(input_size=(3, 0, 8)), "input_size"),
    (dict(input_size=(5, 8, 8)), "c_in=3"),
    (dict(input_size=(3, 8, 8), threads=0), "threads"),
    (dict(input_size=(3, 8, 8), threads=10_000), "threads"),
    (dict(input_size=(3, 8, 8), min_run_time=0), "min_run_time"),
    (dict(input_size=(3, 8, 8), batch=0), "batch"),
])
def test_bad_arguments_raise_value_errors_naming_them(kwargs, message):
    spec = blocks.make("standard", c_in=3, c_out=4)
    with pytest.raises(ValueError, match=message):
        latency.measure(spec, **kwargs)


def test_not_a_module():
    with pytest.raises(ValueError, match="spec_or_module"):
        latency.measure("standard", (3, 8, 8))


def test_machine_describes_this_server():
    m = latency.machine()
    assert m.cpu_count == (os.cpu_count() or 1) and m.torch_threads >= 1 and m.processor
    assert m.torch_version == torch.__version__
    assert m.key() == latency.machine().key() and m.processor in m.key()


def test_importing_the_analytic_modules_does_not_import_torch():
    code = ("import sys, effviz.speed.latency, effviz.speed.memory_access, effviz.speed.guidelines, "
            "effviz.plots.latency_charts; "
            "assert 'torch' not in sys.modules, 'torch imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=os.path.dirname(os.path.dirname(__file__)))


# --- Figures (pure builders; numbers in the figure are the data's) ------------------------------------------


def _fake(name: str, macs: int, ms: float) -> latency.Point:
    s = ms / 1e3
    lat = latency.Latency(median=s, q1=0.9 * s, q3=1.2 * s, times=(0.9 * s, s, 1.2 * s), number=1, threads=1,
                          input_size=(1, 1, 1))
    return latency.Point(name, macs, lat, memory_bytes=macs // 10)


def test_scatter_and_throughput_figures_carry_the_measurements():
    from effviz.plots import latency_charts as charts

    points = [_fake("standard", 10**8, 2.0), _fake("depthwise_separable", 10**7, 1.0), _fake("group", 5 * 10**7, 1.5)]
    fig = charts.macs_latency_scatter(points, "group", {"standard": "Std"}, "standard", "dense rate")
    markers, line = fig.data
    assert list(markers.x) == [p.macs for p in points]
    assert list(markers.y) == pytest.approx([2.0, 1.0, 1.5])
    assert list(markers.error_y.array) == pytest.approx([0.4, 0.2, 0.3])       # q3 - median, ms
    assert list(markers.error_y.arrayminus) == pytest.approx([0.2, 0.1, 0.15])  # median - q1, ms
    assert markers.text[0] == "Std" and markers.marker.color[2] != markers.marker.color[0]
    # the reference line runs at the standard conv's MACs per second: 1e8 MACs in 2 ms
    assert all(y == pytest.approx(x / 1e8 * 2.0) for x, y in zip(line.x, line.y, strict=True))
    bars = charts.throughput_bars(points, "group", {}, "standard").data[0]
    assert list(bars.x) == pytest.approx([50.0, 10.0, 100 / 3])  # GMAC/s


def test_rank_chart_marks_the_networks_that_move():
    from effviz.plots import latency_charts as charts

    points = [_fake("a", 100, 1.0), _fake("b", 200, 3.0), _fake("c", 300, 2.0)]
    fig = charts.rank_chart(points)
    ranks = {tr.text[0].strip(): tuple(tr.y) for tr in fig.data}
    assert ranks == {"a": (1, 1), "b": (2, 3), "c": (3, 2)}
    widths = {tr.text[0].strip(): tr.line.width for tr in fig.data}
    assert widths["b"] == widths["c"] > widths["a"]


def test_guideline_chart_shows_latency_and_memory():
    from effviz.plots import latency_charts as charts
    from effviz.speed import guidelines

    setups = guidelines.setups("g1", guidelines.QUICK)
    measured = [(s, _fake(s.label, s.macs, ms).latency) for s, ms in zip(setups, [1, 2, 3, 4], strict=True)]
    exp = guidelines.experiment("g1", measured)
    bars, memory = charts.guideline_chart(exp).data
    assert list(bars.x) == [s.label for s in setups] and list(bars.y) == pytest.approx([1, 2, 3, 4])
    assert list(bars.text) == ["1.00×", "2.00×", "3.00×", "4.00×"]
    assert list(memory.y) == pytest.approx([s.memory.bytes / 1e6 for s in setups])
