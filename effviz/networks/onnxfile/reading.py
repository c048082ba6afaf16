"""Reading an ONNX file safely: every check happens on the parsed protobuf, before anything is allocated for it.

    graph = read(path_or_bytes_or_file, input_size=None)   # a checked Graph with inferred shapes, or ValueError

Refused, each with an effviz.problems.Problem (a ValueError) naming the problem: code onnx_<what>, English
starting with "ONNX file:", worded in the reader's language by the app:
- a file over MAX_BYTES (120 MiB: ResNet-50 with all its weights is 98 MB), empty, or not an ONNX protobuf
  (junk, a truncated file: protobuf cannot parse it, or it parses into a model without a graph);
- external data: a tensor whose bytes live in another file. The path it names is never opened (not even
  checked for existence); re-export with external_data=False;
- a tensor (initializer, Constant, declared or inferred shape) needing more than MAX_TENSOR_BYTES (1 GiB), or an
  initializer that stores fewer or more values than its shape declares (a corrupted or hand-made file);
- a graph that is not a DAG (a cycle), that reads a tensor nothing produces, or in which two nodes write one name;
- an input whose dims are dynamic and cannot be defaulted (not an image), or that disagree with `input_size`.

Dynamic input dims are filled in before shape inference: the batch with 1, an image's channels, height and width
from `input_size`, else with DEFAULT_IMAGE (3 x 224 x 224); `Graph.defaulted` lists what was assumed.
Shapes come from onnx.shape_inference (with data propagation, so Reshape targets computed by Shape/Gather/Concat
arithmetic resolve). Nothing in the file is run."""
from __future__ import annotations

import ast
import heapq
import math
from dataclasses import dataclass
from typing import Any

from effviz.problems import Problem
from effviz.uploads import Source, read_bounded

MAX_BYTES = 120 * 1024 * 1024          # the file; Streamlit's upload limit (.streamlit/config.toml) is the same
MAX_TENSOR_BYTES = 1 << 30             # any one tensor, declared or inferred: 1 GiB
MAX_NODES = 200_000                    # ResNet-50 exported without optimisation has ~1,500
MAX_SIDE = 4096                        # largest height or width accepted for an image input
DEFAULT_IMAGE = (3, 224, 224)
_MAX_META = 4096                       # longest metadata value that is parsed (module scopes)

# Bits per element of each TensorProto data type (onnx.TensorProto.DataType); 0 for strings.
_BITS = {1: 32, 2: 8, 3: 8, 4: 16, 5: 16, 6: 32, 7: 64, 8: 0, 9: 8, 10: 16, 11: 64, 12: 32, 13: 64, 14: 64,
         15: 128, 16: 16, 17: 8, 18: 8, 19: 8, 20: 8, 21: 4, 22: 4, 23: 4, 24: 8, 25: 2, 26: 2, 27: 6, 28: 6}
FLOAT_TYPES = frozenset({1, 10, 11, 16, 17, 18, 19, 20, 23, 24, 27, 28})
Shape = tuple  # of int (a known dim) or None (unknown)


def _fail(code: str, **values) -> Problem:
    """A refused file: effviz.problems code onnx_<code> (its English starts with "ONNX file:")."""
    return Problem(f"onnx_{code}", **values)


@dataclass(frozen=True)
class Node:
    index: int                         # position in topological order
    name: str
    op_type: str
    domain: str                        # "" for the default ONNX domain ("ai.onnx" is normalised to "")
    inputs: tuple[str, ...]            # "" for an omitted optional input
    outputs: tuple[str, ...]
    attrs: dict[str, Any]              # ints, floats, strings and lists of them; graphs are left out
    subgraph_ops: frozenset[str]       # op types inside this node's subgraphs (If, Loop, Scan)
    scopes: tuple[str, ...] | None     # module path chain from the exporter, e.g. ("", "features", "features.0")
    classes: tuple[str, ...] | None    # the class of each scope, where the exporter recorded it
    rewrites: str = ""                 # rewrite rules the exporter's optimiser applied to this node


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]
    shapes: dict[str, Shape | None]    # every tensor's inferred shape (None: rank unknown)
    dtypes: dict[str, int]             # TensorProto data type of every typed tensor
    constants: dict[str, tuple[tuple[int, ...], int]]   # initializers and Constant outputs: (dims, data type)
    initializers: frozenset[str]
    input_name: str
    input_shape: tuple[int, ...]       # with the batch dimension, as profiled
    defaulted: tuple[tuple[int, int], ...]   # (axis, value) filled in for dynamic dims
    outputs: tuple[str, ...]
    producer: str
    producer_version: str
    ir_version: int
    opsets: dict[str, int]
    graph_name: str
    functions_inlined: int = 0


