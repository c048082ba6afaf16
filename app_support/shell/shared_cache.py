"""One on-disk cache shared by every worker process of this machine, for results that are expensive to compute.

A class is served by several Streamlit worker processes; `st.cache_data` lives in one process, so each worker
would profile the zoo, time the networks and sweep the Ghost reconstructions again. Here such results go through
a `diskcache.Cache` (SQLite plus files; thread-safe and process-safe; a connection is reopened after a fork),
layered *under* `st.cache_data`: a hit in the process stays free, and a miss reads the disk before computing.

    @st.cache_data(max_entries=1, show_spinner=False)
    @shared("network_zoo")
    def network_zoo(): ...

Where: `$EFFVIZ_CACHE_DIR`, else `$XDG_CACHE_HOME/effviz`, else `~/.cache/effviz` (created with mode 0700).
Size: at most `$EFFVIZ_CACHE_MB` megabytes (default 512); past that the least recently used entries go
(diskcache's "least-recently-used" policy, culled as entries are added).

Keys are the same as the in-process ones: the function's name and its arguments (those not starting with "_",
as `st.cache_data` hashes them), after a prefix of effviz's version, SCHEMA and a digest of the library's and
this app's source files and of the torch, torchvision, timm and numpy versions, so an upgrade or a code change
never reads a value of an older shape (old entries age out through the size limit). Arguments must be
plain values (str, int, float, bool, None, and tuples of them): the key is their repr.

Safety: the cache unpickles values, so it only ever reads what our own code wrote (profiles, timings, sweeps:
our dataclasses, numbers and arrays), in a directory the server owns: one that belongs to another user or that
others may write to is refused. Never a user's file: an upload's *results* may be stored under its sha256, its
bytes never. Anything wrong with the directory or an entry (unwritable, corrupt, locked for too long, a value
that no longer unpickles) is logged and the value computed, as if there were no disk cache.

One computation per key, whoever asks (`compute_once`). Sessions of one process asking for the same uncached
value at once already wait for one computation in st.cache_data (its per-key lock); a miss here then takes a
file lock for its key (one of LOCK_STRIPES files, fcntl.flock), so that threads and the other worker processes
of the machine missing the same value wait for that one computation and read its result from the disk. Waiting
is bounded: a holder that dies releases its lock (the kernel does it, so a waiter takes over and computes), and
a waiter that has seen no sign of life for WAIT_LIMIT seconds ($EFFVIZ_COMPUTE_WAIT) computes the value itself.
While it waits it is told the holder's progress: a function with a `_progress(done, total)` argument reports to
its own caller and, through the lock file, to everyone waiting for it. Timings take the machine's measurement
line instead (app_support.shell.latency_queue) and are not also in st.cache_data (see app_support.shell.cache)."""
from __future__ import annotations

import fcntl
import functools
import hashlib
import inspect
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = 1                    # bump when a cached value's shape changes without a source change we can see
DEFAULT_SIZE_MB = 512
EVICTION_POLICY = "least-recently-used"
TIMEOUT = 5.0                 # seconds SQLite waits for another process's write before we give up (a miss)
LOCK_STRIPES = 1024           # compute-once locks: a key uses stripe hash(key) % 1024 (a bounded set of files;
                              # two keys on one stripe only make one wait for the other)
WAIT_LIMIT = 120.0            # seconds a waiter goes without a sign of life from the holder before computing itself
POLL = (0.01, 0.1)            # seconds between a waiter's tries for the lock: from the first to the longest

_log = logging.getLogger(__name__)
_held = threading.local()  # the stripes this thread holds: a computation that needs another value does not
                           # wait for itself (a second flock on the same file would, even in one process)
_MISSING = object()
_PLAIN = (str, int, float, bool, type(None))
_ROOT = Path(__file__).resolve().parents[1]


