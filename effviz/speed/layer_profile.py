"""Where the time goes: each layer's measured CPU time beside its MACs and memory access.

    lt = effviz.speed.layer_times(model, (3, 224, 224), threads=1)     # a torch module
    lt = effviz.speed.layer_times(onnx_bytes, threads=1)               # an ONNX file's bytes (onnxruntime)
    lt.rows               # LayerTime(name, kind, macs, seconds, bytes, op), in execution order
    lt.whole              # the whole pass's measured seconds
    lt.remainder          # whole - sum(rows): time spent outside every layer, and what it is (lt.outside)

Torch. The timer is torch.profiler's (Kineto), never our own. Each module's forward, leaf or block (but plain
nn.Sequential and nn.ModuleList, which run no op of their own), runs inside a profiler range named after the
module: the forward is wrapped for the call, not hooked, so the modules keep nn.Module's fast call path, and the
label is torch's C++ RecordFunctionFast (labels only: the profiler times them). The whole forward is one more
range. The profiler records `repeats` passes (default 1) after `warmup` untimed ones, with the garbage collector
off as in timeit; the pass whose whole is the median is reported. Its rows: each leaf module's time (a module
called twice, such as ResNet's shared ReLU, adds both calls), and each block's own ops (the aten work in a
block's forward outside its children: residual adds, channel shuffles, concatenations) as a row named after the
block, kind "other", op "<class>: <ops>"; ops of the network's own forward are the row TOP. The remainder is the
time when no op ran: Python between layers (module calls, loops, the marks, and the CPU taken by other processes
on a shared machine); `outside` splits it by the class of the module whose forward ran it, as ("between
layers: <class>", seconds).

What a call costs: the first of the `warmup` untimed passes (at least one) also counts each layer's MACs and
bytes (conv and linear layers by FlopCounterMode's formulas, any other leaf module by torch's FLOP registry
while it runs: the same counts as effviz.profile, without its separate pass), at the measured thread count, so
it warms up the kernels the profiled passes use. Then `repeats` profiled passes, and the trace is read from the
profiler's raw event list (building its FunctionEvent tree cost more than the passes). A call is thus about
1 + repeats x (profiled pass / plain pass) plain passes: 2.2-2.9x for ResNet-50 and MobileNetV2 at the default
(bench/bench_layer_times.py measures it).

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

import gc
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


def _wrapped(named: dict, wrapper):
    """Give each module of `named` ({name: module}) the forward wrapper(name, module, its own forward) for a while,
    and return the undo, which restores what was there (a forward set on the instance, or none). Wrapped, not
    hooked: a module without hooks keeps nn.Module's fast call path, so the wrapping costs little."""
    saved = []
    for name, module in named.items():
        had = "forward" in module.__dict__
        saved.append((module, had, module.__dict__.get("forward")))
        module.__dict__["forward"] = wrapper(name, module, module.forward)

    def undo():
        for module, had, old in saved:
            if had:
                module.__dict__["forward"] = old
            else:
                module.__dict__.pop("forward", None)
    return undo


def _evaluating(model) -> list:
    """Put `model` in eval mode; return the modules that were in training mode, for the caller to put back (only
    those: a model already in eval mode, the usual case, is not walked twice)."""
    training = [m for m in model.modules() if m.training]
    if training:
        model.eval()
    return training


def _leaves(model) -> dict:
    return {name: m for name, m in model.named_modules() if name and next(m.children(), None) is None}


def _counted_pass(model, x) -> list[tuple[str, str, str, int, int]]:
    """One forward pass of x that also counts, per leaf module in the order first called: (name, kind, op, MACs,
    bytes). MACs: convolutions and linear layers by formula (_formula), norms and activations 0, and any other
    leaf module by torch's FLOP formulas (torch.utils.flop_counter.flop_registry, FLOPs / 2) applied by a light
    dispatch mode switched on while that module runs (composite ops decomposed first, as FlopCounterMode does).
    Each leaf's forward is wrapped for the pass (_wrapped), no process-global hooks as FlopCounterMode's, and the
    usual network runs no Python per aten op: the pass costs about one forward. Bytes: (input + weights and
    buffers + output elements) x 4, counted once per call. The caller sets eval / no-grad mode."""
    from torch.utils._python_dispatch import TorchDispatchMode
    from torch.utils.flop_counter import flop_registry

    traffic: dict[str, list] = {}

    class Macs(TorchDispatchMode):
        def __init__(self, into: list):
            super().__init__()
            self.into = into

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            count = flop_registry.get(func._overloadpacket)
            if count is None:   # a composite op (aten.conv2d): run its decomposition, whose parts are counted
                with self:
                    out = func.decompose(*args, **kwargs)
                if out is not NotImplemented:
                    return out
            out = func(*args, **kwargs)
            if count is not None:
                self.into[2] += count(*args, **kwargs, out_val=out) // 2
            return out

    def counting(name, module, inner):
        held = sum(p.numel() for p in module.parameters(recurse=False)) + \
            sum(b.numel() for b in module.buffers(recurse=False) if b.is_floating_point())
        kind, op, formula = module_kind(module), type(module).__name__, _formula(module)

        def forward(*args, **kwargs):
            acc = traffic.setdefault(name, [kind, op, 0, 0])
            acc[3] += (_numel(args) + held) * BYTES
            if formula is None:
                with Macs(acc):
                    out = inner(*args, **kwargs)
            else:
                out = inner(*args, **kwargs)
                acc[2] += formula(out)
            acc[3] += _numel(out) * BYTES
            return out
        return forward

    undo = _wrapped(_leaves(model), counting)
    try:
        model(x)
    finally:
        undo()
    return [(n, k, op, m, b) for n, (k, op, m, b) in traffic.items()]


