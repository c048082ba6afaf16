"""effviz.profile: totals, per-layer attribution, units and stages, on the meta device and for real."""
from __future__ import annotations

import math
from collections import OrderedDict
from functools import cache

import pytest
import torch
from torch import nn

import effviz
from effviz import networks
from effviz.networks.profiling import KINDS


@cache
def _profile(name: str, resolution: int | None = None):
    entry = networks.info(name)
    with torch.device("meta"):
        model = networks.build(name)
    size = entry.input_size if resolution is None else (3, resolution, resolution)
    return model, effviz.profile(model, size)


@pytest.mark.parametrize("name", networks.names())
def test_rows_units_and_stages_add_up_to_the_totals(name):
    model, prof = _profile(name)
    assert prof.params == sum(p.numel() for p in model.parameters())
    for parts in (prof.layers, prof.units, prof.stages):
        assert sum(p.params for p in parts) == prof.params
        assert sum(p.macs for p in parts) == prof.macs
    assert sum(c.params for c in prof.kinds().values()) == prof.params
    assert set(prof.kinds()) <= set(KINDS)
    assert prof.flops == 2 * prof.macs
    assert len(prof.table()) == len(prof.layers)


@pytest.mark.parametrize("name", networks.names())
def test_every_conv_and_linear_row_costs_what_the_textbook_formula_says(name):
    """The counter's per-layer attribution checked against k² (C_in / g) C_out H_out W_out and F_in F_out."""
    model, prof = _profile(name)
    modules = dict(model.named_modules())
    for row in prof.layers:
        m = modules[row.name]
        if isinstance(m, nn.Conv2d):
            c, h, w = row.shape
            kh, kw = m.kernel_size
            assert row.macs == kh * kw * (m.in_channels // m.groups) * c * h * w, row.name
            assert row.kind in ("standard", "pointwise", "depthwise", "group", "se")
        elif isinstance(m, nn.Linear):
            assert row.macs == m.in_features * m.out_features and row.kind in ("linear", "se")
        else:
            assert row.macs == 0 and row.kind in ("norm", "other")


@pytest.mark.parametrize("name", networks.names())
def test_stages_run_from_fine_to_coarse_and_end_with_the_head(name):
    _, prof = _profile(name)
    keys = [s.key for s in prof.stages]
    assert keys[-1] == "head" and keys.count("head") == 1
    strides = [s.stride for s in prof.stages[:-1]]
    assert strides == sorted(strides) and strides[-1] == 32
    h = networks.info(name).input_size[1]
    for stage in prof.stages[:-1]:
        assert stage.out_shape[1] == pytest.approx(h / stage.stride, rel=0.15)


def test_resnet50_stages_are_its_conv1_to_conv5():
    _, prof = _profile("resnet50")
    assert [s.key for s in prof.stages] == ["s2", "s4", "s8", "s16", "s32", "head"]
    assert [s.units for s in prof.stages][1:5] == [4, 4, 6, 3]  # maxpool + 3, 4, 6, 3 bottlenecks
    assert prof.stages[-1].kinds["linear"].params == 2048 * 1000 + 1000


def test_macs_grow_with_the_square_of_the_resolution_and_params_do_not():
    _, small = _profile("mobilenet_v1", 160)
    _, large = _profile("mobilenet_v1", 320)
    fc = small.kinds()["linear"].macs
    assert large.params == small.params
    assert large.kinds()["linear"].macs == fc
    assert large.macs - fc == 4 * (small.macs - fc)


def test_kinds_of_a_hand_built_model():
    from effviz.blocks.layers.squeeze_excite import SqueezeExcite

    model = nn.Sequential(OrderedDict(
        stem=nn.Conv2d(3, 8, 3, padding=1),
        pw=nn.Conv2d(8, 16, 1, bias=False),
        dw=nn.Conv2d(16, 16, 3, padding=1, groups=16, bias=False),
        gc=nn.Conv2d(16, 16, 1, groups=4, bias=False),
        bn=nn.BatchNorm2d(16),
        se=SqueezeExcite(16, 4),
        pool=nn.AdaptiveAvgPool2d(1),
        flat=nn.Flatten(1),
        fc=nn.Linear(16, 10),
    ))
    prof = effviz.profile(model, (3, 8, 8))
    kinds = {r.name: r.kind for r in prof.layers}
    assert kinds == {"stem": "standard", "pw": "pointwise", "dw": "depthwise", "gc": "group", "bn": "norm",
                     "se.reduce": "se", "se.expand": "se", "fc": "linear"}
    assert prof.peak_activation == 16 * 8 * 8
    assert prof.macs == 9 * 3 * 8 * 64 + 8 * 16 * 64 + 9 * 16 * 64 + 4 * 16 * 64 + 2 * 16 * 4 + 16 * 10
    assert [s.key for s in prof.stages] == ["s1", "head"]


def test_a_real_model_profiles_like_its_meta_twin_and_is_left_as_it_was():
    torch.manual_seed(0)
    real = networks.build("mobilenet_v1", width=0.25)
    real.train()
    before = {k: v.clone() for k, v in real.state_dict().items()}
    with torch.device("meta"):
        meta = networks.build("mobilenet_v1", width=0.25)
    a, b = effviz.profile(real, (3, 96, 96)), effviz.profile(meta, (3, 96, 96))
    assert (a.params, a.macs, a.layers, a.stages) == (b.params, b.macs, b.layers, b.stages)
    assert real.training
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in real.modules())
    after = real.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)  # BatchNorm statistics untouched (eval mode)


