"""Many simultaneous users on one server: errors, rerun latency under load, the server's peak memory.

    python bench/bench_concurrency.py [--sessions 20] [--seconds 60]

Each simulated user is a headless websocket client (bench/ws_client.py) with its own Streamlit session,
opening one of the app's pages in turn and moving that page's main slider in a loop, as fast as the server
answers. Latency: request -> the server's script_finished. Memory: the server process's RSS from /proc.
A bare one-slider app gets the same treatment in the same run, as the baseline."""
from __future__ import annotations

import argparse
import asyncio
import threading
import time
from pathlib import Path

from app_timing import Server, summary
from ws_client import Session

# (page url path, index of its main slider among the page's single-value sliders)
PAGES = [
    ("playground", 0),        # C_in
    ("network_explorer", 0),  # input resolution
    ("channel_shuffle", 3),   # output channel to follow
]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def user(url: str, page: str, slider_index: int, seconds: float, out: dict) -> None:
    try:
        async with Session(url, page) as session:
            first = await session.rerun()
            out["exceptions"] += first.exceptions
            if first.exceptions:
                out["errors"].append(f"{page}: on first load: {first.messages}")
            slider = first.sliders[slider_index]
            low, high = slider.min, slider.max
            value, step = slider.value, 1.0
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                if not low <= value + step <= high:
                    step = -step
                value += step
                r = await session.rerun([Session.slider_state(slider, value)])
                out["latencies"].append(r.seconds)
                out["exceptions"] += r.exceptions
                if r.exceptions:
                    out["errors"].append(f"{page}: after moving to {value}: {r.messages}")
    except Exception as err:  # noqa: BLE001 - a failed session is a measured error
        out["errors"].append(f"{page}: {type(err).__name__}: {err}")


def load(script: str, pages: list[tuple[str, int]], sessions: int, seconds: float) -> dict:
    server = Server(script)
    peak = {"rss": rss_mb(server.proc.pid)}
    idle = peak["rss"]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak["rss"] = max(peak["rss"], rss_mb(server.proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = {"latencies": [], "exceptions": 0, "errors": []}

    async def run_all() -> None:
        await asyncio.gather(*(user(server.url, *pages[i % len(pages)], seconds, out) for i in range(sessions)))

    try:
        asyncio.run(run_all())
    finally:
        done.set()
        sampler.join()
        server.close()
    return {**out, "idle_rss": idle, "peak_rss": peak["rss"]}


def report(name: str, r: dict, base: dict | None = None) -> None:
    s = summary(r["latencies"]) if r["latencies"] else {"median": float("nan"), "p95": float("nan"), "n": 0}
    line = (f"{name:<22} reruns {s['n']:>5}  errors {len(r['errors']):>2}  "
            f"median {s['median']:.3f} s  p95 {s['p95']:.3f} s  RSS idle {r['idle_rss']:.0f} MB "
            f"peak {r['peak_rss']:.0f} MB")
    if base and base["latencies"] and r["latencies"]:
        b = summary(base["latencies"])
        line += f"  p95 ratio {s['p95'] / b['p95']:.1f}×"
    print(line)
    for err in r["errors"][:5]:
        print("   ", err)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    print(f"{args.sessions} simultaneous sessions for {args.seconds:.0f} s each")
    base = load("bench/bare_app.py", [("", 0)], args.sessions, args.seconds)
    report("bare one-slider app", base)
    ours = load("app.py", PAGES, args.sessions, args.seconds)
    report("effviz", ours, base)


if __name__ == "__main__":
    main()