def leaf_traffic(model, input_size) -> list[tuple[str, str, str, int, int]]:
    """(name, kind, op, MACs, bytes) of every leaf module in the order first called, from one forward pass on the
    model's own device (the meta device works: no compute). MACs by torch's FLOP formulas (the same counts as
    effviz.profile, which uses FlopCounterMode); bytes = (input + weights and buffers + output elements) x 4,
    counted once per call."""
    import torch

    from effviz.blocks.counting import input_for

    training = _evaluating(model)
    try:
        with torch.no_grad():
            return _counted_pass(model, input_for(model, input_size))
    finally:
        for m in training:
            m.training = True


TOP = "(network)"   # the row of ops run by the network's own forward, outside every module below it


def _marker():
    """The profiler range to mark a module with: torch's C++ RecordFunctionFast where this torch has it (a label
    costs about a microsecond), else torch.profiler.record_function (a Python object and a dispatcher call)."""
    import torch

    fast = getattr(torch._C._profiler, "_RecordFunctionFast", None)
    if fast is not None:
        return fast
    from torch.profiler import record_function
    return record_function


def _marking(mark):
    """A _wrapped wrapper: the module's forward runs inside a profiler range named after the module, so the range
    holds the module's own Python as well as its ops."""
    def wrapper(name, module, inner):
        def forward(*args, **kwargs):
            with mark(name):
                return inner(*args, **kwargs)
        return forward
    return wrapper


def _attribute(events, outer_name: str, leaves, blocks):
    """Read torch.profiler's raw (kineto) events of marked passes. Per pass (an `outer_name` range), in time order:
    its seconds ("whole"); "time": each leaf module's time (its marked ranges, all calls) and each block's own ops
    (the aten ops whose nearest enclosing mark is that block, or the pass itself under TOP); "ops": those ops by
    name; "python": per block name (and TOP), the time inside its range that no child range covers (Python in its
    forward: the calls to its children, loops, the marks). A sweep over each thread's events sorted by start (an
    enclosing event first) with a stack of the open ones."""
    by_thread: dict[int, list] = {}
    for e in events:
        if e.device_type().name == "CPU":
            by_thread.setdefault(e.start_thread_id(), []).append((e.start_ns(), -e.end_ns(), e.name()))
    passes: list[dict] = []

    def close(entry, current):
        end, role, name, start, covered = entry
        if role == "block":
            current["python"][name] = current["python"].get(name, 0.0) + (end - start - covered) / 1e9

    for evs in by_thread.values():
        evs.sort()
        open_: list[list] = []      # [end_ns, role, name, start_ns, ns covered by direct children] per open event
        current: dict = {}
        for start, neg_end, name in evs:
            end = -neg_end
            while open_ and open_[-1][0] <= start:
                close(open_.pop(), current)
            parent = open_[-1] if open_ else None
            if name == outer_name:
                current = {"start": start, "whole": (end - start) / 1e9, "time": {}, "ops": {}, "python": {},
                           "first": {}}
                passes.append(current)
                open_.append([end, "block", TOP, start, 0])
                continue
            if parent is None or parent[1] != "block":   # outside every pass, or inside a leaf or an op: not ours
                open_.append([end, "skip", "", start, 0])
                continue
            parent[4] += end - start
            seconds = (end - start) / 1e9
            if name in blocks:     # a block's row, if it has one, is placed by its first own op
                open_.append([end, "block", name, start, 0])
                continue
            owner = name if name in leaves else parent[2]
            current["time"][owner] = current["time"].get(owner, 0.0) + seconds
            current["first"].setdefault(owner, start)
            if name not in leaves:    # an op run by a block's own forward (or the network's)
                ops = current["ops"].setdefault(owner, {})
                ops[name] = ops.get(name, 0.0) + seconds
            open_.append([end, "skip", "", start, 0])
        while open_:
            close(open_.pop(), current)
    passes.sort(key=lambda p: p["start"])
    return passes


def quiet_kineto() -> None:
    """Keep torch.profiler's C++ side (Kineto) from writing to the server's stderr: on a machine without a GPU every
    profile printed "USDT ... profiler_start/profiler_stop" and "ERROR ... gpuGetDeviceCount failed with code 35"
    (nothing is wrong: there is no GPU to count). Kineto reads KINETO_LOG_LEVEL when the first profile starts;
    6 is past its last level. A level the user set is kept."""
    os.environ.setdefault("KINETO_LOG_LEVEL", "6")


