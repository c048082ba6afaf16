"""Where the time and the memory go: liveness peaks against hand-computed peaks, the roofline estimate, per-layer
times that add up, and the ONNX paths (onnxruntime's trace, the file's own graph)."""
from __future__ import annotations

import io
import random
import warnings

import pytest
import torch
from torch import nn

import effviz
from effviz.speed import layer_profile, liveness, roofline

F = 4  # bytes per float32


def numel(*shape):
    n = 1
    for s in shape:
        n *= s
    return n


# --- liveness --------------------------------------------------------------------------------------------------


def test_chain_of_three_layers_peaks_where_hand_computed():
    # conv 3->8 (3x3, same size) -> ReLU (a new tensor) -> conv 8->4, on 3x8x8
    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 4, 1))
    x, a, r, y = numel(3, 8, 8) * F, numel(8, 8, 8) * F, numel(8, 8, 8) * F, numel(4, 8, 8) * F
    # step 0: the input and conv0's output; step 1: conv0's output and ReLU's; step 2: ReLU's and the output
    expected = [x + a, a + r, r + y]
    m = effviz.speed.peak_memory(model, (3, 8, 8))
    assert [b for _, b in m.timeline] == expected
    assert m.peak_bytes == max(expected) == a + r and m.peak_step == "1"
    assert m.input_bytes == x and m.largest_tensor_bytes == a


class Residual(nn.Module):
    """x -> conv c->2c -> ReLU -> conv 2c->c -> + x: the skip keeps x alive across the whole block."""

    def __init__(self, c):
        super().__init__()
        self.expand = nn.Conv2d(c, 2 * c, 1)
        self.act = nn.ReLU()
        self.project = nn.Conv2d(2 * c, c, 1)

    def forward(self, x):
        return self.project(self.act(self.expand(x))) + x


def test_residual_block_keeps_its_input_alive():
    c, h = 4, 6
    s = numel(c, h, h) * F
    # expand: x + e (2s); act: x + e + r (2s each); project: x + r + p (s); add: x + p + out
    expected = [s + 2 * s, s + 2 * s + 2 * s, s + 2 * s + s, s + s + s]
    m = effviz.speed.peak_memory(Residual(c), (c, h, h))
    assert [b for _, b in m.timeline] == expected
    assert m.peak_bytes == 5 * s and m.peak_step == "act"
    # alive at the peak, by the step that made each buffer: the input (kept for the skip), expand's, act's
    assert [b for _, b in m.alive_at_peak] == [s, 2 * s, 2 * s]
    assert [n for n, _ in m.alive_at_peak][1:] == ["expand", "act"]
    # without the skip the input would be dead after `expand`: the peak would be 4s
    plain = nn.Sequential(nn.Conv2d(c, 2 * c, 1), nn.ReLU(), nn.Conv2d(2 * c, c, 1))
    assert effviz.speed.peak_memory(plain, (c, h, h)).peak_bytes == 4 * s


