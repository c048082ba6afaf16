"""App-side support for the Streamlit pages: strings, URL state, caching. effviz itself never imports this.

`page()` guards against Streamlit's legacy multipage mode. Because the repository has a `pages/` folder next to
app.py, Streamlit runs a sub-page's file *directly* (without app.py: no page config, no sidebar, no navigation)
for every session whose run starts before any session has run app.py's `st.navigation` (a fresh worker that a
whole class opens at once). Such a run's widgets also get other ids than the same page's run through app.py,
so the student's first move would be lost. Every page calls `page()` first: a page run without app.py switches
the legacy mode off and reruns through app.py before drawing anything. app.py marks its own runs with
`through_app()`."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

_run = threading.local()  # one script thread per session: whether app.py is running the page now


@contextmanager
def through_app():
    """app.py runs the chosen page inside this."""
    _run.active = True
    try:
        yield
    finally:
        _run.active = False


def page() -> None:
    """Call first in every page script: a run that did not come through app.py is rerun through it."""
    if getattr(_run, "active", False):
        return
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or Path(ctx.pages_manager.main_script_path).name != "app.py":
        return  # bare mode, or a page run as the main script on purpose: nothing to go through
    PagesManager.uses_pages_directory = False
    st.rerun()
