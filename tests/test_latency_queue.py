"""The machine-wide line of latency measurements (app_support.shell.latency_queue): one at a time across processes,
in order of arrival, places reported to the waiting, a killed holder releases the line; and the timing process."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from app_support.shell import latency_queue
from app_support.shell.latency_queue import Place, Queue

ROOT = Path(__file__).resolve().parents[1]

# One process in line: prints its places while waiting, "in" when it has the turn, then holds the turn until
# the file RELEASE exists, prints "out" and leaves.
HOLDER = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {root!r})
    from app_support.shell.latency_queue import Queue

    folder, release = sys.argv[1], sys.argv[2]
    with Queue(folder).turn(on_wait=lambda p: print("wait", p.place, p.ahead, flush=True)):
        print("in", flush=True)
        while not os.path.exists(release):
            time.sleep(0.02)
    print("out", flush=True)
""").format(root=str(ROOT))


class Member:
    def __init__(self, tmp_path: Path, name: str):
        script = tmp_path / "holder.py"
        script.write_text(HOLDER)
        self.release = tmp_path / f"release-{name}"
        self.proc = subprocess.Popen([sys.executable, str(script), str(tmp_path / "queue"), str(self.release)],
                                     stdout=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.strip())

    def wait_for(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.lines:
            if time.monotonic() > deadline:
                raise AssertionError(f"no {text!r} within {timeout} s; saw {self.lines[-5:]}")
            time.sleep(0.02)

    def leave(self) -> None:
        self.release.touch()
        self.proc.wait(timeout=30)


def test_processes_take_turns_in_order_and_see_their_places(tmp_path):
    a = Member(tmp_path, "a")
    a.wait_for("in")
    b = Member(tmp_path, "b")
    b.wait_for("wait 2 1")  # second in line, one measurement ahead
    c = Member(tmp_path, "c")
    c.wait_for("wait 3 2")
    assert "in" not in b.lines and "in" not in c.lines
    a.leave()
    b.wait_for("in")
    c.wait_for("wait 2 1")  # moved up
    assert "in" not in c.lines
    b.leave()
    c.wait_for("in")
    c.leave()
    assert a.lines[-1] == b.lines[-1] == c.lines[-1] == "out"
    assert not list((tmp_path / "queue" / "tickets").iterdir())


def test_a_killed_holder_releases_the_line(tmp_path):
    a = Member(tmp_path, "a")
    a.wait_for("in")
    b = Member(tmp_path, "b")
    b.wait_for("wait 2 1")
    os.kill(a.proc.pid, signal.SIGKILL)  # no finally runs: the kernel drops the flock, the ticket stays
    a.proc.wait(timeout=10)
    b.wait_for("in", timeout=10)
    assert len(Queue(tmp_path / "queue").line()) == 1  # only b's ticket: the dead one was removed
    b.leave()


def test_stale_and_foreign_tickets(tmp_path):
    q = Queue(tmp_path / "queue")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (q.tickets / f"{0:020d}-{dead.pid}-0-deadbeef").touch()                     # a process that has ended
    (q.tickets / f"{1:020d}-{os.getpid()}-1-deadbeef").touch()                  # our pid, another start time
    (q.tickets / "README").touch()                                               # not a ticket: ignored
    assert q.line() == []
    assert sorted(p.name for p in q.tickets.iterdir()) == ["README"]


def test_threads_of_one_process_also_take_turns(tmp_path):
    q = Queue(tmp_path / "queue")
    inside, overlaps, places = [], [], []

    def measure(i: int) -> None:
        with q.turn(on_wait=places.append):
            inside.append(i)
            if len(inside) > 1:
                overlaps.append(tuple(inside))
            time.sleep(0.15)
            inside.remove(i)

    threads = [threading.Thread(target=measure, args=(i,)) for i in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=30)
    assert not overlaps
    assert places and all(isinstance(p, Place) and p.place >= 2 and p.ahead == p.place - 1 for p in places)
    assert max(p.place for p in places) >= 2


def test_a_waiting_user_who_leaves_gives_up_the_place(tmp_path):
    q = Queue(tmp_path / "queue")
    release = threading.Event()

    def hold() -> None:
        with q.turn():
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.2)

    class Rerun(Exception):  # what Streamlit raises in a script whose user moved on
        pass

    def leave(place: Place) -> None:
        raise Rerun

    with pytest.raises(Rerun):
        with q.turn(on_wait=leave):
            pass
    assert len(q.line()) == 1  # only the holder
    release.set()
    holder.join()


