"""effviz.redundancy.atlas: one row per convolution, costs checked against torch's counter and the block engine,
redundancy and error checked against the single-layer functions on the same layer."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

import effviz
from effviz import blocks
from effviz.redundancy import atlas, features, images, similarity, weights
from effviz.redundancy import reconstruction as ghost


class Tiny(nn.Module):
    """Every kind of row: a strided stem with BN, a depthwise conv, a 1x1 conv with bias and no BN, an even
    kernel and a dilated conv (no Ghost module matches them), and a linear head."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.dw = nn.Sequential(nn.Conv2d(8, 8, 3, 1, 1, groups=8, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.pw = nn.Conv2d(8, 16, 1, bias=True)
        self.even = nn.Conv2d(16, 16, 2, 1, 1, bias=False)
        self.dilated = nn.Conv2d(16, 12, 3, 1, 2, dilation=2, bias=False)
        self.head = nn.Linear(12, 10)

    def forward(self, x):
        x = torch.relu(self.pw(self.dw(self.stem(x))))
        x = self.dilated(torch.relu(self.even(x)))
        return self.head(x.mean(dim=(2, 3)))


class BlurredCopies(nn.Module):
    """`mix`'s second half of output channels are 3x3-blurred copies of its first half (zero padding, exactly
    the cheap depthwise op of a Ghost module at d = 3)."""

    def __init__(self, half: int = 6):
        super().__init__()
        self.conv = nn.Conv2d(3, half, 3, 1, 1)
        self.mix = nn.Conv2d(half, 2 * half, 3, 1, 1, bias=False)
        blur = torch.tensor([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]) / 16
        with torch.no_grad():
            self.mix.weight.zero_()
            for i in range(half):
                self.mix.weight[i, i, 1, 1] = 1.0           # copy of map i
                self.mix.weight[half + i, i] = blur        # blurred copy of map i

    def forward(self, x):
        return self.mix(torch.relu(self.conv(x)))


def photo(size: int) -> torch.Tensor:
    return images.preprocess(images.load_sample("cat"), resize=size, crop=size)


def convs(model):
    return [(n, m) for n, m in model.named_modules() if isinstance(m, nn.Conv2d)]


