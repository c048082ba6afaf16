"""Small ONNX models written with onnx.helper, for the op table's tests and the bad-file corpus."""
from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def weight(name: str, *shape: int, seed: int = 0, dtype=np.float32):
    return numpy_helper.from_array(np.random.default_rng(seed).standard_normal(shape).astype(dtype), name)


def ints(name: str, values) -> onnx.TensorProto:
    return numpy_helper.from_array(np.asarray(values, dtype=np.int64), name)


def model(nodes, inputs, outputs=None, initializers=(), opset: int = 21, extra_opsets=(), ir_version=None,
          value_info=()) -> onnx.ModelProto:
    """A model of `nodes`; inputs: {name: shape} (float, None dims are dynamic), outputs: names (untyped)."""
    ins = [helper.make_tensor_value_info(n, TensorProto.FLOAT, list(s) if s is not None else None)
           for n, s in inputs.items()]
    outs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in (outputs or [nodes[-1].output[0]])]
    graph = helper.make_graph(nodes, "g", ins, outs, list(initializers), value_info=list(value_info))
    opsets = [helper.make_opsetid("", opset), *(helper.make_opsetid(d, v) for d, v in extra_opsets)]
    m = helper.make_model(graph, opset_imports=opsets, producer_name="tests")
    if ir_version is not None:
        m.ir_version = ir_version
    return m


def data(m: onnx.ModelProto) -> bytes:
    return m.SerializeToString()


def die(code: int = 3):
    """Ends the process at once, as a crash in C++ code would (for effviz.networks.onnxfile.isolated's test)."""
    import os

    os._exit(code)


def sleep(seconds: float):
    import time

    time.sleep(seconds)
