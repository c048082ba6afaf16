"""Analytic costs against torch's own counter, for every family, over many random valid configurations: the
block graph (each family's one declaration) sums to the cost, has the hand-written module's layers in the same
order, and each of its convolutions has the params, MACs and output shape torch measures for that layer."""
from __future__ import annotations

from fractions import Fraction

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import effviz
from effviz import blocks
from effviz.blocks import theory
from effviz.blocks.counting import counted_forward
from effviz.blocks.layers.graph_module import GraphModule, structure_of
from tests.strategies import BY_FAMILY, sizes_for


def test_registry_lists_the_families_in_order():
    assert blocks.names() == ["standard", "group", "depthwise_separable", "shuffle_v1", "shuffle_v2",
                              "ghost_module", "ghost_bottleneck", "mbconv", "partial_conv", "uib", "ghost_v2"]
    assert set(BY_FAMILY) == set(blocks.names()), "every family needs a hypothesis strategy"


def test_registry_refuses_a_duplicate_family():
    with pytest.raises(ValueError, match="already registered"):
        blocks.register(blocks.spec_class("standard"))


def measured(spec, h, w):
    with torch.device("meta"):
        module = spec.build()
    return module, effviz.count(module, (spec.c_in, h, w))


def measured_convs(module, input_size) -> list[tuple[int, int, tuple]]:
    """(params, MACs, output shape) of every Conv2d in definition order, from torch's counter and forward hooks."""
    convs = [(name, m) for name, m in module.named_modules() if isinstance(m, torch.nn.Conv2d)]
    shapes: dict[str, tuple] = {}

    def remember(name):
        def hook(mod, args, out) -> None:
            shapes.setdefault(name, tuple(out.shape[1:]))
        return hook

    hooks = [m.register_forward_hook(remember(name)) for name, m in convs]
    try:
        counter = counted_forward(module, torch.zeros((1, *input_size), device="meta"))
    finally:
        for hook in hooks:
            hook.remove()
    flops, root = counter.get_flop_counts(), type(module).__name__
    return [(sum(p.numel() for p in m.parameters()), sum(flops.get(f"{root}.{name}", {}).values()) // 2,
             shapes[name]) for name, m in convs]


@pytest.mark.parametrize("family", list(BY_FAMILY))
def test_analytic_equals_counted(family):
    @settings(max_examples=40, deadline=None)
    @given(spec=BY_FAMILY[family], h=sizes_for(family), w=sizes_for(family))
    def check(spec, h, w):
        cost = spec.cost(h, w)
        module, counted = measured(spec, h, w)
        assert cost.params == counted.params == sum(p.numel() for p in module.parameters())
        assert cost.macs == counted.macs
        assert cost.flops == 2 * cost.macs
        # The named parts add up and match the module's own children where the names agree.
        assert sum(p.params for p in cost.parts.values()) == cost.params
        assert sum(p.macs for p in cost.parts.values()) == cost.macs
        # (a family built by the generic GraphModule has one child, "layers": its convs are checked one by one
        # below instead)
        for name, part in ({} if isinstance(module, GraphModule) else counted.parts).items():
            expected = cost.parts.get(name)
            if expected is None:
                assert part.params == part.macs == 0, name
            else:
                assert (part.params, part.macs) == (expected.params, expected.macs), name
        # Output shape from the spec equals what the module produces.
        with torch.no_grad():
            y = module.eval()(torch.zeros(1, spec.c_in, h, w, device="meta"))
        assert tuple(y.shape[1:]) == spec.output_shape(h, w)
        # The graph: its nodes add up to the cost, its layers are the module's, node by node as torch counts.
        graph = spec.graph(h, w)
        assert (graph.params, graph.macs) == (cost.params, cost.macs)
        assert graph.output_shape == spec.output_shape(h, w) and graph.input_shape == (spec.c_in, h, w)
        assert structure_of(module) == graph.structure()
        convs = [(n.params, n.macs, n.shape) for n in graph.nodes if n.op == "conv"]
        assert convs == measured_convs(module, (spec.c_in, h, w))

    check()


def test_count_runs_on_real_weights_too():
    spec = blocks.make("mbconv", c_in=8, c_out=8, expansion=2.0)
    module = spec.build()
    assert effviz.count(module, (8, 10, 10)).macs == spec.cost(10, 10).macs
    assert module.training, "count must leave the module's mode as it found it"


