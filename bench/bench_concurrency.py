"""Many simultaneous users on one server: errors, rerun latency under load, the server's peak memory.

    python bench/bench_concurrency.py [--sessions 20] [--seconds 60]

N chromium pages (one browser, separate contexts = separate Streamlit sessions) open the app's pages in turn.
Each round presses every page's main slider at once, then waits for all of them; latency is per page from its
key press to its result updated with nothing stale. The server's memory is sampled from /proc during the run.
The browser runs on the same 2 cores as the server, so latencies include the browser's own rendering."""
from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from app_timing import DONE_JS, Server, launch_browser, summary, wait_settled

# page path, index of its main slider, element its rerun changes
PAGES = [
    ("playground", 0, '[data-testid="stMetricValue"]'),
]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()

    server = Server("app.py")
    peak = {"rss": rss_mb(server.proc.pid)}
    idle_rss = peak["rss"]
    stop_sampling = threading.Event()

    def sample() -> None:
        while not stop_sampling.is_set():
            peak["rss"] = max(peak["rss"], rss_mb(server.proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    latencies: list[float] = []
    errors = timeouts = rounds = 0
    try:
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            sessions = []
            t0 = time.monotonic()
            for i in range(args.sessions):
                path, slider, watch = PAGES[i % len(PAGES)]
                page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                page.goto(f"{server.url}/{path}")
                sessions.append((page, slider, watch))
            for page, _, _ in sessions:
                wait_settled(page, quiet_ms=300, timeout_ms=180_000)
            print(f"{args.sessions} sessions opened and settled in {time.monotonic() - t0:.1f} s; "
                  f"server RSS {rss_mb(server.proc.pid):.0f} MB (idle before: {idle_rss:.0f} MB)")
            end = time.monotonic() + args.seconds
            while time.monotonic() < end:
                rounds += 1
                pressed = []
                for page, slider, watch in sessions:
                    before = page.locator(watch).first.inner_text()
                    page.get_by_role("slider").nth(slider).focus()
                    page.keyboard.press("ArrowRight" if rounds % 2 else "ArrowLeft")
                    pressed.append((page, watch, before, time.perf_counter()))
                for page, watch, before, t_press in pressed:
                    try:
                        page.wait_for_function(DONE_JS, arg=[watch, before], timeout=60_000, polling=20)
                        latencies.append(time.perf_counter() - t_press)
                    except Exception:  # noqa: BLE001 - a timeout is a measured failure, not a crash
                        timeouts += 1
                    errors += page.locator('[data-testid="stException"]').count()
            browser.close()
    finally:
        stop_sampling.set()
        sampler.join()
        server.close()
    s = summary(latencies) if latencies else {"median": float("nan"), "p95": float("nan"), "n": 0}
    print(f"rounds {rounds}, reruns {s['n']}, errors {errors}, timeouts {timeouts}")
    print(f"rerun latency under load: median {s['median']:.3f} s, p95 {s['p95']:.3f} s")
    print(f"server peak RSS {peak['rss']:.0f} MB")


if __name__ == "__main__":
    main()
