"""Peak activation memory of one inference pass, predicted by liveness analysis over the network's graph.

    m = effviz.speed.peak_memory(model, (3, 224, 224))       # a torch module (traced with torch.fx)
    m = effviz.speed.peak_memory(onnx_bytes)                 # or an ONNX file's bytes (its own graph)
    m = effviz.speed.peak_memory(model, size, schedule="eager")   # as eager PyTorch holds its references
    m.peak_bytes, m.peak_step, m.timeline                    # peak, where, live bytes after each step

The model (MobileNetV2, Sandler et al. 2018, Sec. 5.1): the graph's operations run one after another in the
traced (topological) order. Each operation allocates its output when it runs; a tensor is freed after the last
operation that reads it. At a step, the live bytes are the outputs of every earlier step still to be read, plus
the step's own inputs and output. The network's input counts while it is alive (until its last reader); weights
are not included (they are counted apart: `Profile.weight_bytes()`). Batch 1, float32 (4 bytes per element).

Views share their source's buffer and allocate nothing: reshape/view/flatten/squeeze/unsqueeze/transpose/
permute/getitem/chunk/split/contiguous in torch.fx (a `contiguous` after a transpose does copy, so it is
counted as a new tensor; torch's channel shuffle does that), and Reshape/Flatten/Squeeze/Unsqueeze/Identity in
ONNX; in-place activations (ReLU(inplace=True)) write into their input. An ONNX file has no in-place flag: its
activations and Clip are run in place as onnxruntime's allocation planner runs them (their kernels allow it),
where nothing else reads the input; a node of constants only (an Identity of a weight) is a weight. A view keeps
its source alive as long as the view is read.

That is the "graph" schedule, what a graph executor does. schedule="eager" predicts eager PyTorch instead: a
module's caller keeps the tensors it passed in referenced until the module returns, so each block's inputs stay
alive to the block's last step, and the network's input to the end (eager_holds; it needs the torch.fx trace).

Nothing here is measured: `effviz.speed.memory_measure` measures the real peak in a fresh process to check it."""
from __future__ import annotations

import math
from dataclasses import dataclass

BYTES = 4  # float32

_TORCH_VIEWS = {"view", "reshape", "flatten", "squeeze", "unsqueeze", "transpose", "permute", "chunk", "split",
                "unflatten", "expand", "narrow", "select", "t", "view_as", "reshape_as", "unbind"}