def test_seed_example_112_vs_46():
    standard = blocks.make("standard", c_in=3, c_out=4, kernel=3, bias=True)
    separable = blocks.make("depthwise_separable", c_in=3, c_out=4, kernel=3, bias=True)
    assert standard.cost(64, 64).params == 112
    parts = separable.cost(64, 64).parts
    assert (parts["depthwise"].params, parts["pointwise"].params) == (30, 16)
    assert separable.cost(64, 64).params == 46
    for spec in (standard, separable):  # and torch agrees, on a real module
        assert sum(p.numel() for p in spec.build().parameters()) == spec.cost(64, 64).params


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 512), m=st.integers(1, 512), k=st.sampled_from([3, 5, 7]), hw=st.integers(1, 64))
def test_depthwise_separable_ratio(n, m, k, hw):
    std = blocks.make("standard", c_in=m, c_out=n, kernel=k).cost(hw, hw).macs
    dws = blocks.make("depthwise_separable", c_in=m, c_out=n, kernel=k).cost(hw, hw).macs
    assert Fraction(dws, std) == theory.depthwise_separable_ratio(n, k) == Fraction(1, n) + Fraction(1, k * k)


@settings(max_examples=200, deadline=None)
@given(c=st.integers(1, 256), m=st.integers(1, 64), s=st.integers(1, 6), k=st.sampled_from([1, 3]),
       d=st.sampled_from([1, 3, 5]), hw=st.integers(1, 32))
def test_ghost_speedup_formula(c, m, s, k, d, hw):
    n = m * s  # s divides n: the formula is exact
    std = blocks.make("standard", c_in=c, c_out=n, kernel=k).cost(hw, hw).macs
    ghost = blocks.make("ghost_module", c_in=c, c_out=n, kernel=k, ratio=s, dw_kernel=d).cost(hw, hw).macs
    assert Fraction(std, ghost) == theory.ghost_speedup(c, k, s, d)


def test_ghost_speedup_tends_to_s():
    for s in (2, 3, 4):
        assert abs(float(theory.ghost_speedup(4096, 3, s, 3)) - s) < 0.01 * s
        assert theory.ghost_speedup(16, 1, s, 3) < s


@settings(max_examples=200, deadline=None)
@given(m=st.integers(1, 256), n=st.integers(1, 64), hw=st.integers(1, 32))
def test_mnasnet_5x5_beats_two_3x3_exactly_when_n_exceeds_7(m, n, hw):
    five = blocks.make("depthwise_separable", c_in=m, c_out=n, kernel=5).cost(hw, hw).macs
    three = blocks.make("depthwise_separable", c_in=m, c_out=n, kernel=3).cost(hw, hw).macs
    assert five == theory.mnas_5x5_cost(hw, hw, m, n)
    assert 2 * three == theory.mnas_two_3x3_cost(hw, hw, m, n)
    assert (five < 2 * three) == (n > theory.mnas_crossover())


@pytest.mark.parametrize("family, params, names", [
    ("group", dict(c_in=64, c_out=48, groups=5), ["groups=5", "c_in=64", "c_out=48", "[1, 2, 4, 8, 16]"]),
    ("ghost_module", dict(ratio=0), ["ratio", "1..8"]),
    ("standard", dict(kernel=0), ["kernel", "1..15"]),
    ("standard", dict(kernel=4), ["kernel", "odd"]),
    ("standard", dict(stride=3), ["stride", "1, 2"]),
    ("standard", dict(c_in=-5), ["c_in", "1..8192"]),
    ("standard", dict(c_in=2.5), ["c_in", "integer"]),
    ("mbconv", dict(activation="gelu"), ["activation", "relu, relu6, hswish, swish"]),
    ("mbconv", dict(expansion=0.5), ["expansion", "1 to 16"]),
    ("shuffle_v1", dict(c_in=240, c_out=480, stride=1), ["c_out must equal c_in=240"]),
    ("shuffle_v1", dict(c_in=240, c_out=240, groups=7), ["groups=7", "valid groups"]),
    ("shuffle_v2", dict(c_in=116, c_out=115, stride=2), ["c_out must be even"]),
    ("standard", dict(dw_kernel=3), ["no parameter dw_kernel", "allowed: c_in"]),
])
def test_invalid_input_names_the_parameter_and_allowed_values(family, params, names):
    with pytest.raises(ValueError) as err:
        blocks.make(family, **params)
    for text in names:
        assert text in str(err.value)


def test_unknown_family_lists_the_families():
    with pytest.raises(ValueError, match="allowed: standard, group"):
        blocks.make("inception")


def test_cost_rejects_bad_sizes():
    spec = blocks.make("standard")
    for h in (0, -1, 10**6):
        with pytest.raises(ValueError, match="h must be"):
            spec.cost(h, 8)
