"""Where the time goes: each layer's measured CPU time beside its MACs and memory access.

    lt = effviz.speed.layer_times(model, (3, 224, 224), threads=1)     # a torch module
    lt = effviz.speed.layer_times(onnx_bytes, threads=1)               # an ONNX file's bytes (onnxruntime)
    lt.rows               # LayerTime(name, kind, macs, seconds, bytes, calls), in execution order
    lt.whole              # the whole pass's measured seconds
    lt.remainder          # whole - sum(rows): time spent outside every layer, and what it is (lt.outside)

Torch. The timer is torch.profiler's (Kineto), never our own. Each leaf module's forward is marked as a
profiler range named after the module (a `record_function` opened by a forward pre-hook and closed by a forward
hook: labels only, the profiler times them), and the whole forward is one more range. The profiler records
`repeats` passes after `warmup` untimed ones; the pass whose whole is the median is reported: each layer's
time in it (a module called twice, such as ResNet's shared ReLU, adds both calls), and its whole. The
remainder is the aten work run outside every leaf module (functional ops in a block's forward: residual adds,
channel shuffles, concatenations) plus the time when no op ran ("between layers": Python between calls, the
marking itself, and the CPU taken by other processes on a shared machine); `outside` names each with its time.

What a call costs: the first of the `warmup` untimed passes (at least one) also counts each layer's MACs and
bytes (conv and linear layers by FlopCounterMode's formulas, any other leaf module by torch's FLOP registry
while it runs: the same counts as effviz.profile, without its separate pass), at the measured thread count, so
it warms up the kernels the profiled passes use. Then `repeats` profiled passes, and the trace is read from the
profiler's raw event list (building its FunctionEvent tree cost more than the passes). A call is thus about
1 + repeats x (profiled pass / plain pass) plain passes; bench/bench_layer_times.py measures it.

ONNX. onnxruntime's own profiler (SessionOptions.enable_profiling) writes a per-node trace: each node's kernel
time and its input and output shapes. onnxruntime fuses nodes first (Conv + BatchNorm, Conv + ReLU), so a row
is a node as onnxruntime ran it. The session runs at optimisation level EXTENDED: every fusion, but not the
NCHWc blocked-layout rewrite of level ALL, whose padded shapes would not be the file's (so the whole can differ
a little from the Latency Lab's onnxruntime timing, which uses ALL). MACs come from the trace's shapes
(convolutions, Gemm, MatMul), the whole from its `model_run` events; the remainder is the session's own work
between kernels.

Kinds (the seeds' vocabulary): dense (a k x k conv, k > 1, groups 1), pointwise (1x1, groups 1), depthwise
(groups == input channels), grouped (other groups > 1), linear (fully connected), other (BatchNorm,
activations, pooling: no MACs, but time). Memory access per layer is inputs + weights (+ buffers) + outputs,
float32, as in effviz.speed.memory_access. Achieved GMAC/s = MACs / seconds / 1e9."""
from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import dataclass

KINDS = ("dense", "pointwise", "depthwise", "grouped", "linear", "other")
BYTES = 4
OUTER = "effviz::forward"
BETWEEN = "between layers"   # no op running: Python between calls, the marking, waiting for the CPU


@dataclass(frozen=True)
class LayerTime:
    name: str
    kind: str          # one of KINDS
    macs: int
    seconds: float     # in the median pass
    bytes: int = 0     # memory access: inputs + weights + outputs, float32
    op: str = ""       # module class or ONNX op type

    @property
    def gmacs(self) -> float:
        """Achieved GMAC/s."""
        return self.macs / self.seconds / 1e9 if self.seconds > 0 else 0.0

    @property
    def intensity(self) -> float:
        """Arithmetic intensity: MACs per byte moved."""
        return self.macs / self.bytes if self.bytes else 0.0


