"""The first minute of a class: a whole class opening one page at once on a server that has just said "ready".

    python bench/bench_first_minute.py [--students 60] [--pages feature_redundancy,...] [--warm pages,landing]
                                       [--one-server]

For each page, and for the bare one-slider app (bench/bare_app.py) as its baseline, measured right before it
(this machine may be shared: the two see about the same load): a fresh
`deploy/serve.py --workers 2` (HAProxy, cookie affinity) with an empty shared cache of its own; once it says
ready, 1 student opens the page, then `--students` open it at the same moment, each a new browser tab simulated
by the headless websocket client (bench/ws_client.py) through the balancer. A student's time runs from opening
the websocket to the server's script_finished (the page fully drawn on the server's side); "first" is until the
first element arrived (the student sees the page start). Printed per page: serve.py's time to ready and the
warm-up it reported, the one student's time, the class's p50 / p95 / max and first-element p95, errors
(exceptions on the page, lost connections), the workers' CPU time per student of the class (from /proc: what a
student costs the server, which depends much less on other load than a time does), and the ratios of the class's
p95 and CPU per student to the bare app's.

`--warm landing` starts serve.py as before this benchmark existed (only the landing page run once per worker):
the same table for the cold pages. Client and server share this machine's cores; the client's own CPU time is
printed too.

`--one-server` starts one serve.py (warmed, its shared cache empty at the start) and one bare one, both kept
running, and has a class open every page in turn, the bare app's class right before each page's: all seven
pages in a few minutes instead of a fresh pair of servers per page (~15 minutes on an idle 2-core machine). A
page's class then meets workers that earlier pages' classes have used (their sessions closed)."""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from app_timing import ARTIFACTS, ROOT, percentile
from ws_client import Session

sys.path.insert(0, str(ROOT / "deploy"))
import serve  # noqa: E402

PAGES = ["", "playground", "network_explorer", "channel_shuffle", "feature_redundancy", "latency_lab", "exercises"]


@dataclass
class Opened:
    seconds: float = float("nan")   # websocket opened -> script_finished
    first: float = float("nan")     # websocket opened -> first element
    error: str = ""


async def open_page(url: str, page: str, timeout: float = 120) -> Opened:
    opened = Opened()
    t0 = time.perf_counter()
    try:
        async with Session(url, page) as session:
            def on_message(msg) -> None:
                if opened.first != opened.first and msg.WhichOneof("type") == "delta":  # the first one
                    opened.first = time.perf_counter() - t0

            session.on_message = on_message
            result = await session.rerun(timeout=timeout)
            opened.seconds = time.perf_counter() - t0
            if result.exceptions:
                opened.error = f"exception: {result.messages[:1]}"
    except Exception as err:  # noqa: BLE001 - a lost session is what this counts
        opened.error = f"{type(err).__name__}: {err}"[:200]
    return opened


@dataclass
class Row:
    page: str
    ready: float
    warm: list[str] = field(default_factory=list)
    one: Opened = field(default_factory=Opened)
    many: list[Opened] = field(default_factory=list)
    client_cpu: float = 0.0
    server_cpu: float = float("nan")  # the workers' CPU seconds while the class opened the page

    def times(self) -> list[float]:
        return [o.seconds for o in self.many if not o.error]

    def errors(self) -> list[str]:
        return [o.error for o in [self.one, *self.many] if o.error]


@contextlib.contextmanager
def server(warm: str, app: str | None = None, label: str = "home"):
    """(a fresh serve.py --workers 2 with an empty shared cache, seconds to ready, its warm-up lines)."""
    with tempfile.TemporaryDirectory(prefix="effviz-first-minute-") as cache:
        log = ARTIFACTS / f"bench-first-minute-{label}-{warm}{'-bare' if app else ''}.log"
        started = time.monotonic()
        with serve.running(2, log=log, app=app, warm=warm, env={"EFFVIZ_CACHE_DIR": cache}) as srv:
            yield srv, time.monotonic() - started, [line for line in log.read_text().splitlines() if "warm" in line]