_ONNX_VIEWS = {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity"}
# onnxruntime's CPU kernels that may write their output into their input's buffer (KernelDefBuilder().MayInplace(0,
# 0): the unary activations and Clip); its allocation planner does so when nothing reads that input later
_ONNX_IN_PLACE = {"Relu", "LeakyRelu", "Elu", "Selu", "Sigmoid", "HardSigmoid", "Softplus", "Softsign", "Tanh",
                  "ThresholdedRelu", "Clip"}


@dataclass(frozen=True)
class Step:
    """One operation of the graph, in execution order."""

    name: str                   # the module's qualified name, or the op's node name
    op: str                     # module class or op type
    output_bytes: int           # bytes it allocates (0 for a view or an in-place op)
    live_bytes: int             # bytes alive while it runs: its inputs, its output, and all kept for later


@dataclass(frozen=True)
class PeakMemory:
    """Predicted activation memory of one batch-1 float32 pass (weights not included)."""

    peak_bytes: int
    peak_step: str              # the step where the peak happens (its name)
    peak_index: int
    input_bytes: int
    largest_tensor_bytes: int   # the largest single activation: Profile.peak_activation in bytes
    steps: tuple[Step, ...]
    alive_at_peak: tuple[tuple[str, int], ...] = ()   # (the step that made it, bytes) of each buffer alive there

    @property
    def timeline(self) -> list[tuple[str, int]]:
        """(step name, live bytes) per step, in execution order."""
        return [(s.name, s.live_bytes) for s in self.steps]

    @property
    def peak_layer(self) -> str:
        return self.peak_step


def liveness(ops, input_bytes: int, input_name: str = "input", held=()) -> PeakMemory:
    """The liveness analysis itself, on plain data (tested on hand-built graphs).

    ops: in execution order, (name, op, output name, output bytes, input names, alias_of). `alias_of` is the
    input name whose buffer the output shares (a view, an in-place op), else None. Names not produced by an
    earlier op nor equal to `input_name` (weights, constants) take no memory here. held: (tensor name, step
    index) pairs: that tensor's buffer stays alive at least until that step, read or not (eager PyTorch's
    references, see eager_holds)."""
    ops = list(ops)
    buffer_of = {input_name: input_name}
    size = {input_name: input_bytes}
    for _, _, out, out_bytes, _, alias in ops:
        if alias is not None and alias in buffer_of:
            buffer_of[out] = buffer_of[alias]
        else:
            buffer_of[out] = out
            size[out] = out_bytes
    last_use: dict[str, int] = {}
    for i, (_, _, out, _, inputs, _) in enumerate(ops):
        for x in inputs:
            if x in buffer_of:
                last_use[buffer_of[x]] = i
        last_use.setdefault(buffer_of[out], i)   # an output nobody reads dies where it is made...
    if ops:
        last_use[buffer_of[ops[-1][2]]] = len(ops) - 1   # ...except the network's output, alive at the end
    for name, until in held:
        if name in buffer_of:
            b = buffer_of[name]
            last_use[b] = max(last_use.get(b, until), until)
    born = {input_name: -1}
    for i, (_, _, out, _, _, _) in enumerate(ops):
        born.setdefault(buffer_of[out], i)
    steps = []
    for i, (name, op, out, _, _, _) in enumerate(ops):
        live = sum(size[b] for b, start in born.items() if start <= i <= last_use.get(b, start))
        new = 0 if buffer_of[out] != out else size[out]
        steps.append(Step(name, op, new, live))
    if not steps:
        raise ValueError("the graph has no operations to run")
    peak_index = max(range(len(steps)), key=lambda i: (steps[i].live_bytes, -i))
    largest = max([input_bytes, *(size[b] for b in size)])
    maker = {input_name: input_name, **{out: name for name, _, out, _, _, _ in reversed(ops)}}
    alive = tuple((maker[b], size[b]) for b, start in sorted(born.items(), key=lambda kv: kv[1])
                  if start <= peak_index <= last_use.get(b, start))
    return PeakMemory(steps[peak_index].live_bytes, steps[peak_index].name, peak_index, input_bytes, largest,
                      tuple(steps), alive)


# --- torch: a torch.fx trace with shapes propagated ----------------------------------------------------------


def _numel(meta) -> int:
    import torch

    if isinstance(meta, torch.Tensor):
        return meta.numel()
    tm = getattr(meta, "shape", None)
    if tm is not None:
        return math.prod(tm)
    if isinstance(meta, (tuple, list)):
        return sum(_numel(m) for m in meta)
    return 0


def _torch_ops(model, input_size):
    import torch
    from torch import fx
    from torch.fx.passes.shape_prop import ShapeProp

    try:
        gm = fx.symbolic_trace(model)
    except Exception as err:  # noqa: BLE001 - fx raises many types for untraceable code
        raise ValueError(f"this model cannot be traced with torch.fx ({type(err).__name__}: "
                         f"{str(err).splitlines()[0][:200] if str(err) else ''}); its peak memory is not "
                         f"predicted") from None
    param = next(model.parameters(), None)
    device = param.device if param is not None else torch.device("cpu")
    x = torch.zeros((1, *input_size), device=device)
    was_training = model.training
    gm.eval()
    try:
        with torch.no_grad():
            ShapeProp(gm).propagate(x)
    finally:
        model.train(was_training)
    modules = dict(gm.named_modules())
    placeholder = None
    ops = []
    stacks: list[tuple[str, ...]] = []
    for node in gm.graph.nodes:
        if node.op == "placeholder":
            placeholder = node.name
            continue
        if node.op in ("output", "get_attr"):
            continue
        meta = node.meta.get("tensor_meta")
        out_bytes = _numel(meta) * BYTES if meta is not None else 0
        inputs = [a.name for a in node.all_input_nodes]
        alias = None
        if node.op == "call_module":
            mod = modules[node.target]
            label, op = node.target, type(mod).__name__
            if getattr(mod, "inplace", False) and inputs:
                alias = inputs[0]
            elif isinstance(mod, (torch.nn.Flatten, torch.nn.Identity, torch.nn.Unflatten)) and inputs:
                alias = inputs[0]
        else:
            target = node.target if isinstance(node.target, str) else getattr(node.target, "__name__", "op")
            label, op = node.name, target
            if node.kwargs.get("inplace") or target.endswith("_") and not target.startswith("_") and inputs:
                alias = inputs[0]
            elif target in _TORCH_VIEWS or target == "getitem":
                alias = inputs[0] if inputs else None
        ops.append((label, op, node.name, out_bytes, inputs, alias))
        stack = list((node.meta.get("nn_module_stack") or {}).values())
        paths = [v[0] if isinstance(v, tuple) else str(v) for v in stack]
        stacks.append(tuple(paths[:-1] if node.op == "call_module" else paths))   # the blocks around it
    return ops, placeholder, stacks


def eager_holds(ops, stacks, input_name: str) -> list[tuple[str, int]]:
    """What eager PyTorch keeps referenced beyond the graph's last reader: a module's caller holds the tensors it
    passed in until the module returns (its frame's variables and the call's arguments), so every tensor a block
    reads from before it started stays alive to the block's last step; and the network's caller holds the input
    to the end. `stacks`: per op, the qualified names of the blocks it runs inside (outermost first). A block
    called twice is two calls where other steps come between them."""
    runs: dict[str, list[list[int]]] = {}
    for i, stack in enumerate(stacks):
        for path in stack:
            spans = runs.setdefault(path, [])
            if spans and spans[-1][1] == i - 1:
                spans[-1][1] = i
            else:
                spans.append([i, i])
    made_at = {out: i for i, (_, _, out, _, _, _) in enumerate(ops)}
    held = [(input_name, len(ops) - 1)] if ops else []
    for spans in runs.values():
        for start, end in spans:
            for i in range(start, end + 1):
                held += [(x, end) for x in ops[i][4] if made_at.get(x, -1) < start]
    return held


def _dispatch_ops(model, input_size):
    """The same steps from the aten operations torch runs (for a model torch.fx cannot trace: Python control
    flow on shapes, int() of a size): one step per op that returns a tensor, named after the leaf module running
    it; an output that shares an input's storage (a view, an in-place op) is an alias."""
    import torch
    from torch.utils._python_dispatch import TorchDispatchMode
    from torch.utils._pytree import tree_flatten

    current: list[str] = []
    label_of: dict[int, str] = {}
    names: dict[int, str] = {}      # storage -> the name of the latest value living in it
    ops: list = []
    held: list = []                 # every storage seen stays referenced, so no address is reused meanwhile

    def key(t) -> int:
        return t.untyped_storage()._cdata

    class Recorder(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            ins = [a for a in tree_flatten((args, kwargs))[0] if isinstance(a, torch.Tensor)]
            outs = [a for a in tree_flatten(out)[0] if isinstance(a, torch.Tensor)]
            in_names = [names[key(a)] for a in ins if key(a) in names]
            label = current[-1] if current else func.__name__
            in_keys = {key(a) for a in ins}
            for o in outs:
                held.append(o.untyped_storage())
                k = key(o)
                if k in in_keys and k not in names:
                    continue        # a view of a weight (the transposed matrix of a Linear): no activation
                name = f"v{len(ops)}"
                alias = names.get(k)
                nbytes = 0 if alias else o.untyped_storage().nbytes()
                ops.append((label, func.__name__.split(".")[0], name, nbytes, in_names, alias))
                names[k] = name
            return out

    def enter(mod, args):
        current.append(label_of[id(mod)])

    def leave(mod, args, output):
        current.pop()

    handles = []
    for name, module in model.named_modules():
        if name and not list(module.children()):
            label_of[id(module)] = name
            handles += [module.register_forward_pre_hook(enter), module.register_forward_hook(leave)]
    param = next(model.parameters(), None)
    device = param.device if param is not None else torch.device("cpu")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            x = torch.zeros((1, *input_size), device=device)
            names[key(x)] = "input"
            with Recorder():
                model(x)
    finally:
        model.train(was_training)
        for h in handles:
            h.remove()
    return ops


SCHEDULES = ("graph", "eager")


def of_module(model, input_size, schedule: str = "graph") -> PeakMemory:
    """Liveness over the torch.fx graph; where torch.fx cannot trace the model, over the aten ops it runs.
    schedule "graph": each tensor is freed after its last reader (what a graph executor does, and the trace run
    with its input handed over). "eager": as eager PyTorch runs the module, where each block's caller also holds
    the block's inputs until it returns (eager_holds); it needs the torch.fx trace."""
    from effviz.speed.latency import _check_input_size

    if schedule not in SCHEDULES:
        raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}, got {schedule!r}")
    size = _check_input_size(input_size)
    try:
        ops, placeholder, stacks = _torch_ops(model, size)
    except ValueError:
        if schedule == "eager":
            raise
        if not list(model.parameters()) and not list(model.children()):
            raise
        ops, placeholder, stacks = _dispatch_ops(model, size), "input", None
        if not ops:
            raise
    name = placeholder or "input"
    held = eager_holds(ops, stacks, name) if schedule == "eager" else ()
    return liveness(ops, math.prod(size) * BYTES, name, held)


# --- ONNX: the file's own graph, shapes from onnx's shape inference -----------------------------------------


def of_onnx(source, input_size=None) -> PeakMemory:
    from onnx.helper import tensor_dtype_to_np_dtype

    from effviz.networks.onnxfile.reading import read

    def bits(dtype: int) -> int:
        try:
            return tensor_dtype_to_np_dtype(dtype).itemsize * 8
        except (KeyError, TypeError, ValueError):
            return 32

    graph = read(source, input_size)
    known = set(graph.initializers) | set(graph.constants)
    for node in graph.nodes:      # a node of constants only (an Identity of a weight) makes a constant: a weight
        if node.op_type == "Constant" or all(i in known for i in node.inputs if i):
            known.update(o for o in node.outputs if o)
    readers: dict[str, int] = {}
    for node in graph.nodes:
        for i in node.inputs:
            readers[i] = readers.get(i, 0) + 1
    outputs = set(graph.outputs)
    made_by: dict[str, str] = {}
    ops = []
    for node in graph.nodes:
        out = next((o for o in node.outputs if o), None)
        if out is None or out in known:
            continue
        out_bytes = 0
        for o in node.outputs:
            shape = graph.shapes.get(o)
            if o and shape is not None and all(isinstance(d, int) for d in shape):
                out_bytes += math.ceil(math.prod(shape) * bits(graph.dtypes.get(o, 1)) / 8)
        inputs = [i for i in node.inputs if i and i not in known]
        alias = inputs[0] if node.op_type in _ONNX_VIEWS and inputs else None
        # in place, as onnxruntime runs it: an activation whose input (made here by a non-view op, not the
        # network's input) nobody else reads
        if (alias is None and node.op_type in _ONNX_IN_PLACE and inputs and readers.get(inputs[0]) == 1
                and made_by.get(inputs[0], "") not in ("", *_ONNX_VIEWS) and inputs[0] not in outputs):
            alias = inputs[0]
        for o in node.outputs:
            made_by[o] = node.op_type
        ops.append((node.name or out, node.op_type, out, out_bytes, inputs, alias))
        # a node with several outputs: the others share its allocation (counted in out_bytes)
        for extra in node.outputs[1:]:
            if extra:
                ops.append((node.name or out, node.op_type, extra, 0, [out], out))
    input_bytes = math.ceil(math.prod(graph.input_shape) * bits(graph.dtypes.get(graph.input_name, 1)) / 8)
    return liveness(ops, input_bytes, graph.input_name)


def peak_memory(model, input_size=None, schedule: str = "graph") -> PeakMemory:
    """Predicted peak activation memory of one batch-1 pass: a torch module on (C, H, W), or ONNX bytes.
    schedule (torch only): "graph" frees each tensor after its last reader; "eager" also keeps what eager PyTorch
    keeps referenced (each block's inputs until it returns): see of_module."""
    if isinstance(model, (bytes, bytearray, memoryview)):
        if schedule != "graph":
            raise ValueError("an ONNX file runs as a graph (onnxruntime): only schedule='graph' applies")
        return of_onnx(bytes(model), input_size)
    import torch

    if not isinstance(model, torch.nn.Module):
        raise ValueError(f"model must be a torch.nn.Module or an ONNX file's bytes, got {type(model).__name__}")
    return of_module(model, input_size, schedule)


# --- MobileNetV2 Sec. 5.1 and MCUNetV2: the expanded tensor computed in pieces (analytic) -------------------


def sliced_block_peak(c_in: int, expansion: int, c_out: int, h: int, w: int, stride: int = 1, slices: int = 1,
                      residual: bool | None = None) -> int:
    """Peak bytes of one inverted residual (1x1 expand -> 3x3 depthwise -> 1x1 project) when its expanded
    channels are computed in `slices` groups (MobileNetV2, Sec. 5.1): the block's input and output stay whole,
    but only one slice of the expanded tensor (before and after the depthwise conv) is alive at a time. The
    output is accumulated slice by slice, so it is alive throughout. slices=1 is the ordinary block."""
    if not all(isinstance(v, int) and v >= 1 for v in (c_in, expansion, c_out, h, w, stride, slices)):
        raise ValueError("c_in, expansion, c_out, h, w, stride and slices must be positive ints")
    hidden = c_in * expansion
    if slices > hidden:
        raise ValueError(f"slices must be at most the expanded channels ({hidden}), got {slices}")
    ho, wo = -(-h // stride), -(-w // stride)
    piece = -(-hidden // slices)
    inp, out = c_in * h * w, c_out * ho * wo
    if slices == 1:
        # expand: input + expanded;  depthwise: input (kept for the skip if residual) + expanded + dw output;
        # project: dw output + output (+ input kept for the skip)
        keep = inp if (residual if residual is not None else (stride == 1 and c_in == c_out)) else 0
        return BYTES * max(inp + hidden * h * w, keep + hidden * h * w + hidden * ho * wo,
                           keep + hidden * ho * wo + out)
    return BYTES * (inp + out + piece * h * w + piece * ho * wo)


def patch_peak(c_in: int, expansion: int, c_out: int, h: int, w: int, stride: int = 1, patches: int = 1,
               halo: int = 1) -> int:
    """Peak bytes of one inverted residual computed in `patches` x `patches` spatial tiles (MCUNetV2's patch-based
    inference): input and output stay whole, the expanded tensor exists for one tile (plus its `halo` of pixels
    each side for the 3x3 depthwise conv) at a time. Analytic; the re-computed halo costs extra MACs."""
    if not all(isinstance(v, int) and v >= 1 for v in (c_in, expansion, c_out, h, w, stride, patches)):
        raise ValueError("c_in, expansion, c_out, h, w, stride and patches must be positive ints")
    if patches == 1:
        return sliced_block_peak(c_in, expansion, c_out, h, w, stride)
    hidden = c_in * expansion
    th, tw = -(-h // patches) + 2 * halo, -(-w // patches) + 2 * halo
    ho, wo = -(-h // stride), -(-w // stride)
    tho, two = -(-ho // patches), -(-wo // patches)
    return BYTES * (c_in * h * w + c_out * ho * wo + hidden * th * tw + hidden * tho * two)


def network_peak_memory(name: str, input_size=(3, 224, 224), schedule: str = "graph") -> PeakMemory:
    """peak_memory of registered network `name`, traced and shape-propagated on the meta device (no weights)."""
    from effviz import networks

    model, _ = networks.build_meta(name)
    return of_module(model, tuple(input_size), schedule)
