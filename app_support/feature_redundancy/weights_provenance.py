"""Which network and weights produced what the Feature Redundancy page shows, and why (ImageNet weights, a
fallback when they could not be had, untrained on purpose): the notice over the page, and the labels of both."""
from __future__ import annotations

import streamlit as st

from app_support.shell.i18n import problem_text, t
from effviz.redundancy import weights as effviz_weights


def net_label(info) -> str:
    return t(f"redundancy.net.{info.network}")


def weights_label(info) -> str:
    return t(f"redundancy.wlabel.{info.weights}")


def provenance(info) -> None:
    """Which network and weights produced what is on screen, and why."""
    text = t("redundancy.showing", net=net_label(info), weights=weights_label(info))
    if info.weights == "untrained":
        st.warning(text + " " + t("redundancy.why.untrained"), icon="🎲")
        return
    if info.fallback:
        st.warning(text + "\n\n" + t("redundancy.fallback"), icon="📴")
        if info.attempts:
            with st.expander(t("redundancy.fallback_details")):
                st.code("\n".join(map(problem_text, info.attempts)), language=None, wrap_lines=True)
        return
    why = t("redundancy.why.env", env=effviz_weights.weights_of(info.network).env) \
        if info.reason == "env" else t(f"redundancy.why.{info.reason}")
    # a user's file has no source to name but itself (the library's source is then the English "your file")
    source = "" if info.reason == "file" else f"  \n{t('redundancy.source', source=info.source)}"
    st.info(f"{text} {why}{source}", icon="🧠")
