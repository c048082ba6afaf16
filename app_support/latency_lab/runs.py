"""The Latency Lab's timing runs: how much effort each preset spends, what runs in which order when the user
clicks, and where a session keeps the results.

Every timing goes through the cached wrappers in app_support.shell.cache (one key per machine, threads and config;
shared by the machine's workers; measured one at a time per machine, app_support.shell.latency_queue) with a progress
bar (app_support.latency_lab.measuring). A click's results are kept in st.session_state under `_lat_*`, tagged with the
configuration they were measured for: `kept` returns them only while the page still shows that configuration."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import streamlit as st

from app_support.latency_lab.measuring import run_measurements
from app_support.shell import cache
from app_support.shell.i18n import problem_text, t
from app_support.shell.latency_queue import TimingStopped
from effviz.speed import guidelines, latency

NETWORK_INPUT = (3, 224, 224)


class Effort(NamedTuple):
    min_run_time: float        # seconds of timed runs per block or network
    sizes: guidelines.Sizes    # guideline networks
    rounds: int                # interleaved rounds per guideline
    warmup: int                # untimed calls first
    min_repeats: int           # timed blocks at least, per block or network

    def timing(self) -> tuple[float, int, int]:
        return (self.min_run_time, self.warmup, self.min_repeats)


EFFORT = {
    "quick": Effort(0.02, guidelines.QUICK, 1, 1, 3),
    "standard": Effort(0.2, guidelines.Sizes(), 3, 3, 5),
    "thorough": Effort(1.0, guidelines.Sizes(), 5, 5, 10),
}
EFFORTS = tuple(EFFORT)


def keep(slot: str, key: tuple, results: Any) -> None:
    st.session_state[slot] = (key, results)


def kept(slot: str, key: tuple) -> dict:
    """The results kept in `slot` if they were measured for `key`, else {}."""
    stored = st.session_state.get(slot)
    return stored[1] if stored and stored[0] == key else {}


def blocks(specs: dict[str, Any], threads: int, effort: Effort, h: int, w: int) -> dict[str, latency.Latency]:
    """{family: latency} of each block spec, one after the other."""
    machine = cache.latency_machine()

    def run(family: str):
        params = tuple(sorted(specs[family].params_dict().items()))
        return cache.latency_block(machine, threads, family, params, h, w, effort.timing())

    families = list(specs)
    return dict(zip(families, run_measurements(families, run, t("latency_lab.measuring")), strict=True))


BACKEND_CHOICES = ("both", *latency.BACKENDS)  # the page's choice: both side by side, or one of them


def backends(choice: str) -> tuple[str, ...]:
    return latency.BACKENDS if choice == "both" else (choice,)


def guideline_experiments(plans: dict[str, list], threads: int, effort: Effort,
                          on: tuple[str, ...] = latency.BACKENDS,
                          first_round: int = 0) -> dict[str, dict[str, guidelines.Experiment]]:
    """{backend: {guideline: experiment}}: each guideline's set-ups on each convolution backend, timed in
    `effort.rounds` rounds. A round times every set-up of every guideline on every backend once, so the rounds
    are separated in time by a whole pass, and the machine's drift falls on all of them alike; each set-up keeps
    its rounds (for the drift check) pooled into its experiment. Rounds are cached on the machine's disk by
    number: first_round = 0 shares every session's timings; a new first_round (`new_rounds()`) measures anew."""
    machine = cache.latency_machine()
    names = list(plans)
    sizes = next(iter(plans.values()))[0].sizes
    size_key = (sizes.size, sizes.channels, sizes.repeat)
    rounds = effort.rounds
    tasks = [(b, name, i, r) for r in range(first_round, first_round + rounds) for b in on for name in names
             for i in range(len(plans[name]))]

    def run(task):
        backend, name, i, r = task
        return cache.latency_guideline(machine, threads, name, size_key, i, r, effort.min_run_time / rounds,
                                       effort.warmup if r == first_round else 1, backend)

    measured = run_measurements(tasks, run, t("latency_lab.measuring"))
    pooled: dict[tuple[str, str, int], list] = {}
    for (b, name, i, _), lat in zip(tasks, measured, strict=True):
        pooled.setdefault((b, name, i), []).append(lat)
    return {b: {name: guidelines.experiment(name, [(s, pooled[(b, name, i)]) for i, s in enumerate(plans[name])])
                for name in names}
            for b in on}


def new_rounds() -> int:
    """A first round number no earlier click used (microseconds since the epoch): rounds measured now, not
    read from the shared cache."""
    import time

    return time.time_ns() // 1000


def failure_text(err: BaseException) -> str:
    """Why a network could not be timed, in the reader's language: the timing process stopped, or the library's
    problem (a third-party error as its own text)."""
    return t("latency_lab.timing_stopped") if isinstance(err, TimingStopped) else problem_text(err)[:300]


@contextmanager
def stopped_said() -> Iterator[None]:
    """Around a click's measurements: if the timing process dies (killed, out of memory, a crash in a native
    library), say so on the page instead of a traceback. Nothing of that click is kept; the next click starts a
    new timing process."""
    try:
        yield
    except TimingStopped:
        st.error(t("latency_lab.run_stopped"), icon="⚠️")


def networks(names: list[str], threads: int, effort: Effort) -> dict[str, Any]:
    """{name: (macs, latency)} of each zoo network at NETWORK_INPUT, or the error of one that cannot run there
    (said on the page; the others go on)."""
    machine = cache.latency_machine()

    def run(name: str):
        try:
            return cache.latency_network(machine, threads, name, NETWORK_INPUT, effort.timing())
        except (ValueError, RuntimeError) as err:
            return err

    return dict(zip(names, run_measurements(names, run, t("latency_lab.measuring")), strict=True))
