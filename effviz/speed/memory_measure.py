"""The real peak activation memory of one inference pass, measured in a fresh process, to check
effviz.speed.liveness's prediction.

    m = memory_measure.measure_network("mobilenet_v2", (3, 224, 224))   # torch: the profiler's allocations
    m = memory_measure.measure_onnx(data)                                # onnxruntime: the process's peak RSS
    m.peak_bytes, m.at, m.method

Torch: torch.profiler with profile_memory=True records every CPU allocation and free of the pass (the input is
created inside the profiled region, the weights before it, so they are not counted, as in the prediction).
Replaying them in time order gives the bytes held at each moment; the peak is their maximum, and `at` the aten
op running then. What the graph does not show shows up here: workspace the kernels allocate for themselves
(oneDNN's reordered weights and padded inputs), a residual `out += x` done in place (the traced graph sees a
new tensor), and the few bytes of shapes and indices. The record says which op made each allocation (its
event tree), so the two are also separated: an allocation freed again before the outermost aten op that made
it ends is that op's workspace; the rest are activations. `activation_bytes` replays the activations alone (the
quantity liveness predicts); `workspace_bytes` is the most any one op held as workspace. Measured at 1 thread on
MobileNetV2: a convolution that runs on oneDNN holds a copy of its input, its weights and a second output
buffer while it runs (1x1 stride-1 convs run on torch's own kernel and hold none).

onnxruntime exposes no per-allocation record in Python, so for an ONNX file the measure is the process's: the
peak resident memory (Linux VmHWM, reset through /proc/self/clear_refs just before the run) above the resident
memory before it, with the memory arena and pattern planner switched off so that buffers are freed when dead.
Page granularity (4 KiB) and pages the C library keeps make it coarser than torch's record.

Each measurement runs in a spawned child process (effviz.networks.onnxfile.isolated.spawned, as for ONNX parsing):
nothing allocated earlier by the caller (a server's other work) is in the count, and a crash costs the child
only. Where the two differ and why (measured on MobileNetV2, ResNet-50, ShuffleNet v2, GhostNet at 224): see
bench/bench_layer_times.py."""
from __future__ import annotations

from dataclasses import dataclass

TIMEOUT_S = 120.0


@dataclass(frozen=True)
class MeasuredPeak:
    peak_bytes: int
    at: str           # the op running at the peak ("" where unknown)
    method: str       # "torch.profiler" or "rss"
    transient: int = 0  # bytes the op at the peak allocated and freed again before it ended (its workspace)
    # torch only (0 for "rss"): the same record with every workspace buffer left out, i.e. the peak of the buffers
    # that outlive the op that allocated them (the activations, which is what liveness predicts), where it happens,
    # and the largest workspace any one op held at once (oneDNN's copies of its input, weights and output)
    activation_bytes: int = 0
    activation_at: str = ""
    workspace_bytes: int = 0

    @property
    def separated(self) -> bool:
        """True where the record splits activations from workspace (torch), False for a process's RSS."""
        return self.method == "torch.profiler"


def _top_level_ops(tree) -> list:
    """The outermost aten ops of torch.profiler's event tree, in time order, with every allocation event below
    each: [(name, start_ns, end_ns, [(ptr, bytes, time_ns), ...])]. Allocations outside every op (frees done by
    Python when a tensor's last reference goes) are returned with the name ""."""
    out = []

    def allocations(node, into):
        ef = node.extra_fields
        if type(ef).__name__.endswith("Allocation"):
            into.append((ef.ptr, ef.alloc_size, node.start_time_ns))
        for child in node.children:
            allocations(child, into)

    for root in tree:
        found: list = []
        allocations(root, found)
        if type(root.extra_fields).__name__.endswith("Allocation"):
            out.append(("", root.start_time_ns, root.start_time_ns, found))
        else:
            out.append((root.name, root.start_time_ns, root.end_time_ns, found))
    return sorted(out, key=lambda o: o[1])


def replay(ops) -> tuple[int, str, int, str, int, int]:
    """Replays the top-level ops' allocations in time order. An allocation freed again before its op ends is
    workspace. Returns (peak, op at the peak, activation peak, op at that peak, largest workspace of one op,
    workspace of the op at the peak). Plain data in, so it is tested on hand-made records."""
    events = sorted(((t, nbytes, ptr, i) for i, (_, _, _, allocs) in enumerate(ops) for ptr, nbytes, t in allocs))
    # workspace: an allocation whose free (the next negative event on the same address) falls inside its own op
    workspace_ptrs: set[tuple[int, int]] = set()     # (ptr, time of the allocation)
    open_at: dict[int, tuple[int, int]] = {}         # ptr -> (time, op index) of its live allocation
    for t, nbytes, ptr, i in events:
        if nbytes > 0:
            open_at[ptr] = (t, i)
        elif ptr in open_at:
            t0, i0 = open_at.pop(ptr)
            if i0 == i and ops[i][0]:
                workspace_ptrs.add((ptr, t0))
    held = acts = peak = act_peak = 0
    at = act_at = ""
    ws_now: dict[int, int] = {}
    ws_max = ws_at_peak = 0
    live_ws: dict[int, bool] = {}
    for t, nbytes, ptr, i in events:
        held += nbytes
        if nbytes > 0:
            is_ws = (ptr, t) in workspace_ptrs
            live_ws[ptr] = is_ws
        else:
            is_ws = live_ws.pop(ptr, False)
        if is_ws:
            ws_now[i] = ws_now.get(i, 0) + nbytes
            ws_max = max(ws_max, ws_now[i])
        else:
            acts += nbytes
        if held > peak:
            peak, at, ws_at_peak = held, ops[i][0], ws_now.get(i, 0)
        if acts > act_peak:
            act_peak, act_at = acts, ops[i][0]
    return peak, at, act_peak, act_at, ws_max, ws_at_peak


