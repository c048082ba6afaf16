"""A class in class mode through `deploy/serve.py --workers 2`: N students answer a paced question set, on SQLite
and on PostgreSQL, in the same run.

    python bench/bench_class_mode.py [--students 60] [--questions 10] [--think 5,20] [--think-scale 1]
                                     [--idle 60] [--databases sqlite,postgresql] [--quick]

Full run: about 8 minutes per database (the workers' warm-up, 2 x --idle, then ten questions of up to --think's
longest plus the changes), so one database per command (--databases sqlite, then --databases postgresql) keeps each
under 10 minutes. --quick (3 questions, think x 0.5, 30 s idle) took 337 s for both databases at load 7-10 on 2 cores;
its numbers are the same measures over fewer moves.

Each student is a headless websocket client (bench/ws_client.py) with its own Streamlit session on /class, joined
through the store (the join form is tested in the browser tests) and left open: like a browser it reruns the page's
question's fragment (view.card) every view.PACE_EVERY. Per question the student thinks uniform(--think) x
--think-scale seconds, types an answer into the question's form and sends it (a rerun of that fragment, as a
browser's Send is); 30 % of students change it once after another think. No teacher tab is open: the teacher paces
through the store (what the dashboard's buttons call) once every student answered, or after the longest think,
reading the answers from the store every 0.5 s.

Printed per database:
- submit -> stored: from the browser's form submit to the end of the rerun that stored it (p50/p95; the answer is
  in the database when the rerun ends), checked against the database afterwards;
- teacher move -> every student: from the commit of the move to the last student's screen showing the question
  (p50/p95 over moves);
- answers lost: last answers the students saw confirmed ("Sent:") that the database does not hold;
- idle polling: worker CPU (utime + stime of both workers from /proc) per student per minute while the whole class
  waits for the first question, against the same students idle on a bare page (Start here: no polling) in the
  same run; and the CPU of one poll.
Each database's block starts with the machine's load average (`uptime`): on a shared machine the absolute times
grow with it; the idle ratio against the bare page, measured in the same run, less so.
The slider-class benchmark beside a class: `python bench/bench_classroom.py --modes bare,two,class`."""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from streamlit import logger as st_logger  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from ws_client import Session  # noqa: E402

st_logger.set_log_level("error")  # this process has no Streamlit runtime: its caches' "No runtime found" are noise