def of_module(model, input_size, threads: int = 1, repeats: int = 1, warmup: int = 1) -> LayerTimes:
    import time

    import torch
    from torch.profiler import ProfilerActivity, profile, record_function

    from effviz.speed.latency import _check_input_size, _check_threads

    quiet_kineto()
    size = _check_input_size(input_size)
    n_threads = _check_threads(threads)
    if not isinstance(repeats, int) or not 1 <= repeats <= 50:
        raise ValueError(f"repeats must be an int from 1 to 50, got {repeats!r}")
    started = time.perf_counter()
    previous = torch.get_num_threads()
    training = _evaluating(model)
    undo, collecting = None, False
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
            modules = dict(model.named_modules())
            blocks = {n: type(m).__name__ for n, m in modules.items() if n and n not in info}
            # nn.Sequential and nn.ModuleList run no op of their own: unmarked, their Python counts to the block
            # around them, and the marks' own cost is saved
            marked = {n: m for n, m in modules.items()
                      if n and (n in info or type(m) not in (torch.nn.Sequential, torch.nn.ModuleList))}
            undo = _wrapped(marked, _marking(_marker()))
            # the garbage collector off during the profiled passes, as timeit (and so torch.utils.benchmark, the
            # plain pass's timer) has it: a collection would land in whichever layer made the last allocation
            collecting = gc.isenabled()
            gc.disable()
            with profile(activities=[ProfilerActivity.CPU]) as prof:
                for _ in range(repeats):
                    with record_function(OUTER):
                        model(x)
    finally:
        if collecting:
            gc.enable()
        if undo is not None:
            undo()
        torch.set_num_threads(previous)
        for m in training:
            m.training = True
    # torch.profiler's raw event list: building its FunctionEvent tree (prof.events()) costs more than the passes
    passes = _attribute(prof.profiler.kineto_results.events(), OUTER, info, blocks)
    if len(passes) != repeats:
        raise RuntimeError(f"the profiler recorded {len(passes)} passes instead of {repeats}")
    # The pass whose whole is the median: its rows and the time between them add up to it exactly. (A median per
    # layer would not: on a busy machine each layer's median drops the other processes' turns that fell in it,
    # the whole's median keeps them, and the sum falls short of the whole.)
    chosen = sorted(passes, key=lambda p: p["whole"])[(len(passes) - 1) // 2]
    rows = []
    for name in sorted(chosen["time"], key=chosen["first"].__getitem__):
        seconds = chosen["time"][name]
        if name in info:
            kind, op, macs, nbytes = info[name]
            rows.append(LayerTime(name, kind, macs, seconds, nbytes, op))
        else:   # a block's (or the network's) own ops: residual adds, concatenations, channel shuffles
            ops = sorted(chosen["ops"][name].items(), key=lambda p: -p[1])
            label = " + ".join(o.split("::")[-1] for o, _ in ops)
            rows.append(LayerTime(name, "other", 0, seconds, 0, f"{blocks.get(name, type(model).__name__)}: {label}"))
    rows += [LayerTime(n, k, m, 0.0, b, op) for n, (k, op, m, b) in info.items() if n not in chosen["time"]]
    # the remainder: Python between the layers, by the class of the module whose forward ran it
    python: dict[str, float] = {}
    for name, seconds in chosen["python"].items():
        where = type(model).__name__ if name == TOP else blocks[name]
        python[where] = python.get(where, 0.0) + seconds
    outside = tuple(sorted(((f"{BETWEEN}: {where}", s) for where, s in python.items() if s > 0),
                           key=lambda p: -p[1]))
    return LayerTimes(tuple(rows), chosen["whole"], outside, n_threads, repeats, "torch",
                      time.perf_counter() - started)


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


def layer_times(model, input_size=None, threads: int = 1, repeats: int | None = None, warmup: int = 1) -> LayerTimes:
    """Per-layer measured CPU time of a torch module on a (C, H, W) input, or of an ONNX file's bytes. `repeats`:
    profiled passes, the median one reported; by default 1 for a torch module (a call then costs about 2-3 plain
    passes) and 5 for an ONNX file (its passes are cheap beside building onnxruntime's session)."""
    if isinstance(model, (bytes, bytearray, memoryview)):
        return of_onnx(bytes(model), threads, 5 if repeats is None else repeats, warmup, input_size)
    import torch

    if not isinstance(model, torch.nn.Module):
        raise ValueError(f"model must be a torch.nn.Module or an ONNX file's bytes, got {type(model).__name__}")
    if input_size is None:
        raise ValueError("input_size (channels, height, width) is needed for a torch module")
    return of_module(model, input_size, threads, 1 if repeats is None else repeats, warmup)


def network_layer_times(name: str, input_size=(3, 224, 224), threads: int = 1, repeats: int = 1,
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
