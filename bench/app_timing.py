"""Browser timing helpers for the app benchmarks: start a server, time cold start and slider reruns.

A rerun counts as done when the watched element's text has changed and no element is stale (Streamlit marks
the previous run's elements stale while a script runs)."""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    chromium_executable,
    free_port,
    start_streamlit,
    stop,
    wait_healthy,
    wait_settled,
)

DONE_JS = """([selector, before]) => {
  const el = document.querySelector(selector);
  if (!el || el.innerText === before) return false;
  return document.querySelectorAll('[data-stale="true"]').length === 0
      && document.querySelectorAll('[data-testid="stSkeleton"]').length === 0;
}"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "p95": percentile(values, 0.95), "n": len(values)}


class Server:
    def __init__(self, script: str):
        ARTIFACTS.mkdir(exist_ok=True)
        self.port = free_port()
        self.t_spawn = time.monotonic()
        self.proc = start_streamlit(script, self.port)
        wait_healthy(self.port, self.proc)
        self.t_healthy = time.monotonic()
        self.url = f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        stop(self.proc)


def launch_browser(pw):
    return pw.chromium.launch(executable_path=chromium_executable() or CHROMIUM, args=CHROMIUM_ARGS)


def cold_start(pw, script: str, path: str = "") -> dict[str, float]:
    """Seconds from spawning `streamlit run script` to its first page settled in chromium."""
    server = Server(script)
    try:
        browser = launch_browser(pw)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(f"{server.url}/{path}")
        waited = wait_settled(page, quiet_ms=500)  # seconds until the content stopped changing
        browser.close()
        return {"to_healthy": server.t_healthy - server.t_spawn,
                "to_settled": server.t_healthy - server.t_spawn + waited}
    finally:
        server.close()


def slider_reruns(page, slider_index: int, watch: str, moves: int = 8) -> list[float]:
    """Move the slider_index-th slider with the keyboard `moves` times; time each rerun until `watch` changed."""
    times = []
    slider = page.get_by_role("slider").nth(slider_index)
    for i in range(moves):
        before = page.locator(watch).first.inner_text()
        slider.focus()
        t0 = time.perf_counter()
        page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function(DONE_JS, arg=[watch, before], timeout=60_000, polling=10)
        times.append(time.perf_counter() - t0)
        time.sleep(0.2)
    return times
