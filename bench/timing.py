"""The one timing helper the benchmark scripts share."""
from __future__ import annotations

import statistics
import time


def timed(fn, repeats: int = 3) -> float:
    """Median wall time of `repeats` calls of fn(), in seconds."""
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)
