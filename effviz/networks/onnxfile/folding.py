"""Shape arithmetic folded to constants, so that shape inference can see through it.

torch.onnx.export(..., optimize=False) leaves the exporter's shape arithmetic in the graph (a Reshape of a
Constant for ReduceMean's axes, Shape -> Gather -> Concat for a view's target). onnx.shape_inference propagates
some of that (data_prop) but not all (not Reshape, for one), and every shape downstream of a gap is lost. Here
effviz evaluates, with numpy, the few integer ops that such arithmetic uses, on tensors of at most MAX_VALUES
values whose inputs are constants or inferred shapes; read() then gives shape inference those values as Constant
nodes and infers again. Only these listed ops on small values are evaluated: nothing the file defines is run."""
from __future__ import annotations

import numpy as np

MAX_VALUES = 1024


def _value_of_constant(node):
    from onnx import numpy_helper

    for a in node.attribute:
        if a.name == "value" and a.HasField("t"):
            import math

            if math.prod(a.t.dims) > MAX_VALUES or a.t.data_location == 1:
                return None
            return numpy_helper.to_array(a.t)
        if a.name == "value_int":
            return np.array(a.i, dtype=np.int64)
        if a.name == "value_ints":
            return np.array(list(a.ints), dtype=np.int64)
        if a.name == "value_float":
            return np.array(a.f, dtype=np.float32)
        if a.name == "value_floats":
            return np.array(list(a.floats), dtype=np.float32)
    return None


def _attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            if a.type == 2:
                return int(a.i)
            if a.type == 7:
                return [int(v) for v in a.ints]
            if a.type == 1:
                return float(a.f)
            if a.type == 4 and a.name == "value":
                return a.t
    return default


def _slice(data, starts, ends, axes, steps):
    axes = list(range(len(starts))) if axes is None else [int(a) % data.ndim for a in axes]
    steps = [1] * len(starts) if steps is None else list(steps)
    index = [slice(None)] * data.ndim
    for a, s, e, st in zip(axes, starts, ends, steps, strict=True):
        index[a] = slice(int(s), int(e), int(st))
    return data[tuple(index)]


def _evaluate(node, args):
    """The value of `node`'s first output from its input values, or None when not folded."""
    from onnx.helper import tensor_dtype_to_np_dtype

    op = node.op_type
    if op in ("Identity",):
        return args[0]
    if op == "Cast":
        return args[0].astype(tensor_dtype_to_np_dtype(_attr(node, "to")))
    if op == "CastLike":
        return args[0].astype(args[1].dtype)
    if op == "Reshape":
        target = [int(v) for v in args[1]]
        if not _attr(node, "allowzero", 0):
            target = [args[0].shape[i] if v == 0 else v for i, v in enumerate(target)]
        return args[0].reshape(target)
    if op == "Concat":
        return np.concatenate([a.reshape(-1) if a.ndim == 0 else a for a in args], axis=_attr(node, "axis", 0))
    if op == "Gather":
        return np.take(args[0], args[1].astype(np.int64), axis=_attr(node, "axis", 0))
    if op == "Slice":
        return _slice(args[0], args[1], args[2], args[3] if len(args) > 3 else None,
                      args[4] if len(args) > 4 else None)
    if op == "Squeeze":
        axes = args[1] if len(args) > 1 else _attr(node, "axes")
        return np.squeeze(args[0], axis=tuple(int(a) for a in axes)) if axes is not None else np.squeeze(args[0])
    if op == "Unsqueeze":
        axes = args[1] if len(args) > 1 else _attr(node, "axes")
        out = args[0]
        for a in sorted(int(v) % (out.ndim + len(axes)) for v in axes):
            out = np.expand_dims(out, a)
        return out
    binary = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Equal": np.equal, "Less": np.less,
              "Greater": np.greater, "Max": np.maximum, "Min": np.minimum, "And": np.logical_and,
              "Or": np.logical_or}
    if op in binary and len(args) == 2:
        return binary[op](args[0], args[1]).astype(args[0].dtype if op in ("Add", "Sub", "Mul", "Max", "Min")
                                                   else bool)
    if op == "Div":
        a, b = args
        if np.issubdtype(a.dtype, np.integer):
            return (np.trunc(a / b)).astype(a.dtype)
        return (a / b).astype(a.dtype)
    unary = {"Neg": np.negative, "Abs": np.abs, "Floor": np.floor, "Ceil": np.ceil, "Sqrt": np.sqrt,
             "Not": np.logical_not, "Sign": np.sign}
    if op in unary:
        return unary[op](args[0]).astype(args[0].dtype)
    if op == "Where":
        return np.where(args[0], args[1], args[2])
    if op == "Range":
        return np.arange(args[0], args[1], args[2]).astype(args[0].dtype)
    if op == "Expand":
        shape = np.broadcast_shapes(args[0].shape, tuple(int(v) for v in args[1]))
        return np.broadcast_to(args[0], shape).copy() if np.prod(shape) <= MAX_VALUES else None
    if op == "ConstantOfShape":
        shape = tuple(int(v) for v in args[0])
        if np.prod(shape) > MAX_VALUES:
            return None
        value = _attr(node, "value")
        if value is not None:
            from onnx import numpy_helper

            fill = numpy_helper.to_array(value).reshape(-1)[0]
            return np.full(shape, fill, dtype=fill.dtype)
        return np.zeros(shape, dtype=np.float32)
    if op in ("ReduceProd", "ReduceSum") and len(args) == 1:
        keep = _attr(node, "keepdims", 1)
        fn = np.prod if op == "ReduceProd" else np.sum
        return np.asarray(fn(args[0], keepdims=bool(keep))).astype(args[0].dtype)
    return None


