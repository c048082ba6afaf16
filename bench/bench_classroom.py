"""A class at once: N students with think time over every page, on one process, on `deploy/serve.py --workers 2`
behind HAProxy, and the bare one-slider app under the same load, in the same run.

    python bench/bench_classroom.py [--students 60] [--seconds 60] [--think 2] [--modes bare,one,two]
                                    [--class-students 60]

Mode `class` is `two` with a class in progress beside it (class mode, bench/bench_class_mode.py's students): its
--class-students keep the class page open, polling its pacing fragment as a browser does, and answer each question
after a think of 3-12 s (30 % change it once); the teacher moves the class every 15 s. Printed for it besides the
slider students' line: the class's polls, answers confirmed and lost (checked against the database afterwards) and
its submit p95; the slider students' p95 is the number the class costs them (compare the `two` line).

Each student is a headless websocket client (bench/ws_client.py) with its own Streamlit session. Students are
spread over the pages (Start here, Conv Playground, Network Explorer, Channel Shuffle, Feature Redundancy with
layer and metric changes, Latency Lab visits); each moves one of its page's widgets, then thinks for a jittered
`--think` seconds (uniform 0.5x..1.5x), as a class does. Values stay within a few steps of the page's defaults,
which a warm-up pass visits once on every worker first: the targets are about settings the server has computed
once before (a first computation is shared through the caches).

Printed per mode: reruns, errors, lost sessions, rerun p50/p95/p99 (request -> the server's script_finished),
server CPU ms per rerun (utime + stime of every worker from /proc, over the timed window), cores used, peak RSS
per worker; the ratio of CPU per rerun to the bare app's. Per page: p50/p95 and CPU is not separable per page
under mixed load, so `bench/bench_rerun_cpu.py` measures that one page at a time."""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import random
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from app_timing import ARTIFACTS, ROOT, Server, percentile
from ws_client import Session, Widget

sys.path.insert(0, str(ROOT / "deploy"))
import serve  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")

# (page url path, widget keys a student moves in turn; () = a visit: the student reloads the page)
PAGES = [
    ("", ()),
    ("playground", ("c_in", "c_out", "kernel")),
    ("playground", ("h", "family")),
    ("network_explorer", ("nx_res", "nx_net")),
    ("network_explorer", ("nx_res",)),
    ("channel_shuffle", ("shuffle_channels", "shuffle_output")),
    ("channel_shuffle", ("shuffle_groups", "shuffle_v1_groups", "shuffle_on")),
    ("feature_redundancy", ("fr_layer", "fr_metric")),
    ("latency_lab", ()),
    ("playground", ("c_out", "w")),
]
BARE = [("", ("value",))]
STEPS = 3  # a student stays within this many steps (or options) of the page's default value


def key_of(widget: Widget) -> str:
    """The user key of a keyed widget: Streamlit's ids end with '-<key>'."""
    return widget.id.rsplit("-", 1)[-1]


def values_near(widget: Widget) -> list:
    """The values a student visits: the default and up to STEPS steps (or options) either side."""
    if widget.kind in ("slider", "number_input"):
        step = widget.step or 1
        vals = [widget.value + i * step for i in range(-STEPS, STEPS + 1)]
        return [v for v in vals if widget.min <= v <= widget.max]
    if widget.kind in ("checkbox", "toggle"):
        return [widget.value, not widget.value]
    opts = widget.options
    if not opts:
        return [widget.value]
    i = opts.index(widget.value) if widget.value in opts else 0
    return opts[max(0, i - STEPS):i + STEPS + 1]


async def set_value(session: Session, widget: Widget, value):
    """Move `widget` to `value` and follow it if the page redrew it (a new id once its options changed)."""
    r = await session.move(widget, value)
    widget.value = value
    for w in r.widgets:
        if key_of(w) == key_of(widget):
            widget.id, widget.fragment_id = w.id, w.fragment_id
    return r


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lost: int = 0
    sessions: int = 0

    def add(self, page: str, seconds: float) -> None:
        self.latencies.setdefault(page or "home", []).append(seconds)

    @property
    def all(self) -> list[float]:
        return [x for v in self.latencies.values() for x in v]


