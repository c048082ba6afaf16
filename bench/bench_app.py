"""App speed against a bare one-slider Streamlit app measured in the same run.

    python bench/bench_app.py [--moves 8] [--cold-pages all] [--cold-only]

Cold start: `streamlit run` spawned -> the first page settled in headless chromium.
Rerun latency: a page's main slider moved with the keyboard -> its result element updated, nothing stale.
Needs Debian's chromium (/usr/bin/chromium)."""
from __future__ import annotations

import argparse
import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

from app_timing import Server, cold_start, launch_browser, slider_reruns, summary, wait_settled
from playwright.sync_api import sync_playwright
from ws_client import Session

# page path, index of its main slider, the element whose text a rerun changes
COLD_PAGES = ["home", "playground", "network_explorer", "channel_shuffle", "feature_redundancy", "latency_lab",
              "exercises"]
PAGES = [
    ("playground", 0, '[data-testid="stMetricValue"]'),          # C_in: analytic
    ("network_explorer", 0, '[data-testid="stMetricValue"]'),    # resolution: cached profile per setting
    ("channel_shuffle", 3, '[data-testid="stAlert"]'),           # output channel to follow: cached probe
]


def server_reruns(url: str, page: str, slider_index: int, moves: int) -> dict[str, float]:
    """Server-side rerun time (request -> script_finished over the websocket), no browser drawing."""

    async def run() -> list[float]:
        async with Session(url, page) as session:
            slider = (await session.rerun()).sliders[slider_index]
            times = []
            for i in range(moves):
                value = slider.value + (1 if i % 2 == 0 else 0)
                times.append((await session.rerun([Session.slider_state(slider, value)])).seconds)
            return times

    # in a thread of its own: Playwright's sync API already runs an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        return summary(pool.submit(asyncio.run, run()).result())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--moves", type=int, default=8)
    parser.add_argument("--cold-pages", default="home,playground",
                        help="pages whose cold start is measured, comma-separated (home is the landing page; "
                             f"'all': {','.join(COLD_PAGES)}), each on a fresh server after a fresh bare app's")
    parser.add_argument("--cold-only", action="store_true", help="measure cold starts only, no reruns")
    args = parser.parse_args()
    pages = COLD_PAGES if args.cold_pages == "all" else args.cold_pages.split(",")
    with sync_playwright() as pw:
        print(f"cold start (s): spawn -> healthy -> first page settled; load average {os.getloadavg()[0]:.1f}")
        for path in pages:
            bare = cold_start(pw, "bench/bare_app.py")  # right before each page: the same load
            ours = cold_start(pw, "app.py", "" if path == "home" else path)
            for name, r in (("bare one-slider app", bare), (f"effviz /{path}", ours)):
                print(f"  {name:<24} healthy {r['to_healthy']:.2f}  settled {r['to_settled']:.2f}  "
                      f"ratio {r['to_settled'] / bare['to_settled']:.2f}×", flush=True)
        if args.cold_only:
            return

        print(f"\nrerun latency (s), {args.moves} slider moves each")
        server = Server("bench/bare_app.py")
        try:
            browser = launch_browser(pw)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(server.url)
            wait_settled(page)
            base = summary(slider_reruns(page, 0, '[data-testid="stMetricValue"]', args.moves))
            browser.close()
        finally:
            server.close()
        print(f"  {'bare app':<24} median {base['median']:.3f}  p95 {base['p95']:.3f}")
        server = Server("bench/bare_app.py")
        try:
            ws_base = server_reruns(server.url, "", 0, args.moves * 3)
        finally:
            server.close()
        server = Server("app.py")
        try:
            browser = launch_browser(pw)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            for path, index, watch in PAGES:
                page.goto(f"{server.url}/{path}")
                wait_settled(page)
                r = summary(slider_reruns(page, index, watch, args.moves))
                print(f"  {path:<24} median {r['median']:.3f}  p95 {r['p95']:.3f}  "
                      f"ratio {r['median'] / base['median']:.2f}× (p95 {r['p95'] / base['p95']:.2f}×)")
            browser.close()
            print(f"\nserver-side rerun (s), websocket client, {args.moves * 3} moves each")
            print(f"  {'bare app':<24} median {ws_base['median']:.3f}  p95 {ws_base['p95']:.3f}")
            for path, index, _ in PAGES:
                r = server_reruns(server.url, path, index, args.moves * 3)
                print(f"  {path:<24} median {r['median']:.3f}  p95 {r['p95']:.3f}  "
                      f"ratio {r['median'] / ws_base['median']:.2f}×")
        finally:
            server.close()


if __name__ == "__main__":
    main()