def _elements(dims) -> int:
    return math.prod(int(d) for d in dims)


def _bytes(n: int, dtype: int) -> int:
    return math.ceil(n * _BITS.get(dtype, 64) / 8)


def _human(n: int) -> str:
    return f"{n / 2**30:.1f} GiB" if n >= 2**30 else f"{n / 2**20:.1f} MiB"


# --- parsing ---------------------------------------------------------------------------------------------------

def _parse(data: bytes):
    import onnx
    from google.protobuf.message import DecodeError

    model = onnx.ModelProto()
    try:
        model.ParseFromString(data)
    except (DecodeError, RuntimeError, ValueError) as err:
        raise _fail("not_protobuf", detail=str(err)) from None
    if model.ir_version <= 0 or not model.HasField("graph") or not model.graph.node:
        raise _fail("no_graph")
    return model


def _label(label) -> Problem:
    """Which tensor, as a refusal names it: a coded phrase (onnx_tensor_*, with where it is: onnx_in_*), worded
    by the app like the refusal around it. `label` is (code, values), made into a Problem only when needed."""
    code, values = label
    where = values.get("where")
    return Problem(code, **{**values, "where": _label(where) if where else ""})


def _tensors(model):
    """Every TensorProto of the model (initializers, Constant values, subgraphs, functions), with a label for
    _label."""
    def from_graph(graph, where):
        for t in graph.initializer:
            yield t, ("onnx_tensor_initializer", {"name": t.name, "where": where})
        for s in graph.sparse_initializer:
            yield s.values, ("onnx_tensor_sparse", {"name": s.values.name, "where": where})
            yield s.indices, ("onnx_tensor_sparse_indices", {"name": s.indices.name, "where": where})
        yield from from_nodes(graph.node, where)

    def from_nodes(nodes, where):
        for node in nodes:
            for a in node.attribute:
                label = ("onnx_tensor_attribute", {"attribute": a.name, "node": node.name or node.op_type,
                                                   "where": where})
                if a.HasField("t"):
                    yield a.t, label
                for t in a.tensors:
                    yield t, label
                if a.HasField("sparse_tensor"):
                    yield a.sparse_tensor.values, label
                if a.HasField("g"):
                    yield from from_graph(a.g, ("onnx_in_subgraph", {"node": node.name or node.op_type}))
                for g in a.graphs:
                    yield from from_graph(g, ("onnx_in_subgraph", {"node": node.name or node.op_type}))

    yield from from_graph(model.graph, None)
    for f in model.functions:
        yield from from_nodes(f.node, ("onnx_in_function", {"function": f.name}))


def _check_tensor_data(model) -> None:
    import onnx

    external = onnx.TensorProto.EXTERNAL
    for t, label in _tensors(model):
        if t.data_location == external or len(t.external_data):
            # Deliberately not reading t.external_data's "location": the path is not even looked at.
            raise _fail("external_data", tensor=_label(label))
        if any(d < 0 for d in t.dims):
            raise _fail("negative_dim", tensor=_label(label), dims=list(t.dims))
        n = _elements(t.dims)
        need = _bytes(n, t.data_type)
        if need > MAX_TENSOR_BYTES:
            raise _fail("tensor_too_large", tensor=_label(label), dims=list(t.dims), count=n, size=_human(need),
                        limit=_human(MAX_TENSOR_BYTES))
        stored = _stored(t)
        expected = _expected_stored(t, n)
        if stored is not None and stored != expected and not (stored == 0 and n == 0):
            raise _fail("stored_bytes" if t.raw_data else "stored_values", tensor=_label(label), dims=list(t.dims),
                        expected=expected, stored=stored)


