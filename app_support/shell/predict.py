"""The "Predict first" switch of the Conv Playground and the Latency Lab: with it on, a page's result numbers stay
hidden until the student has typed an estimate; then the estimate is shown beside the answer with how far off
it was. An estimate belongs to one question (`topic`: the block and its shape): change the block and the box
is empty again, the results hidden again. Estimates live in the session only."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable

import streamlit as st

from app_support.shell.i18n import t
from effviz.exercises import parse_number

CLOSE = 0.10  # within 10 %: "well estimated"


def _topic_id(topic: Hashable) -> str:
    return hashlib.sha1(repr(topic).encode()).hexdigest()[:12]  # stable across processes, unlike hash()


def gate(scope: str, what: str, topic: Hashable, answer: float | None,
         fmt: Callable[[float], str] = lambda x: f"{x:,.0f}") -> bool:
    """Draw the switch (and, when on, the estimate box). True when the page may show its results: the switch is
    off, or an estimate has been typed. `what` names the number asked for (in the current language); `answer`
    is None until it is known (a timing not measured yet), and the comparison appears once it is."""
    if not st.toggle(t("predict.switch"), key=f"predict_{scope}", help=t("predict.switch_help")):
        return True
    raw = st.text_input(t("predict.prompt", what=what), key=f"predict_{scope}_{_topic_id(topic)}",
                        placeholder=t("exercises.placeholder"), max_chars=60)
    parsed = parse_number(raw)
    if parsed.problem:
        if parsed.problem != "empty":
            st.warning(t(f"exercises.problem.{parsed.problem}", text=str(raw)[:40]), icon="✍️")
        st.info(t("predict.hidden", what=what), icon="🙈")
        return False
    if answer is not None:
        off = (parsed.value - answer) / answer if answer else 0.0
        verdict = t("predict.close") if abs(off) <= CLOSE else t("predict.off", pct=f"{off:+.0%}")
        st.markdown(t("predict.result", guess=fmt(parsed.value), answer=fmt(answer), verdict=verdict))
    return True
