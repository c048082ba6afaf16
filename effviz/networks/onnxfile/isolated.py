"""profile_onnx in a child process, for a server: a file that makes the onnx package's C++ code crash, or that
takes too long, costs that child, not the server and its other sessions.

    prof = isolated.profile_onnx(data, input_size=None, timeout=60)   # the same Profile, or ValueError

The child is a fresh interpreter (multiprocessing "spawn": nothing of the server's state is shared) that imports
effviz.networks.onnxfile only, profiles the bytes and sends the Profile back (it is picklable). Over `timeout` seconds
the child is killed. Starting it costs about a second (a Python start and the onnx import), paid once per file:
the app caches the result per file content."""
from __future__ import annotations

import multiprocessing as mp
import sys
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager

from effviz.problems import Problem

TIMEOUT_S = 60.0


def _child(conn, fn, args) -> None:
    try:
        conn.send(("ok", fn(*args)))
    except Problem as err:                     # picklable with its code and values
        conn.send(("problem", err))
    except ValueError as err:
        conn.send(("refused", str(err)))
    except Exception as err:  # noqa: BLE001 - anything else is reported, not raised in the child
        conn.send(("failed", (type(err).__name__, str(err)[:300])))
    finally:
        conn.close()


_MAIN_LOCK = threading.Lock()


@contextmanager
def no_main_to_rerun() -> Iterator[None]:
    """While a process is spawned: a `__main__` with no file. Spawn runs the parent's `__main__` file again in the
    child before anything else (multiprocessing.spawn.get_preparation_data), and Streamlit runs app.py as
    `__main__` with its file: each child would run the whole app without a session (74 "missing ScriptRunContext"
    warnings in the server's log, the app's imports, its background warm-up beside what the child measures). A
    child needs nothing from `__main__`: what it runs is pickled by module name. Used by spawned() below and by the
    app's timing process (app_support.shell.latency_queue)."""
    with _MAIN_LOCK:
        main = sys.modules.get("__main__")
        blank = sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:  # unless a script run has set its own meanwhile
            if main is not None and sys.modules.get("__main__") is blank:
                sys.modules["__main__"] = main


def spawned(fn, args: tuple, timeout: float):
    """fn(*args) in a spawned child process, as (status, value): ("ok", result), ("problem", the Problem it
    raised), ("refused", a ValueError's text), ("failed", (exception type, text)), ("timeout", None) after
    `timeout` seconds (the child is killed) or ("crashed", exit code). fn must be importable by the child (module
    level). The callers (run below, effviz.speed.memory_measure) turn each status into their own error."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args), daemon=True)
    with no_main_to_rerun():
        proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            proc.kill()
            return "timeout", None
        try:
            return parent.recv()
        except (EOFError, OSError):
            proc.join(5)
            return "crashed", proc.exitcode
    finally:
        parent.close()
        proc.join(5)
        if proc.is_alive():
            proc.kill()


def run(fn, args: tuple, timeout: float = TIMEOUT_S, what: str = "ONNX file"):
    """fn(*args) in a spawned child process; its ValueError comes back as a ValueError, a crash, an exception of
    another type or the time limit as a ValueError naming it. fn must be importable by the child (module level)."""
    status, value = spawned(fn, args, timeout)
    if status == "ok":
        return value
    if status == "timeout":
        raise Problem("onnx_timeout", what=what, limit=timeout)
    if status == "crashed":
        raise Problem("onnx_crashed", what=what, exitcode=value)
    if status == "problem":
        raise value
    if status == "refused":
        raise ValueError(value)
    raise Problem("onnx_unreadable", what=what, kind=value[0], detail=value[1])


def _profile(data: bytes, input_size):
    from effviz.networks.onnxfile.onnx_profiling import profile_onnx as _profile_onnx

    return _profile_onnx(data, input_size)


def profile_onnx(data: bytes, input_size=None, timeout: float = TIMEOUT_S):
    """effviz.profile_onnx of `data` (bytes) in a child process (see the module docstring)."""
    return run(_profile, (bytes(data), None if input_size is None else tuple(input_size)), timeout)
