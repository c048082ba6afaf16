"""Classroom scale for the Latency Lab: while one user times the whole zoo, do the other students' sliders stay
quick, and does a second worker get the zoo table from the shared cache instead of timing it again?

    python bench/bench_latency_queue.py [--workers 1 2] [--students 10] [--think 1] [--idle 20]
                                        [--effort standard] [--contend]

For each worker count: start that many `streamlit run app.py` processes on 127.0.0.1 (one fresh
EFFVIZ_CACHE_DIR shared by them, as deploy/ shares one per machine), open `--students` headless websocket
sessions (bench/ws_client.py) on the Conv Playground, spread over the workers, each moving the C_in slider and
pausing `--think` seconds after each answer. Their rerun latencies (request -> script_finished) are recorded in
two windows of the same run: `--idle` seconds with nothing else going on (the baseline), then while a user on
worker 1 clicks "Measure the zoo" (13 networks timed). With --contend and two workers, another user on worker 2
clicks "Measure these" (the blocks) 8 s into the zoo's timing: the queue notices it saw are printed. With two
workers a fresh user on worker 2 then clicks "Measure the zoo": with the shared cache the table comes from the
disk (its time against worker 1's cold timing is printed as a ratio).

Latency samples are assigned to a window by the time their request was sent."""
from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time

from app_timing import percentile
from ws_client import Session

from tests.browser.conftest import ARTIFACTS, _free_port, start_streamlit, stop, wait_healthy


class Workers:
    def __init__(self, n: int, cache_dir: str):
        ARTIFACTS.mkdir(exist_ok=True)
        self.ports = [_free_port() for _ in range(n)]
        self.procs = [start_streamlit("app.py", port, {"EFFVIZ_CACHE_DIR": cache_dir, "EFFVIZ_WORKER": f"w{i + 1}"})
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
            if notices is not None and "⏳" in text:
                notices.append((round(at, 1), text))

        r = await session.rerun([Session.button_state(button)], timeout=1200, on_text=seen)
        return r.seconds, r.exceptions + sum("network_failed" in t for t in r.texts)


def window(samples: list, start: float, end: float) -> list[float]:
    return [s for sent, s in samples if start <= sent < end]


def describe(values: list[float]) -> str:
    if not values:
        return "no reruns"
    return f"{len(values):>4} reruns, median {percentile(values, 0.5):.3f} s, p95 {percentile(values, 0.95):.3f} s"


async def scenario(urls: list[str], students: int, idle: float, effort: str, think: float, contend: bool) -> None:
    stop_at = asyncio.Event()
    samples: list[list] = [[] for _ in urls]
    errors: list = []
    tasks = [asyncio.create_task(student(urls[i % len(urls)], stop_at, samples[i % len(urls)], errors,
                                         think))
             for i in range(students)]
    await asyncio.sleep(5)  # every session has loaded the page once
    t_idle = time.monotonic()
    await asyncio.sleep(idle)
    t_busy = time.monotonic()
    notices: list = []
    third = None
    if contend and len(urls) > 1:  # another user clicks on worker 2 while worker 1 times the zoo: the queue
        async def later():
            await asyncio.sleep(8)
            return await click(urls[1], effort, "lat_measure_blocks", notices)
        third = asyncio.create_task(later())
    first_s, first_err = await click(urls[0], effort, "lat_measure_networks")
    t_end = time.monotonic()
    print(f"  worker 1 times the zoo: {first_s:.1f} s ({first_err} errors)")
    for i in range(len(urls)):
        idle_v, busy_v = window(samples[i], t_idle, t_busy), window(samples[i], t_busy, t_end)
        print(f"  students on worker {i + 1}: idle {describe(idle_v)}")
        print(f"  {'':>21}while the zoo is timed {describe(busy_v)}")
    every_idle = [s for w in samples for s in window(w, t_idle, t_busy)]
    every_busy = [s for w in samples for s in window(w, t_busy, t_end)]
    if every_idle and every_busy:
        p_idle, p_busy = percentile(every_idle, 0.95), percentile(every_busy, 0.95)
        print(f"  all students: p95 idle {p_idle:.3f} s, while timing {p_busy:.3f} s ({p_busy / p_idle:.1f}× idle)")
    if third is not None:
        third_s, _ = await third
        print(f"  worker 2 user who clicked 'Measure these' 8 s into the zoo's timing: done after {third_s:.1f} s; "
              f"queue notices seen: {len(notices)}")
        for at, text in notices[:1] + notices[-1:]:
            print(f"    at {at:5.1f} s: {text}")
    if len(urls) > 1:
        second_s, second_err = await click(urls[1], effort, "lat_measure_networks")
        print(f"  worker 2 clicks again, after worker 1 finished: {second_s:.2f} s ({second_err} errors); "
              f"worker 1's cold timing / this = {first_s / second_s:.1f}×")
    stop_at.set()
    await asyncio.gather(*tasks)
    if errors:
        print(f"  errors: {len(errors)}; first: {errors[0]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--idle", type=float, default=20)
    parser.add_argument("--effort", default="standard")
    parser.add_argument("--think", type=float, default=1.0, help="seconds a student pauses after each answer")
    parser.add_argument("--contend", action="store_true", help="a second user clicks while the zoo is timed")
    args = parser.parse_args()
    print(f"{args.students} students on the Conv Playground, {args.think} s between moves; one user times the "
          f"zoo ({args.effort}); {os.cpu_count()} CPUs")
    for n in args.workers:
        print(f"{n} worker process(es):")
        with tempfile.TemporaryDirectory(prefix="effviz-bench-cache-") as cache_dir:
            workers = Workers(n, cache_dir)
            try:
                asyncio.run(scenario(workers.urls, args.students, args.idle, args.effort, args.think,
                                     args.contend))
            finally:
                workers.close()


if __name__ == "__main__":
    main()
