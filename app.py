"""effviz: the Streamlit entry point. Page config, navigation and the shared sidebar live here, once."""
from __future__ import annotations

import app_support.shell.preload  # noqa: F401 - first: heavy imports under one lock (see the module)
import streamlit as st

from app_support.shell import serving
from app_support.shell import urlstate as url
from app_support.shell.i18n import t
from app_support.strings import LANGUAGES

st.set_page_config(page_title="effviz", page_icon="🧮", layout="wide")

LANG = url.ChoiceParam("lang", "en", tuple(LANGUAGES))
url.restore([LANG], follow_links=False)
serving.survive_restarts()  # a worker died: rerun from the URL at once, and say so

# One line per page: (file, title key, icon, url path). The first is the landing page.
PAGES = [
    ("pages/home.py", "nav.home", "🏠", "home"),
    ("pages/playground.py", "nav.playground", "🧮", "playground"),
    ("pages/network_explorer.py", "network_explorer.nav", "🔭", "network_explorer"),
    ("pages/channel_shuffle.py", "nav.channel_shuffle", "🔀", "channel_shuffle"),
    ("pages/feature_redundancy.py", "redundancy.nav", "👻", "feature_redundancy"),
    ("pages/latency_lab.py", "nav.latency_lab", "⏱️", "latency_lab"),
    ("pages/exercises.py", "nav.exercises", "📝", "exercises"),
    ("pages/class.py", "nav.class_mode", "🙋", "class"),
]

url.share_slot(None)  # the sidebar's share link is drawn into a slot made below, once it exists
with st.sidebar:
    st.selectbox("Language / 语言", tuple(LANGUAGES), key="lang", format_func=LANGUAGES.get,
                 on_change=url.relabel_widgets)
    url.publish([LANG])

navigation = st.navigation([
    st.Page(path, title=t(title), icon=icon, url_path=path_name, default=(i == 0))
    for i, (path, title, icon, path_name) in enumerate(PAGES)
])

with st.sidebar:
    st.divider()
    st.markdown(t("sidebar.about"))
    st.caption(t("convention"))
    with st.expander(t("sidebar.share")):
        url.share_slot(st.empty())  # filled below, and again by a fragment's url.publish on its own reruns
        st.caption(t("sidebar.share_help"))

with url.page(navigation.url_path):  # "" is the landing page
    navigation.run()
url.show_share_link()  # after the page ran: the link carries the values the page just wrote into the URL
serving.warm_in_background()  # once per process: the other pages' default views, in a thread