class TwoConvs(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(8, 8, 1)
        self.b = nn.Conv2d(8, 4, 1)

    def forward(self, x):
        return self.b(self.a(x))


def test_eager_schedule_holds_each_blocks_input_until_it_returns():
    model = nn.Sequential(nn.Conv2d(3, 8, 1), TwoConvs())
    x, stem, a, b = 3 * 64 * F, 8 * 64 * F, 8 * 64 * F, 4 * 64 * F       # 8 x 8 maps
    graph = effviz.speed.peak_memory(model, (3, 8, 8))
    assert [s.live_bytes for s in graph.steps] == [x + stem, stem + a, a + b]
    eager = effviz.speed.peak_memory(model, (3, 8, 8), schedule="eager")
    # the caller holds the input to the end; the block's caller (the Sequential) holds the block's input, the
    # stem's output, until the block returns
    assert [s.live_bytes for s in eager.steps] == [x + stem, x + stem + a, x + stem + a + b]
    assert eager.peak_step == "1.b" and eager.peak_bytes == x + stem + a + b
    with pytest.raises(ValueError, match="schedule"):
        effviz.speed.peak_memory(model, (3, 8, 8), schedule="lazy")


def test_views_and_inplace_ops_allocate_nothing():
    model = nn.Sequential(nn.Conv2d(3, 8, 1), nn.ReLU(inplace=True), nn.Flatten(), nn.Linear(8 * 16, 10))
    m = effviz.speed.peak_memory(model, (3, 4, 4))
    a = numel(8, 4, 4) * F
    assert [s.output_bytes for s in m.steps] == [a, 0, 0, 10 * F]
    assert m.peak_bytes == numel(3, 4, 4) * F + a


def test_liveness_on_plain_data_frees_after_the_last_reader():
    ops = [("a", "op", "a", 10, ["in"], None), ("b", "op", "b", 20, ["a"], None),
           ("c", "op", "c", 5, ["a", "b"], None)]
    m = liveness.liveness(ops, 3, "in")
    assert [s.live_bytes for s in m.steps] == [13, 30, 35]
    assert m.peak_index == 2
    assert m.alive_at_peak == (("a", 10), ("b", 20), ("c", 5))   # the input is dead once `a` has read it
    early = liveness.liveness(ops[:1] + [("d", "op", "d", 1, ["a"], None)], 3, "in")
    assert early.peak_index == 0 and early.alive_at_peak == (("in", 3), ("a", 10))


def test_untraceable_model_is_a_clear_error():
    class Branchy(nn.Module):
        def forward(self, x):
            return x * 2 if x.sum() > 0 else x

    with pytest.raises(ValueError, match="torch.fx"):
        effviz.speed.peak_memory(Branchy(), (3, 4, 4))
    with pytest.raises(ValueError, match="torch.nn.Module or an ONNX"):
        effviz.speed.peak_memory("model.onnx", (3, 4, 4))


def test_slices_and_patches_shrink_the_inverted_residual_peak():
    # MobileNetV2's first 16 -> 24 block at 112x112, t = 6: more slices, never a larger peak
    peaks = [liveness.sliced_block_peak(16, 6, 24, 112, 112, 2, slices=k) for k in (1, 2, 4, 8, 16, 96)]
    assert peaks == sorted(peaks, reverse=True) and peaks[0] > peaks[-1]
    # with every channel its own slice, only the input, the output and two one-channel maps stay alive
    assert peaks[-1] == F * (16 * 112 * 112 + 24 * 56 * 56 + 112 * 112 + 56 * 56)
    tiles = [liveness.patch_peak(16, 6, 24, 112, 112, 2, patches=k) for k in (1, 2, 4)]
    assert tiles == sorted(tiles, reverse=True)
    with pytest.raises(ValueError, match="slices"):
        liveness.sliced_block_peak(4, 2, 4, 8, 8, slices=9)


def test_profile_peak_activation_keeps_its_meaning():
    # Profile.peak_activation: elements of the largest single tensor, not the liveness peak
    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 4, 1))
    prof = effviz.profile(model, (3, 8, 8))
    m = effviz.speed.peak_memory(model, (3, 8, 8))
    assert prof.peak_activation_bytes() == m.largest_tensor_bytes < m.peak_bytes


# --- roofline --------------------------------------------------------------------------------------------------


def test_roofline_estimate_is_monotone_in_the_ridge_point():
    rng = random.Random(0)
    layers = [(rng.randrange(0, 10**8), rng.randrange(1, 10**7)) for _ in range(40)]
    estimates = [roofline.estimate(layers, 2e10, r) for r in range(0, 501, 5)]
    assert all(a <= b for a, b in zip(estimates, estimates[1:], strict=False))
    assert estimates[0] == pytest.approx(sum(m for m, _ in layers) / 2e10)   # ridge 0: compute only
    # far past every layer's intensity, memory alone: ridge x bytes / peak
    assert roofline.estimate(layers, 2e10, 10**9) == pytest.approx(10**9 * sum(b for _, b in layers) / 2e10)


