"""Class mode: a teacher starts a class from a generated set, students join by code or QR on their own devices
and answer, the teacher paces the questions and sees the class's answers live, then reveals.

Links: students /class?code=CODE; the teacher's dashboard /class?code=CODE&teacher=TOKEN."""
from __future__ import annotations

import streamlit as st

from app_support.classroom import view
from app_support.shell import urlstate as url
from app_support.shell.i18n import t

st.title(t("class.title"))
url.restore([])  # no widget keys in the URL here: the class, the student and the teacher come from it (view.show)
if not st.query_params.get("code"):
    st.markdown(t("class.intro"))
view.show()
