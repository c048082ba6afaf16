"""Latency measurements on this machine: one at a time across every worker process, in order of arrival, each in
a separate low-priority process.

The line. A timing taken while another runs measures the contention, so the whole machine takes one at a time.
Each measurement that waits holds a ticket: an empty file `<time_ns>-<pid>-<process start>-<random>` in
`<cache dir>/latency-queue/tickets/` (app_support.shell.shared_cache.directory(), one per machine). The live tickets in
name order are the line; the first in line takes an exclusive `fcntl.flock` on `<cache dir>/latency-queue/lock`
and measures. The kernel releases a flock when its process ends, however it ends, so a worker that crashes or is
killed mid-measurement never blocks the line, and its tickets (a pid that no longer runs, or now belongs to a
process started later) are removed by the next process that looks. diskcache's `Lock` recipe was the other
candidate: a key spin-waited on, which a dead holder leaves behind until an expiry that would have to outlast
the longest measurement. A waiting user is told their place every half second (`waiting(callback)`).

The measurement. `run(fn, ...)` calls fn in a timing process (one per worker, spawned on first use, kept for
the next measurement) at nice +10: torch's compute and the benchmark loop's Python then hold neither the
worker's interpreter lock nor a core that the worker's other sessions need, so their pages stay quick while
the zoo is timed. On an idle machine a niced process runs as fast as any other; on a busy one its timings get
noisier, which the Latency Lab shows as each timing's IQR. Threads are whatever the measurement asks for
(effviz.speed.latency.measure(threads=...)); the result records them. The timing process stays in its worker's
session: where Linux shares CPU time between sessions (autogroup), nice ranks it below its own worker only.
bench/bench_timing_isolation.py measured the choice (a page-like Python workload while a network is timed over
and over; median slowdown in two runs on a busy 2-core machine): in a thread of the same process 1.30x and
0.92x, a separate process at nice 0 1.84x and 1.62x, at nice +10 1.06x and 0.98x (the measurement keeping
about 80 % of its throughput), at nice +19 1.13x and 0.84x, under SCHED_IDLE 0.80x (70 % throughput).

Without a usable cache directory the line falls back to one measurement at a time per process (no places)."""
from __future__ import annotations

import contextvars
import fcntl
import multiprocessing
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from effviz.networks.onnxfile.isolated import no_main_to_rerun

NICE = 10              # the timing process's niceness increment
POLL = 0.05            # seconds between looks at the line
NOTIFY_EVERY = 0.5     # seconds between notices to a waiting user


@dataclass(frozen=True)
class Place:
    """Where a waiting measurement stands in the line of this machine (the running measurement is 1st)."""

    place: int   # 2 = next
    ahead: int   # measurements before this one, the running one included (place - 1)


