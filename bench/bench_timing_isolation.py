"""Where should a latency measurement run so that the server's other users stay quick? The mechanism behind
app_support.shell.latency_queue's timing process, measured without Streamlit so the conditions can be interleaved.

    python bench/bench_timing_isolation.py [--cycles 6] [--window 8] [--network mobilenet_v2]

A "rerun" stands for a page's script run: pure-Python work of about 30 ms (what holds a worker's interpreter
lock), repeated with a 0.1 s pause, timed each time. It runs while a zoo network is timed over and over
(effviz.speed.latency.measure, 1 thread, as the Latency Lab does) in one of these places:

    none       nothing else runs (the baseline)
    inline     a thread of the same process (how the app timed before the timing process)
    process    a separate process at normal priority
    niced      a separate process at nice +10 (the app's timing process)
    nice19     a separate process at nice +19
    sched_idle a separate process under Linux's SCHED_IDLE policy (runs when nothing else of its group wants to)

Conditions take turns in short windows, in a new random order each cycle, so that the machine's other load falls
on all of them alike; each condition's reruns are pooled over the cycles. Printed: median and p95 of a rerun
and their ratio to `none`, and how many timings the background measurement completed (its throughput: what
the position costs the measurement itself)."""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONDITIONS = ("none", "inline", "process", "niced", "nice19", "sched_idle")

BACKGROUND = """
import os, sys, time
sys.path.insert(0, {root!r})
nice = {nice!r}
if nice is None:
    os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
else:
    os.nice(nice)
from effviz.speed import latency
from effviz import networks
model = networks.build({network!r})
latency.measure(model, (3, 224, 224), threads=1, min_run_time=0.05)
print("ready", flush=True)
n = 0
while True:
    latency.measure(model, (3, 224, 224), threads=1, min_run_time=0.2, warmup=0, min_repeats=1)
    n += 1
    print(n, flush=True)
"""


def rerun_work() -> None:
    """About 30 ms of interpreter work: dicts, strings, small objects, like building a page's elements."""
    rows = [{"name": f"layer{i}", "macs": i * 1000, "shape": (i, i + 1, i + 2)} for i in range(4000)]
    json.dumps(rows)
    sorted(rows, key=lambda r: (r["macs"] % 97, r["name"]))


def calibrate() -> int:
    t0 = time.perf_counter()
    rerun_work()
    return max(1, round(0.03 / (time.perf_counter() - t0)))


class Background:
    """The repeated measurement, in the place a condition names."""

    def __init__(self, condition: str, network: str):
        self.condition, self.count = condition, 0
        self.stop = threading.Event()
        self.proc = self.thread = None
        if condition == "inline":
            from effviz import networks
            from effviz.speed import latency

            model = networks.build(network)
            latency.measure(model, (3, 224, 224), threads=1, min_run_time=0.05)

            def loop() -> None:
                while not self.stop.is_set():
                    latency.measure(model, (3, 224, 224), threads=1, min_run_time=0.2, warmup=0, min_repeats=1)
                    self.count += 1

            self.thread = threading.Thread(target=loop, daemon=True)
            self.thread.start()
        elif condition != "none":
            nice = {"process": 0, "niced": 10, "nice19": 19, "sched_idle": None}[condition]
            script = BACKGROUND.format(root=str(ROOT), nice=nice, network=network)
            self.proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
            assert self.proc.stdout.readline().strip() == "ready"

            def read() -> None:
                for line in self.proc.stdout:
                    self.count = int(line)

            threading.Thread(target=read, daemon=True).start()

    def close(self) -> int:
        self.stop.set()
        if self.thread is not None:
            self.thread.join()
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait()
        return self.count


def window(repeat: int, seconds: float) -> list[float]:
    times = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.perf_counter()
        for _ in range(repeat):
            rerun_work()
        times.append(time.perf_counter() - t0)
        time.sleep(0.1)
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=6)
    parser.add_argument("--window", type=float, default=8.0)
    parser.add_argument("--network", default="mobilenet_v2")
    args = parser.parse_args()
    import torch  # noqa: F401 - imported before any window

    repeat = calibrate()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; a rerun = {repeat}× the work unit; "
          f"background: {args.network} timed on 1 thread, {args.cycles} cycles of {args.window:.0f} s windows")
    times: dict[str, list[float]] = {c: [] for c in CONDITIONS}
    done: dict[str, int] = dict.fromkeys(CONDITIONS, 0)
    rng = random.Random(0)
    for _ in range(args.cycles):
        order = list(CONDITIONS)
        rng.shuffle(order)
        for condition in order:
            background = Background(condition, args.network)
            time.sleep(0.5)
            times[condition] += window(repeat, args.window)
            done[condition] += background.close()
    base_med, base_p95 = statistics.median(times["none"]), pct(times["none"], 0.95)
    print(f"{'measurement runs in':<22} {'reruns':>6} {'median':>9} {'p95':>9} {'median×':>8} {'p95×':>6} "
          f"{'timings done':>13}")
    for c in CONDITIONS:
        med, p95 = statistics.median(times[c]), pct(times[c], 0.95)
        print(f"{c:<22} {len(times[c]):>6} {med * 1e3:>7.1f}ms {p95 * 1e3:>7.1f}ms {med / base_med:>7.2f}× "
              f"{p95 / base_p95:>5.2f}× {done[c] if c != 'none' else '':>13}")


if __name__ == "__main__":
    main()
