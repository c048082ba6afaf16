"""The on-disk cache shared by the worker processes (app_support.shell.shared_cache): a result computed by one process
is found by another without computing; a broken directory or entry means computing, never an exception; keys
are versioned."""
from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import textwrap
import threading
import time
import types
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app_support.shell import shared_cache

ROOT = Path(__file__).resolve().parents[1]

# A worker in miniature: `probe(n)` appends a line to MARKER each time it really computes.
PROBE = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {root!r})
    from app_support.shell.shared_cache import shared

    @shared("probe")
    def probe(n, _unhashed=None):
        with open(os.environ["MARKER"], "a") as f:
            f.write(f"{{os.getpid()}}\\n")
        time.sleep(float(os.environ.get("PROBE_SLEEP", "0")))
        return {{"n": n, "squares": [i * i for i in range(n)]}}

    print(probe(int(sys.argv[1]), _unhashed=object())["squares"][-1])
""").format(root=str(ROOT))


def run_probe(tmp_path: Path, n: int, cache_dir: Path, **env) -> subprocess.Popen:
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    return subprocess.Popen([sys.executable, str(script), str(n)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "EFFVIZ_CACHE_DIR": str(cache_dir),
                                 "MARKER": str(tmp_path / "marker"), **env})


def computations(tmp_path: Path) -> int:
    marker = tmp_path / "marker"
    return len(marker.read_text().splitlines()) if marker.exists() else 0


def test_a_second_process_finds_the_result_without_computing(tmp_path):
    cache_dir = tmp_path / "cache"
    first = run_probe(tmp_path, 1000, cache_dir)
    assert first.communicate(timeout=60)[0].strip() == str(999 * 999)
    assert computations(tmp_path) == 1
    second = run_probe(tmp_path, 1000, cache_dir)
    assert second.communicate(timeout=60)[0].strip() == str(999 * 999)
    assert computations(tmp_path) == 1  # read from the disk
    third = run_probe(tmp_path, 10, cache_dir)  # another argument: another key
    assert third.communicate(timeout=60)[0].strip() == "81"
    assert computations(tmp_path) == 2


def test_two_processes_missing_at_once_compute_once(tmp_path):
    cache_dir = tmp_path / "cache"
    procs = [run_probe(tmp_path, 50, cache_dir, PROBE_SLEEP="1.5") for _ in range(2)]
    assert [p.communicate(timeout=60)[0].strip() for p in procs] == [str(49 * 49)] * 2
    assert computations(tmp_path) == 1  # the second waited for the first's value


def test_a_real_profile_comes_from_the_disk_in_another_process(tmp_path):
    """cache.network_profile computed by one process; a second process whose effviz.profile would fail gets it."""
    script = textwrap.dedent(f"""
        import pickle, sys
        sys.path.insert(0, {str(ROOT)!r})
        import effviz
        if sys.argv[1] == "refuse":
            def refuse(*args, **kwargs):
                raise AssertionError("computed instead of read from the shared cache")
            effviz.profile = refuse
        from app_support.shell import cache
        prof = cache.network_profile("mobilenet_v1", (), 160)
        sys.stdout.buffer.write(pickle.dumps((prof.params, prof.macs, len(prof.layers))))
    """)
    env = {**os.environ, "EFFVIZ_CACHE_DIR": str(tmp_path / "cache")}
    results = []
    for mode in ("compute", "refuse"):
        out = subprocess.run([sys.executable, "-c", script, mode], capture_output=True, timeout=120, env=env)
        assert out.returncode == 0, out.stderr.decode()[-2000:]
        results.append(pickle.loads(out.stdout))
    assert results[0] == results[1] and results[0][1] > 0


def counting_probe(name="probe_in_process"):
    calls = []

    @shared_cache.shared(name)
    def probe(n):
        calls.append(n)
        return [float(i) for i in range(n)]

    return probe, calls


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    path = tmp_path / "cache"
    monkeypatch.setenv("EFFVIZ_CACHE_DIR", str(path))
    return path


def test_cache_dir_that_is_a_file_means_computing(cache_dir):
    cache_dir.write_text("not a directory")
    probe, calls = counting_probe()
    assert probe(5) == probe(5) == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert calls == [5, 5]  # no disk cache: computed each time, no exception


def test_corrupt_database_means_computing(cache_dir):
    cache_dir.mkdir()
    (cache_dir / "cache.db").write_bytes(b"this is not an SQLite database" * 100)
    probe, calls = counting_probe()
    assert probe(3) == probe(3) == [0.0, 1.0, 2.0]
    assert calls == [3, 3]


def test_an_entry_that_no_longer_unpickles_is_recomputed(cache_dir):
    probe, calls = counting_probe()
    disk_key = shared_cache.key("probe_in_process", (("n", 4),))
    gone = types.ModuleType("effviz_test_gone_module")

    class Old:  # a value of a class that later disappears (an old release's shape)
        pass

    Old.__module__, Old.__qualname__ = gone.__name__, "Old"
    gone.Old = Old
    sys.modules[gone.__name__] = gone
    try:
        shared_cache.put(disk_key, Old())
        assert isinstance(shared_cache.get(disk_key), Old)
    finally:
        del sys.modules[gone.__name__]
    assert probe(4) == [0.0, 1.0, 2.0, 3.0] and calls == [4]
    assert probe(4) == [0.0, 1.0, 2.0, 3.0] and calls == [4]  # the recomputed value replaced it


def test_a_truncated_value_file_is_recomputed(cache_dir):
    probe, calls = counting_probe()
    big = probe(20_000)  # > diskcache's 32 kB: stored in its own file
    files = [p for p in cache_dir.rglob("*.val")]
    assert files, "expected the value in a file of its own"
    for f in files:
        f.write_bytes(f.read_bytes()[:100])
    assert probe(20_000) == big and calls == [20_000, 20_000]


def test_keys_carry_version_schema_and_code(cache_dir, monkeypatch):
    probe, calls = counting_probe()
    probe(2)
    probe(2)
    assert calls == [2]
    monkeypatch.setattr(shared_cache, "SCHEMA", shared_cache.SCHEMA + 1)
    probe(2)
    assert calls == [2, 2]  # a new schema never reads the old entry
    import effviz

    monkeypatch.setattr(effviz, "__version__", effviz.__version__ + ".post1")
    probe(2)
    assert calls == [2, 2, 2]
    key = shared_cache.key("probe_in_process", (("n", 2),))
    assert key.startswith(f"effviz-{effviz.__version__}/schema-{shared_cache.SCHEMA}/code-")
    assert key.endswith("probe_in_process(('n', 2),)")


def test_version_is_the_packages():
    import effviz

    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    assert effviz.__version__ == version


def test_keys_must_be_plain_values(cache_dir):
    @shared_cache.shared("probe_plain")
    def probe(x):
        return x

    assert probe((1, 2.5, "a", None, True)) == (1, 2.5, "a", None, True)
    with pytest.raises(TypeError, match="not a plain value"):
        probe([1, 2])


def test_default_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("EFFVIZ_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert shared_cache.directory() == tmp_path / "effviz"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert shared_cache.directory() == Path.home() / ".cache" / "effviz"


def test_the_store_is_bounded(cache_dir):
    store = shared_cache.store()
    assert store.size_limit == shared_cache.size_limit() == shared_cache.DEFAULT_SIZE_MB * 10**6
    assert store.eviction_policy == "least-recently-used"
    assert oct(cache_dir.stat().st_mode & 0o777) == oct(0o700)


def test_a_directory_others_can_write_is_refused(cache_dir):
    cache_dir.mkdir(mode=0o777)
    cache_dir.chmod(0o777)  # someone else could plant a pickle here
    probe, calls = counting_probe()
    assert probe(2) == probe(2) and calls == [2, 2]
    assert shared_cache.store() is None


# --- one computation per key, whoever asks (shared_cache.compute_once) ----------------------------------------


def wait_for_computations(tmp_path: Path, n: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while computations(tmp_path) < n:
        assert time.monotonic() < deadline, f"fewer than {n} computations started in {timeout} s"
        time.sleep(0.05)


def test_threads_missing_at_once_compute_once(cache_dir):
    """Real threads (as the sessions of one worker, without st.cache_data in front): one computes, the others
    wait on the key's file lock and read its value."""
    calls = []

    @shared_cache.shared("probe_threads")
    def probe(n):
        calls.append(n)
        time.sleep(0.5)
        return list(range(n))

    start = threading.Barrier(8)

    def ask():
        start.wait(timeout=30)
        return probe(7)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: ask(), range(8)))
    assert results == [list(range(7))] * 8
    assert calls == [7]