def measure(page: str, students: int, warm: str, app: str | None = None) -> Row:
    with server(warm, app, page or "home") as (srv, ready, warmed):
        return class_opens(srv, page, students, Row(page, ready, warmed))


def class_opens(srv: serve.Running, page: str, students: int, row: Row) -> Row:
    """1 student opens `page`, then `students` at the same moment: their times and the workers' CPU, in `row`."""
    cpu0 = time.process_time()
    row.one = asyncio.run(open_page(srv.url, page))
    time.sleep(1)

    async def everyone() -> list[Opened]:
        return await asyncio.gather(*(open_page(srv.url, page) for _ in range(students)))

    pids = [srv.pid(w.name) for w in srv.workers]
    server0 = sum(cpu_seconds(pid) for pid in pids)
    row.many = asyncio.run(everyone())
    row.server_cpu = sum(cpu_seconds(pid) for pid in pids) - server0
    row.client_cpu = time.process_time() - cpu0
    time.sleep(1)  # the closed sessions' clean-up, before the next page
    return row


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(label: str, row: Row, base: Row | None) -> None:
    times = row.times() or [float("nan")]
    firsts = [o.first for o in row.many if not o.error] or [float("nan")]
    p95 = percentile(times, 0.95)
    line = (f"{label:<20} ready {row.ready:5.1f} s | 1 student {row.one.seconds:5.2f} s | {len(row.many)} students "
            f"p50 {percentile(times, 0.5):5.2f}  p95 {p95:5.2f}  max {max(times):5.2f} s  first-element p95 "
            f"{percentile(firsts, 0.95):5.2f} s | errors {len(row.errors())} | server CPU "
            f"{row.server_cpu / max(1, len(row.many)) * 1000:4.0f} ms/student")
    if base is not None and base.times():
        line += (f" | {p95 / percentile(base.times(), 0.95):4.1f}x bare's p95, "
                 f"{row.server_cpu / base.server_cpu:4.1f}x its CPU, "
                 f"1 student {row.one.seconds / base.one.seconds:4.1f}x")
    print(line + f" | client CPU {row.client_cpu:.1f} s", flush=True)
    for warm_line in row.warm if base is not None else []:
        print("    " + re.sub(r"^effviz: ", "", warm_line), flush=True)
    for err in row.errors()[:3]:
        print("    ! " + err, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--pages", default=",".join(p or "home" for p in PAGES))
    parser.add_argument("--warm", default="pages", help="serve.py --warm modes to run, comma-separated: pages, landing")
    parser.add_argument("--one-server", action="store_true",
                        help="one serve.py (warmed, empty cache at its start) for every page in turn, and one for the "
                             "bare app, instead of a fresh pair per page: a few minutes instead of ~15 for all pages")
    args = parser.parse_args()
    ARTIFACTS.mkdir(exist_ok=True)
    load = os.getloadavg()[0]
    print(f"{args.students} students at once per page, serve.py --workers 2, an empty shared cache per "
          f"{'serve.py (--one-server: one for all pages)' if args.one_server else 'page'}; "
          f"{os.cpu_count()} cores, load average {load:.1f} at the start", flush=True)
    pages = ["" if page == "home" else page for page in args.pages.split(",")]
    for warm in args.warm.split(","):
        print(f"-- serve.py --warm {warm}" + (" (one server for every page)" if args.one_server else ""), flush=True)
        if args.one_server:  # both running, the bare app's class measured right before each page's
            with server("pages", app="bench/bare_app.py") as (bare, bare_ready, _), server(warm) as (srv, ready, lines):
                for i, page in enumerate(pages):
                    base = class_opens(bare, "", args.students, Row("", bare_ready))
                    report("  bare app", base, None)
                    row = class_opens(srv, page, args.students, Row(page, ready, lines if i == 0 else []))
                    report(page or "home", row, base)
            continue
        for page in pages:
            base = measure("", args.students, "pages", app="bench/bare_app.py")
            report("  bare app", base, None)
            report(page or "home", measure(page, args.students, warm), base)
    print(f"load average {os.getloadavg()[0]:.1f} at the end", flush=True)


if __name__ == "__main__":
    main()
