"""The ONNX op table: every standard op is known, and every counted op's MACs equal torch's FlopCounterMode on the
same computation (MACs = its FLOPs / 2), so an ONNX file and a torch module are counted by one convention."""
from __future__ import annotations

import numpy as np
import onnx
import onnx.defs
import pytest
import torch
import torch.nn.functional as F
from onnx import helper
from torch.utils.flop_counter import FlopCounterMode

import effviz
from effviz.networks.onnxfile import ops
from tests.onnx_graphs import data, ints, model, weight


def torch_macs(fn, *args) -> int:
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        fn(*args)
    return counter.get_total_flops() // 2


def schemas() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for s in onnx.defs.get_all_schemas_with_history():
        out.setdefault(s.domain, set()).add(s.name)
    return out


def test_every_op_of_the_standard_domains_is_in_exactly_one_table():
    installed = schemas()
    assert set(installed) == set(ops.STANDARD_DOMAINS)
    tables = [set(ops.COUNTED), set(ops.ZERO), set(ops.DECLINED)]
    assert all(not (a & b) for i, a in enumerate(tables) for b in tables[i + 1:])
    known = ops.known_ops()
    for domain, names in installed.items():
        assert names == known[domain], (domain, names ^ known[domain])
        for name in names:
            assert ops.lookup(domain, name)[0] != "unknown", name


def test_ops_of_other_domains_and_unknown_names_are_unknown():
    assert ops.lookup("com.microsoft", "FusedConv") == ("unknown", "custom_domain")
    assert ops.lookup("", "FancyNewOp") == ("unknown", "unknown_op")
    assert ops.lookup("", "LinearClassifier") == ("unknown", "unknown_op")      # it lives in ai.onnx.ml
    assert ops.lookup("ai.onnx", "Conv")[0] == "counted"


def profile_of(nodes, inputs, initializers=(), opset=21):
    return effviz.profile_onnx(data(model(nodes, inputs, initializers=initializers, opset=opset)))


