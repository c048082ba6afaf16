"""Classroom scale for the Latency Lab: while one user times the whole zoo, do the other students' sliders stay
quick; does a second worker get the zoo table from the shared cache instead of timing it again; does a user who
clicks meanwhile wait in line and see their place?

    python bench/bench_latency_queue.py [--workers 1 2] [--modes process inline] [--students 10] [--think 1]
                                        [--idle 20] [--effort standard] [--contend]

For each worker count and mode: start that many `streamlit run app.py` processes on 127.0.0.1 (one fresh
EFFVIZ_CACHE_DIR shared by them, as on a real machine), open `--students` headless websocket sessions
(bench/ws_client.py) on the Conv Playground, spread over the workers, each moving the C_in slider and pausing
`--think` seconds after each answer. Their rerun latencies (request -> script_finished) are recorded while a user
on worker 1 clicks "Measure the zoo" (13 networks timed), and in `--idle` seconds before and after it with nothing
else going on (the baseline, in the same run; its two halves bracket the timing so that a change in the
machine's other load shows in both). Modes: `process` times in the worker's low-priority timing process (the
app's default), `inline` in a thread of the worker itself (EFFVIZ_TIMING_PROCESS=0, how the app timed before).

With two workers, --contend has another user on worker 2 click "Measure these" (the blocks) 8 s into the zoo's
timing: the places in line it was shown are printed. Then a fresh user on worker 2 clicks "Measure the zoo":
from the shared cache, against worker 1's cold timing as a ratio.

Latency samples are assigned to a window by the time their request was sent."""
from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time

from app_timing import percentile
from ws_client import Session

from tests.browser.conftest import ARTIFACTS, free_port, start_streamlit, stop, wait_healthy


class Workers:
    def __init__(self, n: int, cache_dir: str, mode: str):
        ARTIFACTS.mkdir(exist_ok=True)
        self.ports = [free_port() for _ in range(n)]
        env = {"EFFVIZ_CACHE_DIR": cache_dir, "EFFVIZ_TIMING_PROCESS": "0" if mode == "inline" else "1"}
        self.procs = [start_streamlit("app.py", port, {**env, "EFFVIZ_WORKER": f"w{i + 1}"})
                      for i, port in enumerate(self.ports)]
        for port, proc in zip(self.ports, self.procs, strict=True):
            wait_healthy(port, proc)
        self.urls = [f"http://127.0.0.1:{p}" for p in self.ports]

    def close(self) -> None:
        for proc in self.procs:
            stop(proc)


async def student(url: str, stop_at: asyncio.Event, samples: list, errors: list, think: float) -> None:
    try:
        async with Session(url, "playground") as session:
            first = await session.rerun()
            slider = first.sliders[0]  # C_in
            value, step = slider.value, 1.0
            while not stop_at.is_set():
                if not slider.min <= value + step <= slider.max:
                    step = -step
                value += step
                sent = time.monotonic()
                r = await session.rerun([Session.slider_state(slider, value)])
                samples.append((sent, r.seconds))
                if r.exceptions:
                    errors.append(r.messages)
                await asyncio.sleep(think)
    except Exception as err:  # noqa: BLE001 - a failed session is a measured error
        errors.append(f"{type(err).__name__}: {err}")


async def click(url: str, effort: str, button_key: str, notices: list | None = None) -> tuple[float, int]:
    """Seconds from clicking a Latency Lab button to the finished page; exceptions and failed networks."""
    async with Session(url, "latency_lab", query=f"lat_effort={effort}") as session:
        first = await session.rerun()
        button = next(b for b in first.buttons if b.id.endswith(button_key))

        def seen(at: float, text: str) -> None:
            if notices is not None and "in line" in text:
                notices.append((at, text))

        r = await session.rerun([Session.button_state(button)], timeout=1800, on_text=seen)
        failed = sum("could not be measured" in t for t in r.texts)
        return r.seconds, r.exceptions + failed


def window(samples: list, spans: list[tuple[float, float]]) -> list[float]:
    return [s for sent, s in samples if any(a <= sent < b for a, b in spans)]


def describe(values: list[float]) -> str:
    if not values:
        return "no reruns"
    return f"{len(values):>4} reruns, median {percentile(values, 0.5):.3f} s, p95 {percentile(values, 0.95):.3f} s"


