"""Latency of an ONNX file run by onnxruntime on this CPU, measured as effviz.speed.latency measures a module (was
effviz.networks.onnxfile.runtime's; measuring is this package's subject, and networks sits below speed).

    lat = onnx_timing.measure(path_or_bytes, threads=1)     # effviz.speed.latency.Latency"""
from __future__ import annotations

from effviz.problems import Problem
from effviz.speed.latency import Latency, quartiles
from effviz.uploads import Source


def measure(source: Source, threads: int = 1, input_size=None, min_run_time: float = 0.2, warmup: int = 3,
            min_repeats: int = 5):
    """effviz.speed.latency.Latency of one onnxruntime run of the file on this CPU with `threads` intra-op threads (one
    inter-op thread), on a random input of the profiled shape (dynamic dims as effviz.profile_onnx fills them).

    The method follows effviz.speed.latency.measure: `warmup` untimed runs, then blocks of `number` runs (enough for a
    block to take at least 10 ms, as torch.utils.benchmark's blocked_autorange asks) until `min_run_time` seconds
    and at least `min_repeats` blocks have passed; median and quartiles of the per-run times."""
    import time

    from effviz.networks.onnxfile.runtime import feed as runtime_feed
    from effviz.networks.onnxfile.runtime import session

    if not (isinstance(min_run_time, (int, float)) and 0 < min_run_time <= 60):
        raise ValueError(f"min_run_time must be a number of seconds in (0, 60], got {min_run_time!r}")
    sess, graph = session(source, threads, input_size)
    feed = runtime_feed(sess, graph)
    try:
        for _ in range(max(1, int(warmup))):
            sess.run(None, feed)
        t0 = time.perf_counter()
        sess.run(None, feed)
        once = time.perf_counter() - t0
        number = max(1, int(0.01 / max(once, 1e-6)))
        times: list[float] = []
        start = time.perf_counter()
        while len(times) < max(1, int(min_repeats)) or time.perf_counter() - start < min_run_time:
            t0 = time.perf_counter()
            for _ in range(number):
                sess.run(None, feed)
            times.append((time.perf_counter() - t0) / number)
    except Exception as err:  # noqa: BLE001 - onnxruntime's own error types
        text = str(err).strip().splitlines()
        first = text[0][:300] if text else repr(err)
        raise Problem("onnx_ort_run", detail=first) from None
    q1, median, q3 = quartiles(times)
    return Latency(median=median, q1=q1, q3=q3, times=tuple(times), number=number, threads=threads,
                   input_size=tuple(graph.input_shape[1:]), batch=graph.input_shape[0])
