"""An ONNX graph's params and MACs per layer, unit and stage: the same Profile that effviz.profile gives for a
torch module, so every view of the Network Explorer works on an uploaded file.

    prof = profile_onnx("model.onnx")                 # path, bytes or a binary file object
    prof = profile_onnx(data, input_size=(3, 160, 160))   # the size for dynamic input dims
    prof.onnx.not_counted                             # ops whose work is not counted, by op type, with a reason

Layers. A node belongs to the module that emitted it where the exporter recorded one: torch.onnx's dynamo
exporter writes each node's module path ("pkg.torch.onnx.name_scopes") and module classes; the TorchScript
exporter names nodes by it ("/features/features.1/conv/Conv"). A node that uses a parameter named
"<module>.<weight>" belongs to that module (after BatchNorm folding the Conv carries the BatchNorm's scope but the
convolution's weight). Nodes of one module form one layer row, as effviz.networks.profiling makes one row per module
that holds parameters or does counted work. Without any module information every node is its own layer.

Units and stages follow effviz.networks.profiling's rules on the module tree rebuilt from those paths (plain containers
three or more deep are opened; the stage is the output stride; from global pooling on, the head). A graph
without module paths has one unit per layer.

So a torch model exported without graph optimisation (torch.onnx.export(..., optimize=False): BatchNorm kept,
shape arithmetic left in) profiles exactly like the module itself, row by row (tested for every zoo network).
The exporter's default optimisation folds BatchNorm into the convolutions: the MACs stay, BatchNorm's scale and
shift are gone and each convolution that had no bias gets one; `OnnxReport.folded_bn` says when that is seen."""
from __future__ import annotations

import math
from collections import Counter

# NotCounted and OnnxReport live in breakdown, beside the Profile that carries them; still importable from here.
from effviz.networks.breakdown import (
    HEAD,
    Layer,
    NotCounted,
    OnnxReport,
    Profile,
    Unit,
    by_kind,
    root_unit,
    stage_rows,
    stages_by_stride,
)
from effviz.networks.onnxfile import ops
from effviz.networks.onnxfile.reading import FLOAT_TYPES, Graph, read

CONV_OPS = frozenset({"Conv", "ConvInteger", "QLinearConv", "DeformConv"})
LINEAR_OPS = frozenset({"Gemm", "MatMul", "MatMulInteger", "QLinearMatMul"})
NORM_OPS = frozenset({"BatchNormalization", "InstanceNormalization", "LayerNormalization", "GroupNormalization",
                      "RMSNormalization"})
CONTAINERS = frozenset({"Sequential", "ModuleList", "ModuleDict"})
_NEVER_PARAM_TYPES = frozenset({7, 8, 9, 13})     # int64, string, bool, uint64: indices and shapes
_SHAPE_OUTPUT_OPS = frozenset({"Shape", "Size"})


def profile_onnx(source, input_size=None) -> Profile:
    """Per-layer, per-unit and per-stage params and MACs of an ONNX file (path, bytes or binary file object).

    `input_size`: the dims after the batch, e.g. (3, 224, 224), for an input with dynamic dims (an image's
    default is 3 x 224 x 224; Profile.onnx.defaulted says what was assumed). ValueError names what is wrong
    with a file that is refused (see effviz.networks.onnxfile.reading)."""
    return from_graph(read(source, input_size))


def _short(cls: str | None) -> str | None:
    return cls.rsplit(".", 1)[-1] if cls else None


def _kernel(node, graph) -> tuple[int, ...] | None:
    w = graph.shapes.get(node.inputs[3 if node.op_type == "QLinearConv" else 1]) if len(node.inputs) > 1 else None
    return tuple(w[2:]) if w and len(w) == 4 and all(d is not None for d in w) else None


def _layer_kind(node, graph, has_params: bool, se: bool) -> str:
    op = node.op_type
    if op in NORM_OPS:
        return "norm"
    if se:
        return "se" if op in CONV_OPS | LINEAR_OPS else "other"
    if op in LINEAR_OPS and has_params:
        return "linear"
    kernel = _kernel(node, graph) if op in CONV_OPS else None
    if kernel is not None:
        w = graph.shapes[node.inputs[3 if op == "QLinearConv" else 1]]
        groups = int(node.attrs.get("group", 1))
        if groups > 1 and groups == w[1] * groups:   # in_channels = W.shape[1] x groups
            return "depthwise"
        if groups > 1:
            return "group"
        return "pointwise" if kernel == (1, 1) else "standard"
    return "other"


