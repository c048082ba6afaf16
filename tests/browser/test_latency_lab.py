"""Latency Lab in a real browser: nothing is timed until a click; the clicks draw the charts; the block chosen
in the Conv Playground arrives through client-side navigation; a user whose measurement waits for the machine
sees their place in line."""
from __future__ import annotations

import threading

from tests.browser.conftest import assert_no_exception, wait_settled


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_latency_lab_measures_on_click(page, app_url):
    page.goto(f"{app_url}/latency_lab?lat_effort=quick")
    wait_settled(page)
    assert_no_exception(page)
    assert "this server's CPU" in main_text(page)
    assert page.locator(".js-plotly-plot").count() == 0  # nothing measured before a click
    page.screenshot(path="test-artifacts/latency-lab-before.png", full_page=True)

    page.get_by_role("button", name="Measure these").click()
    page.wait_for_selector(".js-plotly-plot", timeout=120_000)
    wait_settled(page)
    assert_no_exception(page)
    assert page.locator(".js-plotly-plot").count() == 2
    assert "GMAC/s" in main_text(page)

    page.get_by_role("button", name="Run the four experiments").click()
    page.get_by_text("Measured here").first.wait_for(timeout=120_000)
    wait_settled(page)
    assert_no_exception(page)
    assert page.locator(".js-plotly-plot").count() >= 3  # + the open guideline tab's chart
    page.get_by_role("tab", name="G4 · element-wise ops").click()
    wait_settled(page)
    assert "ReLU off, shortcut off" in main_text(page)
    page.screenshot(path="test-artifacts/latency-lab-measured.png", full_page=True)


def test_latency_lab_takes_the_playground_block(page, app_url):
    page.goto(f"{app_url}/playground?family=group&c_in=96&c_out=96&groups=8")
    wait_settled(page)
    page.locator('[data-testid="stSidebarNav"] a[href$="/latency_lab"]').click()
    page.get_by_text("Block from the Conv Playground").wait_for(timeout=60_000)
    wait_settled(page)
    assert_no_exception(page)
    text = main_text(page)
    assert "Group conv on a 96×56×56 input" in text, text[:800]


def test_a_waiting_user_sees_the_place_in_line(page, app_url):
    """Another measurement holds this machine's slot (the server shares this test run's EFFVIZ_CACHE_DIR, so
    its line is the one held here); a click then waits, told its place, and measures once the slot is free."""
    from app_support import latency_queue

    held, release = threading.Event(), threading.Event()

    def other_measurement() -> None:
        with latency_queue.queue().turn():
            held.set()
            release.wait(120)

    holder = threading.Thread(target=other_measurement)
    holder.start()
    try:
        assert held.wait(10)
        # a block no other test times, so nothing comes from the shared cache
        page.goto(f"{app_url}/playground?family=standard&c_in=24&c_out=24&h=14&w=14")
        wait_settled(page)
        page.locator('[data-testid="stSidebarNav"] a[href$="/latency_lab"]').click()
        page.get_by_text("Block from the Conv Playground").wait_for(timeout=60_000)
        wait_settled(page)
        page.get_by_role("button", name="Measure these").click()
        page.get_by_text("2nd in line").wait_for(timeout=30_000)
        assert "1 measurement(s) ahead of you" in main_text(page)
        assert page.locator(".js-plotly-plot").count() == 0
        page.screenshot(path="test-artifacts/latency-lab-queue.png", full_page=True)
    finally:
        release.set()
        holder.join(timeout=30)
    page.wait_for_selector(".js-plotly-plot", timeout=120_000)
    wait_settled(page)
    assert_no_exception(page)
    assert "in line" not in main_text(page)
