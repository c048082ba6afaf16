"""What the block graphs and their drawings cost: declaring a graph, deriving the cost from it, writing DOT, and
the browser drawing it.

    python bench/bench_anatomy.py [--repeats 200] [--browser]

Python side, per block family (textbook example at 56 x 56): declaring the graph (spec.graph, uncached),
Graph.cost(), a cached spec.cost() call (what a page's rerun pays for a slider position it has seen), and
block_dot(); ratio: the DOT against the graph declaration measured in the same run. Per zoo network: network_dot
collapsed and with every stage opened, against the Plotly block diagram the Network Explorer already draws from
the same profile (plots.networks.block_diagram), measured in the same run.
--browser: starts bench/anatomy_render_app.py on 127.0.0.1 and measures in Debian's chromium how long Graphviz
takes from the chart element appearing to its SVG being drawn, against a two-node graph (the baseline)."""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from timing import timed  # noqa: E402 - bench/ is on sys.path when a script runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def python_side(repeats: int) -> None:
    from effviz import blocks
    from effviz.blocks import spec as block_spec
    from effviz.plots import anatomy

    print(f"{'family':<22}{'graph() µs':>12}{'cost() µs':>11}{'cached µs':>11}{'DOT µs':>9}{'DOT/graph':>11}")
    for name in blocks.names():
        spec = blocks.make(name)
        # the declaration itself, without graph()'s cache
        declare = timed(lambda spec=spec: block_spec._declared.__wrapped__(spec, 56, 56), repeats)
        graph = spec.graph(56, 56)
        cost = timed(graph.cost, repeats)
        spec.cost(56, 56)
        cached = timed(lambda spec=spec: spec.cost(56, 56), repeats)
        dot = timed(lambda graph=graph: anatomy.block_dot(graph), repeats)
        print(f"{name:<22}{declare * 1e6:>12.1f}{cost * 1e6:>11.1f}{cached * 1e6:>11.2f}{dot * 1e6:>9.1f}"
              f"{dot / declare:>11.2f}")

    import torch

    import effviz
    from effviz import networks
    from effviz.plots import network_charts as charts

    print(f"\n{'network':<20}{'units':>6}{'layers':>7}{'DOT ms':>8}{'opened ms':>10}{'plotly ms':>10}"
          f"{'DOT/plotly':>11}{'opened/plotly':>14}")
    for name in networks.names():
        with torch.device("meta"):
            model = networks.build(name)
        prof = effviz.profile(model, networks.info(name).input_size)
        everything = [s.key for s in prof.stages]
        n = max(repeats // 10, 5)
        collapsed = timed(lambda prof=prof: anatomy.network_dot(prof), n)
        opened = timed(lambda prof=prof, everything=everything: anatomy.network_dot(prof, everything), n)
        plotly = timed(lambda prof=prof: charts.block_diagram(prof), n)
        print(f"{name:<20}{len(prof.units):>6}{len(prof.layers):>7}{collapsed * 1e3:>8.2f}{opened * 1e3:>10.2f}"
              f"{plotly * 1e3:>10.2f}{collapsed / plotly:>11.3f}{opened / plotly:>14.3f}")


RENDER_JS = """() => new Promise(resolve => {
    const start = performance.now(); let seen = null;
    const check = () => {
        const el = document.querySelector('[data-testid="stGraphVizChart"]');
        if (el && seen === null) seen = performance.now();
        const nodes = el ? el.querySelectorAll('svg g.node').length : 0;
        if (nodes) { resolve([seen - start, performance.now() - seen, nodes]); return; }
        requestAnimationFrame(check);
    };
    check(); })"""


def browser_side(rounds: int) -> None:
    import socket

    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "bench" / "anatomy_render_app.py"),
           "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        cases = ["trivial", *(f"block:{f}" for f in ("depthwise_separable", "shuffle_v2", "ghost_bottleneck",
                                                      "mbconv")),
                 "net:xception", "net:xception:open", "net:resnext50_32x4d", "net:resnext50_32x4d:open"]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=os.environ.get("EFFVIZ_CHROMIUM") or "/usr/bin/chromium",
                                         args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.set_default_timeout(120_000)
            results: dict[str, list[float]] = {}
            for r in range(rounds + 1):  # round 0 warms the server's caches and the browser's WebAssembly
                for case in cases:
                    page.goto(f"http://127.0.0.1:{port}/?case={case}")
                    _, render, nodes = page.evaluate(RENDER_JS)
                    if r:
                        results.setdefault(case, []).append(render / 1000)
                    results.setdefault(f"{case} nodes", [nodes])
            browser.close()
        base = statistics.median(results["trivial"])
        print(f"\n{'browser: case':<32}{'nodes':>6}{'render ms':>11}{'/ trivial':>11}   (median of {rounds})")
        for case in cases:
            t = statistics.median(results[case])
            print(f"{case:<32}{results[f'{case} nodes'][0]:>6}{t * 1e3:>11.0f}{t / base:>11.1f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    python_side(args.repeats)
    if args.browser:
        browser_side(args.rounds)


if __name__ == "__main__":
    main()