@dataclass(frozen=True)
class LayerTimes:
    rows: tuple[LayerTime, ...]
    whole: float                          # seconds of the whole pass (the median of the profiled passes)
    outside: tuple[tuple[str, float], ...]   # (op, seconds) of work outside every layer, largest first
    threads: int
    passes: int
    runtime: str                          # "torch" or "onnxruntime"
    profile_seconds: float = 0.0          # wall time the profiling took (warm-up included)

    @property
    def layer_sum(self) -> float:
        return sum(r.seconds for r in self.rows)

    @property
    def remainder(self) -> float:
        return self.whole - self.layer_sum

    @property
    def macs(self) -> int:
        return sum(r.macs for r in self.rows)

    def by_kind(self) -> dict[str, tuple[int, float]]:
        """{kind: (MACs, seconds)} in KINDS order, kinds present only."""
        out: dict[str, list] = {}
        for r in self.rows:
            acc = out.setdefault(r.kind, [0, 0.0])
            acc[0] += r.macs
            acc[1] += r.seconds
        return {k: (out[k][0], out[k][1]) for k in KINDS if k in out}

    def slowest(self) -> LayerTime:
        return max(self.rows, key=lambda r: r.seconds)


OVERLAYS = ("macs", "time", "gmacs", "memory")    # what the network graph can be coloured by


def unit_totals(lt: LayerTimes, units) -> dict[str, tuple[int, float, int]]:
    """{name: (MACs, seconds, bytes)} for every row of `lt` under its own name and, added up, under the block
    (unit) it belongs to: the longest name in `units` that is the row's name or a prefix of it followed by ".".
    For colouring a network graph (effviz.plots.anatomy.network_dot's overlay) by measured time."""
    names = sorted(set(units), key=len, reverse=True)
    out: dict[str, list] = {}
    for r in lt.rows:
        keys = [r.name]
        unit = next((u for u in names if r.name == u or r.name.startswith(u + ".")), None)
        if unit is not None and unit != r.name:
            keys.append(unit)
        for k in keys:
            acc = out.setdefault(k, [0, 0.0, 0])
            acc[0] += r.macs
            acc[1] += r.seconds
            acc[2] += r.bytes
    return {k: (m, sec, b) for k, (m, sec, b) in out.items()}


def overlay_value(totals: tuple[int, float, int], measure: str) -> float:
    """One of OVERLAYS from (MACs, seconds, bytes): MACs, seconds, achieved GMAC/s (MACs / seconds / 1e9, 0
    without time) or memory access in bytes."""
    macs, seconds, nbytes = totals
    if measure == "macs":
        return float(macs)
    if measure == "time":
        return seconds
    if measure == "gmacs":
        return macs / seconds / 1e9 if seconds > 0 else 0.0
    if measure == "memory":
        return float(nbytes)
    raise ValueError(f"measure must be one of {', '.join(OVERLAYS)}, got {measure!r}")


def conv_kind(groups: int, in_channels: int, kernel: tuple[int, ...]) -> str:
    if groups > 1 and groups == in_channels:
        return "depthwise"
    if groups > 1:
        return "grouped"
    return "pointwise" if all(k == 1 for k in kernel) else "dense"


def module_kind(module) -> str:
    from torch import nn

    if isinstance(module, nn.Linear):
        return "linear"
    if isinstance(module, nn.modules.conv._ConvNd):
        return conv_kind(module.groups, module.in_channels, tuple(module.kernel_size))
    return "other"


def _numel(x) -> int:
    import torch

    if isinstance(x, torch.Tensor):
        return x.numel()
    if isinstance(x, (tuple, list)):
        return sum(_numel(v) for v in x)
    return 0


# Leaf modules whose MACs need no counting: torch's own classes that do no matrix product (norms, activations,
# pooling, dropout, padding, reshaping). Conv1d/2d/3d and Linear are counted by formula; any other leaf module
# (a user's own, a transposed conv, attention) is counted by the dispatch mode while it runs.
_NO_MACS = {"torch.nn.modules." + m for m in ("activation", "batchnorm", "normalization", "instancenorm",
                                               "pooling", "dropout", "padding", "flatten", "pixelshuffle",
                                               "channelshuffle", "upsampling")}


