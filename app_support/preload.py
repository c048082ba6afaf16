"""Import the heavy shared libraries once, in a fixed order, under this module's import lock.

When many sessions open a cold server at once, their first script runs import on parallel threads; two
threads importing pandas and plotly in different orders made Python hand one of them a partially initialised
pandas ("partially initialized module 'pandas' has no attribute 'Series'", seen with 20 simultaneous
sessions in bench/bench_concurrency.py). A thread that imports this module first waits here until another
thread has finished all of them."""
from __future__ import annotations

import numpy  # noqa: F401
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
import plotly.subplots  # noqa: F401
