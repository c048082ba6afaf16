"""App-side support for the Streamlit pages: strings, URL state, caching. effviz itself never imports this.

Importing this package also guards against Streamlit's legacy multipage mode. Because the repository has a
`pages/` folder next to app.py, Streamlit runs a sub-page's file *directly* (without app.py: no page config,
no sidebar, no navigation) for a session that opens e.g. /playground before any session has run app.py's
`st.navigation`. Every page imports app_support first, so the first such run switches the legacy mode off and
reruns through app.py. Sessions whose first runs started at the same moment (a class opening a cold server)
are caught per run by `urlstate.restore`, which every page with state calls first (see urlstate._require_shell)."""
from __future__ import annotations


def _leave_legacy_pages_mode() -> None:
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        import streamlit as st
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        PagesManager.uses_pages_directory = False
        if get_script_run_ctx() is not None:
            st.rerun()


_leave_legacy_pages_mode()