def test_spearman_matches_the_textbook_formula_without_ties():
    a = {"n1": 1.0, "n2": 2.0, "n3": 3.0, "n4": 4.0, "n5": 5.0}
    b = {"n1": 2.0, "n2": 1.0, "n3": 4.0, "n4": 3.0, "n5": 5.0}
    d2 = 1 + 1 + 1 + 1
    assert roofline.spearman(a, b) == pytest.approx(1 - 6 * d2 / (5 * (25 - 1)))
    assert roofline.spearman(a, a) == pytest.approx(1.0)
    assert roofline.ranks({"x": 1, "y": 1, "z": 2}) == {"x": 1.5, "y": 1.5, "z": 3}


def test_time_by_kind_chart_lays_the_kinds_level_with_shares_that_add_up():
    from effviz.plots import roofline_charts
    from effviz.plots.roofline_charts import wrapped

    by_kind = {"dense": (30, 0.002), "depthwise": (10, 0.006), "other": (0, 0.004)}
    labels = {"dense": "dense conv", "depthwise": "depthwise", "other": "other (BN, activations, pooling)"}
    fig = roofline_charts.kind_shares(by_kind, labels, ("MACs", "time"), "%")
    macs, time = fig.data
    assert macs.orientation == time.orientation == "h"
    assert list(macs.y) == [wrapped(v) for v in labels.values()]
    assert sum(macs.x) == pytest.approx(100) and sum(time.x) == pytest.approx(100)
    assert list(time.x) == pytest.approx([100 * 2 / 12, 100 * 6 / 12, 100 * 4 / 12])
    # broken before a parenthesis and at spaces; one long word stays whole
    assert wrapped("other (BN, activations, pooling)") == "other<br>(BN, activations,<br>pooling)"
    assert wrapped("其他（BN、激活、池化）") == "其他<br>（BN、激活、池化）"
    assert wrapped("dense conv") == "dense conv" and wrapped("supercalifragilistic") == "supercalifragilistic"


def test_hardware_chart_is_relative_to_the_reference_with_level_columns_and_full_size_ticks():
    from effviz.plots import roofline_charts
    from effviz.plots.roofline_charts import wrapped

    columns = {"Raspberry Pi 4 (ncnn, 4 threads)": {"a": 10.0, "b": 5.0, "ref": 20.0},
               "NVIDIA T4 (Paddle, FP32)": {"a": 3.0, "ref": 1.5}, "no reference here": {"a": 1.0}}
    fig = roofline_charts.hardware_ranks(columns, {"a": "Net A"}, "ref", "× the reference")
    by_name = {tr.name: tr for tr in fig.data}
    assert list(by_name["Net A"].x) == [wrapped("Raspberry Pi 4 (ncnn, 4 threads)", 18),
                                        wrapped("NVIDIA T4 (Paddle, FP32)", 18)]
    assert list(by_name["Net A"].y) == pytest.approx([0.5, 2.0]) and list(by_name["ref"].y) == [1.0, 1.0]
    assert list(by_name["b"].y) == pytest.approx([0.25])
    assert all(len(line) <= 18 for x in fig.layout.xaxis.categoryarray for line in x.split("<br>"))
    ticks = list(fig.layout.yaxis.tickvals)
    assert fig.layout.yaxis.type == "log" and min(ticks) <= 0.25 and max(ticks) >= 2
    assert list(fig.layout.yaxis.ticktext) == [f"{v:g}×" for v in ticks]
    # more networks than the palette has colours: every line still looks different
    many = roofline_charts.hardware_ranks({"x": {f"n{i:02d}": 1.0 + i for i in range(20)} | {"ref": 1.0}}, {},
                                          "ref", "")
    assert len({(tr.line.color, tr.line.dash, tr.marker.symbol) for tr in many.data}) == len(many.data) == 21


