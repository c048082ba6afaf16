"""Memory access cost: ShuffleNet v2's closed forms, and the analytic count (read off each family's graph)
against what torch actually runs."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from effviz import blocks
from effviz.blocks.spec import BlockSpec
from effviz.speed import memory_access as ma
from tests.strategies import BY_FAMILY

sizes = st.integers(1, 64)
channels = st.integers(1, 512)


@given(h=sizes, w=sizes, c1=channels, c2=channels)
def test_1x1_conv_is_shufflenet_v2s_formula(h, w, c1, c2):
    """ShuffleNet v2, Sec. 2 G1: MAC = hw(c1 + c2) + c1 c2 for a bare 1x1 conv."""
    expected = h * w * (c1 + c2) + c1 * c2
    spec = blocks.make("standard", c_in=c1, c_out=c2, kernel=1)
    assert ma.of(spec, h, w).elements == expected
    assert ma.conv1x1(h, w, c1, c2) == expected


@given(h=sizes, w=sizes, c1=channels, c2=channels)
def test_lower_bound_holds_and_is_reached_at_equal_widths(h, w, c1, c2):
    """MAC >= 2 sqrt(hw B) + B / hw with B = hw c1 c2 (AM-GM), with equality exactly at c1 == c2."""
    b = h * w * c1 * c2
    bound = 2 * math.sqrt(h * w * b) + b / (h * w)
    assert ma.lower_bound(h, w, b) == pytest.approx(bound)
    assert ma.conv1x1(h, w, c1, c2) >= bound * (1 - 1e-12)
    same = ma.conv1x1(h, w, c1, c1)
    assert same == pytest.approx(ma.lower_bound(h, w, h * w * c1 * c1))


def test_at_fixed_macs_memory_grows_as_widths_part():
    """ShuffleNet v2's Table 1 widths at 56x56 (c1:c2 = 1:1, 1:2, 1:6, 1:12): MAC / bound grows with the ratio."""
    h = w = 56
    ratios = [ma.conv1x1(h, w, c1, c2) / ma.lower_bound(h, w, h * w * c1 * c2)
              for c1, c2 in ((128, 128), (90, 180), (52, 312), (36, 432))]
    assert ratios[0] == pytest.approx(1.0)
    assert ratios == sorted(ratios) and ratios[-1] > 1.5


@given(h=sizes, w=sizes, c=st.integers(1, 64), g=st.sampled_from([1, 2, 4, 8]))
def test_group_1x1_conv_is_shufflenet_v2s_g2_formula(h, w, c, g):
    """ShuffleNet v2, Sec. 2 G2: MAC = hw(c1 + c2) + c1 c2 / g for a 1x1 group conv."""
    c1 = c2 = c * g
    spec = blocks.make("group", c_in=c1, c_out=c2, kernel=1, groups=g)
    assert ma.of(spec, h, w).elements == h * w * (c1 + c2) + c1 * c2 // g == ma.conv1x1(h, w, c1, c2, g)


def test_bytes_are_four_per_element_and_kinds_add_up():
    spec = blocks.make("mbconv")
    m = ma.of(spec, 14, 14)
    assert m.bytes == 4 * m.elements == sum(a.bytes for a in m.layers)
    assert sum(m.by_kind().values()) == m.elements
    assert {"conv", "norm", "act", "pool", "gate", "mul", "add"} <= set(m.by_kind())


def test_every_family_has_a_model():
    assert set(ma.families()) == set(blocks.names())


