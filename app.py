"""effviz: the Streamlit entry point. Page config, navigation and the shared sidebar live here, once."""
from __future__ import annotations

import streamlit as st

from app_support import urlstate as url
from app_support.i18n import t
from app_support.strings import LANGUAGES

st.set_page_config(page_title="effviz", page_icon="🧮", layout="wide")

LANG = url.ChoiceParam("lang", "en", tuple(LANGUAGES))
url.restore([LANG])

# One line per page: (file, title key, icon, url path). The first is the landing page.
PAGES = [
    ("pages/home.py", "nav.home", "🏠", "home"),
    ("pages/playground.py", "nav.playground", "🧮", "playground"),
]

with st.sidebar:
    st.selectbox("Language / 语言", tuple(LANGUAGES), key="lang", format_func=LANGUAGES.get)
    url.publish([LANG])

navigation = st.navigation([
    st.Page(path, title=t(title), icon=icon, url_path=path_name, default=(i == 0))
    for i, (path, title, icon, path_name) in enumerate(PAGES)
])

with st.sidebar:
    st.divider()
    st.markdown(t("sidebar.about"))
    st.caption(t("convention"))

navigation.run()
