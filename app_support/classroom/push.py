"""A teacher's page pushes its block to their class: "Ask the class: predict this block's MACs" on the Conv
Playground and on the Latency Lab (beside their predict-first prompts), for the teacher whose class is open in this
browser session (view.TEACHING, set when the dashboard opened with the teacher link). The token stays in the
session: the question holds the block only, and the store checks the token again (store.push_question)."""
from __future__ import annotations

from typing import Any

import streamlit as st

from app_support.classroom import questions, store, view
from app_support.classroom.store import Refused
from app_support.shell.i18n import t

_DONE = "_class_pushed"  # the message of the last push, shown after the rerun the button makes


def teaching() -> tuple[store.ClassInfo, str] | None:
    """The class this session's teacher has open and its token, if both are still good (not counted as guesses:
    the token came from a dashboard this session opened)."""
    held = st.session_state.get(view.TEACHING)
    if not held:
        return None
    code, token = held
    cls = store.find(view.db(), code)
    if cls is None or not store.is_teacher(view.db(), cls, token):
        st.session_state.pop(view.TEACHING, None)  # ended or expired
        return None
    return cls, token


def push(code: str, family: str, params: dict[str, Any], h: int, w: int, page: str = "playground") -> None:
    held = teaching()
    if held is None or held[0].code != code:
        st.session_state[_DONE] = ("error", t("class.push.gone"))
        return
    cls, token = held
    try:
        block = questions.block_json(family, params, h, w, page)
        q = questions.block_question(block, cls.difficulty)
        moved = store.push_question(view.db(), cls.id, token, block, questions.key([q])[0])
    except ValueError as err:  # Refused is a ValueError: its code names the reason
        code_ = err.code if isinstance(err, Refused) else "bad_block"
        st.session_state[_DONE] = ("error", t(f"class.refused.{code_}", **getattr(err, "values", {})))
        return
    st.session_state[_DONE] = ("success", t("class.push.done", i=moved.size, code=moved.code))


def offer(family: str, params: dict[str, Any], h: int, w: int, page: str = "playground") -> None:
    """The button, for a teacher with a class open in this session; nothing for anyone else. `page`: the page
    that offers it (questions.PUSH_PAGES), named in the question the students see."""
    done = st.session_state.pop(_DONE, None)
    if done:
        getattr(st, done[0])(done[1], icon="📣" if done[0] == "success" else "🚫")
    held = teaching()
    if held is None:
        return
    cls, _ = held
    st.button(t("class.push.button"), key="class_push", icon="📣",
              help=t("class.push.help", code=cls.code, i=cls.size + 1, n=store.MAX_QUESTIONS),
              on_click=push, args=(cls.code, family, dict(params), h, w, page))