class _Tree:
    """The module tree rebuilt from the nodes' module paths: path -> class (None where unknown), children."""

    def __init__(self, nodes, owners) -> None:
        self.cls: dict[str, str | None] = {"": None}
        self.children: dict[str, list[str]] = {"": []}
        for node in nodes:
            if node.scopes is None:
                continue
            classes = node.classes or (None,) * len(node.scopes)
            for path, cls in zip(node.scopes, classes, strict=False):
                self._add(path, cls)
        for owner in owners:
            self._add(owner, None)

    def _add(self, path: str, cls: str | None) -> None:
        if path in self.cls:
            if cls and not self.cls[path]:
                self.cls[path] = cls
            return
        parent = self.parent(path)
        self._add(parent, None)
        self.cls[path] = cls
        self.children.setdefault(path, [])
        self.children[parent].append(path)

    def parent(self, path: str) -> str:
        while "." in path:
            path = path.rsplit(".", 1)[0]
            if path in self.cls:
                return path
        return ""

    def depth(self, path: str) -> int:
        kids = self.children.get(path, [])
        return 1 + max(self.depth(k) for k in kids) if kids else 0

    def is_container(self, path: str) -> bool:
        cls = self.cls.get(path)
        if cls is not None:
            return _short(cls) in CONTAINERS
        if self.any_classes:   # a path no node ran directly (e.g. a ModuleList iterated in forward)
            return True
        kids = self.children.get(path, [])
        return bool(kids) and all(k.rsplit(".", 1)[-1].isdigit() for k in kids)   # Sequential-like

    @property
    def any_classes(self) -> bool:
        return any(self.cls.values())

    def units(self) -> list[str]:
        out: list[str] = []

        def visit(path: str) -> None:
            for child in self.children.get(path, []):
                if self.is_container(child) and self.depth(child) >= 3:
                    visit(child)
                else:
                    out.append(child)

        visit("")
        return out or [""]

    def preorder(self) -> dict[str, int]:
        out: dict[str, int] = {}

        def visit(path: str) -> None:
            out[path] = len(out)
            for child in self.children.get(path, []):
                visit(child)

        visit("")
        return out

    def ancestors(self, path: str) -> list[str]:
        out = []
        while path:
            path = self.parent(path)
            out.append(path)
        return out


def _within(path: str, unit: str) -> bool:
    return unit == "" or path == unit or path.startswith(unit + ".")