@pytest.mark.slow
def test_machine_peaks_are_positive_with_a_spread():
    p = roofline.measure_peaks(threads=1, min_run_time=0.2)
    assert p.gmacs > 0 and p.gbs > 0 and p.gmacs_iqr >= 0 and p.gbs_iqr >= 0
    assert p.ridge == pytest.approx(p.gmacs / p.gbs) and p.threads == 1


# --- per-layer time ---------------------------------------------------------------------------------------------


class Mixed(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)                 # dense
        self.dw = nn.Conv2d(8, 8, 3, padding=1, groups=8)         # depthwise
        self.group = nn.Conv2d(8, 8, 1, groups=2)                 # grouped
        self.pw = nn.Conv2d(8, 16, 1)                             # pointwise
        self.bn = nn.BatchNorm2d(16)
        self.act = nn.ReLU()
        self.fc = nn.Linear(16, 5)                                # linear

    def forward(self, x):
        y = self.pw(self.group(self.dw(self.stem(x))) + 1.0)      # a functional add outside every layer
        y = self.act(self.bn(y))
        return self.fc(y.mean((2, 3)))


def test_layer_times_rows_add_up_to_the_whole():
    lt = effviz.speed.layer_times(Mixed(), (3, 12, 12), threads=1, repeats=1, warmup=1)
    top = layer_profile.TOP
    # in execution order: the network's own add (after `group`) and mean (after `act`) are its row, placed at its
    # first op
    assert [r.name for r in lt.rows] == ["stem", "dw", "group", top, "pw", "bn", "act", "fc"]
    assert [r.kind for r in lt.rows] == ["dense", "depthwise", "grouped", "other", "pointwise", "other", "other",
                                         "linear"]
    # MACs: the analytic formulas (output elements x input channels per group x kernel area)
    hw = 12 * 12
    assert [r.macs for r in lt.rows] == [hw * 8 * 3 * 9, hw * 8 * 9, hw * 8 * 4, 0, hw * 16 * 8, 0, 0, 16 * 5]
    assert lt.macs == effviz.profile(Mixed(), (3, 12, 12)).macs
    assert all(r.seconds > 0 for r in lt.rows) and lt.whole > 0
    own = next(r for r in lt.rows if r.name == top)
    assert own.op.startswith("Mixed: ") and "add" in own.op and "mean" in own.op
    # one pass: the rows and the Python between them are the whole, exactly
    assert lt.layer_sum + sum(s for _, s in lt.outside) == pytest.approx(lt.whole, rel=1e-9)
    assert lt.remainder == pytest.approx(sum(s for _, s in lt.outside), rel=1e-9)
    assert lt.outside and all(where.startswith(layer_profile.BETWEEN + ": ") for where, _ in lt.outside)
    assert f"{layer_profile.BETWEEN}: Mixed" in dict(lt.outside)
    # memory access of the pointwise conv: input + weights + bias + output
    pw = next(r for r in lt.rows if r.name == "pw")
    assert pw.bytes == F * (8 * hw + 16 * 8 + 16 + 16 * hw) and pw.gmacs == pytest.approx(pw.macs / pw.seconds / 1e9)
    kinds = lt.by_kind()
    assert sum(m for m, _ in kinds.values()) == lt.macs
    assert sum(s for _, s in kinds.values()) == pytest.approx(lt.layer_sum)