CASES = [(family, {}) for family in blocks.names()] + [
    ("standard", dict(c_in=8, c_out=16, bias=True, norm=True, activation="relu6", stride=2)),
    ("group", dict(c_in=32, c_out=64, groups=8, kernel=5, norm=True, activation="hswish")),
    ("depthwise_separable", dict(c_in=8, c_out=16, norm=True, activation="hswish", stride=2)),
    ("depthwise_separable", dict(c_in=8, c_out=16, mid_relu=False)),
    ("shuffle_v1", dict(c_in=240, c_out=480, stride=2)),
    ("shuffle_v1", dict(c_in=24, c_out=240, stride=2, first_grouped=False)),
    ("shuffle_v1", dict(groups=1)),                      # shuffle with one group: a view, no copy
    ("shuffle_v2", dict(c_in=116, c_out=232, stride=2)),
    ("ghost_module", dict(c_in=16, c_out=33, ratio=3, activation="none")),   # concat then a slice
    ("ghost_module", dict(c_in=16, c_out=32, ratio=1)),  # no cheap op
    ("ghost_module", dict(c_in=16, c_out=32, kernel=3, stride=2)),
    ("ghost_bottleneck", dict(c_in=40, c_out=80, stride=2)),
    ("ghost_bottleneck", dict(se_ratio=0)),
    ("mbconv", dict(c_in=24, c_out=40, stride=2, activation="hswish")),
    ("mbconv", dict(expansion=1.0, se_ratio=0)),          # no expand conv, no SE
]
if "padding" in blocks.field_names("mbconv"):  # TensorFlow SAME padding: an explicit pad copy
    CASES += [("mbconv", dict(padding="tf_same")), ("mbconv", dict(c_in=24, c_out=40, stride=2, padding="tf_same"))]


@pytest.mark.parametrize("family, params", CASES, ids=[f"{f}-{i}" for i, (f, _) in enumerate(CASES)])
@pytest.mark.parametrize("h, w", [(8, 8), (7, 5)])
def test_analytic_walk_equals_what_torch_runs(family, params, h, w):
    """The independent check: every aten operation torch executes, its tensors' elements counted."""
    spec = blocks.make(family, **params)
    analytic = ma.of(spec, h, w)
    traced = ma.trace(spec.build(), (spec.c_in, h, w))
    assert analytic.elements == traced.elements, (analytic.by_kind(), [(a.name, a.elements) for a in traced.layers])
    conv_weights = sum(a.weights for a in analytic.layers if a.kind == "conv")
    assert sum(a.weights for a in traced.layers if a.kind.startswith("conv")) == conv_weights


def test_trace_skips_views_and_leaves_the_module_as_it_was():
    import torch
    from torch import nn

    class ViewsOnly(nn.Module):
        def forward(self, x):
            return x.reshape(1, -1).transpose(0, 1)[:3]

    assert ma.trace(ViewsOnly(), (2, 3, 3)).elements == 0
    module = nn.Sequential(nn.Conv2d(2, 2, 1), nn.BatchNorm2d(2)).train()
    ma.trace(module, (2, 1, 1))  # BatchNorm on a batch-one 1x1 map only works in eval mode
    assert module.training and not torch.is_inference_mode_enabled()


def test_unknown_family_and_bad_size():
    @dataclass(frozen=True)
    class Mystery(BlockSpec):
        family: ClassVar[str] = "mystery"
        c_in: int = 4
        c_out: int = 4
        stride: int = 1

    with pytest.raises(ValueError, match="mystery.*declares no graph.*allowed: standard"):
        ma.of(Mystery(), 8, 8)
    with pytest.raises(ValueError, match="h must be"):
        ma.of(blocks.make("standard"), 0, 8)


@settings(max_examples=30, deadline=None)
@given(c_in=st.integers(1, 16), c_out=st.integers(1, 16), k=st.sampled_from([1, 3, 5]), stride=st.sampled_from([1, 2]),
       h=st.integers(1, 12), w=st.integers(1, 12))
def test_depthwise_separable_walk_matches_trace_for_any_shape(c_in, c_out, k, stride, h, w):
    spec = blocks.make("depthwise_separable", c_in=c_in, c_out=c_out, kernel=k, stride=stride)
    assert ma.of(spec, h, w).elements == ma.trace(spec.build(), (c_in, h, w)).elements


@pytest.mark.parametrize("family", list(BY_FAMILY))
def test_graph_memory_equals_the_aten_trace_for_random_configs(family):
    @settings(max_examples=40, deadline=None)
    @given(spec=BY_FAMILY[family], h=st.integers(blocks.spec_class(family).min_size, 16),
           w=st.integers(blocks.spec_class(family).min_size, 16))
    def check(spec, h, w):
        analytic = ma.of(spec, h, w)
        traced = ma.trace(spec.build(), (spec.c_in, h, w))
        assert analytic.elements == traced.elements
        conv_weights = sum(a.weights for a in analytic.layers if a.kind == "conv")
        assert sum(a.weights for a in traced.layers if a.kind.startswith("conv")) == conv_weights

    check()
