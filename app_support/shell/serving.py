"""Serving a class behind a balancer (deploy/serve.py): tell a student whose session was lost what happened.

When a worker dies, the browsers of its students reconnect through the balancer to a live worker. The browser
asks to resume its previous session (its id is the third entry of the websocket's Sec-WebSocket-Protocol
header); a worker that does not have it starts a new session instead, and the page and its widget values come
back from the URL (app_support/shell/urlstate.py). Uploaded files lived in the dead worker's memory and are gone.
The same happens when a single `streamlit run` restarts."""
from __future__ import annotations

import os
import threading
import time
from datetime import timedelta

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from app_support.shell.i18n import t

_CHECKED = "_serving_checked"
# Streamlit's frontend asks for a full script run on reconnecting only when the app has an auto-rerunning
# fragment (App.handleConnectionStateChanged checks autoRerunIntervals); otherwise it keeps showing what it had
# and a session restarted on another worker would not run until the student touched a widget: no restored
# state behind the widgets, no notice, links to the dead worker's /media/ files. This fragment draws nothing;
# its hourly rerun costs nothing.
_RECONNECT_HOOK_EVERY = timedelta(hours=1)


def previous_session_id(protocol_header: str | None) -> str | None:
    """The session id a reconnecting browser asks to resume, from its websocket's protocol header
    ("streamlit, <xsrf token>, <previous session id>"), or None on a first connection."""
    entries = [entry.strip() for entry in (protocol_header or "").split(",")]
    return entries[2] if len(entries) >= 3 and entries[2] else None


def session_was_restored() -> bool:
    """True when the browser asked to resume a session this server does not have (so it got a new one)."""
    previous = previous_session_id(st.context.headers.get("Sec-Websocket-Protocol"))
    ctx = get_script_run_ctx()
    return previous is not None and ctx is not None and previous != ctx.session_id


@st.fragment(run_every=_RECONNECT_HOOK_EVERY)
def _rerun_on_reconnect() -> None:
    """Draws nothing: its run_every makes the browser rerun the script when its websocket reconnects."""


def survive_restarts() -> None:
    """Call once per run, in app.py. Makes a reconnecting browser rerun the script at once, and on a session's
    first run shows a toast when the session was restored from the link (its previous one was lost)."""
    _rerun_on_reconnect()
    if st.session_state.get(_CHECKED):
        return
    st.session_state[_CHECKED] = True
    if session_was_restored():
        st.toast(t("serving.restored"), icon="🔄", duration="long")


_WARMING = threading.Lock()
_warm_started = False


def warm_in_background() -> None:
    """Call once per run, in app.py, after the page ran. A single `streamlit run app.py` has nobody to warm it
    (deploy/serve.py warms its workers before "ready"), so the first run of this process starts a thread that,
    EFFVIZ_WARM_DELAY seconds (3) later, runs every page's default view once through the server's own port
    (deploy/serve.py's warm_up): the pages a class opens next find the imports done, the models loaded and the
    default results cached. EFFVIZ_WARM=0 turns it off (serve.py sets it for its workers; the tests do)."""
    global _warm_started
    if os.environ.get("EFFVIZ_WARM", "1") == "0" or _warm_started or not _served():
        return
    with _WARMING:
        if _warm_started:
            return
        _warm_started = True
    threading.Thread(target=_warm, args=(int(st.get_option("server.port")),), name="effviz-warm", daemon=True).start()


def _served() -> bool:
    """True in a process a Streamlit server runs (not under AppTest, whose runtime is a stand-in)."""
    from streamlit import runtime
    from streamlit.runtime import Runtime

    # type(), not isinstance: AppTest's MagicMock(spec=Runtime) passes isinstance
    return runtime.exists() and issubclass(type(runtime.get_instance()), Runtime)


def _warm(port: int) -> None:
    try:
        time.sleep(float(os.environ.get("EFFVIZ_WARM_DELAY", 3)))
        from deploy.serve import warm_up  # websockets and Streamlit's protocol: only here

        started = time.monotonic()
        pages = warm_up(port)
        print(f"effviz: warmed {len(pages)} pages in the background in {time.monotonic() - started:.1f} s", flush=True)
    except Exception as exc:  # noqa: BLE001 - a warm-up that cannot run leaves the app as it was, and says why
        print(f"effviz: background warm-up failed ({type(exc).__name__}: {exc})", flush=True)