class Shuffled(nn.Module):
    """A block with work of its own between its layers: a concatenation and a channel shuffle."""

    def __init__(self, c: int):
        super().__init__()
        self.left = nn.Conv2d(c, c, 1)
        self.right = nn.Sequential(nn.Conv2d(c, c, 3, padding=1, groups=c), nn.ReLU())

    def forward(self, x):
        y = torch.cat([self.left(x), self.right(x)], dim=1)
        n, c, h, w = y.shape
        return y.view(n, 2, c // 2, h, w).transpose(1, 2).reshape(n, c, h, w)


def test_a_blocks_own_ops_are_a_row_of_that_block():
    model = nn.Sequential(nn.Conv2d(3, 4, 1), Shuffled(4), Shuffled(8))
    before = model(torch.ones(1, 3, 5, 5))
    lt = effviz.speed.layer_times(model, (3, 5, 5), repeats=1)
    rows = {r.name: r for r in lt.rows}
    names = [r.name for r in lt.rows]
    assert set(rows) == {"0", "1", "1.left", "1.right.0", "1.right.1", "2", "2.left", "2.right.0", "2.right.1"}
    # each block's row comes after its layers (its cat runs after them) and names its ops
    assert names.index("1") > names.index("1.right.1") and names.index("2") > names.index("2.right.1")
    for block in ("1", "2"):
        assert rows[block].kind == "other" and rows[block].macs == 0 and rows[block].seconds > 0
        assert rows[block].op.startswith("Shuffled: ") and "cat" in rows[block].op and "transpose" in rows[block].op
    # the Python between them is split by the class whose forward ran it; everything adds up
    assert {w.split(": ", 1)[1] for w, _ in lt.outside} <= {"Sequential", "Shuffled"}
    assert lt.layer_sum + lt.remainder == pytest.approx(lt.whole, rel=1e-9)
    # the marks are gone afterwards: no forward of our own left on any module, the same output
    assert all("forward" not in m.__dict__ for m in model.modules())
    assert torch.equal(model(torch.ones(1, 3, 5, 5)), before)


def test_a_modules_own_forward_attribute_is_restored():
    conv = nn.Conv2d(3, 4, 1)
    calls = []

    def traced(x, _inner=conv.forward):
        calls.append(1)
        return _inner(x)

    conv.forward = traced
    model = nn.Sequential(conv, nn.ReLU())
    effviz.speed.layer_times(model, (3, 4, 4), repeats=1)
    assert conv.__dict__["forward"] is traced and len(calls) == 2    # the counting pass and the profiled one


class Gram(nn.Module):
    """A leaf module of its own that does a matrix product: its MACs come from the dispatch mode, not a formula."""

    def forward(self, x):
        flat = x.flatten(2)
        return flat @ flat.transpose(1, 2)


class WithGram(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 3, padding=1, groups=3)
        self.tconv = nn.ConvTranspose2d(6, 4, 2, stride=2)
        self.gram = Gram()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(self.gram(self.tconv(self.conv(x))))


def test_layer_macs_equal_torchs_flop_counter_per_layer():
    model = WithGram()
    rows = {n: m for n, _, _, m, _ in layer_profile.leaf_traffic(model, (3, 6, 6))}
    counted = {r.name: r.macs for r in effviz.profile(model, (3, 6, 6)).layers}
    # the gram product: (4 x 144) @ (144 x 4) = 4 x 4 x 144 MACs; nothing in profile's layers (not a conv)
    assert rows["gram"] == 4 * 4 * 144
    assert rows["conv"] == counted["conv"] == 6 * 36 * 9 and rows["tconv"] == counted["tconv"] > 0
    assert rows["fc"] == counted["fc"] == 4 * 2 * 4
    lt = effviz.speed.layer_times(model, (3, 6, 6), repeats=1)
    assert {r.name: r.macs for r in lt.rows} == rows


def test_layer_times_several_passes_and_bad_input():
    lt = effviz.speed.layer_times(nn.Sequential(nn.Conv2d(3, 4, 1), nn.ReLU()), (3, 8, 8), repeats=3)
    assert lt.passes == 3 and lt.threads == 1 and lt.runtime == "torch"
    # the reported pass (the median one) adds up exactly too
    assert lt.layer_sum + sum(s for _, s in lt.outside) == pytest.approx(lt.whole, rel=1e-9)
    with pytest.raises(ValueError, match="input_size"):
        effviz.speed.layer_times(nn.Conv2d(3, 4, 1), (3, 8))
    with pytest.raises(ValueError, match="threads"):
        effviz.speed.layer_times(nn.Conv2d(3, 4, 1), (3, 8, 8), threads=0)
    with pytest.raises(ValueError, match="torch.nn.Module or an ONNX"):
        effviz.speed.layer_times([1, 2], (3, 8, 8))


# --- ONNX --------------------------------------------------------------------------------------------------------


def exported(model, size) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model.eval(), (torch.zeros(1, *size),), buf, dynamo=False)
    return buf.getvalue()


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.dw = nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.pw = nn.Conv2d(8, 16, 1)
        self.fc = nn.Linear(16, 5)

    def forward(self, x):
        y = self.pw(torch.relu(self.dw(torch.relu(self.stem(x)))))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(y, 1), 1))


