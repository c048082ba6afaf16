"""Server CPU per rerun of every widget on every page, against the bare one-slider app measured in the same run.

    python bench/bench_rerun_cpu.py [--moves 12] [--pages playground channel_shuffle ...] [--py-spy DIR]

For each page a headless websocket client (bench/ws_client.py) opens one session and crawls its widgets:
every slider, select, radio, toggle and number input, and every tab of a tab bar (then the widgets inside that
tab). Each widget is moved between its current value and one or two neighbours: a first pass computes every
setting once (what a class's first student pays), then `--moves` measured moves over those same settings. What
is measured is the server process's CPU time (utime + stime from /proc/<pid>/stat) per rerun: the cost every
other student pays, which decides how many students one process serves. A widget inside an st.fragment is
moved as a browser does, with a fragment rerun.

The bare app (bench/bare_app.py: one slider, one metric) is served and moved the same way in the same run;
every row prints its ratio to it. With --floor, each page's floor is measured too: bench/floor_app.py drawing the
elements the page sends on its default view (recorded here) with no computation, its first widget moved the
same way: what Streamlit itself costs for that page's elements. With --py-spy DIR, py-spy records the server
during each page's measured moves (speedscope JSON in DIR, open at https://www.speedscope.app)."""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app_timing import Server
from ws_client import Session, Widget

TICK = os.sysconf("SC_CLK_TCK")
PAGES = ("home", "playground", "network_explorer", "channel_shuffle", "feature_redundancy", "latency_lab")
# Values the crawl never picks: they wait for a user's file, so a rerun there measures nothing of interest.
SKIP_VALUES = {"upload", "Upload a photo", "A weights file", "上传照片", "权重文件"}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15 of proc(5))


@dataclass
class Row:
    page: str
    widget: str
    kind: str
    fragment: bool
    cpu_ms: float      # server CPU per measured rerun
    wall_ms: float     # request -> script_finished, median
    kbytes: float      # ForwardMsgs received per rerun
    reruns: int


def values_for(w: Widget) -> list:
    """The widget's current value first, then one or two neighbours to move to."""
    if w.kind == "slider":
        step = w.step or 1
        other = w.value + step if w.value + step <= w.max else w.value - step
        return [w.value, other]
    if w.kind == "number_input":
        step = w.step or 1
        other = w.value + step if w.value + step <= w.max else w.value - step
        return [w.value, other]
    if w.kind in ("checkbox", "toggle"):
        return [w.value, not w.value]
    options = [o for o in w.options if o not in SKIP_VALUES]
    if w.value not in options or len(options) < 2:
        return [w.value]
    i = options.index(w.value)
    if w.kind == "tabs":
        return [w.value, *[o for o in options if o != w.value]]
    near = [options[(i + 1) % len(options)], options[(i - 1) % len(options)]]
    return [w.value, *dict.fromkeys(o for o in near if o != w.value)]


class Crawler:
    def __init__(self, session: Session, pid: int, page: str, moves: int):
        self.session, self.pid, self.page, self.moves = session, pid, page, moves
        self.widgets: dict[tuple[str, str], Widget] = {}
        self.rows: list[Row] = []
        self.done: set[tuple[str, str]] = set()
        self.errors: list[str] = []

    def absorb(self, result, fragment_id: str = "") -> None:
        """The widgets on screen after `result`: a fragment's rerun replaces that fragment's widgets only."""
        if not result.fragment:
            self.widgets = {}
        else:
            redrawn = {fragment_id} | {w.fragment_id for w in result.widgets}
            self.widgets = {k: w for k, w in self.widgets.items() if w.fragment_id not in redrawn}
        for w in result.widgets:
            self.widgets[(w.kind, w.label)] = w
        if result.exceptions:
            self.errors.extend(result.messages)

    async def move(self, key: tuple[str, str], value):
        w = self.widgets.get(key)
        if w is None:
            raise LookupError(f"{self.page}: widget {key} is gone")
        result = await self.session.move(w, value)
        self.absorb(result, w.fragment_id)
        if key in self.widgets:
            self.widgets[key].value = value
        return result

    async def measure(self, key: tuple[str, str]) -> None:
        w = self.widgets[key]
        values = values_for(w)
        self.done.add(key)
        if len(values) < 2:
            return
        path = [*values[1:], values[0]]  # out to each neighbour and back home
        for value in path:               # first pass: every setting computed once (the first student)
            await self.move(key, value)
        if self.moves == 0:
            return
        walls, frags, received = [], [], 0
        n = 0
        before = cpu_seconds(self.pid)
        while n < self.moves:
            for value in path:
                r = await self.move(key, value)
                walls.append(r.seconds)
                frags.append(r.fragment)
                received += r.bytes
                n += 1
        spent = cpu_seconds(self.pid) - before
        self.rows.append(Row(self.page, w.label if w.kind != "tabs" else "tabs: " + " | ".join(w.options),
                             w.kind, all(frags), spent / n * 1e3, statistics.median(walls) * 1e3,
                             received / n / 1024, n))

    async def crawl(self) -> None:
        self.absorb(await self.session.rerun())
        await self.crawl_visible()
        for key in [k for k, w in self.widgets.items() if w.kind == "tabs"]:
            home = self.widgets[key].value
            for label in values_for(self.widgets[key])[1:]:
                await self.move(key, label)
                await self.crawl_visible()
                await self.move(key, home)

    async def crawl_visible(self) -> None:
        for key in list(self.widgets):
            if key not in self.done and key in self.widgets:
                await self.measure(key)


