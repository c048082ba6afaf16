"""Sections that rerun on their own (st.fragment, via app_support.shell.urlstate.fragment): a widget there reruns only
its section, and the URL, the sidebar's share link and the value kept across page switches still follow it."""
from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.browser.conftest import assert_no_exception, wait_settled

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from ws_client import Session  # noqa: E402 - the headless protocol client of the benchmarks


def slider(page, label: str):
    return page.locator('[data-testid="stSlider"]').filter(has_text=label).get_by_role("slider")


def share_link(page) -> str:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stExpander"]').filter(has_text="Share")
    if not box.locator('[data-testid="stCode"]').first.is_visible():
        box.locator("summary").first.click()
    return box.locator('[data-testid="stCode"]').first.inner_text()


def test_a_fragment_rerun_sends_only_its_section_and_moves_the_url(app_url):
    async def run():
        async with Session(app_url, "channel_shuffle") as session:
            charts: list[str] = []

            def on_message(msg):
                if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element" \
                        and msg.delta.new_element.WhichOneof("type") == "plotly_chart":
                    charts.append(msg.delta.new_element.plotly_chart.id)

            session.on_message = on_message
            first = await session.rerun()
            assert len(charts) == 7 and not first.exceptions
            output = next(w for w in first.widgets if w.label == "Output channel to follow")
            channels = next(w for w in first.widgets if w.label == "Channels C")
            assert output.fragment_id and channels.fragment_id and output.fragment_id != channels.fragment_id
            charts.clear()
            moved = await session.move(output, 6)
            after_output = (moved, list(charts), session.query)
            stride = next(w for w in first.widgets if w.label == "Stride")
            charts.clear()
            moved = await session.move(stride, "2")
            return after_output, (moved, list(charts), session.query)

    with ThreadPoolExecutor(1) as pool:  # a thread of its own: Playwright's sync API may run a loop in this one
        (moved, charts, query), (strided, unit_charts, unit_query) = pool.submit(asyncio.run, run()).result()
    assert moved.fragment and not moved.exceptions, moved.messages
    assert len(charts) == 2, "only the proof's heatmaps and wiring are redrawn, not the animation or the units"
    assert "shuffle_output=6" in query  # the URL the browser shows (page_info_changed)
    assert "Output channel to follow" in [w.label for w in moved.widgets]
    assert "Channels C" not in [w.label for w in moved.widgets]
    # Stride changes the unit diagrams, not the units' connectivity heatmaps (a fragment inside the units')
    assert strided.fragment and not strided.exceptions, strided.messages
    assert len(unit_charts) == 2 and "shuffle_stride=2" in unit_query and "shuffle_output=6" in unit_query
    assert {w.label for w in strided.widgets} == {"Stride", "Input H = W"}


def test_fragment_widgets_update_url_and_share_link_and_survive_a_page_switch(page, app_url):
    page.goto(f"{app_url}/channel_shuffle")
    wait_settled(page)
    follow = slider(page, "Output channel to follow")
    follow.focus()
    page.keyboard.press("ArrowRight")  # 5 -> 6: a rerun of the proof section only
    page.wait_for_function("() => window.location.search.includes('shuffle_output=6')", timeout=30_000)
    wait_settled(page)
    assert_no_exception(page)
    assert "output channel 6" in page.locator('[data-testid="stMain"]').inner_text()
    assert "shuffle_output=6" in share_link(page)
    v1 = slider(page, "v1 groups")  # another section: its own fragment, its own URL parameter
    v1.focus()
    page.keyboard.press("ArrowRight")  # g = 3 -> 4
    page.wait_for_function("() => window.location.search.includes('shuffle_v1_groups=4')", timeout=30_000)
    wait_settled(page)
    link = share_link(page)
    assert "shuffle_v1_groups=4" in link and "shuffle_output=6" in link
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Conv Playground").click()
    wait_settled(page)
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Channel Shuffle").click()
    wait_settled(page)
    assert_no_exception(page)
    assert "shuffle_output=6" in page.url and "shuffle_v1_groups=4" in page.url
    thumb = page.locator('[data-testid="stSlider"]').filter(has_text="Output channel to follow")
    assert thumb.locator('[data-testid="stSliderThumbValue"]').inner_text() == "6"
    assert "output channel 6" in page.locator('[data-testid="stMain"]').inner_text()