def test_onnx_layer_times_from_onnxruntimes_trace():
    data = exported(Small(), (3, 16, 16))
    lt = effviz.speed.layer_times(data, threads=1, repeats=3)
    assert lt.runtime == "onnxruntime" and lt.passes == 3 and lt.whole > 0
    # MACs read off the trace's shapes agree with the parser's count of the file
    assert lt.macs == effviz.profile_onnx(data).macs == effviz.profile(Small(), (3, 16, 16)).macs
    assert {r.kind for r in lt.rows} >= {"dense", "depthwise", "pointwise", "linear"}
    assert lt.layer_sum <= lt.whole * 1.001 and lt.remainder == pytest.approx(lt.outside[0][1], abs=1e-9)
    with pytest.raises(ValueError):
        effviz.speed.layer_times(b"not an onnx file")


def test_onnx_peak_memory_matches_the_torch_graph():
    # onnxruntime runs an activation in its input's buffer where nothing else reads that input: in torch terms,
    # ReLU(inplace=True)
    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 4, 1))
    data = exported(model, (3, 8, 8))
    from_onnx = effviz.speed.peak_memory(data)
    model[1].inplace = True
    from_torch = effviz.speed.peak_memory(model, (3, 8, 8))
    assert [b for _, b in from_onnx.timeline] == [b for _, b in from_torch.timeline]
    assert from_onnx.peak_bytes == from_torch.peak_bytes
    assert from_onnx.steps[1].op == "Relu" and from_onnx.steps[1].output_bytes == 0


