"""Browser rerun of each page against a floor app with the same elements and no computation, in the same run.

    python bench/bench_browser_floor.py [--moves 8] [--pages playground network_explorer channel_shuffle ...]

For each page and widget in MOVES, a headless websocket client (bench/ws_client.py) records what the page sends
(widgets, metrics, formulas, tables, alerts, text, every Plotly chart with its full spec and Graphviz diagrams)
on its default view, then again after moving that widget one step. The floor (bench/floor_app.py, replay mode)
replays those two recordings with no computation: the page's own elements and charts, word for word, for the
setting the widget has. The static floor keeps the first setting's charts (only text moves), the lower bound
for a move that changes no chart. Then headless chromium moves the widget with the keyboard (a slider right
and left, a selectbox to its next option and back) and times key press -> page settled (the drawn text changed
and nothing is stale), on the page and on its floors, alternately. Needs Debian's chromium (/usr/bin/chromium)."""
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

# page, what is moved (a slider or select slider, or a selectbox), its index among the main area's widgets of that
# kind in page order, what it is
MOVES = [
    ("playground", "slider", 0, "C_in"),
    ("network_explorer", "slider", 0, "resolution"),
    ("channel_shuffle", "slider", 0, "channels C"),
    ("channel_shuffle", "slider", 3, "output channel"),
    ("channel_shuffle", "slider", 4, "v1 groups"),
    ("feature_redundancy", "selectbox", 3, "layer"),
    ("feature_redundancy", "selectbox", 4, "similarity"),
]
DRIVERS = {"slider": ("slider", "select_slider"), "selectbox": ("selectbox",)}
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


def timed_moves(page, kind: str, index: int, moves: int) -> list[float]:
    """Move the widget with the keyboard `moves` times (a slider right, left, ...; a selectbox to its next option
    and back); seconds from each key press that sets the value until the page's drawn text changed and nothing
    is stale."""
    times = []
    main = page.locator('[data-testid="stMain"]')
    for i in range(moves):
        before = page.evaluate(SIGNATURE_JS)
        if kind == "selectbox":
            main.locator('[data-testid="stSelectbox"]').nth(index).get_by_role("combobox").click()
            page.keyboard.press("ArrowDown" if i % 2 == 0 else "ArrowUp")
            t0 = time.perf_counter()
            page.keyboard.press("Enter")
        else:
            main.get_by_role("slider").nth(index).focus()
            t0 = time.perf_counter()
            page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function(DONE_JS, arg=before, timeout=60_000, polling=10)
        times.append(time.perf_counter() - t0)
        time.sleep(0.2)
    return times


def record(url: str, page: str, kind: str | None = None, index: int = 0) -> list[dict] | dict:
    """The elements of the page's main area as the server sends them on a fresh session, in order. With `kind`,
    also after moving that widget (the index-th of its kind) to the value a key press gives it (a slider one step
    right, a selectbox its next option): {"elements": before, "moved": after, "driver": its position in both}."""
    by_path: dict[tuple, dict] = {}
    drivers: list[tuple[tuple, object]] = []  # (path, Widget) of the main area's widgets of `kind`, in order

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
        widget = widget_of(el, which)
        if kind is not None and widget is not None and widget.kind in DRIVERS[kind]:
            drivers.append((path, widget))

    async def run() -> dict | None:
        async with Session(url, page) as session:
            session.on_message = on_message
            await session.rerun()
            if kind is None:
                return None
            assert len(drivers) > index, f"{page} has no {kind} {index}"
            path, widget = drivers[index]
            before = dict(by_path)
            await session.move(widget, next_value(widget))
            position = list(before).index(path)
            return {"elements": list(before.values()), "moved": list(by_path.values()), "driver": position}

    moved = asyncio.run(run())
    return moved if moved is not None else list(by_path.values())


def next_value(widget):
    """What one key press (ArrowRight on a slider, ArrowDown and Enter on a selectbox) sets the widget to."""
    if widget.kind == "slider":
        return widget.value + (widget.step or 1)
    return widget.options[(widget.options.index(widget.value) + 1) % len(widget.options)]


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
    if which == "graphviz_chart":
        return {"kind": "graphviz_chart", "spec": el.graphviz_chart.spec}
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
        states = {(page, kind, index): record(app.url, page, kind, index) for page, kind, index, _ in moves}
        for page in dict.fromkeys(m[0] for m in moves):
            elements = next(v["elements"] for k, v in states.items() if k[0] == page)  # its default view
            kinds: dict[str, int] = {}
            for e in elements:
                kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
            charts = sum(len(e["spec"]) for e in elements if e["kind"] == "plotly_chart")
            print(f"{page}: {len(elements)} elements ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}); "
                  f"chart specs {charts / 1024:.0f} KB")
        floor = Server("bench/floor_app.py")
        results: dict[tuple[str, str, int], dict[str, list[float]]] = {}
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            tab_app = browser.new_page(viewport={"width": 1440, "height": 1000})
            tab_floor = browser.new_page(viewport={"width": 1440, "height": 1000})
            tab_static = browser.new_page(viewport={"width": 1440, "height": 1000})
            for page, kind, index, _ in moves:
                recording = f"{page}-{kind}-{index}"  # one file a move: the floor caches what it read by name
                (floor_dir / f"{recording}.json").write_text(json.dumps(states[(page, kind, index)]))
                tab_app.goto(f"{app.url}/{page}")
                query = f"floor={recording}"
                tab_floor.goto(f"{floor.url}/?{query}")
                tab_static.goto(f"{floor.url}/?{query}&charts=static")
                for tab in (tab_app, tab_floor, tab_static):
                    wait_settled(tab)
                    try:
                        timed_moves(tab, kind, index, 2)  # both settings computed once (the floor's figures parsed)
                    except Exception:
                        tab.screenshot(path=str(floor_dir / f"{page}-{index}-stuck.png"))
                        print(f"{page} {kind} {index}: no rerun seen on {tab.url}; see {floor_dir}")
                        raise
                got = results.setdefault((page, kind, index), {"page": [], "floor": [], "static": []})
                for _ in range(args.rounds):
                    got["page"] += timed_moves(tab_app, kind, index, args.moves)
                    got["floor"] += timed_moves(tab_floor, kind, index, args.moves)
                    got["static"] += timed_moves(tab_static, kind, index, args.moves)
            browser.close()
    finally:
        app.close()
        if floor is not None:
            floor.close()

    print(f"\nrerun, move -> page settled in headless chromium (median of {args.rounds * args.moves} moves)")
    print("floor: the page's own output at both settings replayed, no computation; static floor: charts unchanged")
    print(f"{'page':<20}{'widget':<16}{'page ms':>9}{'floor ms':>10}{'ratio':>8}{'static ms':>11}{'ratio':>8}")
    for page, kind, index, label in moves:
        r = results[(page, kind, index)]
        p, f, s = median_ms(r["page"]), median_ms(r["floor"]), median_ms(r["static"])
        flag = "  <-- over 1.5x" if p / f > 1.5 else ""
        print(f"{page:<20}{label:<16}{p:>9.0f}{f:>10.0f}{p / f:>7.2f}×{s:>11.0f}{p / s:>7.2f}×{flag}")


if __name__ == "__main__":
    main()
