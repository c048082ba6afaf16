"""ONNX files, read safely and profiled exactly.

    prof = effviz.profile_onnx("mobilenet.onnx")          # the same Profile as effviz.profile
    prof.onnx.not_counted                                  # ops whose work is not counted, by name

The counter only parses: the `onnx` package reads the protobuf, `onnx.shape_inference` derives the shapes, and
effviz's own op table (effviz.networks.onnxfile.ops) turns shapes into params and MACs. Nothing in the file is executed,
and no path the file names (external data) is ever read. Importing this package imports neither onnx nor torch.

    reading.py         the checks and the graph: size limit, parse, external data, tensor sizes, cycles, input sizes
    ops.py             op type -> handler: which inputs are parameters, how many MACs (every standard ONNX op listed)
    onnx_profiling.py  nodes grouped into layers, units and stages as effviz.networks.profiling does for a torch module
"""
from __future__ import annotations

__all__ = ["profile_onnx"]


def profile_onnx(source, input_size=None):
    """See effviz.networks.onnxfile.onnx_profiling.profile_onnx."""
    from effviz.networks.onnxfile.onnx_profiling import profile_onnx as _profile_onnx

    return _profile_onnx(source, input_size)