def directory() -> Path:
    """The cache directory for this machine's workers (not created here)."""
    env = os.environ.get("EFFVIZ_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "effviz"


def size_limit() -> int:
    try:
        mb = float(os.environ.get("EFFVIZ_CACHE_MB", DEFAULT_SIZE_MB))
    except ValueError:
        mb = DEFAULT_SIZE_MB
    return int(max(mb, 1) * 1e6)


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """sha256 over effviz's and app_support's source files and the versions of the libraries whose models and
    counters the results come from: any change starts a fresh key space."""
    from importlib import metadata

    h = hashlib.sha256()
    for folder in ("effviz", "app_support"):
        for path in sorted((_ROOT / folder).rglob("*.py")):
            h.update(str(path.relative_to(_ROOT)).encode())
            h.update(path.read_bytes())
    for dist in ("torch", "torchvision", "timm", "numpy"):
        try:
            h.update(f"{dist}=={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist} missing".encode())
    return h.hexdigest()[:16]


def prefix() -> str:
    from effviz import __version__

    return f"effviz-{__version__}/schema-{SCHEMA}/code-{_code_digest()}"


def _check_plain(value: Any, where: str) -> None:
    if isinstance(value, tuple):
        for v in value:
            _check_plain(v, where)
    elif not isinstance(value, _PLAIN):
        raise TypeError(f"shared cache key {where}: {type(value).__name__} is not a plain value (str, int, float, "
                        "bool, None or a tuple of them)")


def key(name: str, args: tuple[tuple[str, Any], ...]) -> str:
    """The disk key of `name` called with the (argument name, value) pairs `args`."""
    for arg, value in args:
        _check_plain(value, f"{name}({arg}=...)")
    return f"{prefix()}/{name}{args!r}"


@functools.lru_cache(maxsize=4)
def _open(path: str, limit: int):
    """The process's diskcache.Cache for `path`, or None when the directory cannot be used (logged once)."""
    import diskcache

    try:
        Path(path).mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(path)
        if info.st_uid != os.getuid() or info.st_mode & 0o022:  # what we unpickle must be ours alone to write
            raise PermissionError("the directory must belong to this user and not be writable by others")
        return diskcache.Cache(path, size_limit=limit, eviction_policy=EVICTION_POLICY, timeout=TIMEOUT)
    except Exception as err:  # noqa: BLE001 - any failure to open means: compute without a disk cache
        _log.warning("shared cache disabled: cannot open %s (%s: %s)", path, type(err).__name__, err)
        return None


def store():
    """This process's handle on the shared cache, or None when there is none to use."""
    return _open(str(directory()), size_limit())


def get(disk_key: str) -> Any:
    """The stored value, or the module's _MISSING marker (also for any problem reading it)."""
    cache = store()
    if cache is None:
        return _MISSING
    try:
        return cache.get(disk_key, default=_MISSING)
    except Exception as err:  # noqa: BLE001 - a corrupt or unreadable entry is a miss
        _log.warning("shared cache: cannot read %s (%s: %s); computing it", disk_key[:120], type(err).__name__,
                     err)
        try:
            cache.delete(disk_key)
        except Exception:  # noqa: BLE001,S110 - best effort: the next write replaces it anyway
            pass
        return _MISSING


def put(disk_key: str, value: Any) -> None:
    cache = store()
    if cache is None:
        return
    try:
        cache.set(disk_key, value)
    except Exception as err:  # noqa: BLE001 - a full or read-only disk only costs the next worker a recompute
        _log.warning("shared cache: cannot write %s (%s: %s)", disk_key[:120], type(err).__name__, err)


def missing(value: Any) -> bool:
    return value is _MISSING


def wait_limit() -> float:
    try:
        return max(0.0, float(os.environ.get("EFFVIZ_COMPUTE_WAIT", WAIT_LIMIT)))
    except ValueError:
        return WAIT_LIMIT


def _digest(disk_key: str) -> str:
    return hashlib.sha256(disk_key.encode()).hexdigest()


def _progress_of(path: Path, digest: str) -> tuple[int, int] | None:
    """(done, total) the holder of `path` last reported for the key with `digest`, or None."""
    try:
        with open(path, "rb") as f:
            fields = f.read(128).split()
        if len(fields) >= 3 and fields[0].decode() == digest[:32]:
            return int(fields[1]), int(fields[2])
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    return None


@contextmanager
def compute_once(disk_key: str, on_wait: Callable[[int, int], Any] | None = None
                 ) -> Iterator[Callable[[int, int], None]]:
    """Hold the file lock of `disk_key`'s stripe while computing it: a thread or worker process that misses
    while another computes the same value waits here, then reads it from the disk. Yields report(done, total),
    which the holder calls with its progress; a waiter gets that progress through on_wait(done, total) (total > 0).

    Bounded: the kernel releases a dead holder's lock, and a waiter that has seen no new progress for
    wait_limit() seconds gives up waiting and computes the value itself (logged). An exception from on_wait
    (e.g. a Streamlit rerun) leaves the wait. Without a usable directory this holds nothing."""
    digest = _digest(disk_key)
    stripe = int(digest, 16) % LOCK_STRIPES
    held = _held.__dict__.setdefault("stripes", set())
    if stripe in held:  # a computation that needs another value of its own stripe
        yield lambda done, total: None
        return
    try:
        locks = directory() / "locks"
        locks.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = locks / f"compute-{stripe:04d}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield lambda done, total: None
        return
    try:
        locked = _acquire(fd, path, digest, disk_key, on_wait)

        def report(done: int, total: int) -> None:
            if locked:
                try:  # fixed width: a waiter reading at the same moment sees the old line or the new one
                    os.pwrite(fd, f"{digest[:32]} {int(done)} {int(total)} {os.getpid()}".ljust(96).encode(), 0)
                except OSError:
                    pass

        if locked:
            held.add(stripe)
            report(0, 0)
        yield report
    finally:
        held.discard(stripe)
        os.close(fd)  # closing the descriptor releases the lock


def _try_lock(fd: int) -> bool | None:
    """One non-blocking try: True when taken, None while another holds it, False when locking fails."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return None
    except OSError:
        return False


def _acquire(fd: int, path: Path, digest: str, disk_key: str, on_wait) -> bool:
    """Take the lock on fd, waiting as compute_once says; False when the wait was given up."""
    taken = _try_lock(fd)
    if taken is not None:
        return taken
    limit = wait_limit()
    last_sign, seen = time.monotonic(), None
    pause = POLL[0]
    while True:
        time.sleep(pause)
        pause = min(POLL[1], pause * 1.5)
        taken = _try_lock(fd)
        if taken is not None:
            return taken
        progress = _progress_of(path, digest)
        if progress is not None and progress != seen:
            last_sign, seen = time.monotonic(), progress
            if on_wait is not None and progress[1] > 0:
                on_wait(*progress)
        if time.monotonic() - last_sign > limit:
            _log.warning("shared cache: no progress on %s for %.0f s; computing it here too", disk_key[:120], limit)
            return False


def shared(name: str, guard: Callable[[str], Any] = compute_once):
    """Decorator: look `fn(...)` up on the shared disk before computing it, and store what was computed.

    guard(disk_key) is a context manager held around the second look-up and the computation (default:
    compute_once, so that two threads or workers do not compute the same value at once; the Latency Lab passes
    its machine-wide measurement line). With compute_once, a function that takes `_progress(done, total)`
    reports its progress to its caller and to everyone waiting for the same value; the waiters' own `_progress`
    is called with it."""
    def wrap(fn):
        signature = inspect.signature(fn)
        reports = "_progress" in signature.parameters

        @functools.wraps(fn)
        def cached(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            disk_key = key(name, tuple((k, v) for k, v in bound.arguments.items() if not k.startswith("_")))
            value = get(disk_key)
            if value is not _MISSING:
                return value
            if guard is not compute_once:
                with guard(disk_key):
                    value = get(disk_key)  # another worker may have computed it while we waited
                    if value is _MISSING:
                        value = fn(*args, **kwargs)
                        put(disk_key, value)
                return value
            progress = bound.arguments.get("_progress") if reports else None
            with compute_once(disk_key, on_wait=progress) as report:
                value = get(disk_key)  # another thread or worker may have computed it while we waited
                if value is _MISSING:
                    if reports:
                        bound.arguments["_progress"] = _both(progress, report)
                    value = fn(*bound.args, **bound.kwargs)
                    put(disk_key, value)
            return value

        return cached

    return wrap


def _both(progress: Callable[[int, int], Any] | None, report: Callable[[int, int], None]):
    def both(done: int, total: int) -> None:
        report(done, total)
        if progress is not None:
            progress(done, total)

    return both
