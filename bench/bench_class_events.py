"""Server CPU of each thing a class-mode student's tab makes the server do, on one `streamlit run app.py`.

    python bench/bench_class_events.py [--tabs 8] [--rounds 10]

Each tab is a headless websocket client (bench/ws_client.py) on /class with its own student. Measured from the
server's /proc (utime + stime) over each window, divided by the events in it:
- a poll while a question is open and nothing moved (the pacing fragment's rerun, every view.PACE_EVERY);
- a teacher's move reaching a student (the poll that sees it, and whatever it reruns);
- a Send (the answer stored, the screen redrawn);
- a poll after the reveal (the worked formula on screen);
and, for scale, a full rerun of the same student's page (a reload). The server's own CPU with no request (measured
first, printed) is taken off the windows that wait. About a minute on a quiet 2-core machine.
The load average is printed: on a shared machine every number grows with it, their ratios less so."""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from streamlit import logger as st_logger  # noqa: E402

st_logger.set_log_level("error")  # this process has no Streamlit runtime: its caches' "No runtime found" are noise

from app_timing import Server  # noqa: E402
from bench_class_mode import Tab, cpu_seconds  # noqa: E402
from ws_client import Session  # noqa: E402

from app_support.classroom import questions, store  # noqa: E402


async def measure(url: str, pid: int, eng, args) -> dict[str, float]:
    picks = tuple(i for i, q in enumerate(questions.pool(4, "standard"), 1) if q.answer_type == "number")[:3]
    qs = questions.chosen(4, "standard", picks)
    cls, token = store.create_class(eng, "standard", 4, list(picks), questions.key(qs))
    mes = [store.join(eng, cls.id, f"s{i}")[1] for i in range(args.tabs)]
    store.pace(eng, cls.id, token, 1, "answering")
    async with Session(url, "class") as first:
        await first.rerun(timeout=120)  # a new server's very first session may land on the main page
    tabs = [Tab(url, f"code={cls.code}&me={me}") for me in mes]
    for tab in tabs:
        await tab.session.__aenter__()
        await tab.session.rerun(timeout=120)
    out: dict[str, float] = {}

    slept = [0.0]

    async def window(name: str, rounds: int, step) -> None:
        c0, n, slept[0] = cpu_seconds([pid]), 0, 0.0
        for r in range(rounds):
            n += await step(r)
        out[name] = (cpu_seconds([pid]) - c0 - idle * slept[0]) / n * 1000  # less the server's own idle CPU

    c0 = cpu_seconds([pid])
    await asyncio.sleep(5)
    idle = (cpu_seconds([pid]) - c0) / 5  # CPU seconds per second with no request (subtracted where we wait)
    out["(server idle, per second)"] = idle * 1000

    async def polls(_r: int) -> int:
        for tab in tabs:
            await tab.poll()
        return len(tabs)

    async def moves(r: int) -> int:
        store.pace(eng, cls.id, token, 2 if r % 2 == 0 else 1, "answering")
        await polls(r)
        await asyncio.sleep(1.0)  # whatever the poll asked for (a rerun of the page) finishes in the window
        slept[0] += 1.0
        return len(tabs)

    async def sends(r: int) -> int:
        for tab in tabs:
            result = await tab.send(f"{float(qs[0].answer) * (1 + r):.6g}")
            assert any(x.startswith("Sent:") for x in result.texts), result.texts
        return len(tabs)

    async def reloads(_r: int) -> int:
        for tab in tabs:
            await tab.session.rerun(timeout=60)
        return len(tabs)

    await window("poll, question open", 3, polls)  # warm-up of every code path, not reported
    await window("poll, question open", args.rounds, polls)
    await window("move reaching a student", max(2, args.rounds // 2 * 2), moves)
    assert all(tab.shown == 1 for tab in tabs), [tab.shown for tab in tabs]
    await window("send", max(1, args.rounds // 3), sends)
    await window("full rerun (a reload)", max(1, args.rounds // 3), reloads)
    store.pace(eng, cls.id, token, 1, "revealed")
    await polls(0)
    await asyncio.sleep(2)
    await window("poll, after the reveal", args.rounds, polls)
    for tab in tabs:
        await tab.session.ws.close()
    store.delete_class(eng, cls.id, token)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tabs", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    os.environ["EFFVIZ_DATA_DIR"] = tempfile.mkdtemp(prefix="effviz-bench-events-")
    os.environ.pop("EFFVIZ_DATABASE_URL", None)
    eng = store.engine()
    load = os.getloadavg()[0]
    server = Server("app.py")
    try:
        out = asyncio.run(measure(server.url, server.proc.pid, eng, args))
    finally:
        server.close()
        eng.dispose()
    print(f"{args.tabs} student tabs on one `streamlit run app.py`, SQLite; load average {load:.2f} / "
          f"{os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    full = out["full rerun (a reload)"]
    for name, ms in out.items():
        print(f"  {name:<26} {ms:6.1f} ms CPU" + (f"  ({ms / full:.2f}x a full rerun)" if "idle" not in name else ""))


if __name__ == "__main__":
    main()
