"""Downloading a network's ImageNet weights on first use, with a progress bar, and the retry policy: after a
failure the server waits RETRY_S before trying again, for every session. An offline machine (a classroom, a
locked-down host) must not retry on every rerun, nor make each new student wait for the same timeout."""
from __future__ import annotations

import math
import time

import streamlit as st

from app_support.shell import cache
from app_support.shell.i18n import problem_text, t
from effviz.redundancy import weights as effviz_weights

RETRY_S = 600


def download_if_needed(network: str) -> None:
    """Where `network` exists and its ImageNet file is missing, download it here (a failure is said in a caption:
    the page then falls back to what it has, and says so)."""
    target = effviz_weights.pending_download(network)
    failed = cache.download_failures()
    if target is None or time.time() - failed.get(target, -math.inf) < RETRY_S:
        return
    bar = st.progress(0.0, text=t("redundancy.downloading", done="0", total="?"))

    def progress(done: int, total: int | None) -> None:
        bar.progress(min(done / total, 1.0) if total else 0.0,
                     text=t("redundancy.downloading", done=f"{done / 2**20:.1f}",
                            total=f"{total / 2**20:.1f}" if total else "?"))

    try:
        effviz_weights.download_to_cache(target, progress)
    except (OSError, ValueError) as exc:
        failed[target] = time.time()
        st.caption(t("redundancy.download_failed", problem=problem_text(exc)[:160]))
    finally:
        bar.empty()
