"""Browser rerun of each page against a floor app with the same elements and no computation, in the same run.

    python bench/bench_browser_floor.py [--moves 8] [--pages playground network_explorer channel_shuffle]

For each page, a headless websocket client (bench/ws_client.py) records what the page sends on its default
view: widgets, metrics, formulas, tables, alerts, text and every Plotly chart with its full spec. The floor
(bench/floor_app.py, at ?floor=<page>) draws the same elements in the same order with no computation, each
one showing the value of the slider that is moved, so that a move redraws all of them; the static floor keeps
its charts unchanged (only text moves), the lower bound for a move that changes no chart. Then headless
chromium moves the page's slider with the keyboard and times move -> page settled (the watched element changed
and nothing is stale: bench/app_timing.slider_reruns), on the page and on its floor, alternately.
Needs Debian's chromium (/usr/bin/chromium)."""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from app_timing import Server, launch_browser, wait_settled
from playwright.sync_api import sync_playwright
from ws_client import Session, widget_of

# page, slider to move (index among the page's sliders and select sliders, in page order), what it is
MOVES = [
    ("playground", 0, "C_in"),
    ("network_explorer", 0, "resolution"),
    ("channel_shuffle", 0, "channels C"),
    ("channel_shuffle", 3, "output channel"),
    ("channel_shuffle", 4, "v1 groups"),
]
# The text the server draws (not the widgets' own, which the browser changes at once): a rerun is back when this
# changed and nothing is stale or loading any more.
SIGNATURE_JS = """() => Array.from(document.querySelectorAll('[data-testid="stMain"] :is('
  + '[data-testid="stMarkdownContainer"], [data-testid="stMetricValue"], [data-testid="stHeading"], '
  + '[data-testid="stAlert"], [data-testid="stTable"])'))
  .filter(e => !e.closest('[data-testid="stSlider"], [data-testid="stWidgetLabel"]'))
  .map(e => e.innerText).join("|")"""
DONE_JS = """(before) => {
  const now = (SIGNATURE)();
  return now !== before && document.querySelectorAll('[data-stale="true"]').length === 0
      && document.querySelectorAll('[data-testid="stSkeleton"]').length === 0;
}""".replace("SIGNATURE", SIGNATURE_JS)


def timed_moves(page, slider_index: int, moves: int) -> list[float]:
    """Move the slider with the keyboard `moves` times (right, left, ...); seconds from each key press until the
    page's drawn text changed and nothing is stale."""
    times = []
    slider = page.get_by_role("slider").nth(slider_index)
    for i in range(moves):
        before = page.evaluate(SIGNATURE_JS)
        slider.focus()
        t0 = time.perf_counter()
        page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function(DONE_JS, arg=before, timeout=60_000, polling=10)
        times.append(time.perf_counter() - t0)
        time.sleep(0.2)
    return times


def record(url: str, page: str) -> list[dict]:
    """The elements of the page's main area as the server sends them on a fresh session, in order."""
    by_path: dict[tuple, dict] = {}

    def on_message(fwd) -> None:
        if fwd.WhichOneof("type") != "delta" or fwd.delta.WhichOneof("type") != "new_element":
            return
        path = tuple(fwd.metadata.delta_path)
        if not path or path[0] != 0:  # the sidebar is the same on every page and not on the floor
            return
        el = fwd.delta.new_element
        which = el.WhichOneof("type")
        item = element(el, which)
        if item is not None:
            by_path[path] = item

    async def run() -> None:
        async with Session(url, page) as session:
            session.on_message = on_message
            await session.rerun()

    asyncio.run(run())
    return list(by_path.values())