from app_support.classroom import questions, store, view  # noqa: E402
from deploy import serve  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
POLL = view.PACE_EVERY.total_seconds()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def confirmed(texts: list[str], sent: str) -> bool:
    """Whether a Send's rerun confirmed this very answer: "Sent: <the number>." (the last Send's message stays on
    the question while it is open, so a bare "Sent:" could be an earlier answer's)."""
    want = float(sent)
    for text in texts:
        if text.startswith("Sent: "):
            shown = text[len("Sent: "):].split(". ")[0].replace(",", "").removesuffix(" MiB")
            with contextlib.suppress(ValueError):
                if abs(float(shown) - want) <= 1e-3 * max(abs(want), 1.0):
                    return True
    return False


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(FileNotFoundError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


class Tab:
    """One student's open tab: its session, the pacing fragment's id, the answer form's widget ids."""

    def __init__(self, url: str, query: str):
        self.session = Session(url, "class", query)
        self.fragment = ""
        self.text_id = self.send_id = ""
        self.shown = 0  # the question the page last drew
        self.session.on_message = self._seen

    def _seen(self, fwd: ForwardMsg) -> None:
        kind = fwd.WhichOneof("type")
        if kind == "auto_rerun" and 0 < fwd.auto_rerun.interval < 60:
            self.fragment = fwd.auto_rerun.fragment_id
        elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            el = fwd.delta.new_element
            which = el.WhichOneof("type")
            if which == "text_input":
                self.text_id = el.text_input.id
            elif which == "button" and el.button.is_form_submitter:
                self.send_id = el.button.id
            elif which == "markdown" and el.markdown.body.startswith("**Question "):
                self.shown = int(el.markdown.body.split()[1])

    async def poll(self):
        return await self.session.rerun(fragment_id=self.fragment, timeout=60)

    async def send(self, text: str):
        typed = WidgetState(id=self.text_id, string_value=text)
        # the form is drawn in the pacing fragment: a browser's Send reruns that fragment only
        return await self.session.rerun([typed, WidgetState(id=self.send_id, trigger_value=True)], timeout=60,
                                        fragment_id=self.fragment)


async def run_class(url: str, eng, args) -> dict:
    # number questions only: the students type their answers (option questions are radio buttons)
    picks = tuple(i for i, q in enumerate(questions.pool(args.seed, "standard"), start=1)
                  if q.answer_type == "number")[:args.questions]
    qs = questions.chosen(args.seed, "standard", picks)
    cls, token = store.create_class(eng, "standard", args.seed, list(picks), questions.key(qs))
    tabs, sent = [], {}
    for i in range(args.students):
        _, me = store.join(eng, cls.id, f"s{i}")
        tabs.append((i, me, Tab(url, f"code={cls.code}&me={me}")))
    for _, _, tab in tabs:
        await tab.session.__aenter__()
    await asyncio.gather(*(tab.session.rerun(timeout=120) for _, _, tab in tabs))
    assert all(tab.fragment for _, _, tab in tabs), "no pacing fragment seen"
    stop = asyncio.Event()
    lock: dict[int, asyncio.Lock] = {i: asyncio.Lock() for i in range(args.students)}  # one rerun at a time
    polls = [0]
    submit_s: list[float] = []
    arrived: dict[int, dict[int, float]] = {}
    moved_at: dict[int, float] = {}
    errors = [0]

    async def student(i: int, me: str, tab: Tab) -> None:
        rng = random.Random(i)
        answered_q = 0
        while not stop.is_set():
            started = time.monotonic()
            async with lock[i]:
                result = await tab.poll()
            polls[0] += 1
            errors[0] += result.exceptions
            k = tab.shown
            if k and k not in arrived.setdefault(i, {}):
                arrived[i][k] = time.monotonic()
            if k and k != answered_q and moved_at.get(k) and moved_at.get(-k) is None:
                answered_q = k
                asyncio.create_task(answer(i, tab, k, rng))
            await asyncio.sleep(max(0.0, POLL - (time.monotonic() - started)))

    async def answer(i: int, tab: Tab, k: int, rng: random.Random) -> None:
        q = qs[k - 1]
        truth = float(q.answer)
        times = 2 if rng.random() < 0.3 else 1
        for _ in range(times):
            await asyncio.sleep(rng.uniform(*args.think) * args.think_scale)
            if moved_at.get(-k) is not None:  # closed meanwhile
                return
            text = f"{truth * rng.choice((0.5, 1.0, 1.0, 2.0)):.6g}"
            async with lock[i]:
                if tab.shown != k:  # a poll meanwhile drew the next question: this answer is not sent
                    return
                started = time.monotonic()
                result = await tab.send(text)
            if confirmed(result.texts, text):
                submit_s.append(time.monotonic() - started)
                sent[(i, k)] = text
            errors[0] += result.exceptions

    # --- idle: everyone waits for question 1 and polls
    pids = [serve.processes(args.run_dir)[w]["pid"] for w in ("w1", "w2")]
    tasks = [asyncio.create_task(student(i, me, tab)) for i, me, tab in tabs]
    await asyncio.sleep(3)
    c0, p0, t0 = cpu_seconds(pids), polls[0], time.monotonic()
    await asyncio.sleep(args.idle)
    c1, p1, t1 = cpu_seconds(pids), polls[0], time.monotonic()
    idle = dict(cpu_ms_per_student_min=(c1 - c0) * 1000 / args.students / ((t1 - t0) / 60),
                cpu_ms_per_poll=(c1 - c0) * 1000 / max(1, p1 - p0), polls=p1 - p0)

    # --- the set, paced by the teacher
    move_s = []
    for k in range(1, args.questions + 1):
        store.pace(eng, cls.id, token, k, "answering")
        moved_at[k] = time.monotonic()
        deadline = moved_at[k] + args.think[1] * args.think_scale * 2 + 10
        while time.monotonic() < deadline:
            board = store.dashboard(eng, cls.id, token, k)
            everyone = all(k in arrived.get(i, {}) for i in range(args.students))
            if everyone and len(board.answers) >= args.students:
                break
            await asyncio.sleep(0.5)
        if all(k in arrived.get(i, {}) for i in range(args.students)):
            move_s.append(max(arrived[i][k] for i in range(args.students)) - moved_at[k])
        await asyncio.sleep(args.think[1] * args.think_scale * 0.6)  # second answers of those who change
        store.pace(eng, cls.id, token, k, "closed")
        moved_at[-k] = time.monotonic()
        store.pace(eng, cls.id, token, k, "revealed")
        await asyncio.sleep(1)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    for _, _, tab in tabs:
        with contextlib.suppress(Exception):
            await tab.session.ws.close()

    board = store.dashboard(eng, cls.id, token, None)
    stored = {(int(a.nickname[1:]), a.question): a.last_text for a in board.answers}
    lost = sum(1 for key, text in sent.items() if stored.get(key) != text)
    store.delete_class(eng, cls.id, token)
    return dict(idle=idle, submit=submit_s, move=move_s, lost=lost, sent=len(sent), errors=errors[0],
                questions=len(qs))


async def bare_idle(url: str, args, pids: list[int]) -> float:
    """CPU ms per student per minute with the same number of sessions open on Start here (no polling)."""
    sessions = [Session(url, "") for _ in range(args.students)]
    for s in sessions:
        await s.__aenter__()
    await asyncio.gather(*(s.rerun(timeout=120) for s in sessions))
    await asyncio.sleep(3)
    c0, t0 = cpu_seconds(pids), time.monotonic()
    await asyncio.sleep(args.idle)
    c1, t1 = cpu_seconds(pids), time.monotonic()
    for s in sessions:
        await s.ws.close()
    return (c1 - c0) * 1000 / args.students / ((t1 - t0) / 60)


def one_database(name: str, args) -> dict:
    data = Path(tempfile.mkdtemp(prefix="effviz-bench-class-"))
    env = {"EFFVIZ_DATA_DIR": str(data)}
    with contextlib.ExitStack() as stack:
        if name == "postgresql":
            from tests import postgres_server

            admin = stack.enter_context(postgres_server.server())
            env["EFFVIZ_DATABASE_URL"] = postgres_server.fresh_database(admin)
        else:
            os.environ.pop("EFFVIZ_DATABASE_URL", None)
        os.environ.update(env)
        args.run_dir = Path(tempfile.mkdtemp(prefix="effviz-bench-serve-"))
        running = stack.enter_context(serve.running(2, run_dir=args.run_dir, log=args.run_dir / "serve.log"))
        eng = store.engine()
        pids = [running.pid(w) for w in ("w1", "w2")]
        bare = asyncio.run(bare_idle(running.url, args, pids))
        out = asyncio.run(run_class(running.url, eng, args))
        out["bare_cpu_ms_per_student_min"] = bare
        eng.dispose()
    shutil.rmtree(data, ignore_errors=True)
    shutil.rmtree(args.run_dir, ignore_errors=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--think", type=lambda s: tuple(float(x) for x in s.split(",")), default=(5.0, 20.0))
    parser.add_argument("--think-scale", type=float, default=1.0,
                        help="multiply think times (e.g. 0.25 for a shorter run; say so with its numbers)")
    parser.add_argument("--idle", type=float, default=60.0, help="seconds of idle polling measured")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--quick", action="store_true", help="3 questions, think x 0.5, 30 s idle (about 4 minutes)")
    args = parser.parse_args()
    if args.quick:
        args.questions, args.think_scale, args.idle = 3, 0.5, 30.0
    print(f"{args.students} students, {args.questions} questions, think {args.think[0]:g}-{args.think[1]:g} s "
          f"x {args.think_scale:g}, poll every {POLL:g} s, serve.py --workers 2", flush=True)
    for name in args.databases.split(","):
        load_before = f"{os.getloadavg()[0]:.2f}"
        r = one_database(name, args)
        idle = r["idle"]
        print(f"\n[{name}] load average before / after: {load_before} / {os.getloadavg()[0]:.2f} "
              f"({os.cpu_count()} cores)")
        print(f"  submit -> stored: n={len(r['submit'])} p50 {percentile(r['submit'], 50):.3f} s, "
              f"p95 {percentile(r['submit'], 95):.3f} s (target <= 0.5 s)")
        print(f"  teacher move -> every student: n={len(r['move'])} p50 {percentile(r['move'], 50):.2f} s, "
              f"p95 {percentile(r['move'], 95):.2f} s, max {max(r['move'], default=float('nan')):.2f} s "
              f"(target <= 3 s)")
        print(f"  answers confirmed {r['sent']}, lost {r['lost']}; page exceptions {r['errors']}")
        print(f"  idle polling: {idle['cpu_ms_per_student_min']:.0f} ms CPU per student per minute "
              f"({idle['cpu_ms_per_poll']:.1f} ms per poll, {idle['polls']} polls); bare page, no polling: "
              f"{r['bare_cpu_ms_per_student_min']:.0f} ms; ratio "
              f"{idle['cpu_ms_per_student_min'] / max(r['bare_cpu_ms_per_student_min'], 1e-9):.1f}x", flush=True)


if __name__ == "__main__":
    main()
