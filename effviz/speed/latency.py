"""Measured CPU latency of a block spec or any torch module: the direct metric that MACs only approximate.

    from effviz import blocks
    from effviz.speed import latency
    r = latency.measure(blocks.make("standard", c_in=64, c_out=64), (64, 56, 56), threads=1)
    r.median, r.iqr, r.threads          # seconds per forward pass (batch 1), spread, torch threads used

Method (torch.utils.benchmark, the harness PyTorch's own benchmarks use): the module is put in eval mode and
run under torch.inference_mode(); a few untimed warm-up calls, then `Timer.blocked_autorange`, which picks a
block size large enough to hide the timer's overhead and repeats blocks until `min_run_time` has passed.
Each block gives one per-call time; we report their median and interquartile range (IQR = Q3 - Q1), with at
least `min_repeats` blocks. Timings depend on this machine, its load and the thread count: the result says
which threads and machine it was taken on.

Importing this module does not import torch; `measure` does."""
from __future__ import annotations

import os
import platform
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

DEFAULT_MIN_RUN_TIME = 0.2  # seconds of timed blocks per measurement (torch.utils.benchmark's own default)
DEFAULT_WARMUP = 3          # untimed calls first: allocator, oneDNN kernel selection, caches

# The CPU convolution code a measurement can be pinned to. Left alone, torch picks per call: a batch-1, stride-1
# 1x1 conv goes to its native `slow_conv2d` (aten::thnn_conv2d, a g-group conv as g convs and a cat) at one
# thread and to oneDNN (aten::mkldnn_convolution) at more, so a change of threads silently changes the code.
#   "native": torch.backends.mkldnn disabled for the measurement (no conv reaches oneDNN, at any thread count);
#   "onednn": the module's convs call aten::mkldnn_convolution themselves (effviz.speed.guidelines builds them
#             so); the flag is left on. torch has no switch that sends its own Conv2d to oneDNN at one thread.
BACKENDS = ("onednn", "native")


@dataclass(frozen=True)
class Machine:
    """Where a measurement was taken: the CPU model, logical cores, and torch's default intra-op threads."""

    processor: str
    cpu_count: int
    torch_threads: int
    torch_version: str

    def key(self) -> tuple:
        return (self.processor, platform.machine(), self.cpu_count, self.torch_threads, self.torch_version)


@lru_cache(maxsize=1)
def machine() -> Machine:
    import torch

    # str(): torch.__version__ is torch's own str subclass, and unpickling it would import torch
    return Machine(cpu_model(), os.cpu_count() or 1, torch.get_num_threads(), str(torch.__version__))