def test_peak_activation_is_the_largest_layer_output():
    model, prof = _profile("efficientnet_lite0")
    # 16 -> 96 channels at 112x112: the expand conv of the first stride-2 block
    assert prof.peak_activation == 96 * 112 * 112
    assert prof.peak_activation_layer == "features.stage2.0.expand.conv"
    assert prof.peak_activation == max(math.prod(r.shape) for r in prof.layers)
    assert prof.peak_activation_bytes() == 4 * prof.peak_activation
    assert prof.weight_bytes(2) == 2 * prof.params


@pytest.mark.parametrize("bad", [(3, 224), (3, 0, 224), (3, 224.0, 224), "224"])
def test_bad_input_size_is_a_value_error(bad):
    model, _ = _profile("mobilenet_v1")
    with pytest.raises(ValueError, match="input_size"):
        effviz.profile(model, bad)


def test_units_follow_the_block_structure():
    _, prof = _profile("ghostnet")
    names = [u.name for u in prof.units]
    assert names[0] == "features.stem" and names[-2:] == ["pool", "classifier"]
    assert sum(u.module == "GhostBottleneck" for u in prof.units) == 16
    assert [u.stride for u in prof.units if u.module == "GhostBottleneck"].count(2) == 4


def test_members_of_a_module_list_called_by_their_parent_are_not_counted_twice():
    """A block whose forward calls the members of its ModuleList (timm's GhostModuleV3 does) and does counted
    work of its own: the ModuleList itself is never called, so its members' MACs must not land on the block."""
    class Branches(nn.Module):
        def __init__(self):
            super().__init__()
            self.convs = nn.ModuleList([nn.Conv2d(4, 4, 3, padding=1) for _ in range(3)])
            self.mix = nn.Parameter(torch.zeros(4, 4))

        def forward(self, x):
            y = sum(conv(x) for conv in self.convs)
            return torch.einsum("bchw,cd->bdhw", y, self.mix)     # the block's own work: 4 x 4 per pixel

    model = nn.Sequential(Branches())
    prof = effviz.profile(model, (4, 8, 8))
    rows = {r.name: r.macs for r in prof.layers}
    assert rows == {"0": 4 * 4 * 64, "0.convs.0": 9 * 16 * 64, "0.convs.1": 9 * 16 * 64, "0.convs.2": 9 * 16 * 64}
    assert sum(rows.values()) == prof.macs


def test_the_root_modules_own_parameters_make_a_unit_so_units_add_up():
    class Tokens(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Conv2d(3, 8, 4, stride=4)
            self.pos = nn.Parameter(torch.zeros(1, 8, 2, 2))       # the root's own, as a ViT's position embedding
            self.head = nn.Linear(8, 5)

        def forward(self, x):
            return self.head((self.embed(x) + self.pos).mean((2, 3)))

    prof = effviz.profile(Tokens(), (3, 8, 8))
    assert [u.name for u in prof.units] == ["embed", "head", ""]
    assert prof.units[-1].module == "Tokens" and prof.units[-1].params == 32
    assert sum(u.params for u in prof.units) == prof.params == 8 * 48 + 8 + 32 + 45
    assert prof.stages[-1].out_shape == (5,)


def test_a_time_limit_stops_the_count_and_leaves_no_hook_behind():
    model, _ = _profile("mobilenet_v1")
    with pytest.raises(TimeoutError, match="time limit"):
        effviz.profile(model, (3, 224, 224), time_limit=0)
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())
    assert effviz.profile(model, (3, 224, 224), time_limit=600).macs == _profile("mobilenet_v1")[1].macs