def element(el, which: str) -> dict | None:
    widget = widget_of(el, which)
    if widget is not None:
        item = {"kind": widget.kind, "label": widget.label, "value": widget.value, "options": widget.options}
        if widget.kind == "slider":
            item.update(min=widget.min, max=widget.max, step=widget.step)
            if widget.is_int:
                item.update({k: int(item[k]) for k in ("min", "max", "step", "value")})
        return item
    if which == "markdown":
        kinds = {el.markdown.CAPTION: "caption", el.markdown.LATEX: "latex", el.markdown.DIVIDER: "divider"}
        body = el.markdown.body
        if el.markdown.element_type == el.markdown.LATEX:
            body = body.strip().removeprefix("$$").removesuffix("$$").strip()
        return {"kind": kinds.get(el.markdown.element_type, "markdown"), "body": body}
    if which == "metric":
        return {"kind": "metric", "label": el.metric.label, "body": el.metric.body}
    if which == "heading":
        return {"kind": "heading", "body": el.heading.body}
    if which == "alert":
        return {"kind": "alert", "body": el.alert.body}
    if which == "code":
        return {"kind": "code", "body": el.code.code_text}
    if which == "page_link":
        return {"kind": "page_link", "label": el.page_link.label}
    if which in ("button", "download_button"):
        return {"kind": which, "label": getattr(el, which).label, "body": "x"}
    if which == "table":
        import pyarrow.ipc

        frame = pyarrow.ipc.open_stream(el.table.arrow_data.data).read_all().to_pandas()
        rows = [list(map(str, frame.columns))] + frame.astype(str).values.tolist()
        return {"kind": "table", "rows": rows}
    if which == "plotly_chart":
        return {"kind": "plotly_chart", "spec": el.plotly_chart.spec}
    return None


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2, help="page and floor measured alternately this often")
    parser.add_argument("--pages", nargs="*", default=None)
    args = parser.parse_args()
    moves = [m for m in MOVES if args.pages is None or m[0] in args.pages]
    floor_dir = Path(tempfile.mkdtemp(prefix="effviz-floor-"))
    os.environ["EFFVIZ_FLOOR_DIR"] = str(floor_dir)

    app = Server("app.py")
    floor = None
    try:
        inventory = {}
        for page in dict.fromkeys(m[0] for m in moves):
            elements = record(app.url, page)
            inventory[page] = elements
            kinds: dict[str, int] = {}
            for e in elements:
                kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
            charts = sum(len(e["spec"]) for e in elements if e["kind"] == "plotly_chart")
            print(f"{page}: {len(elements)} elements ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}); "
                  f"chart specs {charts / 1024:.0f} KB")
        floor = Server("bench/floor_app.py")
        results: dict[tuple[str, int], dict[str, list[float]]] = {}
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            tab_app = browser.new_page(viewport={"width": 1440, "height": 1000})
            tab_floor = browser.new_page(viewport={"width": 1440, "height": 1000})
            tab_static = browser.new_page(viewport={"width": 1440, "height": 1000})
            for page, index, _ in moves:
                sliders = [e for e in inventory[page] if e["kind"] in ("slider", "select_slider")]
                (floor_dir / f"{page}.json").write_text(json.dumps({"elements": inventory[page]}))
                tab_app.goto(f"{app.url}/{page}")
                tab_floor.goto(f"{floor.url}/?floor={page}&driver={index}")
                tab_static.goto(f"{floor.url}/?floor={page}&driver={index}&charts=static")
                for tab in (tab_app, tab_floor, tab_static):
                    wait_settled(tab)
                    try:
                        timed_moves(tab, index, 2)  # both settings computed once (the floor's figures parsed)
                    except Exception:
                        tab.screenshot(path=str(floor_dir / f"{page}-{index}-stuck.png"))
                        print(f"{page} slider {index}: no rerun seen on {tab.url}; see {floor_dir}")
                        raise
                got = results.setdefault((page, index), {"page": [], "floor": [], "static": []})
                for _ in range(args.rounds):
                    got["page"] += timed_moves(tab_app, index, args.moves)
                    got["floor"] += timed_moves(tab_floor, index, args.moves)
                    got["static"] += timed_moves(tab_static, index, args.moves)
                assert len(sliders) > index, f"{page} has no slider {index}"
            browser.close()
    finally:
        app.close()
        if floor is not None:
            floor.close()

    print(f"\nslider rerun, move -> page settled in headless chromium (median of {args.rounds * args.moves} moves)")
    print("floor: every element redrawn with the slider's value; static floor: the same, charts unchanged")
    print(f"{'page':<18}{'slider':<16}{'page ms':>9}{'floor ms':>10}{'ratio':>8}{'static ms':>11}{'ratio':>8}")
    for page, index, label in moves:
        r = results[(page, index)]
        p, f, s = median_ms(r["page"]), median_ms(r["floor"]), median_ms(r["static"])
        flag = "  <-- over 1.5x" if p / f > 1.5 else ""
        print(f"{page:<18}{label:<16}{p:>9.0f}{f:>10.0f}{p / f:>7.2f}×{s:>11.0f}{p / s:>7.2f}×{flag}")


if __name__ == "__main__":
    main()