def _process_start(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (Linux /proc), or None where it cannot be read."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return None if fields[0] == "Z" else int(fields[19])  # a zombie is not alive; field 22 is starttime


def _alive(pid: int, started: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    now = _process_start(pid)
    if now is None:  # a zombie or just gone: dead; no /proc on this system: trust the pid
        return not Path("/proc").is_dir()
    return started == 0 or now == started  # else the pid was reused by a process started later


class Queue:
    """The machine's line of latency measurements, kept in `folder`."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.tickets = self.folder / "tickets"
        self.tickets.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.lock_path = self.folder / "lock"

    def line(self) -> list[str]:
        """The live tickets, first in line first. Tickets of processes that have ended are deleted."""
        live = []
        try:
            entries = sorted(self.tickets.iterdir())
        except FileNotFoundError:  # the cache directory was removed under us: start it again
            self.tickets.mkdir(mode=0o700, parents=True, exist_ok=True)
            entries = []
        for path in entries:
            try:
                _, pid, started, _ = path.name.split("-")
                alive = _alive(int(pid), int(started))
            except ValueError:  # not one of ours
                continue
            if alive:
                live.append(path.name)
            else:
                path.unlink(missing_ok=True)
        return live

    @contextmanager
    def turn(self, on_wait: Callable[[Place], None] | None = None) -> Iterator[None]:
        """Wait for this machine's one measurement slot, in order of arrival; on_wait(Place) every NOTIFY_EVERY
        seconds while waiting (an exception from it, e.g. a Streamlit rerun, leaves the line)."""
        pid = os.getpid()
        name = f"{time.time_ns():020d}-{pid}-{_process_start(pid) or 0}-{secrets.token_hex(4)}"
        ticket = self.tickets / name
        self.tickets.mkdir(mode=0o700, parents=True, exist_ok=True)  # a cleaner may have removed it meanwhile
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            ticket.touch()
            notified = float("-inf")
            while True:
                line = self.line()
                if name not in line:  # removed (a cleaner, the directory deleted): put it back
                    self.tickets.mkdir(mode=0o700, parents=True, exist_ok=True)
                    ticket.touch()
                    line = self.line()
                ahead = line.index(name)
                if ahead == 0:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:  # the measurement before ours (its ticket already gone) still runs
                        ahead = 1
                now = time.monotonic()
                if on_wait is not None and now - notified >= NOTIFY_EVERY:
                    on_wait(Place(ahead + 1, ahead))
                    notified = now
                time.sleep(POLL)
            yield
        finally:
            ticket.unlink(missing_ok=True)
            os.close(fd)  # releases the flock if held


def queue() -> Queue | None:
    """The line of this machine (in the shared cache directory), or None when that directory is not usable."""
    from app_support.shell import shared_cache

    try:
        return Queue(shared_cache.directory() / "latency-queue")
    except OSError:
        return None


_process_lock = threading.Lock()                    # the fallback without a usable directory
_on_wait: contextvars.ContextVar[Callable[[Place], None] | None] = contextvars.ContextVar("on_wait", default=None)


@contextmanager
def waiting(on_wait: Callable[[Place], None]) -> Iterator[None]:
    """Measurements started in this block (this thread) report their place in line to on_wait while they wait."""
    token = _on_wait.set(on_wait)
    try:
        yield
    finally:
        _on_wait.reset(token)


@contextmanager
def turn(disk_key: str | None = None) -> Iterator[None]:
    """This machine's measurement slot (the guard app_support.shell.shared_cache.shared takes for timings): waits in
    line, telling the callback of `waiting` its place."""
    line = queue()
    if line is None:
        with _process_lock:
            yield
        return
    with line.turn(_on_wait.get()):
        yield


# --- the timing process -----------------------------------------------------------------------------------------


def _start_timing_process(parent: int) -> None:
    """In the timing process: lower its priority, and end it when the worker that started it is gone (a worker
    killed outright would otherwise leave an orphan holding torch's memory)."""
    try:
        os.nice(NICE)
    except OSError:  # not permitted here: measure at normal priority
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="effviz-parent-watch", daemon=True).start()


class TimingStopped(RuntimeError):
    """The timing process died before it answered (the page says so in the reader's language and the next try
    starts a new process)."""


class _TimingProcess:
    """One spawned process per worker for the measurements. Spawned, not forked: forking a threaded server is
    unsafe. Spawn imports the parent's __main__ module again, so an entry point that measures needs the usual
    `if __name__ == "__main__":` guard (streamlit's, pytest's and the benchmarks' have it)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_start_timing_process, initargs=(os.getpid(),))
            return self._pool

    def discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def run(self, fn, /, *args, **kwargs):
        pool = self.pool()
        try:
            with no_main_to_rerun():  # submit() is where the pool starts its process
                future = pool.submit(fn, *args, **kwargs)
            return future.result()
        except BrokenProcessPool as err:
            self.discard(pool)
            raise TimingStopped("the timing process stopped before it finished; try again") from err


_timing = _TimingProcess()


def run(fn, /, *args, **kwargs):
    """fn(*args, **kwargs) in this worker's timing process (fn, its arguments and its result are pickled: use
    module-level functions and plain values). EFFVIZ_TIMING_PROCESS=0 calls it in this process instead (a
    thread of the server, as before the timing process existed; bench/bench_latency_queue.py compares both)."""
    if os.environ.get("EFFVIZ_TIMING_PROCESS", "1") == "0":
        return fn(*args, **kwargs)
    return _timing.run(fn, *args, **kwargs)