async def student(url: str, page: str, keys: tuple[str, ...], think: float, until: float, seed: int,
                  tally: Tally, timed: bool = True) -> None:
    rng = random.Random(seed)
    tally.sessions += timed
    try:
        async with Session(url, page) as s:
            first = await s.rerun()
            if first.exceptions:
                tally.errors.append(f"{page}: on load: {first.messages}")
            widgets = {key_of(w): w for w in first.widgets}
            missing = [k for k in keys if k not in widgets]
            if missing:
                tally.errors.append(f"{page}: no widget {missing}; have {sorted(widgets)}")
                return
            plan = {k: values_near(widgets[k]) for k in keys}
            turn = 0
            await asyncio.sleep(rng.uniform(0, think))  # the class does not click in step
            while time.monotonic() < until:
                if keys:
                    key = keys[turn % len(keys)]
                    widget = widgets[key]
                    choices = [v for v in plan[key] if v != widget.value] or plan[key]
                    value = rng.choice(choices)
                    r = await set_value(s, widget, value)
                else:
                    r = await s.rerun()
                turn += 1
                if r.exceptions:
                    tally.errors.append(f"{page}: {r.messages}")
                if timed:
                    tally.add(page, r.seconds)
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
    except Exception as err:  # noqa: BLE001 - a broken session is what this counts
        if timed:
            tally.lost += 1
            tally.errors.append(f"{page}: {type(err).__name__}: {err}"[:300])


async def warm(ports: list[int], pages) -> None:
    """Visit every planned value once on every worker, directly (not through the balancer)."""
    async def one(port: int, page: str, keys) -> None:
        async with Session(f"http://127.0.0.1:{port}", page) as s:
            first = await s.rerun()
            widgets = {key_of(w): w for w in first.widgets}
            for key in keys:
                if key not in widgets:
                    continue
                w = widgets[key]
                for value in values_near(w):
                    await set_value(s, w, value)

    for port in ports:
        await asyncio.gather(*(one(port, page, keys) for page, keys in pages))


def cpu_seconds(pid: int) -> float:
    fields_ = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields_[11]) + int(fields_[12])) / TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Deployment:
    """One process (`streamlit run`) or `deploy/serve.py --workers N` (HAProxy + supervisor): its URL and
    {worker pid: worker port}."""

    def __init__(self, script: str, workers: int = 0):
        self.stack = contextlib.ExitStack()
        if workers:
            srv = self.stack.enter_context(serve.running(workers, log=ARTIFACTS / "bench-classroom-serve.log"))
            self.url = srv.url
            self.workers = {srv.pid(w.name): w.port for w in srv.workers}
        else:
            server = Server(script)
            self.stack.callback(server.close)
            self.url = server.url
            self.workers = {server.proc.pid: server.port}

    def close(self) -> None:
        self.stack.close()


async def class_beside(url: str, until: float, n: int, out: dict) -> None:
    """A class in progress on the same deployment until `until`: n students on /class (their tabs poll the pacing
    fragment every view.PACE_EVERY), answering each question; the teacher moves on every 15 s."""
    from bench_class_mode import POLL, Tab, confirmed

    from app_support.classroom import questions, store

    eng = store.engine()
    picks = tuple(i for i, q in enumerate(questions.pool(4, "standard"), start=1) if q.answer_type == "number")
    qs = questions.chosen(4, "standard", picks)
    cls, token = store.create_class(eng, "standard", 4, list(picks), questions.key(qs))
    tabs = []
    for i in range(n):
        _, me = store.join(eng, cls.id, f"s{i}")
        tabs.append(Tab(url, f"code={cls.code}&me={me}"))
    for tab in tabs:
        await tab.session.__aenter__()
    await asyncio.gather(*(tab.session.rerun(timeout=120) for tab in tabs))
    sent: dict[tuple[int, int], str] = {}
    submit: list[float] = []
    polls, errors = [0], [0]

    async def student(i: int, tab: Tab) -> None:
        rng = random.Random(1000 + i)
        lock = asyncio.Lock()

        async def answer(k: int) -> None:
            for _ in range(2 if rng.random() < 0.3 else 1):
                await asyncio.sleep(rng.uniform(3, 12))
                if time.monotonic() >= until or tab.shown != k:
                    return
                text = f"{float(qs[k - 1].answer) * rng.choice((0.5, 1.0, 2.0)):.6g}"
                async with lock:
                    if tab.shown != k:  # a poll meanwhile drew the next question: not sent
                        return
                    started = time.monotonic()
                    r = await tab.send(text)
                errors[0] += r.exceptions
                if confirmed(r.texts, text):
                    submit.append(time.monotonic() - started)
                    sent[(i, k)] = text

        answered = 0
        while time.monotonic() < until:
            started = time.monotonic()
            async with lock:
                r = await tab.poll()
            polls[0] += 1
            errors[0] += r.exceptions
            if tab.shown and tab.shown != answered:
                answered = tab.shown
                asyncio.create_task(answer(answered))
            await asyncio.sleep(max(0.0, POLL - (time.monotonic() - started)))

    async def teacher() -> None:
        k = 0
        while time.monotonic() < until:
            k = k % len(qs) + 1
            store.pace(eng, cls.id, token, k, "answering")
            await asyncio.sleep(min(15.0, max(0.0, until - time.monotonic())))
            store.pace(eng, cls.id, token, k, "revealed")

    await asyncio.gather(teacher(), *(student(i, tab) for i, tab in enumerate(tabs)))
    for tab in tabs:
        with contextlib.suppress(Exception):
            await tab.session.ws.close()
    board = store.dashboard(eng, cls.id, token, None)
    stored = {(int(a.nickname[1:]), a.question): a.last_text for a in board.answers}
    out.update(students=n, polls=polls[0], sent=len(sent), errors=errors[0], submit=submit,
               lost=sum(1 for key, text in sent.items() if stored.get(key) != text))
    store.delete_class(eng, cls.id, token)
    eng.dispose()


