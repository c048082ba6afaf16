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

A miss takes one of LOCK_STRIPES file locks while computing, so that workers missing the same value at once
compute it once (`compute_once`); timings take the machine's measurement line instead (app_support.latency_queue)
and are not also in st.cache_data (see app_support.cache)."""
from __future__ import annotations

import fcntl
import functools
import hashlib
import inspect
import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = 1                    # bump when a cached value's shape changes without a source change we can see
DEFAULT_SIZE_MB = 512
EVICTION_POLICY = "least-recently-used"
TIMEOUT = 5.0                 # seconds SQLite waits for another process's write before we give up (a miss)
LOCK_STRIPES = 64             # compute-once locks: a key uses stripe hash(key) % 64

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


@contextmanager
def compute_once(disk_key: str) -> Iterator[None]:
    """Hold one of LOCK_STRIPES file locks (fcntl.flock, so a crashed holder releases it) while computing
    `disk_key`: a worker that misses while another computes the same value waits and then reads it from the
    disk. Without a usable directory this is a no-op."""
    stripe = int(hashlib.sha256(disk_key.encode()).hexdigest(), 16) % LOCK_STRIPES
    held = _held.__dict__.setdefault("stripes", set())
    if stripe in held:
        yield
        return
    try:
        locks = directory() / "locks"
        locks.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(locks / f"compute-{stripe:02d}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        held.add(stripe)
        yield
    finally:
        held.discard(stripe)
        os.close(fd)  # closing the descriptor releases the lock


def shared(name: str, guard: Callable[[str], Any] = compute_once):
    """Decorator: look `fn(...)` up on the shared disk before computing it, and store what was computed.

    guard(disk_key) is a context manager held around the second look-up and the computation (default:
    compute_once, so that two workers do not compute the same value at once; the Latency Lab passes its
    machine-wide measurement queue)."""
    def wrap(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def cached(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            disk_key = key(name, tuple((k, v) for k, v in bound.arguments.items() if not k.startswith("_")))
            value = get(disk_key)
            if value is not _MISSING:
                return value
            with guard(disk_key):
                value = get(disk_key)  # another worker may have computed it while we waited
                if value is _MISSING:
                    value = fn(*args, **kwargs)
                    put(disk_key, value)
            return value

        return cached

    return wrap

