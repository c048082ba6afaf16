"""App-side support for the Streamlit pages, in two levels: shell/ (what several pages use: URL state, i18n,
caches, export, number formats, serving), one package per page (named after pages/<page>.py and
strings/<page>.py), classroom/ (class mode) and strings/. effviz itself never imports this.

Importing this package also leaves Streamlit's legacy multipage mode (`leave_legacy_pages_mode`, below: the one
place that touches it)."""
from __future__ import annotations


def leave_legacy_pages_mode(page_ran_alone: bool = False) -> None:
    """Switch Streamlit's legacy `pages/` mode off for the process; in a script run, rerun it through app.py.

    Why by hand: the repository keeps its pages in `pages/` next to app.py (the layout the project is known by),
    and Streamlit then starts in its legacy multipage mode: it runs a sub-page's file *directly* (without app.py:
    no page config, no sidebar, no navigation, other widget ids) for every session whose first run starts before
    any session of the process has reached app.py's `st.navigation`. Streamlit's documented rule is only that
    "as soon as any session of your app executes the st.navigation command, your app will ignore the pages/
    directory (across all sessions)"; it has no setting to ignore `pages/` from the start (1.67:
    PagesManager.uses_pages_directory is set from the folder's existence and cleared only by st.navigation), and
    renaming the folder is the only supported way out. So the flag is cleared here, in two moments:

    - when app_support is first imported (every page imports it first; so does app.py, and a warm-up that
      imports the app): the first such run, and every session after it, go through app.py;
    - per run, from urlstate.restore (page_ran_alone=True: a page with state found itself run without app.py
      around it), for sessions whose first runs started at the same moment (a class opening a cold server),
      which the import-time clearing cannot catch: their first widget move would be lost."""
    from streamlit.runtime.pages_manager import PagesManager

    if not (PagesManager.uses_pages_directory or page_ran_alone):
        return
    import streamlit as st
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    PagesManager.uses_pages_directory = False
    if get_script_run_ctx() is not None:
        st.rerun()


leave_legacy_pages_mode()
