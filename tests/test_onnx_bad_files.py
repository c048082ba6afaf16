"""Bad ONNX files: each is refused with a ValueError naming the problem (or profiles, with what it cannot count
listed), and a good file still works afterwards in the same process. The corpus is generated here."""
from __future__ import annotations

import builtins
import io
import os
import pickle

import numpy as np
import pytest
from onnx import TensorProto, helper

import effviz
from effviz.networks.onnxfile import reading, runtime
from effviz.speed import onnx_timing
from tests.onnx_graphs import data, ints, model, weight


def good() -> bytes:
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], pads=[1] * 4),
             helper.make_node("Relu", ["c"], ["r"]),
             helper.make_node("GlobalAveragePool", ["r"], ["p"]),
             helper.make_node("Flatten", ["p"], ["f"]),
             helper.make_node("Gemm", ["f", "fc"], ["y"], transB=1)]
    return data(model(nodes, {"x": (1, 3, 16, 16)}, initializers=[weight("w", 8, 3, 3, 3), weight("fc", 10, 8)]))


GOOD_MACS = 8 * 27 * 16 * 16 + 80


def external(location: str) -> bytes:
    w = weight("w", 8, 3, 3, 3)
    w.ClearField("raw_data")
    w.data_location = TensorProto.EXTERNAL
    for key, value in (("location", location), ("offset", "0"), ("length", str(8 * 27 * 4))):
        entry = w.external_data.add()
        entry.key, entry.value = key, value
    return data(model([helper.make_node("Conv", ["x", "w"], ["y"])], {"x": (1, 3, 8, 8)}, initializers=[w]))


def cycle() -> bytes:
    nodes = [helper.make_node("Add", ["x", "b"], ["a"], name="first"),
             helper.make_node("Relu", ["a"], ["b"], name="second")]
    return data(model(nodes, {"x": (1, 3, 4, 4)}, outputs=["b"]))


def custom_op() -> bytes:
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"]),
             helper.make_node("MagicActivation", ["c"], ["y"], domain="com.example", name="magic")]
    return data(model(nodes, {"x": (1, 3, 8, 8)}, initializers=[weight("w", 4, 3, 1, 1)],
                      extra_opsets=[("com.example", 1)]))


def dynamic(shape=("N", 3, "H", "W")) -> bytes:
    m = model([helper.make_node("Conv", ["x", "w"], ["y"], pads=[1] * 4)], {"x": (1, 3, 8, 8)},
              initializers=[weight("w", 4, 3, 3, 3)])
    dims = m.graph.input[0].type.tensor_type.shape.dim
    for d, value in zip(dims, shape, strict=True):
        if isinstance(value, str):
            d.dim_param = value
        else:
            d.dim_value = value
    return data(m)


def huge_input() -> bytes:
    return data(model([helper.make_node("Relu", ["x"], ["y"])], {"x": (1, 3, 100_000, 100_000)}))


def huge_initializer() -> bytes:
    w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[100_000, 100_000, 3, 3], raw_data=b"\0" * 16)
    return data(model([helper.make_node("Conv", ["x", "w"], ["y"])], {"x": (1, 3, 8, 8)}, initializers=[w]))


def short_initializer() -> bytes:
    w = weight("w", 8, 3, 3, 3)
    w.raw_data = w.raw_data[:100]
    return data(model([helper.make_node("Conv", ["x", "w"], ["y"])], {"x": (1, 3, 8, 8)}, initializers=[w]))


def huge_inferred() -> bytes:
    nodes = [helper.make_node("Expand", ["x", "shape"], ["y"])]
    return data(model(nodes, {"x": (1, 1, 1, 1)}, initializers=[ints("shape", [1, 64, 100_000, 100_000])]))


def two_producers() -> bytes:
    nodes = [helper.make_node("Relu", ["x"], ["y"]), helper.make_node("Sigmoid", ["x"], ["y"])]
    return data(model(nodes, {"x": (1, 3, 4, 4)}))


