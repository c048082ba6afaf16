"""A class opening a cold `streamlit run app.py` at the same moment: every session runs its page through app.py
(not Streamlit's legacy `pages/` mode) and its first widget move reaches the app. Headless websocket sessions,
no browser; before the per-run guard in app_support/shell/urlstate.py, 7 of 8 such sessions lost their first move."""
from __future__ import annotations

import asyncio

import pytest

from bench.ws_client import Session
from tests.browser.conftest import run_async, serving_app

SESSIONS = 8


@pytest.fixture
def cold_url():
    with serving_app() as url:  # a server of its own: no session has run app.py in it yet
        yield url


async def _class_at_once(url: str) -> list[dict]:
    sessions = [Session(url, "playground", f"c_in={24 + i}&lang=zh") for i in range(SESSIONS)]
    try:
        await asyncio.gather(*(s.__aenter__() for s in sessions))
        firsts = await asyncio.gather(*(s.rerun() for s in sessions))  # all first runs start together
        rows = []
        for i, (session, first) in enumerate(zip(sessions, firsts, strict=True)):
            slider = next(w for w in first.sliders if "C_in" in w.label)
            after = await session.rerun([Session.slider_state(slider, 40 + i)])
            rows.append({"first": slider.value, "moved_to": 40 + i, "url": session.url_query,
                         "sidebar_language": any("语言" in w.label for w in after.widgets),
                         "exceptions": first.exceptions + after.exceptions})
        return rows
    finally:
        for s in sessions:
            await s.ws.close()


async def _first_visit(url: str, page: str, query: str) -> tuple[list[str], list[str]]:
    """The first session of a cold server opening `page`: the texts it was sent and the page-not-found names."""
    not_found: list[str] = []
    session = Session(url, page, query)
    session.on_message = lambda fwd: (not_found.append(fwd.page_not_found.page_name)
                                      if fwd.WhichOneof("type") == "page_not_found" else None)
    async with session:
        first = await session.rerun()
    return first.texts, not_found


def test_a_cold_servers_first_visitor_to_the_class_page_lands_on_it(cold_url):
    """The teacher who starts `streamlit run app.py` and opens /class first: Streamlit's legacy mode (on until a
    session reaches app.py) resolves the address against pages/ file names, so the class page's file is
    pages/class.py; as pages/class_mode.py the first visit got "Page not found" and the landing page."""
    texts, not_found = run_async(_first_visit(cold_url, "class", "code=ABC234"))
    assert not_found == [], not_found
    assert any("class code" in text.lower() for text in texts), texts[:5]


def test_a_class_opening_a_cold_server_at_once_keeps_every_first_move(cold_url):
    rows = run_async(_class_at_once(cold_url))
    for i, row in enumerate(rows):
        assert row["first"] == 24 + i and row["exceptions"] == 0, (i, row)
        assert f"c_in={row['moved_to']}" in row["url"].split("&"), (i, row)  # the move reached the app
        assert row["sidebar_language"], (i, row)  # app.py ran around the page: its sidebar is there