def counted(model, x) -> dict[str, int]:
    """MACs per conv from torch's FlopCounterMode (2 FLOPs per MAC)."""
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), counter:
        model(x)
    by_module = counter.get_flop_counts()
    root = type(model).__name__
    return {n: sum(by_module.get(f"{root}.{n}", {}).values()) // 2 for n, _ in convs(model)}


def following_norm(modules, name: str):
    """The BatchNorm these networks put right after a conv, by their naming: convN -> bnN, conv -> bn, and the
    next index in a Sequential."""
    parent, _, last = name.rpartition(".")
    prefix = f"{parent}." if parent else ""
    if last.isdigit():
        candidate = f"{prefix}{int(last) + 1}"
    elif last.startswith("conv"):
        candidate = f"{prefix}bn{last[4:]}"
    else:
        return None
    module = modules.get(candidate)
    return module if isinstance(module, nn.BatchNorm2d) else None


def check_costs(model, size: int, a: atlas.Atlas) -> None:
    x = torch.zeros(1, 3, size, size)
    macs = counted(model, x)
    modules = dict(model.named_modules())
    assert [r.name for r in a.rows] == [n for n, _ in convs(model)]     # one row per conv, execution order
    for r in a.rows:
        conv = modules[r.name]
        assert r.macs == macs[r.name], r.name
        norm = following_norm(modules, r.name)
        assert r.norm == (norm is not None), r.name
        expected = sum(p.numel() for p in conv.parameters())
        if norm is not None:
            expected += sum(p.numel() for p in norm.parameters())
        assert r.params == expected, r.name
        if r.status == "ghost":
            spec = blocks.make("ghost_module", c_in=conv.in_channels, c_out=conv.out_channels,
                               kernel=conv.kernel_size[0], ratio=a.ratio, dw_kernel=a.dw_kernel,
                               stride=conv.stride[0])
            cost = spec.cost(h=r.in_shape[1], w=r.in_shape[2])
            assert (r.ghost_params, r.ghost_macs) == (cost.params, cost.macs), r.name
            assert spec.output_shape(h=r.in_shape[1], w=r.in_shape[2]) == r.shape
        else:
            assert (r.ghost_params, r.ghost_macs) == (r.params, r.macs)     # kept as it is
    total = effviz.count(model, (3, size, size))
    assert (a.params, a.macs) == (total.params, total.macs)
    assert a.ghost_macs == a.macs - sum(r.macs - r.ghost_macs for r in a.replaced)


def test_tiny_rows_costs_and_statuses():
    model = Tiny().eval()
    a = atlas.redundancy_atlas(model, photo(32), ratio=2, dw_kernel=3)
    check_costs(model, 32, a)
    status = {r.name: r.status for r in a.rows}
    assert status == {"stem.0": "ghost", "dw.0": "grouped", "pw": "ghost", "even": "shape", "dilated": "shape"}
    norm = {r.name: r.norm for r in a.rows}
    assert norm == {"stem.0": True, "dw.0": True, "pw": False, "even": False, "dilated": False}
    stem = a.rows[0]
    assert stem.in_shape == (3, 32, 32) and stem.shape == (8, 16, 16) and stem.stride == (2, 2)


@pytest.mark.parametrize("network, ratio, dw_kernel", [("resnet50", 2, 3), ("efficientnet_lite0", 3, 5)])
def test_page_networks_one_row_per_conv_costs_from_counter_and_engine(network, ratio, dw_kernel):
    model = weights.load(network, "untrained")[0]
    a = atlas.redundancy_atlas(model, photo(64), ratio=ratio, dw_kernel=dw_kernel)
    check_costs(model, 64, a)
    assert (a.ratio, a.dw_kernel) == (ratio, dw_kernel)
    # the page's layer list offers every conv, with the shape the atlas saw (the Atlas opens them there)
    shapes = {s.name: s.shape for s in features.shapes_of(model, features.layers(model, convs=True), size=64)}
    assert all(shapes[r.name] == r.shape for r in a.rows if r.shape[-1] > 1)
    kept = {r.status for r in a.rows if not r.replaced}
    assert kept <= {"grouped"}                     # every dense conv of these networks can become a Ghost module
    assert a.ghost_macs < a.macs and a.ghost_params < a.params


def test_matches_single_layer_functions_on_the_same_layer():
    model, info = weights.load("efficientnet_lite0", "imagenet", download=False)
    img = images.load_sample("cat")
    done = []
    a = atlas.redundancy_atlas(model, img, ratio=2, dw_kernel=3, info=info, progress=lambda i, n: done.append((i, n)))
    n = len(a.rows)
    assert done == [(i, n) for i in range(n + 1)]
    for r in (a.rows[0], a.rows[n // 2], a.rows[-1]):
        fmap = features.extract(model, img, r.name, info=info)
        assert tuple(fmap.shape) == r.shape
        _, nn_value = similarity.nearest(similarity.matrix(fmap, "cosine"))
        assert r.nn_mean == pytest.approx(float(np.mean(nn_value)), abs=1e-6)
        assert r.near_copies == pytest.approx(float(np.mean(nn_value >= atlas.NEAR_COPY)), abs=1e-9)
        rec = ghost.reconstruct(fmap, 2, 3, "first")
        assert r.error == pytest.approx(rec.error, rel=1e-5)
        assert r.ghost_error == pytest.approx(rec.ghost_error, rel=1e-5)
    assert a.mean_error == pytest.approx(np.mean([r.ghost_error for r in a.rows if r.replaced]))


def test_blurred_copies_rebuild_almost_exactly_at_s2():
    model = BlurredCopies().eval()
    a = atlas.redundancy_atlas(model, photo(40), ratio=2, dw_kernel=3)
    first, mix = a.rows
    assert mix.error < 1e-4 and mix.ghost_error < 1e-4
    assert first.ghost_error > 100 * mix.ghost_error       # the copies are the point, not an easy input
    assert mix.near_copies >= 0.5                          # each blurred copy is close to its original
    worse = atlas.redundancy_atlas(model, photo(40), ratio=2, dw_kernel=1)   # 1x1 cannot blur
    assert worse.rows[1].ghost_error > 10 * mix.ghost_error


@pytest.mark.parametrize("ratio, dw_kernel, problem", [
    (0, 3, "ratio"), (17, 3, "ratio"), (2.0, 3, "ratio"), (True, 3, "ratio"),
    (2, 2, "dw_kernel"), (2, 0, "dw_kernel"), (2, 17, "dw_kernel"), (2, "3", "dw_kernel"),
])
def test_bad_settings_name_the_parameter(ratio, dw_kernel, problem):
    with pytest.raises(ValueError, match=problem):
        atlas.redundancy_atlas(Tiny().eval(), photo(16), ratio=ratio, dw_kernel=dw_kernel)


def test_bad_inputs_are_refused_clearly():
    with pytest.raises(ValueError, match="image"):
        atlas.redundancy_atlas(Tiny().eval(), "cat.jpg")
    with pytest.raises(ValueError, match="image"):
        atlas.redundancy_atlas(Tiny().eval(), torch.zeros(2, 3, 16, 16))
    with pytest.raises(ValueError, match="choice"):
        atlas.redundancy_atlas(Tiny().eval(), photo(16), choice="best")
    with pytest.raises(ValueError, match="no nn.Conv2d"):
        atlas.redundancy_atlas(nn.Sequential(nn.Flatten(), nn.Linear(3 * 16 * 16, 2)), photo(16))


def test_the_shared_model_is_left_untouched():
    model = Tiny().eval()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    atlas.redundancy_atlas(model, photo(16))
    assert not any(m._forward_hooks or m._forward_pre_hooks for m in model.modules())
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert not model.training


def test_exported_lazily_from_effviz():
    assert effviz.redundancy_atlas is atlas.redundancy_atlas
    assert math.isnan(atlas.Atlas(2, 3, "first", (), 0, 0).mean_error)


def test_shapes_of_a_block_together_with_a_conv_inside_it():
    """torchvision's extractor, asked for both, gave the block the conv's node and the conv nothing."""
    model = weights.load("efficientnet_lite0", "untrained")[0]
    names = ["features.stage1", "features.stage1.0", "features.stage1.0.project.conv", "features.stem.act"]
    shapes = {s.name: s.shape for s in features.shapes_of(model, names, size=64)}
    assert shapes == {"features.stage1": (16, 32, 32), "features.stage1.0": (16, 32, 32),
                      "features.stage1.0.project.conv": (16, 32, 32), "features.stem.act": (32, 32, 32)}


# --- the figures (pure functions, no browser) ------------------------------------------------------------------


def test_figures_show_every_conv_and_mark_the_chosen_one():
    from effviz.plots import atlas_charts as charts

    model = Tiny().eval()
    a = atlas.redundancy_atlas(model, photo(32))
    u = atlas.redundancy_atlas(model, photo(32), ratio=2, dw_kernel=1)   # stands in for a second series
    series = {"trained": a, "untrained": u}
    labels = charts.DepthLabels("x", "y", {m: m for m in charts.MEASURE_COLOURS})
    depth = charts.depth_chart(series, labels, dashed=["untrained"], highlight="pw")
    # one measure at a time, one line per series (issue 21, item 7: six zig-zag lines and a legend half the plot)
    assert [tr.name for tr in depth.data] == ["trained", "untrained"]
    assert [tr.line.dash for tr in depth.data] == ["solid", "dot"]
    nn_trace = depth.data[0]
    assert list(nn_trace.x) == [1, 2, 3, 4, 5] and list(nn_trace.y) == [r.nn_mean for r in a.rows]
    assert depth.layout.yaxis.title.text == "nn_mean"
    assert [s.x0 for s in depth.layout.shapes] == [3]                       # "pw" is the third conv
    errors = charts.depth_chart(series, labels, dashed=["untrained"], measure="ghost_error")
    assert list(errors.data[1].y) == [r.ghost_error for r in u.rows]
    with pytest.raises(ValueError, match="measure must be one of"):
        charts.depth_chart(series, labels, measure="speed")
    saved = charts.savings_chart(a, "x", "y", "kept", "replaced", highlight="pw")
    replaced, kept = saved.data
    assert list(replaced.x) == [r.index + 1 for r in a.replaced]
    assert list(replaced.y) == [r.macs_saved / 1e6 for r in a.replaced]
    assert list(kept.y) == [0, 0, 0]                                        # dw, even, dilated stay
    scatter = charts.payoff_scatter(series, "x", "y", highlight="pw", highlight_name="chosen")
    assert [c[0] for c in scatter.data[0].customdata] == [r.name for r in a.replaced]
    assert list(scatter.data[1].y) == [r.ghost_error for r in u.replaced]
    star = scatter.data[-1]
    assert star.name == "chosen" and len(star.x) == 2                       # the chosen conv in both series


def test_summaries_name_the_right_layers():
    a = atlas.redundancy_atlas(BlurredCopies().eval(), photo(40))
    assert a.most_redundant(1)[0].name == "mix"
    assert a.mean_error_halves() == (a.rows[0].ghost_error, a.rows[1].ghost_error)
    front = a.payoff_front()
    assert front and all(not any(o.macs_saved >= r.macs_saved and o.ghost_error < r.ghost_error
                                 for o in a.replaced) for r in front)