async def crawl_page(url: str, pid: int, page: str, moves: int) -> Crawler:
    async with Session(url, page) as session:
        crawler = Crawler(session, pid, page, moves)
        await crawler.crawl()
        return crawler


async def first_widget(url: str, pid: int, query: str, moves: int) -> Row:
    """Move the first widget of the page at `query` (a warm pass, then `moves` measured): on a floor, its
    sidebar's selectbox, which reruns the whole page."""
    async with Session(url, "", query) as session:
        crawler = Crawler(session, pid, query, moves)
        crawler.absorb(await session.rerun())
        key = next(iter(crawler.widgets))
        crawler.moves = 0
        await crawler.measure(key)
        crawler.moves, crawler.done = moves, set()
        await crawler.measure(key)
        return crawler.rows[0]


def floors(app_url: str, pages: list[str], moves: int) -> dict[str, Row]:
    """Each page's floor: its recorded elements redrawn by bench/floor_app.py, first widget moved."""
    from bench_browser_floor import record

    floor_dir = Path(tempfile.mkdtemp(prefix="effviz-floor-"))
    os.environ["EFFVIZ_FLOOR_DIR"] = str(floor_dir)
    for page in pages:
        (floor_dir / f"{page}.json").write_text(json.dumps({"elements": record(app_url, page)}))
    server = Server("bench/floor_app.py")
    try:
        return {page: asyncio.run(first_widget(server.url, server.proc.pid, f"floor={page}", moves))
                for page in pages}
    finally:
        server.close()


def warm_then_measure(url: str, pid: int, page: str, moves: int, spy_dir: Path | None) -> Crawler:
    """A first session visits every setting once (computes and caches it), then a second session measures the
    same settings, so that every measured rerun is one "the server has computed once before"."""
    asyncio.run(crawl_page(url, pid, page, 0))
    spy = profile(pid, spy_dir, page or "bare")
    try:
        return asyncio.run(crawl_page(url, pid, page, moves))
    finally:
        if spy is not None:
            spy.send_signal(2)
            spy.wait(timeout=60)


def profile(pid: int, out: Path | None, page: str):
    if out is None:
        return None
    out.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([shutil.which("py-spy") or "py-spy", "record", "-p", str(pid), "-o",
                             str(out / f"{page}.json"), "--format", "speedscope", "-r", "200", "--nonblocking",
                             "--gil"],  # only the thread holding the GIL: where the CPU goes, not who waits
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=12, help="measured reruns per widget")
    parser.add_argument("--pages", nargs="*", default=list(PAGES), choices=PAGES)
    parser.add_argument("--py-spy", type=Path, default=None, metavar="DIR")
    parser.add_argument("--floor", action="store_true", help="measure each page's no-computation floor too")
    args = parser.parse_args()

    server = Server("bench/bare_app.py")
    try:
        bare = warm_then_measure(server.url, server.proc.pid, "", args.moves * 4, args.py_spy).rows[0]
    finally:
        server.close()
    print(f"server CPU per rerun, {args.moves} measured moves per widget after a first pass over the same "
          f"settings; bare one-slider app: {bare.cpu_ms:.1f} ms CPU, {bare.wall_ms:.1f} ms wall, "
          f"{bare.kbytes:.1f} KB per rerun\n")
    print(f"{'page':<19}{'widget':<44}{'kind':<14}{'frag':>5}{'CPU ms':>8}{'ratio':>7}{'wall ms':>9}{'KB':>8}")
    server = Server("app.py")
    worst: dict[str, float] = {}
    floor: dict[str, Row] = {}
    try:
        if args.floor:
            floor = floors(server.url, args.pages, args.moves * 2)
        for page in args.pages:
            crawler = warm_then_measure(server.url, server.proc.pid, page, args.moves, args.py_spy)
            for r in crawler.rows:
                ratio = r.cpu_ms / bare.cpu_ms
                worst[page] = max(worst.get(page, 0.0), ratio)
                flag = "  <-- over 1.5x" if ratio > 1.5 else ""
                print(f"{page:<19}{r.widget[:42]:<44}{r.kind:<14}{'yes' if r.fragment else '':>5}{r.cpu_ms:>8.1f}"
                      f"{ratio:>6.2f}×{r.wall_ms:>9.1f}{r.kbytes:>8.1f}{flag}")
            for err in crawler.errors[:5]:
                print(f"   exception on {page}: {err}")
    finally:
        server.close()
    print("\nworst widget per page (CPU per rerun / bare app's): "
          + ", ".join(f"{p} {x:.2f}×" for p, x in worst.items()))
    if floor:
        print("\nfloor: the page's default view redrawn with no computation (bench/floor_app.py), first widget moved")
        for page, r in floor.items():
            print(f"  {page:<19} {r.cpu_ms:6.1f} ms CPU per rerun ({r.cpu_ms / bare.cpu_ms:.2f}× the bare app), "
                  f"{r.kbytes:.0f} KB; the page's worst widget is {worst.get(page, 0) * bare.cpu_ms / r.cpu_ms:.2f}× "
                  "its floor")


if __name__ == "__main__":
    main()