def _stored(t) -> int | None:
    """Bytes in raw_data, else the number of stored typed values; None for a tensor we cannot size."""
    if t.raw_data:
        return len(t.raw_data)
    for f in ("float_data", "int32_data", "int64_data", "double_data", "uint64_data", "string_data"):
        values = getattr(t, f)
        if len(values):
            return len(values)
    return 0


def _expected_stored(t, n: int) -> int:
    if t.raw_data:
        return _bytes(n, t.data_type)
    bits = _BITS.get(t.data_type, 32)
    if t.data_type in (14, 15):                   # complex: two floats/doubles per value
        return 2 * n
    if 0 < bits < 8:                              # 2-, 4- and 6-bit types: packed into int32_data bytes
        return math.ceil(n * bits / 8)
    return n


# --- structure -------------------------------------------------------------------------------------------------

def _meta(node) -> dict[str, str]:
    return {p.key: p.value for p in getattr(node, "metadata_props", ())}


def _literal_list(text: str | None, memo: dict | None = None) -> tuple[str, ...] | None:
    if not text or len(text) > _MAX_META:
        return None
    if memo is not None:           # the nodes of one module share one scope string: parse it once per file
        if text not in memo:
            memo[text] = _parse_list(text)
        return memo[text]
    return _parse_list(text)


def _parse_list(text: str) -> tuple[str, ...] | None:
    try:
        value = ast.literal_eval(text)  # a Python list literal of strings; literal_eval runs no code
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _legacy_scopes(name: str) -> tuple[str, ...] | None:
    """Module paths from the TorchScript exporter's node names: "/features/features.1/conv/conv.0/Conv" ->
    ("", "features", "features.1", "features.1.conv", "features.1.conv.0"). Each part is either a child's
    attribute name or "<previous part>.<child>" (the exporter repeats the container's name for indexed children)."""
    if not name.startswith("/") or name.count("/") < 2:
        return None
    parts = name.split("/")[1:-1]
    paths = [""]
    prev = None
    for part in parts:
        if not part:
            return None
        child = part[len(prev) + 1:] if prev is not None and part.startswith(prev + ".") else part
        paths.append(f"{paths[-1]}.{child}" if paths[-1] else child)
        prev = part
    return tuple(paths)


def _scopes(node, meta, memo=None) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    scopes = _literal_list(meta.get("pkg.torch.onnx.name_scopes"), memo)
    if scopes and len(scopes) >= 2:            # the last entry names the op, not a module
        classes = _literal_list(meta.get("pkg.torch.onnx.class_hierarchy"), memo)
        classes = classes[:-1] if classes and len(classes) == len(scopes) else None
        return tuple(scopes[:-1]), classes
    return _legacy_scopes(node.name), None


def _attrs(node) -> tuple[dict[str, Any], frozenset[str]]:
    import onnx

    attrs: dict[str, Any] = {}
    sub: set[str] = set()
    A = onnx.AttributeProto
    for a in node.attribute:
        if a.type == A.INT:
            attrs[a.name] = int(a.i)
        elif a.type == A.FLOAT:
            attrs[a.name] = float(a.f)
        elif a.type == A.STRING:
            attrs[a.name] = a.s.decode("utf-8", "replace")
        elif a.type == A.INTS:
            attrs[a.name] = tuple(int(v) for v in a.ints)
        elif a.type == A.FLOATS:
            attrs[a.name] = tuple(float(v) for v in a.floats)
        elif a.type == A.STRINGS:
            attrs[a.name] = tuple(v.decode("utf-8", "replace") for v in a.strings)
        elif a.type == A.TENSOR:
            attrs[a.name] = ("tensor", tuple(int(d) for d in a.t.dims), int(a.t.data_type))
        elif a.type in (A.GRAPH, A.GRAPHS):
            for g in ([a.g] if a.type == A.GRAPH else list(a.graphs)):
                sub |= _ops_in(g)
    return attrs, frozenset(sub)


def _ops_in(graph, depth: int = 0) -> set[str]:
    ops = set()
    for n in graph.node:
        ops.add(n.op_type)
        if depth < 8:
            for a in n.attribute:
                for g in ([a.g] if a.HasField("g") else []) + list(a.graphs):
                    ops |= _ops_in(g, depth + 1)
    return ops