def dangling() -> bytes:
    return data(model([helper.make_node("Add", ["x", "ghost"], ["y"])], {"x": (1, 3, 4, 4)}))


def future_opset() -> bytes:
    return data(model([helper.make_node("Relu", ["x"], ["y"])], {"x": (1, 3, 4, 4)}, opset=999))


def no_input() -> bytes:
    return data(model([helper.make_node("Constant", [], ["y"], value_float=1.0)], {}))


def sequence_input() -> bytes:
    return data(model([helper.make_node("Relu", ["x"], ["y"])], {"x": ("N", 7, "L")}))


def control_flow() -> bytes:
    branch = helper.make_graph([helper.make_node("MatMul", ["x", "x"], ["o"])], "branch", [],
                               [helper.make_tensor_value_info("o", TensorProto.FLOAT, None)])
    nodes = [helper.make_node("ReduceMax", ["x"], ["m"], keepdims=0),
             helper.make_node("Cast", ["m"], ["cond"], to=TensorProto.BOOL),
             helper.make_node("If", ["cond"], ["y"], then_branch=branch, else_branch=branch, name="branchy")]
    return data(model(nodes, {"x": (4, 4)}))


REFUSED = [  # (id, bytes, what the message must say)
    ("empty", b"", "empty"),
    ("text", b"these are my lecture notes, not a network\n" * 40, "not an ONNX model"),
    ("junk", np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8).tobytes(), "not an ONNX model"),
    ("truncated", good()[: len(good()) // 2], "truncated"),
    ("pickle", pickle.dumps({"weights": [1, 2, 3]}), "not an ONNX model"),
    ("png", b"\x89PNG\r\n\x1a\n" + bytes(200), "not an ONNX model"),
    ("external data", external("weights.bin"), "external data"),
    ("cycle", cycle(), "cycle"),
    ("huge input", huge_input(), "limit for one tensor"),
    ("huge initializer", huge_initializer(), "declares shape"),
    ("short initializer", short_initializer(), "truncated or corrupted"),
    ("huge inferred shape", huge_inferred(), "would have shape"),
    ("two producers", two_producers(), "two producers"),
    ("dangling reference", dangling(), "no node, input or initializer"),
    ("future opset", future_opset(), "newer"),
    ("no input", no_input(), "no input"),
    ("dynamic non-image", sequence_input(), "give input_size"),
]


@pytest.mark.parametrize("name,payload,message", REFUSED, ids=[r[0] for r in REFUSED])
def test_a_bad_file_is_refused_naming_the_problem(name, payload, message):
    with pytest.raises(ValueError, match=message):
        effviz.profile_onnx(payload)


def test_external_data_is_refused_without_opening_the_path_it_names(tmp_path, monkeypatch):
    target = tmp_path / "secret.bin"
    target.write_bytes(bytes(8 * 27 * 4))
    opened = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    monkeypatch.setattr(os, "stat", lambda *a, **k: pytest.fail(f"os.stat{a}"))
    with pytest.raises(ValueError, match="external data") as err:
        effviz.profile_onnx(external(str(target)))
    assert str(target) not in str(err.value)
    assert not any("secret" in p for p in opened)


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.onnx"
    path.write_bytes(good())
    monkeypatch.setattr(reading, "MAX_BYTES", 100)
    with pytest.raises(ValueError, match="limit"):
        effviz.profile_onnx(path)
    with pytest.raises(ValueError, match="limit"):
        effviz.profile_onnx(io.BytesIO(good()))


def test_a_custom_op_is_listed_as_not_counted_and_the_rest_is_counted():
    prof = effviz.profile_onnx(custom_op())
    assert prof.macs == 4 * 3 * 64 and prof.params == 12
    [skipped] = prof.onnx.not_counted
    assert (skipped.op_type, skipped.domain, skipped.reason, skipped.nodes) == \
        ("MagicActivation", "com.example", "custom_domain", ("magic",))


def test_control_flow_with_counted_ops_inside_is_listed_as_not_counted():
    prof = effviz.profile_onnx(control_flow())
    assert [(n.op_type, n.reason) for n in prof.onnx.not_counted] == [("If", "control_flow")]


def test_dynamic_image_dims_default_to_224_or_take_input_size():
    prof = effviz.profile_onnx(dynamic())
    assert prof.onnx.input_shape == (1, 3, 224, 224)
    assert prof.onnx.defaulted == ((0, 1), (2, 224), (3, 224))
    assert prof.macs == 4 * 27 * 224 * 224 and prof.input_size == (3, 224, 224)
    small = effviz.profile_onnx(dynamic(), (3, 32, 48))
    assert small.macs == 4 * 27 * 32 * 48 and small.onnx.defaulted == ((0, 1), (2, 32), (3, 48))
    with pytest.raises(ValueError, match="input_size"):
        effviz.profile_onnx(dynamic(), (3, 32))
    with pytest.raises(ValueError, match="does not fit"):
        effviz.profile_onnx(dynamic(), (4, 32, 32))          # channels are fixed at 3
    with pytest.raises(ValueError, match="at most"):
        effviz.profile_onnx(dynamic(), (3, 100_000, 100_000))


def test_a_session_onnxruntime_cannot_create_is_a_value_error():
    prof = effviz.profile_onnx(custom_op())            # profiles fine ...
    assert prof.onnx.not_counted
    with pytest.raises(ValueError, match="onnxruntime could not load"):
        runtime.session(custom_op())                    # ... but onnxruntime has no such op
    sess, graph = runtime.session(good())
    out = sess.run(None, {graph.input_name: runtime.input_array(graph)})
    assert out[0].shape == (1, 10)


def test_one_bad_file_after_another_then_a_good_one():
    for _, payload, message in REFUSED:
        with pytest.raises(ValueError, match=message):
            effviz.profile_onnx(payload)
    assert effviz.profile_onnx(custom_op()).onnx.not_counted
    assert effviz.profile_onnx(good()).macs == GOOD_MACS


def test_onnxruntime_latency_of_a_file():
    lat = onnx_timing.measure(good(), threads=1, min_run_time=0.02, warmup=1, min_repeats=3)
    assert lat.threads == 1 and lat.input_size == (3, 16, 16) and lat.batch == 1
    assert lat.repeats >= 3 and lat.number >= 1 and 0 < lat.q1 <= lat.median <= lat.q3
    with pytest.raises(ValueError, match="min_run_time"):
        onnx_timing.measure(good(), min_run_time=0)
    with pytest.raises(ValueError, match="threads"):
        runtime.session(good(), threads=0)


def test_the_isolated_reader_survives_a_crash_and_a_hang_and_reads_good_files():
    from effviz.networks.onnxfile import isolated
    from tests import onnx_graphs

    with pytest.raises(ValueError, match="stopped on this file .exit code 3"):
        isolated.run(onnx_graphs.die, (3,))
    with pytest.raises(ValueError, match="longer than the limit of 1 s"):
        isolated.run(onnx_graphs.sleep, (30,), timeout=1)
    with pytest.raises(ValueError, match="external data"):
        isolated.profile_onnx(external("weights.bin"))
    assert isolated.profile_onnx(good()) == effviz.profile_onnx(good())


def test_a_spawned_child_does_not_run_the_page_that_started_it(page_as_main):
    """Streamlit runs app.py as the module `__main__` with app.py's __file__, and spawn runs the parent's `__main__`
    file again in the child first: the ONNX reader's and the peak-memory measurement's children ran the whole app
    without a session (its imports, its "missing ScriptRunContext" warnings in the server's log, its background
    warm-up beside the measurement). The timing process had this mended in issue 21; isolated.spawned had not."""
    from effviz.networks.onnxfile import isolated

    status, pid = isolated.spawned(os.getpid, (), 60)
    assert status == "ok" and pid != os.getpid()
    assert not page_as_main.exists()
