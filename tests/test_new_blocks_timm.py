"""The three newer families against timm's own blocks, which effviz did not write: at matching settings the
parameters and MACs (torch's counter on timm's module) equal the declaration's, and with timm's weights copied in,
the outputs agree. Plus each family's closed form (its formula text, evaluated) equals the graph's cost."""
from __future__ import annotations

from functools import partial

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

import effviz
from effviz import blocks
from effviz.blocks import formulas
from tests.strategies import BY_FAMILY, sizes_for

timm_fasternet = pytest.importorskip("timm.models.fasternet")
from timm.models._efficientnet_blocks import UniversalInvertedResidual  # noqa: E402
from timm.models.ghostnet import GhostModuleV2  # noqa: E402

NEW = ("partial_conv", "uib", "ghost_v2")


def counted(module, input_size):
    return effviz.count(module, input_size)


def randomise(module, seed=0):
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for t in [*module.parameters(), *module.buffers()]:
            if t.is_floating_point():
                t.copy_(torch.rand(t.shape, generator=gen) + 0.5)


def copy_in_order(src_tensors, dst_module):
    dst = [t for t in [*dst_module.parameters(), *dst_module.buffers()]]
    assert [tuple(t.shape) for t in src_tensors] == [tuple(t.shape) for t in dst]
    with torch.no_grad():
        for a, b in zip(src_tensors, dst, strict=True):
            b.copy_(a)


def timm_block(spec):
    if spec.family == "partial_conv":
        return timm_fasternet.MLPBlock(spec.c_in, spec.n_div, spec.expansion, 0.0, 0.0,
                                       act_layer=partial(nn.ReLU, inplace=True))
    if spec.family == "uib":
        return UniversalInvertedResidual(spec.c_in, spec.c_out, spec.dw_start, spec.dw_mid, stride=spec.stride,
                                         exp_ratio=spec.expansion, act_layer=nn.ReLU, layer_scale_init_value=None)
    return GhostModuleV2(spec.c_in, spec.c_out, spec.kernel, spec.ratio, spec.dw_kernel, spec.stride)


def timm_tensors_in_graph_order(spec, module):
    """timm's parameters and buffers in the order effviz's graph declares them."""
    if spec.family == "partial_conv":  # timm defines the MLP before the partial conv
        params = [module.spatial_mixing.partial_conv3.weight, *module.mlp.parameters()]
        return params + list(module.buffers())
    return [*module.parameters(), *module.buffers()]


@st.composite
def matching(draw):
    """Specs at settings timm's block has: FasterNet's block keeps c (c_out = c_in, 3 x 3, ReLU); UIB with ReLU;
    GhostModuleV2 with its ReLU."""
    family = draw(st.sampled_from(NEW))
    spec = draw(BY_FAMILY[family])
    if family == "partial_conv":
        spec = blocks.make("partial_conv", **{**spec.params_dict(), "c_out": spec.c_in, "kernel": 3,
                                              "activation": "relu"})  # timm: PConv is 3 x 3
    elif family == "uib":
        spec = blocks.make("uib", **{**spec.params_dict(), "activation": "relu"})
    else:
        spec = blocks.make("ghost_v2", **{**spec.params_dict(), "activation": "relu",
                                          "ratio": max(2, spec.ratio)})  # timm: ratio 1 would make a 0-wide conv
    return spec


@settings(max_examples=60, deadline=None)
@given(spec=matching(), data=st.data())
def test_params_and_macs_equal_timms_block(spec, data):
    h = data.draw(sizes_for(spec.family))
    w = data.draw(sizes_for(spec.family))
    with torch.device("meta"):
        theirs = timm_block(spec)
    measured = counted(theirs, (spec.c_in, h, w))
    cost = spec.cost(h, w)
    assert (cost.params, cost.macs) == (measured.params, measured.macs)