async def scenario(urls: list[str], args) -> dict:
    stop_at = asyncio.Event()
    samples: list[list] = [[] for _ in urls]
    errors: list = []
    tasks = [asyncio.create_task(student(urls[i % len(urls)], stop_at, samples[i % len(urls)], errors,
                                         args.think)) for i in range(args.students)]
    await asyncio.sleep(5)  # every session has loaded the page once
    t0 = time.monotonic()
    await asyncio.sleep(args.idle / 2)
    t_busy = time.monotonic()
    notices: list = []
    other = None
    if args.contend and len(urls) > 1:
        async def later():
            await asyncio.sleep(8)
            return await click(urls[1], args.effort, "lat_measure_blocks", notices)
        other = asyncio.create_task(later())
    cold_s, cold_err = await click(urls[0], args.effort, "lat_measure_networks")
    t_end = time.monotonic()
    await asyncio.sleep(args.idle / 2)
    t_after = time.monotonic()
    print(f"  worker 1 times the zoo: {cold_s:.1f} s ({cold_err} errors)")
    idle_spans, busy_spans = [(t0, t_busy), (t_end, t_after)], [(t_busy, t_end)]
    for i in range(len(urls)):
        print(f"  students on worker {i + 1}: idle {describe(window(samples[i], idle_spans))}")
        print(f"  {'':>21}while the zoo is timed {describe(window(samples[i], busy_spans))}")
    idle = [s for w in samples for s in window(w, idle_spans)]
    busy = [s for w in samples for s in window(w, busy_spans)]
    out = {"cold": cold_s, "p95_idle": percentile(idle, 0.95), "p95_busy": percentile(busy, 0.95)}
    print(f"  all students: p95 idle {out['p95_idle']:.3f} s, while the zoo is timed {out['p95_busy']:.3f} s "
          f"({out['p95_busy'] / out['p95_idle']:.1f}× idle)")
    if other is not None:
        other_s, _ = await other
        places = sorted({text.split("**")[1] for _, text in notices if "**" in text})
        print(f"  worker 2 user who clicked 'Measure these' 8 s into the zoo's timing: done after {other_s:.1f} s; "
              f"{len(notices)} place notices, places shown: {places}")
        for at, text in notices[:1]:
            print(f"    first, at {at:.1f} s: {text}")
    if len(urls) > 1:
        warm_s, warm_err = await click(urls[1], args.effort, "lat_measure_networks")
        out["warm"] = warm_s
        print(f"  a fresh user on worker 2 clicks 'Measure the zoo' after worker 1 finished: {warm_s:.2f} s "
              f"({warm_err} errors); worker 1's cold timing / this = {cold_s / warm_s:.0f}×")
    stop_at.set()
    await asyncio.gather(*tasks)
    if errors:
        print(f"  errors: {len(errors)}; first: {errors[0]}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--modes", nargs="+", default=["process", "inline"], choices=["process", "inline"])
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--idle", type=float, default=30, help="seconds without a timing, half before, half after")
    parser.add_argument("--effort", default="standard")
    parser.add_argument("--think", type=float, default=1.0, help="seconds a student pauses after each answer")
    parser.add_argument("--contend", action="store_true", help="a second user clicks while the zoo is timed")
    args = parser.parse_args()
    print(f"{args.students} students on the Conv Playground, {args.think} s between moves; one user times the "
          f"zoo ({args.effort}); {os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.1f}")
    results = {}
    for n in args.workers:
        for mode in args.modes:
            print(f"{n} worker process(es), timing {mode}:")
            with tempfile.TemporaryDirectory(prefix="effviz-bench-cache-") as cache_dir:
                workers = Workers(n, cache_dir, mode)
                try:
                    results[(n, mode)] = asyncio.run(scenario(workers.urls, args))
                finally:
                    workers.close()
    print("summary: students' p95 while the zoo is timed / idle p95 of the same run")
    for (n, mode), r in results.items():
        print(f"  {n} worker(s), {mode:<7}: {r['p95_busy']:.3f} s / {r['p95_idle']:.3f} s = "
              f"{r['p95_busy'] / r['p95_idle']:.1f}×; zoo timed in {r['cold']:.0f} s")


if __name__ == "__main__":
    main()