@pytest.mark.parametrize("c_in,c_out,k,stride,pad,dil,groups,hw", [
    (3, 8, 3, 1, 1, 1, 1, 16), (8, 16, 1, 1, 0, 1, 1, 9), (16, 16, 3, 2, 1, 1, 16, 15), (12, 24, 3, 1, 2, 2, 3, 10),
    (4, 6, 5, 3, 0, 1, 2, 17),
])
def test_conv_counts_like_torch(c_in, c_out, k, stride, pad, dil, groups, hw):
    node = helper.make_node("Conv", ["x", "w", "b"], ["y"], strides=[stride] * 2, pads=[pad] * 4,
                            dilations=[dil] * 2, group=groups)
    prof = profile_of([node], {"x": (1, c_in, hw, hw)},
                      [weight("w", c_out, c_in // groups, k, k), weight("b", c_out)])
    x, w = torch.zeros(1, c_in, hw, hw), torch.zeros(c_out, c_in // groups, k, k)
    assert prof.macs == torch_macs(F.conv2d, x, w, torch.zeros(c_out), stride, pad, dil, groups)
    assert prof.params == c_out * (c_in // groups) * k * k + c_out
    expected = "depthwise" if groups == c_in and groups > 1 else "group" if groups > 1 else \
        "pointwise" if k == 1 else "standard"
    assert prof.layers[0].kind == expected and prof.layers[0].kernel == (k, k) and prof.layers[0].groups == groups


@pytest.mark.parametrize("dims", [1, 3])
def test_conv_in_other_ranks_counts_like_torch(dims):
    shape = (1, 4) + (7,) * dims
    node = helper.make_node("Conv", ["x", "w"], ["y"], strides=[2] * dims)
    prof = profile_of([node], {"x": shape}, [weight("w", 6, 4, *(3,) * dims)])
    conv = F.conv1d if dims == 1 else F.conv3d
    assert prof.macs == torch_macs(conv, torch.zeros(shape), torch.zeros(6, 4, *(3,) * dims), None, 2)
    assert prof.layers[0].kind == "other"       # effviz's kinds are for 2-D convolutions, as in effviz.profile


@pytest.mark.parametrize("stride,groups,out_pad", [(1, 1, 0), (2, 1, 1), (2, 2, 0)])
def test_conv_transpose_counts_like_torch(stride, groups, out_pad):
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], strides=[stride] * 2, group=groups,
                            output_padding=[out_pad] * 2, pads=[1] * 4)
    prof = profile_of([node], {"x": (1, 8, 6, 6)}, [weight("w", 8, 12 // groups, 3, 3)])
    macs = torch_macs(F.conv_transpose2d, torch.zeros(1, 8, 6, 6), torch.zeros(8, 12 // groups, 3, 3), None,
                      stride, 1, out_pad, groups)
    assert prof.macs == macs


@pytest.mark.parametrize("trans_a,trans_b", [(0, 0), (0, 1), (1, 0), (1, 1)])
def test_gemm_counts_like_torch_addmm(trans_a, trans_b):
    a_shape = (7, 5) if trans_a else (5, 7)
    b_shape = (9, 7) if trans_b else (7, 9)
    node = helper.make_node("Gemm", ["a", "b", "c"], ["y"], transA=trans_a, transB=trans_b)
    prof = profile_of([node], {"a": a_shape}, [weight("b", *b_shape), weight("c", 9)])
    assert prof.macs == torch_macs(torch.addmm, torch.zeros(9), torch.zeros(5, 7), torch.zeros(7, 9))
    assert prof.params == 7 * 9 + 9 and prof.layers[0].kind == "linear"


@pytest.mark.parametrize("a,b", [((5, 7), (7, 3)), ((2, 3, 4, 5), (5, 6)), ((2, 1, 4, 5), (3, 5, 6)), ((7,), (7, 4))])
def test_matmul_counts_like_torch(a, b):
    node = helper.make_node("MatMul", ["a", "b"], ["y"])
    prof = profile_of([node], {"a": a}, [weight("b", *b)])
    assert prof.macs == torch_macs(torch.matmul, torch.zeros(a), torch.zeros(b))


@pytest.mark.parametrize("equation,shapes", [
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]), ("bhqd,bhkd->bhqk", [(1, 2, 6, 8), (1, 2, 5, 8)]),
    ("ij,jk->ik", [(3, 4), (4, 5)]), ("...ij,jk->...ik", [(2, 3, 4), (4, 6)]),
])
def test_einsum_counts_like_torch(equation, shapes):
    node = helper.make_node("Einsum", ["a", "b"], ["y"], equation=equation)
    prof = profile_of([node], {"a": shapes[0], "b": shapes[1]})
    assert prof.macs == torch_macs(torch.einsum, equation, torch.zeros(shapes[0]), torch.zeros(shapes[1]))


def test_attention_counts_like_torch_sdpa():
    q, k, v = (1, 4, 10, 16), (1, 4, 12, 16), (1, 4, 12, 8)
    node = helper.make_node("Attention", ["q", "k", "v"], ["y"])
    prof = profile_of([node], {"q": q, "k": k, "v": v}, opset=23)
    expected = torch_macs(F.scaled_dot_product_attention, torch.zeros(q), torch.zeros(k), torch.zeros(v))
    assert prof.macs == expected == 1 * 4 * 10 * 12 * (16 + 8)


@pytest.mark.parametrize("op,gates", [("RNN", 1), ("GRU", 3), ("LSTM", 4)])
def test_recurrent_layers_count_input_and_hidden_products_per_step(op, gates):
    seq, batch, n_in, hidden = 5, 2, 6, 8
    node = helper.make_node(op, ["x", "w", "r"], ["y"], hidden_size=hidden)
    prof = profile_of([node], {"x": (seq, batch, n_in)},
                      [weight("w", 1, gates * hidden, n_in), weight("r", 1, gates * hidden, hidden)])
    assert prof.macs == seq * batch * gates * hidden * (n_in + hidden)
    assert prof.params == gates * hidden * (n_in + hidden)


def test_what_is_a_parameter():
    """BatchNorm's scale and shift are parameters, its running statistics are not; a bias added with Add is one;
    a scalar constant and a Reshape's target are not; a weight used twice counts once."""
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"]),
        helper.make_node("BatchNormalization", ["c", "s", "t", "mean", "var"], ["bn"]),
        helper.make_node("Mul", ["bn", "half"], ["m"]),
        helper.make_node("Conv", ["m", "w"], ["c2"]),                       # the same weight again
        helper.make_node("Reshape", ["c2", "shape"], ["flat"]),
        helper.make_node("MatMul", ["flat", "fc"], ["mm"]),
        helper.make_node("Add", ["mm", "fc_bias"], ["y"]),
    ]
    inits = [weight("w", 4, 4, 1, 1), weight("s", 4), weight("t", 4), weight("mean", 4), weight("var", 4),
             onnx.numpy_helper.from_array(np.array(0.5, dtype=np.float32), "half"), ints("shape", [1, -1]),
             weight("fc", 64, 10), weight("fc_bias", 10)]
    prof = profile_of(nodes, {"x": (1, 4, 4, 4)}, inits)
    assert prof.params == 16 + 4 + 4 + 640 + 10
    assert prof.macs == 2 * 16 * 16 + 64 * 10
    assert prof.onnx.parameters == 5


def test_a_graph_without_module_paths_has_one_row_per_node():
    nodes = [helper.make_node("Conv", ["x", "w1"], ["a"], name="stem", strides=[2, 2], pads=[1] * 4),
             helper.make_node("Relu", ["a"], ["r"], name="relu"),
             helper.make_node("Conv", ["r", "w2"], ["b"], name="pw"),
             helper.make_node("GlobalAveragePool", ["b"], ["p"], name="pool"),
             helper.make_node("Flatten", ["p"], ["f"], name="flat"),
             helper.make_node("Gemm", ["f", "fc", "fcb"], ["y"], name="fc", transB=1)]
    inits = [weight("w1", 8, 3, 3, 3), weight("w2", 16, 8, 1, 1), weight("fc", 10, 16), weight("fcb", 10)]
    prof = profile_of(nodes, {"x": (1, 3, 32, 32)}, inits)
    assert [(r.name, r.kind, r.stage, r.shape) for r in prof.layers] == [
        ("stem", "standard", "s2", (8, 16, 16)), ("pw", "pointwise", "s2", (16, 16, 16)),
        ("fc", "linear", "head", (10,))]
    assert [s.key for s in prof.stages] == ["s2", "head"]
    assert (prof.peak_activation, prof.peak_activation_layer) == (16 * 16 * 16, "pw")
    assert prof.onnx.module_paths is False