FOLDABLE = frozenset({"Constant", "Identity", "Cast", "CastLike", "Reshape", "Concat", "Gather", "Slice", "Squeeze",
                      "Unsqueeze", "Add", "Sub", "Mul", "Equal", "Less", "Greater", "Max", "Min", "And", "Or", "Div",
                      "Neg", "Abs", "Floor", "Ceil", "Sqrt", "Not", "Sign", "Where", "Range", "Expand",
                      "ConstantOfShape", "ReduceProd", "ReduceSum", "Shape", "Size"})


def fold(graph, order, shapes, small_initializers) -> dict[int, np.ndarray]:
    """{node position: value of its (single) output} for every foldable node of `graph` (a GraphProto) whose
    inputs are known; `shapes` are the inferred shapes (for Shape and Size), `small_initializers` the values of
    initializers of at most MAX_VALUES values."""
    values: dict[str, np.ndarray] = dict(small_initializers)
    folded: dict[int, np.ndarray] = {}
    for i in order:
        node = graph.node[i]
        if node.domain not in ("", "ai.onnx") or node.op_type not in FOLDABLE or len(node.output) != 1:
            continue
        try:
            if node.op_type == "Constant":
                out = _value_of_constant(node)
            elif node.op_type in ("Shape", "Size"):
                shape = shapes.get(node.input[0])
                if not shape or any(d is None for d in shape):
                    continue
                if node.op_type == "Size":
                    out = np.array(int(np.prod(shape)), dtype=np.int64)
                else:
                    start, end = _attr(node, "start", 0), _attr(node, "end", None)
                    out = np.array(shape[start:end], dtype=np.int64)
            else:
                args = [values.get(name) if name else None for name in node.input]
                present = [a for name, a in zip(node.input, args, strict=True) if name]
                if any(a is None for a in present):
                    continue
                out = _evaluate(node, [a for a in args if a is not None] if node.op_type != "Slice" else args)
        except (ValueError, TypeError, IndexError, ZeroDivisionError, OverflowError, MemoryError, KeyError):
            continue
        if out is None:
            continue
        out = np.asarray(out)
        if out.size > MAX_VALUES or out.dtype.kind not in "iufb":
            continue
        values[node.output[0]] = out
        folded[i] = out
    return folded