class ReadTwice(nn.Module):
    """The conv's output is read by the ReLU and by the addition after it: the ReLU cannot write into it."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.act = nn.ReLU()
        self.proj = nn.Conv2d(8, 8, 1)

    def forward(self, x):
        y = self.conv(x)
        return self.proj(self.act(y)) + y


def test_onnx_activation_whose_input_is_read_again_gets_its_own_buffer():
    data = exported(ReadTwice(), (3, 8, 8))
    from_onnx = effviz.speed.peak_memory(data)
    from_torch = effviz.speed.peak_memory(ReadTwice(), (3, 8, 8))      # inplace=False: a buffer of its own
    relu = next(s for s in from_onnx.steps if s.op == "Relu")
    assert relu.output_bytes == 8 * 8 * 8 * F
    assert [b for _, b in from_onnx.timeline] == [b for _, b in from_torch.timeline]


def test_the_dispatch_trace_agrees_with_torch_fx():
    # the fallback for models torch.fx cannot trace gives the same peak on the ones it can
    for model, size in ((Residual(4), (4, 6, 6)), (Mixed(), (3, 12, 12))):
        fx_peak = effviz.speed.peak_memory(model, size).peak_bytes
        ops = liveness._dispatch_ops(model, size)
        assert liveness.liveness(ops, numel(*size) * F).peak_bytes == fx_peak


@pytest.mark.slow
def test_measured_peak_in_a_fresh_process_is_near_the_prediction():
    from effviz.speed import memory_measure

    predicted = liveness.network_peak_memory("mobilenet_v3_small", (3, 96, 96))
    measured = memory_measure.measure_network("mobilenet_v3_small", (3, 96, 96))
    assert measured.method == "torch.profiler" and measured.at.startswith("aten::")
    # the allocator's record holds every tensor the graph predicts, plus kernels' own workspace
    assert 0.8 * predicted.peak_bytes <= measured.peak_bytes <= 2 * predicted.peak_bytes
    assert 0 <= measured.transient <= measured.peak_bytes
    with pytest.raises(ValueError, match="unknown network"):
        memory_measure.measure_network("no_such_net")


def test_replay_separates_workspace_from_activations():
    from effviz.speed.memory_measure import replay

    # op a: allocates its output A (100) and a workspace W (50) that it frees before it ends;
    # op b: allocates B (30); then Python frees A outside every op; op c frees B and allocates C (10)
    ops = [("aten::conv2d", 0, 10, [(1, 100, 1), (2, 50, 2), (2, -50, 3)]),
           ("aten::relu", 11, 20, [(3, 30, 12)]),
           ("", 21, 21, [(1, -100, 21)]),
           ("aten::add", 22, 30, [(3, -30, 23), (4, 10, 24)])]
    peak, at, act_peak, act_at, ws_max, ws_at_peak = replay(ops)
    assert (peak, at) == (150, "aten::conv2d") and ws_at_peak == 50
    assert (act_peak, act_at) == (130, "aten::relu") and ws_max == 50


@pytest.mark.slow
def test_measured_graph_run_activations_equal_the_prediction():
    from effviz.speed import memory_measure

    predicted = liveness.network_peak_memory("mobilenet_v3_small", (3, 96, 96))
    graph = memory_measure.measure_network("mobilenet_v3_small", (3, 96, 96), graph=True)
    eager = memory_measure.measure_network("mobilenet_v3_small", (3, 96, 96))
    # the torch.fx run frees each tensor after its last reader, as liveness assumes: its activations are the
    # prediction; eager PyTorch keeps each block's input referenced until the block returns: more, and what the
    # eager schedule predicts
    assert graph.activation_bytes == pytest.approx(predicted.peak_bytes, rel=0.02)
    assert eager.activation_bytes > graph.activation_bytes
    eager_predicted = liveness.network_peak_memory("mobilenet_v3_small", (3, 96, 96), schedule="eager")
    assert eager.activation_bytes == pytest.approx(eager_predicted.peak_bytes, rel=0.02)
    assert graph.peak_bytes >= graph.activation_bytes and graph.workspace_bytes > 0


def test_the_network_graph_is_coloured_by_the_measured_profile():
    from effviz.plots import anatomy

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
            self.block = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1, groups=8), nn.Conv2d(8, 16, 1))
            self.fc = nn.Linear(16, 4)

        def forward(self, x):
            return self.fc(self.block(self.stem(x)).mean((2, 3)))

    model = Net()
    prof = effviz.profile(model, (3, 16, 16))
    lt = effviz.speed.layer_times(model, (3, 16, 16), repeats=1)
    units = [u.name for u in prof.units]
    totals = layer_profile.unit_totals(lt, units)
    # a block's totals are its layers' sums; each layer keeps its own row
    for u in units:
        mine = [r for r in lt.rows if r.name == u or r.name.startswith(u + ".")]
        assert totals[u][0] == sum(r.macs for r in mine) and totals[u][2] == sum(r.bytes for r in mine)
        assert totals[u][1] == pytest.approx(sum(r.seconds for r in mine))
    assert totals["block.1"][0] == 16 * 16 * 16 * 8
    assert layer_profile.overlay_value(totals["block"], "gmacs") == pytest.approx(
        totals["block"][0] / totals["block"][1] / 1e9)
    plain = anatomy.network_dot(prof)
    assert "share of the network's MACs" in plain and "measured" not in plain
    for measure in layer_profile.OVERLAYS:
        dot = anatomy.network_dot(prof, overlay=totals, measure=measure)
        top = max(units, key=lambda u: layer_profile.overlay_value(totals.get(u, (0, 0.0, 0)), measure))
        # the block with the largest value is the darkest (deep orange), and every timed block says its time
        node = next(line for line in dot.splitlines() if f'tooltip="{top}"' in line)
        assert 'fillcolor="#e6550d"' in node and "ms · " in node
    assert "colour: measured time" in anatomy.network_dot(prof, overlay=totals, measure="time")
    opened = anatomy.network_dot(prof, ["s1"], overlay=totals, measure="memory")
    assert opened.count("MB moved") >= len(units)
    with pytest.raises(ValueError, match="measure must be one of"):
        anatomy.network_dot(prof, overlay=totals, measure="watts")


def test_onnx_node_of_weights_only_is_a_weight_not_an_activation():
    from onnx import helper

    from tests import onnx_graphs as g

    nodes = [helper.make_node("Identity", ["w"], ["w2"], name="copy_of_w"),
             helper.make_node("Conv", ["x", "w2"], ["y"], name="conv", pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["y"], ["z"], name="relu")]
    m = g.model(nodes, {"x": (1, 3, 6, 6)}, initializers=[g.weight("w", 4, 3, 3, 3)])
    peak = effviz.speed.peak_memory(g.data(m))
    assert [s.name for s in peak.steps] == ["conv", "relu"]
    # the input (3 x 36 floats) and the conv's output (4 x 36), the ReLU in place; the weight is not counted
    assert peak.peak_bytes == F * (3 * 36 + 4 * 36) and peak.steps[1].output_bytes == 0


@pytest.mark.slow
@pytest.mark.parametrize("name", list(effviz.networks.REGISTRY))
def test_per_layer_macs_equal_the_profiles_for_every_zoo_network(name):
    # the counting pass (formulas per leaf module) against effviz.profile (torch's FlopCounterMode), layer by
    # layer, on the meta device: no weights, no compute
    model, _ = effviz.networks.build_meta(name)
    rows: dict[str, int] = {}
    for layer, _, _, macs, _ in layer_profile.leaf_traffic(model, (3, 224, 224)):
        rows[layer] = rows.get(layer, 0) + macs
    prof = effviz.profile(model, (3, 224, 224))
    counted: dict[str, int] = {}
    for r in prof.layers:
        counted[r.name] = counted.get(r.name, 0) + r.macs
    assert {k: rows.get(k) for k, v in counted.items() if v} == {k: v for k, v in counted.items() if v}
    assert sum(rows.values()) == prof.macs > 0


def test_a_measurement_child_that_crashes_or_hangs_is_a_clear_error():
    from effviz.speed import memory_measure
    from tests import onnx_graphs

    with pytest.raises(RuntimeError, match=r"process stopped \(exit code 3\)"):
        memory_measure._fresh(onnx_graphs.die, (3,), 60)
    with pytest.raises(RuntimeError, match="longer than 1 s"):
        memory_measure._fresh(onnx_graphs.sleep, (30,), 1)


def test_profiling_writes_nothing_to_the_servers_stderr():
    """Kineto printed profiler_start/profiler_stop and a GPU-count "ERROR" on every profile of a GPU-less machine."""
    import os
    import subprocess
    import sys

    code = ("import torch, effviz\n"
            "m = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.ReLU())\n"
            "effviz.speed.layer_times(m, (3, 16, 16))\n"
            "from effviz.speed import memory_measure\n"
            "memory_measure._torch_peak(m, (3, 16, 16))\n"
            "import os; print(os.environ.get('KINETO_LOG_LEVEL'))\n")
    env = {k: v for k, v in os.environ.items() if k != "KINETO_LOG_LEVEL"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert "profiler_start" not in done.stderr and "gpuGetDeviceCount" not in done.stderr, done.stderr
    assert done.stdout.strip() == "6"
    kept = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**env, "KINETO_LOG_LEVEL": "2"})
    assert kept.stdout.strip() == "2"  # a level the user set is theirs