def test_four_processes_missing_at_once_compute_once(tmp_path):
    procs = [run_probe(tmp_path, 60, tmp_path / "cache", PROBE_SLEEP="1.5") for _ in range(4)]
    assert [p.communicate(timeout=60)[0].strip() for p in procs] == [str(59 * 59)] * 4
    assert computations(tmp_path) == 1


def test_a_waiter_takes_over_when_the_computing_process_dies(tmp_path):
    cache_dir = tmp_path / "cache"
    holder = run_probe(tmp_path, 30, cache_dir, PROBE_SLEEP="600")
    try:
        wait_for_computations(tmp_path, 1)  # the holder has the lock and computes (for ten minutes)
        waiter = run_probe(tmp_path, 30, cache_dir)
        time.sleep(0.5)
        assert waiter.poll() is None  # waiting for the holder, not computing
        assert computations(tmp_path) == 1
        holder.kill()  # SIGKILL: no clean-up of its own; the kernel releases its lock
        assert waiter.communicate(timeout=60)[0].strip() == str(29 * 29)
    finally:
        holder.kill()
        holder.wait()
    assert computations(tmp_path) == 2  # the waiter computed it itself


def test_a_waiter_stops_waiting_for_a_holder_that_shows_no_progress(tmp_path):
    cache_dir = tmp_path / "cache"
    holder = run_probe(tmp_path, 30, cache_dir, PROBE_SLEEP="600")  # alive, but silent for ten minutes
    try:
        wait_for_computations(tmp_path, 1)
        waiter = run_probe(tmp_path, 30, cache_dir, EFFVIZ_COMPUTE_WAIT="1")
        assert waiter.communicate(timeout=60)[0].strip() == str(29 * 29)
        assert holder.poll() is None and computations(tmp_path) == 2
    finally:
        holder.kill()
        holder.wait()


