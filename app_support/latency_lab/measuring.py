"""The Latency Lab's long work on the page: a progress bar over the timings and, while a timing waits for this
machine's one measurement slot (app_support.shell.latency_queue), the user's place in line, updated every half
second. Timings themselves come from app_support.shell.cache."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from app_support.shell import latency_queue
from app_support.shell.i18n import ordinal, t


def run_measurements(tasks: list, run: Callable[[Any], Any], label: str) -> list:
    """run(task) for each task, in order, with a progress bar; returns the results in order."""
    bar = st.progress(0.0, text=label)
    notice = st.empty()

    def show(place: latency_queue.Place) -> None:
        notice.info(t("latency_lab.queue", place=ordinal(place.place), ahead=place.ahead), icon="⏳")

    results = []
    with latency_queue.waiting(show):
        for i, task in enumerate(tasks):
            results.append(run(task))
            notice.empty()
            bar.progress((i + 1) / len(tasks), text=f"{label} {i + 1}/{len(tasks)}")
    bar.empty()
    return results
