"""Import the heavy shared libraries once, in a fixed order, under this module's import lock.

When many sessions open a cold server at once, their first script runs import on parallel threads; two
threads importing pandas and plotly in different orders made Python hand one of them a partially initialised
pandas ("partially initialized module 'pandas' has no attribute 'Series'", seen with 20 simultaneous
sessions in bench/bench_concurrency.py). A thread that imports this module first waits here until another
thread has finished all of them.

It also sets the interpreter's thread switch interval (once per process, at the first import). A rerun's
script thread holds the interpreter lock for tens of milliseconds; the event-loop thread that sends its messages
and reads other students' moves then waits up to one switch interval (5 ms by default) for the lock each time it
wakes, many times per rerun (CPython's convoy effect). With 1 ms, `bench/bench_classroom.py` (60 students,
`serve.py --workers 2`) measured p95 1.38 s instead of 3.06 s in back-to-back runs. EFFVIZ_SWITCH_INTERVAL
(seconds) overrides it.

And it turns Nagle's algorithm off on the server's sockets (app_support/shell/nodelay.py): without it a rerun's small
messages waited for the browser's delayed acknowledgements."""
from __future__ import annotations

import os
import sys

import numpy  # noqa: F401
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
import plotly.subplots  # noqa: F401

from app_support.shell.nodelay import no_delay


def _switch_interval(default: float = 0.001) -> float:
    try:
        value = float(os.environ.get("EFFVIZ_SWITCH_INTERVAL", default))
    except ValueError:
        return default
    return value if 1e-5 <= value <= 0.1 else default


SWITCH_INTERVAL = _switch_interval()
sys.setswitchinterval(SWITCH_INTERVAL)
no_delay()