def cpu_model() -> str:
    """The CPU's model name (/proc/cpuinfo on Linux), else platform.processor(), else the architecture."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.lower().startswith(("model name", "hardware", "cpu model")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def cpu_caches() -> dict[int, int]:
    """{level: bytes} of this CPU's data caches (Linux sysfs, first core; the largest of a level); {} where
    unknown. A guideline's tensors that fit in a cache cost far less than the paper's memory-access count says."""
    from pathlib import Path

    sizes: dict[int, int] = {}
    for index in sorted(Path("/sys/devices/system/cpu/cpu0/cache").glob("index*")):
        try:
            if (index / "type").read_text().strip() == "Instruction":
                continue
            level = int((index / "level").read_text())
            text = (index / "size").read_text().strip().upper()
        except (OSError, ValueError):
            continue
        unit = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
        digits = text[:-1] if text[-1:] in "KMG" else text
        if digits.isdigit():
            sizes[level] = max(sizes.get(level, 0), int(digits) * unit)
    return sizes


@dataclass(frozen=True)
class Latency:
    """Seconds per forward pass: median and IQR over `times` (one per timed block of `number` calls)."""

    median: float
    q1: float
    q3: float
    times: tuple[float, ...]
    number: int          # calls per timed block
    threads: int         # torch intra-op threads during the measurement
    input_size: tuple[int, ...]
    batch: int = 1
    backend: str = ""    # the convolution code it ran on (BACKENDS), "" where not pinned (torch chose)

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1

    @property
    def repeats(self) -> int:
        return len(self.times)

    @property
    def median_ms(self) -> float:
        return self.median * 1e3

    @property
    def iqr_ms(self) -> float:
        return self.iqr * 1e3

    def throughput(self, macs: int) -> float:
        """MACs per second at this latency (macs: per sample; the batch is accounted for)."""
        return macs * self.batch / self.median


@dataclass(frozen=True)
class Point:
    """One measured thing beside its analytic cost: a block family, a guideline set-up, a network."""

    name: str
    macs: int
    latency: Latency
    memory_bytes: int | None = None  # analytic memory access (effviz.speed.memory_access), where known

    @property
    def throughput(self) -> float:
        """MACs per second."""
        return self.latency.throughput(self.macs)


def quartiles(times: list[float]) -> tuple[float, float, float]:
    """(first quartile, median, third quartile) of `times` (also used for onnxruntime timings)."""
    if len(times) == 1:
        return times[0], times[0], times[0]
    q1, q2, q3 = statistics.quantiles(times, n=4, method="inclusive")
    return q1, statistics.median(times), q3


def combine(parts) -> Latency:
    """One Latency from several measurements of the same thing (e.g. interleaved rounds): all their blocks'
    times pooled, median and quartiles recomputed."""
    parts = list(parts)
    if not parts:
        raise ValueError("combine needs at least one measurement, got none")
    first = parts[0]
    same = (first.threads, first.input_size, first.batch, first.backend)
    if any((p.threads, p.input_size, p.batch, p.backend) != same for p in parts):
        raise ValueError("combine needs measurements with the same threads, input_size, batch and backend")
    times = [t for p in parts for t in p.times]
    q1, median, q3 = quartiles(times)
    return Latency(median=median, q1=q1, q3=q3, times=tuple(times), number=min(p.number for p in parts),
                   threads=first.threads, input_size=first.input_size, batch=first.batch, backend=first.backend)


@contextmanager
def onednn_enabled(enabled: bool) -> Iterator[None]:
    """torch.backends.mkldnn's `enabled` flag set for the block and restored after (the flag alone, through the
    same calls as torch.backends.mkldnn.set_flags; its `flags()` would also reset the TF32 settings)."""
    import torch

    previous = torch._C._get_mkldnn_enabled()
    torch._C._set_mkldnn_enabled(enabled)
    try:
        yield
    finally:
        torch._C._set_mkldnn_enabled(previous)


def _check_input_size(input_size) -> tuple[int, int, int]:
    if (not isinstance(input_size, (tuple, list)) or len(input_size) != 3
            or any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in input_size)):
        raise ValueError(f"input_size must be (channels, height, width) of positive ints, got {input_size!r}")
    return tuple(input_size)


def _check_threads(threads) -> int:
    import torch

    if threads is None:
        return torch.get_num_threads()
    limit = max(os.cpu_count() or 1, torch.get_num_threads())
    if isinstance(threads, bool) or not isinstance(threads, int) or not 1 <= threads <= limit:
        raise ValueError(f"threads must be an integer from 1 to {limit} (this machine's cores), got {threads!r}")
    return threads


def measure(spec_or_module, input_size, *, threads: int | None = None,
            min_run_time: float = DEFAULT_MIN_RUN_TIME, warmup: int = DEFAULT_WARMUP, min_repeats: int = 5,
            batch: int = 1, backend: str | None = None) -> Latency:
    """Latency of one forward pass of a block spec (built first) or an nn.Module on a (C, H, W) input.

    threads: torch intra-op threads for the measurement (default: torch's current setting); restored after.
    min_run_time: seconds of timed blocks. min_repeats: at least this many blocks (more time if needed).
    backend: None (torch's choice, recorded as ""), "native" (oneDNN switched off while timing) or "onednn" (the
    module's convs must call oneDNN themselves: see BACKENDS); the result records it.
    A module passed in is switched to eval mode for the measurement and switched back afterwards."""
    import torch
    from torch.utils import benchmark

    from effviz.blocks import BlockSpec

    if isinstance(spec_or_module, BlockSpec):
        module = spec_or_module.build()
        c_in = spec_or_module.c_in
        if isinstance(input_size, (tuple, list)) and len(input_size) == 2:
            input_size = (c_in, *input_size)  # a spec knows its channels: (H, W) is enough
        if _check_input_size(input_size)[0] != c_in:
            raise ValueError(f"input_size channels must equal the block's c_in={c_in}, got {input_size[0]}")
    elif isinstance(spec_or_module, torch.nn.Module):
        module = spec_or_module
    else:
        raise ValueError(f"spec_or_module must be a block spec or a torch.nn.Module, "
                         f"got {type(spec_or_module).__name__}")
    size = _check_input_size(input_size)
    n_threads = _check_threads(threads)
    if not (isinstance(min_run_time, (int, float)) and 0 < min_run_time <= 60):
        raise ValueError(f"min_run_time must be a number of seconds in (0, 60], got {min_run_time!r}")
    if isinstance(batch, bool) or not isinstance(batch, int) or not 1 <= batch <= 256:
        raise ValueError(f"batch must be an integer from 1 to 256, got {batch!r}")
    min_repeats = max(1, int(min_repeats))
    if backend is not None and backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)} or None, got {backend!r}")

    param = next(module.parameters(), None)
    dtype = param.dtype if param is not None and param.is_floating_point() else torch.float32
    was_training = module.training
    module.eval()
    try:
        with torch.inference_mode(), onednn_enabled(backend != "native"):
            x = torch.randn((batch, *size), dtype=dtype, generator=torch.Generator().manual_seed(0))
            timer = benchmark.Timer(stmt="module(x)", globals={"module": module, "x": x}, num_threads=n_threads)
            previous = torch.get_num_threads()
            torch.set_num_threads(n_threads)
            try:
                for _ in range(max(0, int(warmup))):
                    module(x)
            finally:
                torch.set_num_threads(previous)
            # blocked_autorange sets (and restores) the thread count itself; its block-size search warms up too.
            m = timer.blocked_autorange(min_run_time=min_run_time)
            times = list(m.times)
            while len(times) < min_repeats:
                times.extend(timer.timeit(m.number_per_run).times)
    finally:
        module.train(was_training)
    q1, median, q3 = quartiles(times)
    return Latency(median=median, q1=q1, q3=q3, times=tuple(times), number=m.number_per_run,
                   threads=n_threads, input_size=size, batch=batch, backend=backend or "")


def measure_network(name: str, input_size=(3, 224, 224), **measure_kw) -> tuple[int, Latency]:
    """(MACs, Latency) of zoo network `name` (effviz.networks.build, default options, random weights: speed does
    not depend on their values), batch 1. MACs are counted by torch's FLOP counter on the same module;
    measure_kw goes to measure()."""
    from effviz import networks
    from effviz.networks.profiling import profile

    model = networks.build(name)
    return profile(model, input_size).macs, measure(model, input_size, **measure_kw)