def _torch_peak(model, input_size, handed_over: bool = False) -> MeasuredPeak:
    import torch
    from torch.profiler import ProfilerActivity, profile

    from effviz.speed.layer_profile import quiet_kineto

    quiet_kineto()
    model.eval()
    with torch.inference_mode():
        # warm-up: one-time allocations happen outside the record
        model([torch.zeros((1, *input_size))] if handed_over else torch.zeros((1, *input_size)))
        with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
            if handed_over:
                y = model([torch.zeros((1, *input_size))])
            else:
                x = torch.zeros((1, *input_size))
                y = model(x)
                del x
            del y
    ops = _top_level_ops(prof.profiler.kineto_results.experimental_event_tree())
    peak, at, act_peak, act_at, ws_max, ws_at_peak = replay(ops)
    return MeasuredPeak(peak, at, "torch.profiler", ws_at_peak, act_peak, act_at, ws_max)


def _network_child(name: str, input_size, graph: bool = False) -> MeasuredPeak:
    from effviz import networks

    model = networks.build(name)
    if graph:
        return _torch_peak(_handed_over(model), tuple(input_size), handed_over=True)
    return _torch_peak(model, tuple(input_size))


def _handed_over(model):
    """The model's torch.fx trace, taking its input inside a list that it empties (`holder.pop()`): no frame of
    the caller keeps a reference, so the input is freed after its last reader, as liveness assumes (a plain call
    keeps its argument referenced until it returns)."""
    from torch import fx

    gm = fx.symbolic_trace(model)
    ph = next(n for n in gm.graph.nodes if n.op == "placeholder")
    with gm.graph.inserting_after(ph):
        popped = gm.graph.call_method("pop", (ph,))
    ph.replace_all_uses_with(popped)
    popped.args = (ph,)
    gm.recompile()
    return gm


def _rss_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise OSError(f"/proc/self/status has no {field}")


def _fixed_mmap_threshold() -> None:
    """glibc raises its mmap threshold after large frees, then keeps freed buffers in the heap, where RSS does
    not see them go; a fixed 128 KiB threshold hands every large buffer back to the kernel when freed."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-3, 128 * 1024)       # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


def _onnx_child(data: bytes, input_size) -> MeasuredPeak:
    _fixed_mmap_threshold()
    import onnxruntime as ort

    from effviz.networks.onnxfile.reading import read
    from effviz.networks.onnxfile.runtime import input_array

    graph = read(data, input_size)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.enable_cpu_mem_arena = False
    options.enable_mem_pattern = False
    options.log_severity_level = 3
    sess = ort.InferenceSession(data, sess_options=options, providers=["CPUExecutionProvider"])
    feed = {graph.input_name: input_array(graph)}
    sess.run(None, feed)                                   # warm-up
    del feed
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")                                   # reset VmHWM to the current RSS
    except OSError as err:
        raise ValueError(f"cannot measure peak memory here: {err}") from None
    before = _rss_kib("VmRSS")
    out = sess.run(None, {graph.input_name: input_array(graph)})
    peak = _rss_kib("VmHWM")
    del out
    return MeasuredPeak(max(0, peak - before) * 1024, "", "rss")


def _fresh(fn, args: tuple, timeout: float) -> MeasuredPeak:
    """fn(*args) in a spawned child (effviz.networks.onnxfile.isolated.spawned); ValueError for what it refused,
    RuntimeError for a crash or the time limit."""
    from effviz.networks.onnxfile.isolated import spawned

    status, value = spawned(fn, args, timeout)
    if status == "ok":
        return value
    if status == "timeout":
        raise RuntimeError(f"the peak-memory measurement took longer than {timeout:g} s and was stopped")
    if status == "crashed":
        raise RuntimeError(f"the peak-memory measurement's process stopped (exit code {value})")
    if status in ("problem", "refused"):
        raise ValueError(str(value))
    raise RuntimeError(f"the peak-memory measurement failed: {value[0]}: {value[1]}")


def measure_network(name: str, input_size=(3, 224, 224), timeout: float = TIMEOUT_S,
                    graph: bool = False) -> MeasuredPeak:
    """Measured peak activation bytes of zoo network `name` (random weights), batch 1, in a fresh process.

    graph=False runs the module itself (eager PyTorch: a block's input stays referenced by the calling frame
    until the block returns, so it is alive longer than the graph needs). graph=True runs its torch.fx trace,
    whose generated code drops each value after its last reader: the schedule liveness predicts, measured."""
    return _fresh(_network_child, (name, tuple(input_size), bool(graph)), timeout)


def measure_onnx(data: bytes, input_size=None, timeout: float = TIMEOUT_S) -> MeasuredPeak:
    """Measured peak activation bytes of an ONNX file under onnxruntime, batch as profiled, in a fresh process."""
    return _fresh(_onnx_child, (bytes(data), None if input_size is None else tuple(input_size)), timeout)