@pytest.mark.parametrize("family, params, size", [
    ("partial_conv", dict(c_in=40, c_out=40, n_div=4, expansion=2.0), (14, 14)),
    ("partial_conv", dict(c_in=19, c_out=19, n_div=4, kernel=3, expansion=1.5), (9, 7)),
    ("uib", dict(c_in=32, c_out=32, dw_start=3, dw_mid=5), (12, 12)),
    ("uib", dict(c_in=24, c_out=48, dw_start=5, dw_mid=0, stride=2), (15, 10)),
    ("uib", dict(c_in=16, c_out=40, dw_start=0, dw_mid=3, stride=2, expansion=6.0), (11, 11)),
    ("uib", dict(c_in=24, c_out=24, dw_start=0, dw_mid=0, expansion=2.0), (8, 8)),
    ("ghost_v2", dict(c_in=16, c_out=40, kernel=1, ratio=2, dw_kernel=3), (14, 14)),
    ("ghost_v2", dict(c_in=12, c_out=25, kernel=3, ratio=3, dw_kernel=5, stride=2), (13, 9)),
])
def test_outputs_equal_timms_block_with_its_weights(family, params, size):
    spec = blocks.make(family, **params)
    theirs, ours = timm_block(spec).eval(), spec.build().eval()
    randomise(theirs)
    copy_in_order(timm_tensors_in_graph_order(spec, theirs), ours)
    x = torch.randn(2, spec.c_in, *size, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        torch.testing.assert_close(ours(x), theirs(x), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("family", NEW)
def test_closed_form_formula_evaluates_to_the_cost(family):
    @settings(max_examples=60, deadline=None)
    @given(spec=BY_FAMILY[family], h=sizes_for(family), w=sizes_for(family))
    def check(spec, h, w):
        cost = spec.cost(h, w)
        params, macs = formulas.formulas(spec, h, w)
        assert eval(params.expression) == params.total == cost.params  # noqa: S307 (our own arithmetic)
        assert eval(macs.expression) == macs.total == cost.macs  # noqa: S307
        assert params.numeric.endswith(formulas.number(cost.params))

    check()


def test_pconv_at_quarter_is_a_sixteenth_of_a_full_conv_and_a_quarter_of_its_traffic():
    """FasterNet Sec. 3.1: with r = 1/4, PConv's FLOPs are 1/16 of a regular conv's and its memory access
    about 1/4 (h w 2 c_p against h w 2 c, weights aside)."""
    from effviz.speed import memory_access as ma

    c, h = 64, 56
    spec = blocks.make("partial_conv", c_in=c, c_out=c, n_div=4)
    pconv = spec.graph(h, h).node("pconv")
    full = blocks.make("standard", c_in=c, c_out=c, kernel=3).graph(h, h).node("conv")
    assert full.macs == 16 * pconv.macs
    feature_pconv = pconv.access.inputs + pconv.access.outputs
    feature_full = full.access.inputs + full.access.outputs
    assert feature_full == 4 * feature_pconv
    assert ma.of(spec, h, h).elements == sum(n.memory for n in spec.graph(h, h).nodes)


def test_uib_variants_and_their_refusals():
    assert [blocks.make("uib", dw_start=a, dw_mid=b).variant for a, b in ((3, 3), (0, 3), (5, 0), (0, 0))] == [
        "extra_dw", "ib", "convnext", "ffn"]
    with pytest.raises(ValueError, match="stride 2 needs a depthwise conv"):
        blocks.make("uib", dw_start=0, dw_mid=0, stride=2)
    with pytest.raises(ValueError, match="dw_mid must be one of"):
        blocks.make("uib", dw_mid=4)


def test_partial_conv_and_ghost_v2_refusals():
    with pytest.raises(ValueError, match="stride must be 1"):
        blocks.make("partial_conv", stride=2)
    with pytest.raises(ValueError, match="n_div must be 1..16"):
        blocks.make("partial_conv", n_div=0)
    with pytest.raises(ValueError, match="h must be 2..4096"):
        blocks.make("ghost_v2").cost(1, 8)