def _formula(module):
    """MACs of one call of `module` as a function of its output, or None where the dispatch mode must count. The
    formulas are FlopCounterMode's (torch.utils.flop_counter) divided by 2: a convolution's output element sums
    C_in/groups x kernel products (= the weight's elements per output channel), a linear layer's in_features."""
    from torch import nn

    if type(module) in (nn.Conv1d, nn.Conv2d, nn.Conv3d):
        per = math.prod(module.weight.shape[1:])
        return lambda out: out.numel() * per
    if type(module) is nn.Linear:
        return lambda out: out.numel() * module.in_features
    if type(module) is nn.Identity or (type(module).__module__ in _NO_MACS and
                                       not isinstance(module, nn.MultiheadAttention)):
        return lambda out: 0
    return None


def _counted_pass(model, x) -> list[tuple[str, str, str, int, int]]:
    """One forward pass of x that also counts, per leaf module in the order first called: (name, kind, op, MACs,
    bytes). MACs: convolutions and linear layers by formula (_formula), norms and activations 0, and any other
    leaf module by torch's FLOP formulas (torch.utils.flop_counter.flop_registry, FLOPs / 2) applied by a light
    dispatch mode switched on while that module runs (composite ops decomposed first, as FlopCounterMode does).
    The module stack comes from this model's own forward hooks, not FlopCounterMode's process-global ones, and the
    usual network runs no Python per aten op: the pass costs about one forward. Bytes: (input + weights and
    buffers + output elements) x 4, counted once per call. The caller sets eval / no-grad mode."""
    from torch.utils._python_dispatch import TorchDispatchMode
    from torch.utils.flop_counter import flop_registry

    stack: list[str] = []
    traffic: dict[str, list] = {}
    handles = []

    class Macs(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            count = flop_registry.get(func._overloadpacket)
            if count is None:   # a composite op (aten.conv2d): run its decomposition, whose parts are counted
                with self:
                    out = func.decompose(*args, **kwargs)
                if out is not NotImplemented:
                    return out
            out = func(*args, **kwargs)
            if count is not None and stack:
                traffic[stack[-1]][2] += count(*args, **kwargs, out_val=out) // 2
            return out

    def enter(name, module):
        held = sum(p.numel() for p in module.parameters(recurse=False)) + \
            sum(b.numel() for b in module.buffers(recurse=False) if b.is_floating_point())
        kind, op, formula = module_kind(module), type(module).__name__, _formula(module)
        modes: list = []

        def pre(mod, args):
            traffic.setdefault(name, [kind, op, 0, 0])[3] += (_numel(args) + held) * BYTES
            stack.append(name)
            if formula is None:
                modes.append(Macs())
                modes[-1].__enter__()

        def post(mod, args, output):
            if formula is None:
                modes.pop().__exit__(None, None, None)
            else:
                traffic[name][2] += formula(output)
            stack.pop()
            traffic[name][3] += _numel(output) * BYTES
        return pre, post

    for name, module in model.named_modules():
        if name and not list(module.children()):
            pre, post = enter(name, module)
            handles += [module.register_forward_pre_hook(pre), module.register_forward_hook(post)]
    try:
        model(x)
    finally:
        for h in handles:
            h.remove()
    return [(n, k, op, m, b) for n, (k, op, m, b) in traffic.items()]


def leaf_traffic(model, input_size) -> list[tuple[str, str, str, int, int]]:
    """(name, kind, op, MACs, bytes) of every leaf module in the order first called, from one forward pass on the
    model's own device (the meta device works: no compute). MACs by torch's FLOP formulas (the same counts as
    effviz.profile, which uses FlopCounterMode); bytes = (input + weights and buffers + output elements) x 4,
    counted once per call."""
    import torch

    from effviz.blocks.counting import input_for

    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return _counted_pass(model, input_for(model, input_size))
    finally:
        model.train(was_training)


def _direct_children(events, outer_name: str):
    """From torch.profiler's raw (kineto) events: the outer ranges named `outer_name` in time order, and for each
    the events directly inside it (its children, not their children), as (outer index, name, seconds). A sweep
    over the events sorted by start (an enclosing event first) with a stack of the open ones, per thread."""
    by_thread: dict[int, list] = {}
    for e in events:
        if e.device_type().name == "CPU":
            by_thread.setdefault(e.start_thread_id(), []).append((e.start_ns(), -e.end_ns(), e.name()))
    outers: list[tuple[int, int]] = []
    children: list[tuple[int, str, float]] = []
    for evs in by_thread.values():
        evs.sort()
        open_: list[tuple[int, int]] = []      # (end_ns, outer index or -1)
        for start, neg_end, name in evs:
            end = -neg_end
            while open_ and open_[-1][0] <= start:
                open_.pop()
            parent = open_[-1][1] if open_ else -1
            if name == outer_name:
                outers.append((start, end))
                open_.append((end, len(outers) - 1))
                continue
            if parent >= 0:
                children.append((parent, name, (end - start) / 1e9))
            open_.append((end, -1))
    order = sorted(range(len(outers)), key=lambda i: outers[i][0])
    rank = {i: r for r, i in enumerate(order)}
    return ([(outers[i][1] - outers[i][0]) / 1e9 for i in order],
            [(rank[i], name, s) for i, name, s in children])


def of_module(model, input_size, threads: int = 1, repeats: int = 5, warmup: int = 1) -> LayerTimes:
    import time

    import torch
    from torch.profiler import ProfilerActivity, profile, record_function

    from effviz.speed.latency import _check_input_size, _check_threads

    size = _check_input_size(input_size)
    n_threads = _check_threads(threads)
    if not isinstance(repeats, int) or not 1 <= repeats <= 50:
        raise ValueError(f"repeats must be an int from 1 to 50, got {repeats!r}")
    started = time.perf_counter()
    previous = torch.get_num_threads()
    was_training = model.training
    model.eval()
    open_ranges: dict[int, list] = {}
    handles = []
    try:
        torch.set_num_threads(n_threads)
        with torch.inference_mode():
            x = torch.randn((1, *size), generator=torch.Generator().manual_seed(0))
            # the first untimed pass counts MACs and bytes as well: at the measured thread count, so that the
            # kernels it warms up (oneDNN's, chosen per thread count) are the ones the profiled passes run
            traffic = _counted_pass(model, x)
            for _ in range(max(0, int(warmup) - 1)):
                model(x)
            info = {n: (k, op, m, b) for n, k, op, m, b in traffic}

            def pre(name):
                def enter(mod, args):
                    rf = record_function(name)
                    rf.__enter__()
                    open_ranges.setdefault(id(mod), []).append(rf)
                return enter

            def post(mod, args, output):
                stack = open_ranges.get(id(mod))
                if stack:
                    stack.pop().__exit__(None, None, None)

            for name, module in model.named_modules():
                if name in info:
                    handles.append(module.register_forward_pre_hook(pre(name)))
                    handles.append(module.register_forward_hook(post))
            with profile(activities=[ProfilerActivity.CPU]) as prof:
                for _ in range(repeats):
                    with record_function(OUTER):
                        model(x)
    finally:
        torch.set_num_threads(previous)
        model.train(was_training)
        for h in handles:
            h.remove()
    # torch.profiler's raw event list: building its FunctionEvent tree (prof.events()) costs more than the passes
    wholes, children = _direct_children(prof.profiler.kineto_results.events(), OUTER)
    if len(wholes) != repeats:
        raise RuntimeError(f"the profiler recorded {len(wholes)} passes instead of {repeats}")
    per_pass: list[dict[str, float]] = [dict() for _ in wholes]
    outside: dict[str, list[float]] = {}
    covered = [0.0] * len(wholes)      # time of the outer range's direct children: layers and outside ops
    for i, name, seconds in children:
        covered[i] += seconds
        if name in info:
            per_pass[i][name] = per_pass[i].get(name, 0.0) + seconds
        else:   # an aten op run by a block's own forward, outside every leaf module
            outside.setdefault(name, [0.0] * len(wholes))[i] += seconds
    outside[BETWEEN] = [w - c for w, c in zip(wholes, covered, strict=True)]
    # The pass whose whole is the median: its layers, the ops outside them and the time between them add up to
    # it exactly. (A median per layer would not: on a busy machine each layer's median drops the other processes'
    # turns that fell in it, the whole's median keeps them, and the sum falls short of the whole.)
    k = sorted(range(len(wholes)), key=wholes.__getitem__)[(len(wholes) - 1) // 2]
    rows = tuple(LayerTime(name, kind, macs, per_pass[k].get(name, 0.0), nbytes, op)
                 for name, (kind, op, macs, nbytes) in info.items())
    named = sorted(((op, ts[k]) for op, ts in outside.items() if ts[k] > 0), key=lambda p: -p[1])
    return LayerTimes(rows, wholes[k], tuple(named), n_threads, repeats, "torch", time.perf_counter() - started)


# --- ONNX -----------------------------------------------------------------------------------------------------


def _trace_macs(op: str, ins: list[list[int]], outs: list[list[int]]) -> tuple[str, int]:
    """(kind, MACs) of one onnxruntime node from its trace shapes (batch included)."""
    if not outs:
        return "other", 0
    out = outs[0]
    if op in ("Conv", "FusedConv", "NhwcFusedConv", "QLinearConv") and len(ins) >= 2 and len(ins[1]) >= 3:
        w = ins[1]
        x = ins[0]
        c_in = x[1] if len(x) > 1 else w[1]
        groups = max(1, c_in // w[1]) if w[1] else 1
        return conv_kind(groups, c_in, tuple(w[2:])), math.prod(out) * math.prod(w[1:])
    if op in ("Gemm", "MatMul", "FusedMatMul") and len(ins) >= 2 and ins[0]:
        return "linear", math.prod(out) * ins[0][-1]
    return "other", 0


def of_onnx(data: bytes, threads: int = 1, repeats: int = 5, warmup: int = 2, input_size=None) -> LayerTimes:
    import time

    import onnxruntime as ort

    from effviz.networks.onnxfile import runtime
    from effviz.networks.onnxfile.reading import MAX_BYTES, read
    from effviz.problems import Problem
    from effviz.uploads import read_bounded

    if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
        raise ValueError(f"threads must be a positive int, got {threads!r}")
    if not isinstance(repeats, int) or not 1 <= repeats <= 50:
        raise ValueError(f"repeats must be an int from 1 to 50, got {repeats!r}")
    started = time.perf_counter()
    data, _ = read_bounded(data, MAX_BYTES, "ONNX file")
    graph = read(data, input_size)
    with tempfile.TemporaryDirectory(prefix="effviz-ort-") as folder:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # EXTENDED: node fusions on, the NCHWc layout rewrite (level ALL) off, so the trace's shapes are the file's
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        # one session, profiling from the start: the warm-up runs are in the trace too, and only the last
        # `repeats` runs are read (a second session just for the warm-up cost as much as the runs, for a small file)
        options.enable_profiling = True
        options.profile_file_prefix = os.path.join(folder, "trace")
        try:
            sess = ort.InferenceSession(data, sess_options=options, providers=["CPUExecutionProvider"])
        except Exception as err:  # noqa: BLE001 - onnxruntime's own error types
            text = str(err).strip().splitlines()
            raise Problem("onnx_ort_load", detail=text[0][:300] if text else repr(err)) from None
        feed = runtime.feed(sess, graph)
        try:
            for _ in range(max(0, int(warmup))):
                sess.run(None, feed)
            for _ in range(repeats):
                sess.run(None, feed)
        except Exception as err:  # noqa: BLE001
            text = str(err).strip().splitlines()
            raise Problem("onnx_ort_run", detail=text[0][:300] if text else repr(err)) from None
        path = sess.end_profiling()
        with open(path, encoding="utf-8") as f:
            trace = json.load(f)
    runs = sorted((e for e in trace if e.get("cat") == "Session" and e.get("name") == "model_run"),
                  key=lambda e: e["ts"])[-repeats:]
    if not runs:
        raise RuntimeError("onnxruntime's trace has no model_run events")
    nodes = [e for e in trace if e.get("cat") == "Node" and e.get("name", "").endswith("_kernel_time")]
    per_pass: list[dict[str, float]] = [dict() for _ in runs]
    meta: dict[str, tuple[str, str, int, int]] = {}
    for e in nodes:
        i = next((k for k, r in enumerate(runs) if r["ts"] <= e["ts"] <= r["ts"] + r["dur"]), None)
        if i is None:
            continue
        name = e["name"][: -len("_kernel_time")]
        per_pass[i][name] = per_pass[i].get(name, 0.0) + e["dur"] / 1e6
        if name not in meta:
            args = e.get("args", {})
            ins = [list(next(iter(d.values()))) for d in args.get("input_type_shape", []) if d]
            outs = [list(next(iter(d.values()))) for d in args.get("output_type_shape", []) if d]
            op = args.get("op_name", "")
            kind, macs = _trace_macs(op, ins, outs)
            moved = sum(math.prod(s) for s in ins + outs) * BYTES
            meta[name] = (kind, op, macs, moved)
    wholes = [r["dur"] / 1e6 for r in runs]
    j = sorted(range(len(wholes)), key=wholes.__getitem__)[(len(wholes) - 1) // 2]     # the median run, as above
    rows = tuple(LayerTime(n, k, m, per_pass[j].get(n, 0.0), b, op) for n, (k, op, m, b) in meta.items())
    whole = wholes[j]
    return LayerTimes(rows, whole, (("onnxruntime session", max(0.0, whole - sum(r.seconds for r in rows))),),
                      threads, len(runs), "onnxruntime", time.perf_counter() - started)


def layer_times(model, input_size=None, threads: int = 1, repeats: int = 5, warmup: int = 1) -> LayerTimes:
    """Per-layer measured CPU time of a torch module on a (C, H, W) input, or of an ONNX file's bytes."""
    if isinstance(model, (bytes, bytearray, memoryview)):
        return of_onnx(bytes(model), threads, repeats, warmup, input_size)
    import torch

    if not isinstance(model, torch.nn.Module):
        raise ValueError(f"model must be a torch.nn.Module or an ONNX file's bytes, got {type(model).__name__}")
    if input_size is None:
        raise ValueError("input_size (channels, height, width) is needed for a torch module")
    return of_module(model, input_size, threads, repeats, warmup)


def network_layer_times(name: str, input_size=(3, 224, 224), threads: int = 1, repeats: int = 5,
                        options: tuple = ()) -> LayerTimes:
    """layer_times of registered network `name` (effviz.networks.build with `options`, a tuple of (option,
    value) pairs, default none; random weights: time does not depend on their values). Module level, so that a
    timing process can run it."""
    from effviz import networks

    return layer_times(networks.build(name, **dict(options)), tuple(input_size), threads, repeats)


def network_traffic(name: str, input_size=(3, 224, 224)) -> list[tuple[str, str, str, int, int]]:
    """leaf_traffic of network `name` built on the meta device: (name, kind, op, MACs, bytes) per leaf module,
    analytic (no weights, no compute), for the roofline estimate of a whole network."""
    from effviz import networks

    model, _ = networks.build_meta(name)
    return leaf_traffic(model, tuple(input_size))
