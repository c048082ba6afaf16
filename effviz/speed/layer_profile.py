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


def leaf_traffic(model, input_size) -> list[tuple[str, str, str, int, int]]:
    """(name, kind, op, MACs, bytes) of every leaf module in the order first called, from one forward pass on the
    model's own device (the meta device works: no compute). MACs from torch's FlopCounterMode (effviz.profile);
    bytes = (input + weights and buffers + output elements) x 4, counted once per call."""
    import torch

    from effviz.blocks.counting import input_for
    from effviz.networks.profiling import profile

    prof = profile(model, input_size)
    macs = {r.name: r.macs for r in prof.layers}
    traffic: dict[str, list] = {}
    handles = []

    def hook(name, module):
        held = sum(p.numel() for p in module.parameters(recurse=False)) + \
            sum(b.numel() for b in module.buffers(recurse=False) if b.is_floating_point())

        def after(mod, args, output):
            row = traffic.setdefault(name, [module_kind(mod), type(mod).__name__, macs.get(name, 0), 0])
            row[3] += (_numel(args) + held + _numel(output)) * BYTES
        return after

    for name, module in model.named_modules():
        if name and not list(module.children()):
            handles.append(module.register_forward_hook(hook(name, module)))
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(input_for(model, input_size))
    finally:
        model.train(was_training)
        for h in handles:
            h.remove()
    return [(n, k, op, m, b) for n, (k, op, m, b) in traffic.items()]


def of_module(model, input_size, threads: int = 1, repeats: int = 5, warmup: int = 2) -> LayerTimes:
    import time

    import torch
    from torch.profiler import ProfilerActivity, profile, record_function

    from effviz.speed.latency import _check_input_size, _check_threads

    size = _check_input_size(input_size)
    n_threads = _check_threads(threads)
    if not isinstance(repeats, int) or not 1 <= repeats <= 50:
        raise ValueError(f"repeats must be an int from 1 to 50, got {repeats!r}")
    started = time.perf_counter()
    traffic = leaf_traffic(model, size)
    info = {n: (k, op, m, b) for n, k, op, m, b in traffic}

    open_ranges: dict[int, list] = {}
    handles = []

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
    previous = torch.get_num_threads()
    was_training = model.training
    model.eval()
    try:
        torch.set_num_threads(n_threads)
        with torch.inference_mode():
            x = torch.randn((1, *size), generator=torch.Generator().manual_seed(0))
            for _ in range(max(0, int(warmup))):
                model(x)
            with profile(activities=[ProfilerActivity.CPU]) as prof:
                for _ in range(repeats):
                    with record_function(OUTER):
                        model(x)
    finally:
        torch.set_num_threads(previous)
        model.train(was_training)
        for h in handles:
            h.remove()
    events = [e for e in prof.events() if e.device_type.name == "CPU"]
    outers = sorted((e for e in events if e.name == OUTER), key=lambda e: e.time_range.start)
    if len(outers) != repeats:
        raise RuntimeError(f"the profiler recorded {len(outers)} passes instead of {repeats}")
    per_pass: list[dict[str, float]] = [dict() for _ in outers]
    index = {o.id: i for i, o in enumerate(outers)}
    outside: dict[str, list[float]] = {}
    covered = [0.0] * len(outers)      # time of the outer range's direct children: layers and outside ops
    for e in events:
        parent = e.cpu_parent
        if parent is None or parent.name != OUTER or parent.id not in index:
            continue
        i = index[parent.id]
        seconds = e.time_range.elapsed_us() / 1e6
        covered[i] += seconds
        if e.name in info:
            per_pass[i][e.name] = per_pass[i].get(e.name, 0.0) + seconds
        else:   # an aten op run by a block's own forward, outside every leaf module
            outside.setdefault(e.name, [0.0] * len(outers))[i] += seconds
    gaps = [o.time_range.elapsed_us() / 1e6 - c for o, c in zip(outers, covered, strict=True)]
    outside[BETWEEN] = gaps
    # The pass whose whole is the median: its layers, the ops outside them and the time between them add up to
    # it exactly. (A median per layer would not: on a busy machine each layer's median drops the other processes'
    # turns that fell in it, the whole's median keeps them, and the sum falls short of the whole.)
    wholes = [o.time_range.elapsed_us() / 1e6 for o in outers]
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

    import numpy as np
    import onnxruntime as ort

    from effviz.networks.onnxfile.reading import MAX_BYTES, read
    from effviz.networks.onnxfile.runtime import input_array
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
        try:
            warm = ort.InferenceSession(data, sess_options=options, providers=["CPUExecutionProvider"])
        except Exception as err:  # noqa: BLE001 - onnxruntime's own error types
            text = str(err).strip().splitlines()
            raise Problem("onnx_ort_load", detail=text[0][:300] if text else repr(err)) from None
        feed = {graph.input_name: input_array(graph)}
        for extra in warm.get_inputs():
            if extra.name not in feed:
                shape = [d if isinstance(d, int) and d > 0 else 1 for d in extra.shape]
                feed[extra.name] = np.zeros(shape, dtype=np.float32 if "float" in extra.type else np.int64)
        options.enable_profiling = True
        options.profile_file_prefix = os.path.join(folder, "trace")
        sess = ort.InferenceSession(data, sess_options=options, providers=["CPUExecutionProvider"])
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


def layer_times(model, input_size=None, threads: int = 1, repeats: int = 5, warmup: int = 2) -> LayerTimes:
    """Per-layer measured CPU time of a torch module on a (C, H, W) input, or of an ONNX file's bytes."""
    if isinstance(model, (bytes, bytearray, memoryview)):
        return of_onnx(bytes(model), threads, repeats, warmup, input_size)
    import torch

    if not isinstance(model, torch.nn.Module):
        raise ValueError(f"model must be a torch.nn.Module or an ONNX file's bytes, got {type(model).__name__}")
    if input_size is None:
        raise ValueError("input_size (channels, height, width) is needed for a torch module")
    return of_module(model, input_size, threads, repeats, warmup)


def network_layer_times(name: str, input_size=(3, 224, 224), threads: int = 1, repeats: int = 5) -> LayerTimes:
    """layer_times of registered network `name` (effviz.networks.build, default options, random weights: time
    does not depend on their values). Module level, so that a timing process can run it."""
    from effviz import networks

    return layer_times(networks.build(name), tuple(input_size), threads, repeats)


def network_traffic(name: str, input_size=(3, 224, 224)) -> list[tuple[str, str, str, int, int]]:
    """leaf_traffic of network `name` built on the meta device: (name, kind, op, MACs, bytes) per leaf module,
    analytic (no weights, no compute), for the roofline estimate of a whole network."""
    from effviz import networks

    model, _ = networks.build_meta(name)
    return leaf_traffic(model, tuple(input_size))