def test_waiters_see_the_holders_progress_then_its_result(cache_dir):
    """The holder's _progress reaches its caller and, through the lock file, a waiter's own _progress."""
    holder_saw, waiter_saw, calls = [], [], []
    seen = {1: threading.Event(), 2: threading.Event()}

    @shared_cache.shared("probe_progress")
    def probe(n, _progress=None):
        calls.append(n)
        for done in (1, 2):
            _progress(done, 3)
            assert seen[done].wait(timeout=30), f"the waiter never saw {done}/3"
        _progress(3, 3)
        return n * 10

    def waiter_progress(done, total):
        waiter_saw.append((done, total))
        if done in seen:
            seen[done].set()

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(probe, 4, lambda d, t: holder_saw.append((d, t)))
        while not holder_saw:
            time.sleep(0.01)
        second = pool.submit(probe, 4, waiter_progress)
        assert first.result(timeout=60) == second.result(timeout=60) == 40
    assert calls == [4]
    assert holder_saw == [(1, 3), (2, 3), (3, 3)]
    assert waiter_saw[:2] == [(1, 3), (2, 3)]


def test_one_stripe_taken_twice_by_one_thread_does_not_wait_for_itself(cache_dir, monkeypatch):
    """A computation that needs another value whose key falls on its own stripe (all keys do, here)."""
    monkeypatch.setattr(shared_cache, "LOCK_STRIPES", 1)

    @shared_cache.shared("probe_inner")
    def inner(n):
        return n + 1

    @shared_cache.shared("probe_outer")
    def outer(n):
        return inner(n) * 2

    assert outer(3) == 8
