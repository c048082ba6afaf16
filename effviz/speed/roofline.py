"""A roofline of this machine (Williams, Waterman and Patterson, 2009): how fast it computes, how fast it moves
data, and what that predicts for a layer or a network.

    p = effviz.speed.machine_peaks()          # measured once per process (the app caches it per machine)
    p.gmacs, p.gmacs_iqr, p.gbs, p.gbs_iqr    # GMAC/s from a large matmul, GB/s from a large copy
    p.ridge                                   # MACs per byte where the two roofs meet

The copy streams 32 MiB, more than the caches hold: its GB/s is main memory's. A layer whose tensors fit in a
cache (most layers at batch 1) can run above that memory roof.

A layer of M MACs that moves B bytes cannot take less than max(M / peak MAC/s, B / peak B/s). Below the ridge
point (M / B < ridge) the bound is the memory's: the layer is memory-bound, and fewer MACs do not make it faster.

`estimate(layers, peak_macs, ridge)` keeps the measured compute peak and sets the bandwidth from a chosen ridge
point (bandwidth = peak / ridge), as MobileNetV4 (Qin et al. 2024, Sec. 3) does to compare hardware from a CPU
(low ridge) to an accelerator (hundreds of MACs per byte). It is non-decreasing in the ridge point (tested).

The measurements use torch.utils.benchmark (blocked_autorange, as effviz.speed.latency does) on one thread by
default: a 1024 x 1024 x 1024 float32 matmul (1.07 GMAC) and a 3x3 conv (128 -> 128 channels, 56 x 56: 0.46
GMAC), the faster of the two being the compute peak, and a 32 MiB tensor copy (reads 32 MiB, writes 32 MiB:
64 MiB moved); each for about 0.6 s (under 5 s in all), their spread the interquartile range over the timed blocks."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from functools import lru_cache

MATMUL_N = 1024
COPY_BYTES = 32 * 2**20
CONV = (128, 56)        # a 3x3 conv, 128 -> 128 channels on 56 x 56: 0.46 GMAC


@dataclass(frozen=True)
class Peaks:
    gmacs: float          # median GMAC/s
    gmacs_iqr: float
    gbs: float            # median GB/s (1e9 bytes per second), reads + writes
    gbs_iqr: float
    threads: int
    seconds: float        # how long measuring took
    gmacs_best: float = 0.0   # the fastest timed block: the roof drawn (on a shared machine the median is
    gbs_best: float = 0.0     # pulled down by other users, and a layer timed at a quieter moment beats it)

    @property
    def ridge(self) -> float:
        """MACs per byte at which compute and memory take equal time."""
        return self.gmacs / self.gbs


def _rates(timer, work: float, min_run_time: float) -> tuple[float, float, float]:
    """(median, IQR, best) of the rate over the timed blocks."""
    m = timer.blocked_autorange(min_run_time=min_run_time)
    rates = sorted(work / t for t in m.times)
    if len(rates) == 1:
        return rates[0], 0.0, rates[0]
    q1, _, q3 = statistics.quantiles(rates, n=4, method="inclusive")
    return statistics.median(rates), q3 - q1, rates[-1]


def measure_peaks(threads: int = 1, min_run_time: float = 0.6) -> Peaks:
    import time

    import torch
    from torch.utils import benchmark

    from effviz.speed.latency import _check_threads

    n_threads = _check_threads(threads)
    started = time.perf_counter()
    g = torch.Generator().manual_seed(0)
    a = torch.randn(MATMUL_N, MATMUL_N, generator=g)
    b = torch.randn(MATMUL_N, MATMUL_N, generator=g)
    out = torch.empty(MATMUL_N, MATMUL_N)
    src = torch.randn(COPY_BYTES // 4, generator=g)
    dst = torch.empty_like(src)
    conv = torch.nn.Conv2d(CONV[0], CONV[0], 3, padding=1, bias=False).eval()
    x = torch.randn(1, CONV[0], CONV[1], CONV[1], generator=g)
    with torch.inference_mode():
        mm = benchmark.Timer("torch.mm(a, b, out=out)", globals={"a": a, "b": b, "out": out, "torch": torch},
                             num_threads=n_threads)
        cp = benchmark.Timer("dst.copy_(src)", globals={"src": src, "dst": dst}, num_threads=n_threads)
        cv = benchmark.Timer("conv(x)", globals={"conv": conv, "x": x}, num_threads=n_threads)
        for timer in (mm, cp, cv):
            timer.timeit(2)
        # compute: the faster of the two kernels (MKL's matmul, oneDNN's direct conv), as a roof is what is attainable
        gmacs, gmacs_iqr, gmacs_best = max(_rates(mm, MATMUL_N ** 3 / 1e9, min_run_time),
                                           _rates(cv, CONV[0] ** 2 * 9 * CONV[1] ** 2 / 1e9, min_run_time))
        gbs, gbs_iqr, gbs_best = _rates(cp, 2 * COPY_BYTES / 1e9, min_run_time)
    return Peaks(gmacs, gmacs_iqr, gbs, gbs_iqr, n_threads, time.perf_counter() - started, gmacs_best, gbs_best)


@lru_cache(maxsize=8)
def machine_peaks(threads: int = 1) -> Peaks:
    """This machine's peaks, measured once per process and thread count (about 2.5 s)."""
    return measure_peaks(threads)


def layer_seconds(macs: int, nbytes: int, peak_macs: float, ridge: float) -> float:
    """Roofline time of one layer: max(compute time, memory time) with bandwidth = peak_macs / ridge (MAC/s and
    MACs per byte). ridge 0 means infinite bandwidth: compute only."""
    if peak_macs <= 0 or ridge < 0:
        raise ValueError(f"peak_macs must be positive and ridge non-negative, got {peak_macs!r}, {ridge!r}")
    return max(macs, ridge * nbytes) / peak_macs


def estimate(layers, peak_macs: float, ridge: float) -> float:
    """Roofline latency estimate (seconds) of a network: the sum of its layers' roofline times.
    layers: (MACs, bytes) pairs."""
    return sum(layer_seconds(m, b, peak_macs, ridge) for m, b in layers)


def ranks(values: dict[str, float]) -> dict[str, float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(values, key=values.__getitem__)
    out: dict[str, float] = {}
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(a: dict[str, float], b: dict[str, float]) -> float:
    """Spearman's rank correlation of two measurements of the same names (Pearson's r of their ranks)."""
    names = sorted(set(a) & set(b))
    if len(names) < 2:
        raise ValueError("spearman needs at least two names measured both ways")
    ra, rb = ranks({n: a[n] for n in names}), ranks({n: b[n] for n in names})
    xa, xb = [ra[n] for n in names], [rb[n] for n in names]
    ma, mb = statistics.fmean(xa), statistics.fmean(xb)
    num = sum((x - ma) * (y - mb) for x, y in zip(xa, xb, strict=True))
    den = (sum((x - ma) ** 2 for x in xa) * sum((y - mb) ** 2 for y in xb)) ** 0.5
    return num / den if den else 0.0
