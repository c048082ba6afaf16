"""Landing page: what each page teaches, in the order the story goes."""
from __future__ import annotations

import streamlit as st

from app_support.i18n import t

st.title(t("home.title"))
st.markdown(t("home.intro"))

STORY = [
    ("pages/playground.py", "home.step.playground"),
]

for path, key in STORY:
    with st.container(border=True):
        st.markdown(t(f"{key}.text"))
        st.page_link(path, label=t(f"{key}.link"), icon="➡️")