def run(mode: str, args) -> dict:
    if mode == "class":  # a fresh class database for the workers and for this process
        os.environ["EFFVIZ_DATA_DIR"] = tempfile.mkdtemp(prefix="effviz-bench-classroom-")
        os.environ.pop("EFFVIZ_DATABASE_URL", None)
    deployment = Deployment("bench/bare_app.py" if mode == "bare" else "app.py",
                            workers=2 if mode in ("two", "class") else 0)
    pages = BARE if mode == "bare" else PAGES
    try:
        asyncio.run(warm(list(deployment.workers.values()), pages))
        pids = list(deployment.workers)
        cpu0 = {p: cpu_seconds(p) for p in pids}
        peak = {p: rss_mb(p) for p in pids}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                for p in pids:
                    peak[p] = max(peak[p], rss_mb(p))
                time.sleep(0.25)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        tally = Tally()
        t0, client0 = time.monotonic(), time.process_time()
        until = t0 + args.seconds

        beside: dict = {}

        async def everyone() -> None:
            extra = [class_beside(deployment.url, until, args.class_students, beside)] if mode == "class" else []
            await asyncio.gather(*(student(deployment.url, *pages[i % len(pages)], args.think, until, i, tally)
                                   for i in range(args.students)), *extra)

        asyncio.run(everyone())
        wall = time.monotonic() - t0
        done.set()
        sampler.join()
        cpu = sum(cpu_seconds(p) - cpu0[p] for p in pids)
        return {"tally": tally, "cpu": cpu, "wall": wall, "rss": list(peak.values()),
                "client_cpu": time.process_time() - client0, "class": beside}
    finally:
        deployment.close()


def report(name: str, r: dict, base: dict | None) -> None:
    t = r["tally"]
    lat = t.all
    n = len(lat)
    cpu_ms = r["cpu"] / n * 1000 if n else float("nan")
    q = (lambda p: percentile(lat, p)) if lat else (lambda p: float("nan"))
    line = (f"{name:<26} reruns {n:>5}  errors {len(t.errors):>2}  lost {t.lost:>2}/{t.sessions:<3} "
            f"p50 {q(0.5):.3f}  p95 {q(0.95):.3f}  p99 {q(0.99):.3f} s  CPU/rerun {cpu_ms:5.1f} ms")
    if base and base["tally"].all:
        line += f" ({cpu_ms / (base['cpu'] / len(base['tally'].all) * 1000):.2f}x bare)"
    line += (f"  cores {r['cpu'] / r['wall']:.2f}  RSS/worker {', '.join(f'{m:.0f}' for m in r['rss'])} MB"
             f"  client CPU {r['client_cpu'] / r['wall']:.2f} cores")
    print(line, flush=True)
    for page, values in sorted(t.latencies.items()):
        print(f"    {page:<20} n {len(values):>4}  p50 {percentile(values, 0.5):.3f}  "
              f"p95 {percentile(values, 0.95):.3f} s")
    for err in t.errors[:6]:
        print("    !", err)
    c = r.get("class")
    if c:
        sub = c["submit"] or [math.nan]
        print(f"    beside it, a class of {c['students']} students: {c['polls']} polls, answers confirmed {c['sent']}, "
              f"lost {c['lost']}, page exceptions {c['errors']}; submit -> stored p50 {percentile(sub, 0.5):.3f}  "
              f"p95 {percentile(sub, 0.95):.3f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds between a student's moves")
    parser.add_argument("--modes", default="bare,one,two",
                        help="any of bare, one (1 process), two (serve.py), class (two, with a class beside it)")
    parser.add_argument("--class-students", type=int, default=60, help="mode class: the class's size")
    args = parser.parse_args()
    ARTIFACTS.mkdir(exist_ok=True)
    print(f"{args.students} students, a move every ~{args.think:g} s each, {args.seconds:g} s; "
          f"{os.cpu_count()} cores", flush=True)
    labels = {"bare": "bare one-slider app, 1 proc", "one": "effviz, 1 process", "two": "effviz, serve.py -w 2",
              "class": "effviz, -w 2, class beside"}
    base = None
    for mode in args.modes.split(","):
        r = run(mode, args)
        report(labels[mode], r, base)
        if mode == "bare":
            base = r


if __name__ == "__main__":
    main()