def _topological(nodes, available: set[str]) -> list[int]:
    """Node indices in an order where every node comes after the producers of its inputs; a cycle is refused."""
    producer: dict[str, int] = {}
    for i, n in enumerate(nodes):
        for o in n.output:
            if not o:
                continue
            if o in producer or o in available:
                raise _fail("two_producers", tensor=o, node=n.name or n.op_type)
            producer[o] = i
    waiting = [0] * len(nodes)
    users: dict[int, list[int]] = {}
    for i, n in enumerate(nodes):
        for name in n.input:
            if not name or name in available:
                continue
            if name not in producer:
                raise _fail("missing_tensor", node=n.name or n.op_type, tensor=name)
            waiting[i] += 1
            users.setdefault(producer[name], []).append(i)
    # A heap by file position: the file's own order wherever it is already topological (exporters write
    # execution order), the nearest topological order otherwise.
    ready = [i for i in range(len(nodes)) if waiting[i] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for j in users.get(i, ()):
            waiting[j] -= 1
            if waiting[j] == 0:
                heapq.heappush(ready, j)
    if len(order) < len(nodes):
        stuck = [nodes[i].name or nodes[i].op_type for i in range(len(nodes)) if waiting[i] > 0]
        raise _fail("cycle", count=len(stuck), nodes=", ".join(stuck[:5]) + (", ..." if len(stuck) > 5 else ""))
    return order


# --- inputs ----------------------------------------------------------------------------------------------------

def _dims(value_info) -> list[int | None] | None:
    t = value_info.type.tensor_type
    if not value_info.type.HasField("tensor_type") or not t.HasField("shape"):
        return None
    return [d.dim_value if d.HasField("dim_value") and d.dim_value > 0 else None for d in t.shape.dim]


def _choose_input(graph, input_size) -> tuple[int, list[int], list[tuple[int, int]]]:
    """(index in graph.input, full dims with batch, defaulted (axis, value))."""
    inits = {t.name for t in graph.initializer} | {s.values.name for s in graph.sparse_initializer}
    real = [i for i, v in enumerate(graph.input) if v.name not in inits]
    if not real:
        raise _fail("no_input")
    first, others = real[0], real[1:]
    for k in others:
        dims = _dims(graph.input[k])
        if dims is None or any(d is None for d in dims):
            raise _fail("dynamic_other_input", inputs=len(real), name=graph.input[k].name)
    v = graph.input[first]
    dims = _dims(v)
    if dims is None:
        raise _fail("input_no_shape", name=v.name)
    if not dims:
        raise _fail("input_scalar", name=v.name)
    defaulted: list[tuple[int, int]] = []
    if dims[0] is None:
        dims[0] = 1
        defaulted.append((0, 1))
    rest = dims[1:]
    if input_size is not None:
        size = tuple(input_size)
        if len(size) != len(rest) or any(not isinstance(s, int) or isinstance(s, bool) or s < 1 for s in size):
            raise ValueError(f"input_size must be {len(rest)} positive ints (the input's dims after the batch), "
                             f"got {input_size!r}")
        if len(size) == 3 and max(size[1:]) > MAX_SIDE:
            raise ValueError(f"input_size: height and width must be at most {MAX_SIDE}, got {size}")
        fixed = [(a, d, s) for a, (d, s) in enumerate(zip(rest, size, strict=True), start=1) if d is not None]
        if any(d != s for _, d, s in fixed):
            shape = "×".join(str(d) if d else "?" for d in rest)
            raise ValueError(f"input_size {size} does not fit the model's input '{v.name}' ({shape}: its fixed "
                             "dims cannot change)")
        for a, s in enumerate(size, start=1):
            if dims[a] is None:
                dims[a] = s
                defaulted.append((a, s))
    elif any(d is None for d in rest):
        if len(rest) != 3:
            dyn = ", ".join(str(a) for a, d in enumerate(dims) if d is None)
            raise _fail("dynamic_not_image", name=v.name, axes=dyn, rest=len(rest))
        for a, d in enumerate(rest, start=1):
            if d is None:
                dims[a] = DEFAULT_IMAGE[a - 1]
                defaulted.append((a, DEFAULT_IMAGE[a - 1]))
    return first, dims, defaulted


def _set_dims(value_info, dims: list[int]) -> None:
    shape = value_info.type.tensor_type.shape
    for d, value in zip(shape.dim, dims, strict=True):
        d.dim_value = int(value)   # replaces a dim_param (a oneof)


def _check_declared(graph) -> None:
    for v in list(graph.input) + list(graph.output) + list(graph.value_info):
        dims = _dims(v)
        if not dims or any(d is None for d in dims):
            continue
        need = _bytes(_elements(dims), v.type.tensor_type.elem_type)
        if need > MAX_TENSOR_BYTES:
            raise _fail("declared_too_large", tensor=v.name, dims=dims, size=_human(need),
                        limit=_human(MAX_TENSOR_BYTES))


def _infer(model):
    import onnx

    try:
        return onnx.shape_inference.infer_shapes(model, check_type=False, strict_mode=False, data_prop=True)
    except Exception as err:  # noqa: BLE001 - onnx raises several types (InferenceError, ValidationError, ...)
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise _fail("shape_inference", detail=first[:300]) from None


def _shape_of(t) -> Shape | None:
    if not t.HasField("shape"):
        return None
    return tuple(d.dim_value if d.HasField("dim_value") and d.dim_value > 0 else None for d in t.shape.dim)


# --- the whole read --------------------------------------------------------------------------------------------

def read(source: Source, input_size=None) -> Graph:
    """A checked, shape-inferred graph of an ONNX file (path, bytes or binary file object); ValueError if refused."""
    import onnx
    import onnx.defs

    data, _ = read_bounded(source, MAX_BYTES, "ONNX file")
    model = _parse(data)
    del data
    opsets = {("" if o.domain == "ai.onnx" else o.domain): int(o.version) for o in model.opset_import}
    if "" not in opsets:
        raise _fail("no_opset")
    newest = onnx.defs.onnx_opset_version()
    if opsets[""] > newest:
        raise _fail("opset_newer", opset=opsets[""], newest=newest)
    if len(model.graph.node) > MAX_NODES:
        raise _fail("nodes", count=len(model.graph.node), limit=MAX_NODES)
    _check_tensor_data(model)
    inlined = len(model.functions)
    if inlined:
        import onnx.inliner

        try:
            model = onnx.inliner.inline_local_functions(model)
        except Exception as err:  # noqa: BLE001
            raise _fail("functions", detail=str(err)[:200]) from None
        if len(model.graph.node) > MAX_NODES:
            raise _fail("nodes_inlined", count=len(model.graph.node), limit=MAX_NODES)

    graph = model.graph
    inits = {t.name for t in graph.initializer} | {s.values.name for s in graph.sparse_initializer}
    available = {v.name for v in graph.input} | inits
    order = _topological(list(graph.node), available)
    _check_declared(graph)
    k, dims, defaulted = _choose_input(graph, input_size)
    input_name = graph.input[k].name
    need = _bytes(_elements(dims), graph.input[k].type.tensor_type.elem_type)
    if need > MAX_TENSOR_BYTES:
        raise _fail("input_too_large", dims=dims, size=_human(need), limit=_human(MAX_TENSOR_BYTES))
    _set_dims(graph.input[k], dims)

    constants: dict[str, tuple[tuple[int, ...], int]] = {}
    for t in graph.initializer:
        constants[t.name] = (tuple(int(d) for d in t.dims), int(t.data_type))
    for s in graph.sparse_initializer:
        constants[s.values.name] = (tuple(int(d) for d in s.dims), int(s.values.data_type))
    nodes = _nodes(graph, order, constants)
    _skeleton(model)                               # the weights' bytes are not needed from here on
    inferred = _infer_with_folding(model, order)

    shapes: dict[str, Shape | None] = {}
    dtypes: dict[str, int] = {}
    for v in list(inferred.graph.input) + list(inferred.graph.value_info) + list(inferred.graph.output):
        if v.type.HasField("tensor_type"):
            t = v.type.tensor_type
            shapes[v.name] = _shape_of(t)
            dtypes[v.name] = int(t.elem_type)
    for name, (dims_c, dtype) in constants.items():
        shapes[name] = dims_c
        dtypes[name] = dtype
    for name, shape in shapes.items():
        if shape and all(d is not None for d in shape):
            need = _bytes(_elements(shape), dtypes.get(name, 1))
            if need > MAX_TENSOR_BYTES:
                raise _fail("inferred_too_large", tensor=name, dims=list(shape), size=_human(need),
                            limit=_human(MAX_TENSOR_BYTES))

    return Graph(tuple(nodes), shapes, dtypes, constants, frozenset(inits), input_name, tuple(dims),
                 tuple(defaulted), tuple(o.name for o in graph.output), model.producer_name,
                 model.producer_version, int(model.ir_version), opsets, graph.name, inlined)


def _nodes(graph, order, constants) -> list[Node]:
    """Our view of each node, in topological order; Constant outputs are added to `constants`."""
    nodes: list[Node] = []
    memo: dict[str, tuple[str, ...] | None] = {}
    for pos, i in enumerate(order):
        proto = graph.node[i]
        meta = _meta(proto)
        scopes, classes = _scopes(proto, meta, memo)
        attrs, sub = _attrs(proto)
        domain = "" if proto.domain == "ai.onnx" else proto.domain
        if proto.op_type == "Constant" and domain == "" and proto.output:
            value = attrs.get("value")
            if isinstance(value, tuple) and value and value[0] == "tensor":
                constants[proto.output[0]] = (value[1], value[2])
            elif "value_floats" in attrs or "value_ints" in attrs:
                vals = attrs.get("value_floats", attrs.get("value_ints"))
                constants[proto.output[0]] = ((len(vals),), 1 if "value_floats" in attrs else 7)
            elif "value_float" in attrs or "value_int" in attrs:
                constants[proto.output[0]] = ((), 1 if "value_float" in attrs else 7)
        nodes.append(Node(pos, proto.name or f"{proto.op_type}_{i}", proto.op_type, domain, tuple(proto.input),
                          tuple(proto.output), attrs, sub, scopes, classes,
                          meta.get("pkg.onnxscript.rewriter.rule_name", "")))
    return nodes


def _skeleton(model) -> None:
    """Keep initializers of at most folding.MAX_VALUES values; the others become typed graph inputs, which is all
    shape inference needs of them (and it no longer copies the weights' bytes at every call)."""
    import onnx

    from effviz.networks.onnxfile.folding import MAX_VALUES

    graph = model.graph
    declared = {v.name for v in graph.input}
    small = [t for t in graph.initializer if _elements(t.dims) <= MAX_VALUES]
    for t in graph.initializer:
        if _elements(t.dims) > MAX_VALUES and t.name not in declared:
            graph.input.append(onnx.helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)))
    kept = [onnx.TensorProto.FromString(t.SerializeToString()) for t in small]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    del graph.value_info[:]                       # inferred afresh for the chosen input size


def _infer_with_folding(model, order, rounds: int = 6):
    """Shape inference, then fold the shape arithmetic it could not see through into Constants, and again."""
    import onnx
    from onnx import numpy_helper

    from effviz.networks.onnxfile.folding import fold

    graph = model.graph
    small = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    replaced: set[int] = set()
    inferred = _infer(model)
    for _ in range(rounds):
        shapes = {v.name: _shape_of(v.type.tensor_type) for v in
                  list(inferred.graph.input) + list(inferred.graph.value_info) + list(inferred.graph.output)
                  if v.type.HasField("tensor_type")}
        folded = fold(graph, order, shapes, small)
        new = {i: v for i, v in folded.items() if i not in replaced and graph.node[i].op_type != "Constant"}
        if not new:
            break
        for i, value in new.items():
            node = graph.node[i]
            tensor = numpy_helper.from_array(value, node.output[0])
            graph.node[i].CopyFrom(onnx.helper.make_node("Constant", [], [node.output[0]], name=node.name,
                                                        value=tensor))
        replaced |= set(new)
        del graph.value_info[:]
        inferred = _infer(model)
    return inferred