def from_graph(graph: Graph) -> Profile:
    nodes = graph.nodes
    # Activations: tensors computed from the input (shape arithmetic reads them through Shape / Size only).
    dynamic = {graph.input_name}
    for node in nodes:
        if node.op_type not in _SHAPE_OUTPUT_OPS and any(i in dynamic for i in node.inputs if i):
            dynamic.update(o for o in node.outputs if o)

    # MACs of each node, and what is not counted.
    macs: list[int] = [0] * len(nodes)
    skipped: dict[tuple[str, str, str], list[str]] = {}
    for node in nodes:
        status, what = ops.lookup(node.domain, node.op_type)
        reason = None
        if status == "counted":
            value = what(node, graph)
            if value is None:
                reason = "shape_unknown"
            else:
                macs[node.index] = int(value)
        elif status == "declined":
            if node.op_type in ops.CONTROL_FLOW and not _counts_inside(node):
                reason = None
            else:
                reason = what
        elif status == "unknown":
            reason = what
        if reason:
            skipped.setdefault((node.domain, node.op_type, reason), []).append(node.name)

    # Parameters: each constant tensor once, at the first node that uses it as a weight. An Identity of a
    # constant (the TorchScript exporter passes weights through them) is the same tensor under another name.
    alias: dict[str, str] = {}
    for node in nodes:
        if node.op_type == "Identity" and node.inputs and node.outputs:
            source = alias.get(node.inputs[0], node.inputs[0])
            if source in graph.constants:
                alias[node.outputs[0]] = source
    param_of: dict[str, int] = {}       # tensor -> node index
    for node in nodes:
        if node.op_type == "Identity":
            continue
        for j, name in enumerate(node.inputs):
            name = alias.get(name, name)
            if not name or name in param_of or name not in graph.constants:
                continue
            dims, dtype = graph.constants[name]
            role = ops.param_role(node.op_type, j)
            if role == "never" or dtype in _NEVER_PARAM_TYPES:
                continue
            if role == "param" or (dtype in FLOAT_TYPES and math.prod(dims) > 1):
                param_of[name] = node.index
    node_params: dict[int, list[str]] = {}
    for name, i in param_of.items():
        node_params.setdefault(i, []).append(name)

    # Owner (layer key) of each node.
    module_paths = any(n.scopes is not None for n in nodes)
    scope_paths = {p for n in nodes if n.scopes for p in n.scopes}
    owners: list[str] = []
    for node in nodes:
        owner = None
        if module_paths:
            # A parameter named "<module>.<name>" (torch's names) belongs to that module: after BatchNorm folding
            # the conv node carries the BatchNorm's scope but the conv's weight. Exporter-made names
            # ("onnx::Conv_538") say nothing; the node's own scope decides then.
            for p in node_params.get(node.index, ()):
                if "." not in p or "::" in p:
                    continue
                module = p.rsplit(".", 1)[0]
                if module in scope_paths or "." not in module or _parent_in(module, scope_paths):
                    owner = module
                    break
            if owner is None and node.scopes is not None:
                owner = node.scopes[-1]
        owners.append(owner if owner is not None else node.name)
    tree = _Tree(nodes, owners if module_paths else ()) if module_paths else None

    # Each group's output: the last activation produced inside it and read outside it (or a graph output).
    readers: dict[str, set[int]] = {}
    for node in nodes:
        for name in node.inputs:
            readers.setdefault(name, set()).add(node.index)
    graph_outputs = set(graph.outputs)

    def group_io(members: list[int], inside) -> tuple[tuple, tuple]:
        produced = {o for i in members for o in nodes[i].outputs}
        out_shape = in_shape = ()
        for i in members:
            for o in nodes[i].outputs:
                if o in dynamic and (o in graph_outputs or any(not inside(r) for r in readers.get(o, ()))):
                    out_shape = _strip(graph.shapes.get(o))
        for i in members:
            for name in nodes[i].inputs:
                if name and name in dynamic and name not in produced:
                    return _strip(graph.shapes.get(name)), out_shape
        return in_shape, out_shape

    # Nodes that touch no activation and hold no parameter (constants, shape arithmetic on constants) belong to
    # no layer and no unit.
    members_of: dict[str, list[int]] = {}
    for node, owner in zip(nodes, owners, strict=True):
        if node.index in node_params or any(t in dynamic for t in (*node.inputs, *node.outputs) if t):
            members_of.setdefault(owner, []).append(node.index)

    # Units: effviz.networks.profiling's rule on the rebuilt module tree; one unit per layer without module paths.
    if tree is not None:
        unit_names = tree.units()
        unit_of_owner = {}
        for owner in members_of:
            match = [u for u in unit_names if u and _within(owner, u)]
            unit_of_owner[owner] = max(match, key=len) if match else ""
    else:
        unit_names = list(members_of)
        unit_of_owner = {o: o for o in members_of}
    unit_members: dict[str, list[int]] = {}
    for owner, members in members_of.items():
        unit = unit_of_owner[owner]
        if unit in unit_names:
            unit_members.setdefault(unit, []).extend(members)
    unit_io: dict[str, tuple[tuple, tuple]] = {}
    for unit, members in unit_members.items():
        members.sort()
        inside = {i for i in members}
        unit_io[unit] = group_io(members, inside.__contains__)
    executed = sorted(unit_members, key=lambda u: unit_members[u][0])

    def params_of(members) -> int:
        return sum(math.prod(graph.constants[p][0]) for i in members for p in node_params.get(i, ()))

    # Stages: output stride of each unit in execution order; from global pooling on, the head.
    spatial = len(graph.input_shape) == 4
    stage_of_unit = stages_by_stride(((unit, *unit_io[unit], params_of(unit_members[unit]) > 0) for unit in executed),
                                     graph.input_shape[2] if spatial else 1, spatial)

    root_name = _short(tree.cls.get("")) if tree is not None and tree.cls.get("") else None
    if root_name is None and tree is not None:
        root_classes = [n.classes[0] for n in nodes if n.classes]
        root_name = _short(root_classes[0]) if root_classes else None
    root_name = root_name or graph.graph_name or "model"

    # Layers: every group with parameters or counted MACs.
    leaf_shape: dict[str, tuple] = {}
    layers: list[Layer] = []
    for owner, members in members_of.items():
        p = params_of(members)
        m = sum(macs[i] for i in members)
        is_leaf = tree is None or not tree.children.get(owner)
        if is_leaf:
            inside = set(members)
            leaf_shape[owner] = group_io(members, inside.__contains__)[1]
        if not p and not m:
            continue
        main = max(members, key=lambda i: (macs[i], bool(node_params.get(i)), -i))
        node = nodes[main]
        unit = unit_of_owner[owner] if unit_of_owner[owner] in unit_names else ""
        if tree is not None:
            ancestry = [_short(tree.cls.get(a)) or "" for a in tree.ancestors(owner)]
            se = any("Squeeze" in c or "Excit" in c for c in ancestry) or ".se." in f".{owner}."
            module = _short(tree.cls.get(owner)) or node.op_type
        else:
            se, module = ".se." in f".{owner}.", node.op_type
        kind = _layer_kind(node, graph, bool(node_params.get(main)), se)
        shape = leaf_shape[owner] if is_leaf else unit_io.get(unit, ((), ()))[1]
        kernel = _kernel(node, graph) if node.op_type in CONV_OPS else None
        layers.append(Layer(owner or root_name, kind, module, unit, stage_of_unit.get(unit, HEAD), shape, p, m,
                            kernel, int(node.attrs.get("group", 1)) if node.op_type in CONV_OPS else 1))
    # As effviz.networks.profiling: units in execution order, within a unit the module tree in pre-order (parents before
    # children, children in the order they first run); without a tree, node order.
    order = {u: k for k, u in enumerate(executed)}
    first = {o: m[0] for o, m in members_of.items()}
    position = tree.preorder() if tree is not None else first
    key_of = {r.name: ("" if r.name == root_name and "" in members_of else r.name) for r in layers}
    layers.sort(key=lambda r: (order.get(r.unit, len(order)), position.get(key_of[r.name], 0)))

    unit_rows = []
    for unit in executed:
        rows = [r for r in layers if r.unit == unit]
        inp, out = unit_io[unit]
        cls = _short(tree.cls.get(unit)) if tree is not None else None
        unit_rows.append(Unit(unit, cls or nodes[unit_members[unit][0]].op_type, stage_of_unit[unit], inp, out,
                              sum(r.params for r in rows), sum(r.macs for r in rows), by_kind(rows)))

    unit_rows += root_unit(layers, set(executed), root_name, graph.input_shape[1:])

    input_size = tuple(graph.input_shape[1:])
    peak_name, peak = "input", math.prod(input_size)
    # Peak: as effviz.networks.profiling, the largest output of a leaf module (in execution order; the first wins a
    # tie);
    # without modules, of any node.
    if tree is not None:
        candidates = sorted(leaf_shape.items(), key=lambda kv: first.get(kv[0], 0))
    else:
        candidates = [(n.name, _strip(graph.shapes.get(n.outputs[0]))) for n in nodes
                      if n.outputs and n.outputs[0] in dynamic]
    for name, shape in candidates:
        if shape and math.prod(shape) > peak:
            peak_name, peak = name or root_name, math.prod(shape)

    folded = [n for n in nodes if n.op_type in CONV_OPS and "BatchNorm" in n.rewrites]
    evidence = "rewriter" if folded else ""
    if not folded and not any(n.op_type == "BatchNormalization" for n in nodes) and graph.producer == "pytorch":
        folded = [n for n in nodes if n.op_type == "Conv" and len(n.inputs) > 2 and
                  n.inputs[1].startswith("onnx::") and n.inputs[2].startswith("onnx::")]
        evidence = "names" if folded else ""
    report = OnnxReport(
        graph.producer, graph.producer_version, graph.ir_version, tuple(sorted(graph.opsets.items())),
        graph.input_name, graph.input_shape, graph.defaulted,
        tuple(Counter(n.op_type for n in nodes).most_common()),
        tuple(NotCounted(op, domain, reason, tuple(names)) for (domain, op, reason), names in skipped.items()),
        len(folded), evidence, module_paths, len(nodes), len(param_of), graph.functions_inlined)
    return Profile(input_size, sum(r.params for r in layers), sum(macs), tuple(layers), tuple(unit_rows),
                   stage_rows(unit_rows, layers), peak, peak_name, report)


def _parent_in(path: str, paths) -> bool:
    """Whether some proper ancestor of a module path (other than the root) is one of `paths`."""
    while "." in path:
        path = path.rsplit(".", 1)[0]
        if path in paths:
            return True
    return False


def _strip(shape) -> tuple:
    """A shape without its batch dimension (() where unknown)."""
    if not shape or any(d is None for d in shape):
        return ()
    return tuple(shape[1:])


def _counts_inside(node) -> bool:
    return any(ops.lookup("", op)[0] in ("counted", "unknown", "declined") for op in node.subgraph_ops)
