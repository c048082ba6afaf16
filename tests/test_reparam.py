"""Re-parameterisation (effviz.blocks.reparam): the folded block computes what its training form computes (to
1e-5 relative, eval mode, random inputs and random BN statistics), its costs are its graphs' and torch's, the
branches' kernels add up; whole networks folded by timm have the params the zoo registry expects."""
from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import effviz
from effviz import networks
from effviz.blocks import reparam


@st.composite
def rep_specs(draw):
    g = draw(st.sampled_from([1, 1, 2, 4]))
    c_in = g * draw(st.integers(1, 8))
    same = draw(st.booleans())
    c_out = c_in if same else g * draw(st.integers(1, 8))
    depthwise = draw(st.booleans()) and same
    return reparam.RepSpec(c_in=c_in, c_out=c_out, kernel=draw(st.sampled_from([3, 5, 7])),
                           stride=draw(st.sampled_from([1, 2])), groups=c_in if depthwise else g)


@settings(max_examples=40, deadline=None)
@given(spec=rep_specs(), h=st.integers(1, 20), w=st.integers(1, 20), seed=st.integers(0, 10))
def test_folded_block_equals_training_form(spec, h, w, seed):
    block = spec.build(seed)
    block.train()
    c = reparam.compare(block, (spec.c_in, h, w), seed=seed)
    assert block.training, "compare restores the block's mode"
    assert c.max_rel <= 1e-5, (c.max_abs, c.max_rel)
    # the branches add up to the folded kernel; the 1x1 sits at the centre; the identity is one 1 per channel
    f = c.folding
    torch.testing.assert_close(sum(b.kernel for b in f.branches), f.kernel)
    k, mid = spec.kernel, spec.kernel // 2
    point = next(b for b in f.branches if b.name == "pointwise").raw
    off_centre = point.clone()
    off_centre[:, :, mid, mid] = 0
    assert not off_centre.any()
    names = [b.name for b in f.branches]
    assert names == (["dense", "pointwise", "identity"] if spec.identity else ["dense", "pointwise"])
    if spec.identity:
        ident = f.branches[2].raw
        assert int(ident.sum()) == spec.c_out and int((ident != 0).sum()) == spec.c_out
    # costs: each graph's count is torch's count of the module it describes
    for graph_cost, module in ((c.train, block), (c.deploy, f.module)):
        counted = effviz.count(module, (spec.c_in, h, w))
        assert (graph_cost.params, graph_cost.macs) == (counted.params, counted.macs)
    assert c.deploy.params < c.train.params and c.deploy.macs < c.train.macs
    assert c.deploy.params == k * k * spec.c_in // spec.groups * spec.c_out + spec.c_out


def test_a_wrong_fold_is_caught():
    """The check can fail: drop the identity branch from the folded kernel and the outputs differ."""
    spec = reparam.RepSpec(c_in=8, c_out=8)
    block = spec.build(1)
    f = reparam.fold(block)
    with torch.no_grad():
        f.module[0].weight.sub_(f.branches[2].kernel)
    x = torch.randn(1, 8, 9, 9)
    with torch.no_grad():
        assert (block.eval()(x) - f.module(x)).abs().max() > 1e-3


def test_invalid_specs_name_the_parameter():
    with pytest.raises(ValueError, match="groups=3 must divide"):
        reparam.RepSpec(c_in=8, c_out=8, groups=3)
    with pytest.raises(ValueError, match="kernel must be odd"):
        reparam.RepSpec(kernel=4)
    with pytest.raises(ValueError, match="input_size channels"):
        reparam.compare(reparam.RepSpec().build(), (3, 8, 8))


@pytest.mark.slow
@pytest.mark.parametrize("arch", reparam.NETWORKS)
def test_reparameterize_model_gives_fewer_params_and_the_registrys(arch):
    train, deploy = reparam.network_costs(arch)
    assert deploy.params < train.params and deploy.macs <= train.macs
    if arch in networks.names():  # repvgg_a0 is in the zoo in its deployed form
        with torch.device("meta"):
            zoo = networks.build(arch)
        assert deploy.params == sum(p.numel() for p in zoo.parameters())
        pub = networks.info(arch).published()
        assert abs(deploy.params - pub.params) <= pub.tolerance("params", 0.0)
        assert abs(deploy.macs - pub.macs) <= pub.tolerance("macs", 0.0)
