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
new tensor), and the few bytes of shapes and indices.

onnxruntime exposes no per-allocation record in Python, so for an ONNX file the measure is the process's: the
peak resident memory (Linux VmHWM, reset through /proc/self/clear_refs just before the run) above the resident
memory before it, with the memory arena and pattern planner switched off so that buffers are freed when dead.
Page granularity (4 KiB) and pages the C library keeps make it coarser than torch's record.

Each measurement runs in a spawned child process (as effviz.networks.onnxfile.isolated does for ONNX parsing):
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


def _torch_peak(model, input_size) -> MeasuredPeak:
    import torch
    from torch.profiler import ProfilerActivity, profile

    model.eval()
    with torch.inference_mode():
        model(torch.zeros((1, *input_size)))          # warm-up: one-time allocations happen outside the record
        with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
            x = torch.zeros((1, *input_size))
            y = model(x)
            del x, y
    events = prof.profiler.kineto_results.events()
    memory = sorted((e for e in events if e.name() == "[memory]" and e.device_type().name == "CPU"),
                    key=lambda e: e.start_ns())
    held = peak = 0
    when = None
    for e in memory:
        held += e.nbytes()
        if held > peak:
            peak, when = held, e.start_ns()
    at, transient = "", 0
    if when is not None:
        ops = [e for e in events if e.name().startswith("aten::") and e.start_ns() <= when <= e.end_ns()]
        if ops:
            op = min(ops, key=lambda e: e.start_ns())          # the outermost op running at the peak
            at = op.name()
            before = sum(e.nbytes() for e in memory if e.start_ns() < op.start_ns())
            after = sum(e.nbytes() for e in memory if e.start_ns() <= op.end_ns())
            transient = peak - max(before, after)
    return MeasuredPeak(peak, at, "torch.profiler", transient)


def _network_child(name: str, input_size) -> MeasuredPeak:
    from effviz import networks

    return _torch_peak(networks.build(name), tuple(input_size))


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


def _child(conn, fn, args) -> None:
    try:
        conn.send(("ok", fn(*args)))
    except ValueError as err:
        conn.send(("refused", str(err)))
    except Exception as err:  # noqa: BLE001 - reported to the parent, not raised in the child
        conn.send(("failed", f"{type(err).__name__}: {str(err)[:300]}"))
    finally:
        conn.close()


def _fresh(fn, args: tuple, timeout: float) -> MeasuredPeak:
    """fn(*args) in a spawned child; ValueError for what it refused, RuntimeError for a crash or the time limit."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise RuntimeError(f"the peak-memory measurement took longer than {timeout:g} s and was stopped")
        try:
            status, value = parent.recv()
        except (EOFError, OSError):
            proc.join(5)
            raise RuntimeError(f"the peak-memory measurement's process stopped (exit code {proc.exitcode})") from None
    finally:
        parent.close()
        proc.join(5)
        if proc.is_alive():
            proc.kill()
    if status == "ok":
        return value
    if status == "refused":
        raise ValueError(value)
    raise RuntimeError(f"the peak-memory measurement failed: {value}")


def measure_network(name: str, input_size=(3, 224, 224), timeout: float = TIMEOUT_S) -> MeasuredPeak:
    """Measured peak activation bytes of zoo network `name` (random weights), batch 1, in a fresh process."""
    return _fresh(_network_child, (name, tuple(input_size)), timeout)


def measure_onnx(data: bytes, input_size=None, timeout: float = TIMEOUT_S) -> MeasuredPeak:
    """Measured peak activation bytes of an ONNX file under onnxruntime, batch as profiled, in a fresh process."""
    return _fresh(_onnx_child, (bytes(data), None if input_size is None else tuple(input_size)), timeout)
