"""The Exercises page's own part of the sheet: a new seed, answers that wait for torch counts or timings taken
from the app's caches, and the question set / answer key as tables. The words of a question (shared with class
mode) are app_support.shell.question_text; the page reads both through this module."""
from __future__ import annotations

import secrets
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from app_support.shell import cache
from app_support.shell.export import shared_frame
from app_support.shell.i18n import lang, t
from app_support.shell.question_text import (  # noqa: F401 - the page reads the whole sheet here
    MAX_SEED,
    answer_text,
    option_label,
    plain,
    problem_text,
    prompt,
    show_worked,
    tolerance_text,
    verdict_text,
)
from effviz import exercises, networks
from effviz.exercises import Question

QUESTIONS = 10
LATENCY_THREADS = 1
LATENCY_TIMING = (0.2, 3, 5)  # (min_run_time, warmup, min_repeats): the Latency Lab's "standard" effort


def new_seed() -> int:
    return secrets.randbelow(MAX_SEED) + 1


def link_url(q: Question, base: str = "") -> str:
    query = urlencode(dict(q.link.query))
    return f"{base.rstrip('/')}/{q.link.page}" + (f"?{query}" if query else "")


def redundancy_measured(network: str, weights: str, image: str) -> dict[str, tuple[float, float, int]]:
    """{conv name: (share of near-copies, mean nearest-neighbour similarity, maps)} of the network with its
    weights on a sample photo, through the Feature Redundancy page's model cache and cache.redundancy_convs."""
    from effviz.redundancy import images

    model, info = cache.redundancy_model(network, weights)
    photo = images.load_sample(image)
    rows = cache.redundancy_convs(images.fingerprint(photo), info.key, photo, model, info)
    return {r.name: (r.near_copies, r.nn_mean, r.shape[0]) for r in rows}


def answered(q: Question) -> Question:
    """The question with its answer: the zoo networks counted through cache.network_profile and timed through
    cache.latency_network (one measurement at a time per process, like the Latency Lab); Lite0's layers measured
    through cache.redundancy_convs; a network's peak memory through the Latency Lab's liveness cache. ValueError
    if a measurement fails."""
    if q.resolved:
        return q
    measured = {}
    for need in q.needs:
        if need.what == "redundancy":
            v = q.values
            measured[need] = redundancy_measured(v["network"], v["weights"], v["image"])[need.subject]
            continue
        if need.what == "peak_memory":  # the Latency Lab's own cache of the same liveness analysis
            from effviz.exercises import peak_memory

            name, size = peak_memory.parse_subject(need.subject)
            measured[need] = cache.predicted_peak(name, (3, size, size))
            continue
        name, options = networks.parse_variant(need.subject)
        size = networks.info(name).input_size
        if need.what == "profile":
            prof = cache.network_profile(name, tuple(sorted(options.items())), size[1])
            measured[need] = (prof.params, prof.macs)
        else:
            from effviz.speed import latency

            _, lat = cache.latency_network(latency.machine().key(), LATENCY_THREADS, name, size, LATENCY_TIMING)
            measured[need] = lat.median
    return exercises.resolve(q, measured)


def set_frame_once(questions: list[Question], seed: int, level: str, base: str) -> pd.DataFrame:
    """set_frame of the questions (no answers), built once per set and language in this session: every Check
    reruns the page, and the table costs more than the rest of the page's script (about 17 ms against 5)."""
    tag = (seed, level, lang(), base)
    memo = st.session_state.get("_ex_set_frame")
    if memo is None or memo[0] != tag:
        memo = (tag, set_frame(questions, base))
        st.session_state["_ex_set_frame"] = memo
    return memo[1]


def set_frame(questions: list[Question], base: str = "", key: bool = False) -> pd.DataFrame:
    """The set as a table: number, question, options, answer format; with key=True also each answer and the link
    that opens its example (the students' sheet has neither: an example opened on its page shows the answer)."""
    rows = []
    for i, q in enumerate(questions, start=1):
        row = {t("exercises.col.number"): i, t("exercises.col.question"): plain(prompt(q)),
               t("exercises.col.options"): " | ".join(option_label(q, j) for j in range(len(q.options))),
               t("exercises.col.format"): tolerance_text(q)}
        if key:  # the example's link opens it set up, numbers and all: the answer, so only in the key
            row[t("exercises.col.answer")] = answer_text(q)
            row[t("exercises.col.link")] = link_url(q, base)
        rows.append(row)
    return shared_frame(rows, t("exercises.col.number"))


def key_lines(questions: list[Question], base: str) -> list[str]:
    """The answer key as one short line per question (markdown): the answer, the answer format and the link to
    the worked example; the questions themselves are on the page beside it."""
    return [t("exercises.key_row", i=i, answer=answer_text(q), format=tolerance_text(q), open=t("exercises.open"),
              link=link_url(q, base)) for i, q in enumerate(questions, start=1)]


def app_root(page_url: str) -> str:
    """The app's address from this page's ("http://host:8501/exercises?x=1" -> "http://host:8501")."""
    return page_url.split("?")[0].removesuffix("/").removesuffix("/exercises")