def test_turn_reports_places_to_the_callback_of_waiting(tmp_path, monkeypatch):
    monkeypatch.setenv("EFFVIZ_CACHE_DIR", str(tmp_path / "cache"))
    assert latency_queue.queue().folder == tmp_path / "cache" / "latency-queue"
    seen: list[Place] = []
    entered = threading.Event()

    def other_session() -> None:
        with latency_queue.waiting(seen.append), latency_queue.turn():
            entered.set()

    with latency_queue.turn():  # this thread holds the machine's one slot
        other = threading.Thread(target=other_session)
        other.start()
        time.sleep(1.2)
        assert not entered.is_set()
    other.join(timeout=10)
    assert entered.is_set()
    assert seen[0] == Place(2, 1) and len(seen) >= 2  # told at once, then every half second


def test_without_a_usable_directory_one_process_still_measures_one_at_a_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("EFFVIZ_CACHE_DIR", str(blocker))
    assert latency_queue.queue() is None
    with latency_queue.turn():
        assert latency_queue._process_lock.locked()
    assert not latency_queue._process_lock.locked()


def test_measurements_run_in_a_separate_lower_priority_process():
    pid = latency_queue.run(os.getpid)
    assert pid != os.getpid()
    assert latency_queue.run(os.getpid) == pid  # the same process is kept for the next measurement
    assert latency_queue.run(os.nice, 0) == os.nice(0) + latency_queue.NICE
    with pytest.raises(ValueError, match="threads must be"):
        from effviz import blocks
        from effviz.speed import latency

        latency_queue.run(latency.measure, blocks.make("standard", c_in=4, c_out=4), (4, 8, 8), threads=0)


def test_a_dead_timing_process_is_replaced():
    pid = latency_queue.run(os.getpid)
    with pytest.raises(RuntimeError, match="timing process stopped"):
        latency_queue.run(os.kill, pid, signal.SIGKILL)
    assert latency_queue.run(os.getpid) not in (pid, os.getpid())


def test_the_line_survives_its_tickets_being_deleted(tmp_path):
    import shutil

    q = Queue(tmp_path / "queue")
    release, entered = threading.Event(), threading.Event()

    def hold() -> None:
        with q.turn():
            release.wait(10)

    def wait() -> None:
        with q.turn():
            entered.set()

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.2)
    waiter = threading.Thread(target=wait)
    waiter.start()
    time.sleep(0.2)
    shutil.rmtree(q.tickets)  # e.g. a cleaner of old cache files
    time.sleep(0.3)
    assert not entered.is_set()  # the holder's lock still holds
    release.set()
    holder.join(timeout=10)
    waiter.join(timeout=10)
    assert entered.is_set() and q.line() == []


@pytest.mark.parametrize("lang, places", [
    ("en", {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 102: "102nd"}),
    ("zh", {1: "第 1 位", 2: "第 2 位", 12: "第 12 位"}),
])
def test_places_read_as_ordinals(monkeypatch, lang, places):
    from app_support.shell import i18n

    monkeypatch.setattr(i18n, "lang", lambda: lang)
    assert {n: i18n.ordinal(n) for n in places} == places


def test_a_worker_that_times_never_imports_torch(tmp_path):
    """Importing torch takes seconds with the interpreter lock held: in a worker, every other session would wait.
    The machine's key and the timings come from the timing process, so the worker stays torch-free."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        import logging
        logging.disable(logging.WARNING)
        from app_support.shell import cache
        if __name__ == "__main__":
            machine = cache.latency_machine()
            params = (("c_in", 4), ("c_out", 4))
            lat = cache.latency_block(machine, 1, "standard", params, 8, 8, (0.01, 1, 1))
            macs, net = cache.latency_network(machine, 1, "mobilenet_v1", (3, 32, 32), (0.01, 1, 1))
            assert lat.median > 0 and net.median > 0 and macs > 0 and lat.threads == 1
            print("torch" in sys.modules, machine[2] > 0)
    """)
    path = tmp_path / "worker.py"
    path.write_text(script)
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "EFFVIZ_CACHE_DIR": str(tmp_path / "cache")})
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["False", "True"]


def test_the_timing_process_does_not_run_the_page_that_started_it(page_as_main):
    """Issue 21, item 10: Streamlit runs a page as the module `__main__` (with the page's __file__), and a spawned
    process runs the parent's `__main__` file again before it starts: app.py ran without a session in the timing
    process, and the server log got 74 "missing ScriptRunContext" warnings each time one started."""
    timing = latency_queue._TimingProcess()
    try:
        assert timing.run(os.getpid) != os.getpid()
    finally:
        timing.discard(timing.pool())
    assert not page_as_main.exists()
