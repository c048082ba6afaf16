"""Running an ONNX file with onnxruntime, on the CPU, after effviz has checked it.

    sess, graph = session(path_or_bytes, threads=1)   # ValueError for a refused file or a failing session

The file goes through effviz.networks.onnxfile.reading.read first: a file refused there (too large, not ONNX, external
data, a cycle, tensors over the limit) never reaches onnxruntime, so onnxruntime is never asked to open a path a
file names. onnxruntime gets the bytes, the CPU execution provider only, and no custom-op libraries; a model it
cannot load (an op it does not implement, a custom domain) is a ValueError naming the problem."""
from __future__ import annotations

from effviz.networks.onnxfile.reading import MAX_BYTES, Graph, read
from effviz.problems import Problem
from effviz.uploads import Source, read_bounded


def session(source: Source, threads: int = 1, input_size=None):
    """(onnxruntime.InferenceSession, checked Graph) of an ONNX file with `threads` intra-op threads."""
    import onnxruntime as ort

    if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
        raise ValueError(f"threads must be a positive int, got {threads!r}")
    data, _ = read_bounded(source, MAX_BYTES, "ONNX file")
    graph = read(data, input_size)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3                       # errors only; failures come back as exceptions
    try:
        sess = ort.InferenceSession(data, sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as err:  # noqa: BLE001 - onnxruntime raises its own exception types
        text = str(err).strip().splitlines()
        raise Problem("onnx_ort_load", detail=text[0][:300] if text else repr(err)) from None
    return sess, graph


def input_array(graph: Graph, seed: int = 0):
    """A random float input of the graph's profiled input shape (numpy), for timing."""
    import numpy as np
    from onnx.helper import tensor_dtype_to_np_dtype

    dtype = tensor_dtype_to_np_dtype(graph.dtypes.get(graph.input_name, 1))
    rng = np.random.default_rng(seed)
    if np.issubdtype(dtype, np.floating):
        return rng.standard_normal(graph.input_shape).astype(dtype)
    return np.zeros(graph.input_shape, dtype=dtype)


def feed(sess, graph: Graph) -> dict:
    """The inputs of one run of `sess`: input_array for the graph's image input, zeros for any other input (their
    shapes are fixed, checked by read; a dynamic dim is 1)."""
    import numpy as np

    inputs = {graph.input_name: input_array(graph)}
    for extra in sess.get_inputs():
        if extra.name not in inputs:
            shape = [d if isinstance(d, int) and d > 0 else 1 for d in extra.shape]
            inputs[extra.name] = np.zeros(shape, dtype=np.float32 if "float" in extra.type else np.int64)
    return inputs
