"""Latency Lab in a real browser: nothing is timed until a click; the clicks draw the charts; the block chosen
in the Conv Playground arrives through client-side navigation; a user whose measurement waits for the machine
sees their place in line."""
from __future__ import annotations

import threading

import pytest

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
    from app_support.shell import latency_queue

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


@pytest.mark.slow
def test_guidelines_beside_the_paper_in_english_and_chinese(page, app_url):
    """The standard effort (the paper's sizes) on both backends: each tab shows the paper's numbers beside the
    measured ones, a verdict per backend, and the headline against the paper. Measured once (minutes on a
    loaded 2-core machine); the Chinese page reads the same timings from the machine's shared cache."""
    from tests.browser.conftest import PHONE, phone_page

    run_button = {"en": "Run the four experiments", "zh": "运行四个实验"}
    measured = {"en": "Measured here on", "zh": "本机实测"}
    tabs = {"en": ["G1 · channel width", "G2 · group count", "G3 · fragmentation", "G4 · element-wise ops"],
            "zh": ["G1 · 通道宽度", "G2 · 分组数", "G3 · 碎片化", "G4 · 逐元素操作"]}
    for lang in ("en", "zh"):
        page.set_viewport_size({"width": 1440, "height": 900})
        page.goto(f"{app_url}/latency_lab?lang={lang}&lat_threads=1")
        wait_settled(page)
        page.get_by_role("button", name=run_button[lang]).click()
        page.get_by_text(measured[lang]).first.wait_for(timeout=900_000)
        wait_settled(page, timeout_ms=300_000)
        assert_no_exception(page)
        text = main_text(page)
        assert ("Paper GPU: time vs first" if lang == "en" else "论文 GPU：相对耗时") in text
        for i, name in enumerate(tabs[lang]):
            page.get_by_role("tab", name=name).click()
            wait_settled(page)
            page.set_viewport_size({"width": 1440, "height": 3000})
            panel = page.locator('[role="tabpanel"]:visible').first
            panel.scroll_into_view_if_needed()
            panel.screenshot(path=f"test-artifacts/latency-guideline-g{i + 1}-{lang}.png")
            page.set_viewport_size({"width": 1440, "height": 900})
    with phone_page(page.context.browser) as phone:
        phone.goto(f"{app_url}/latency_lab?lang=zh&lat_threads=1")
        wait_settled(phone)
        phone.get_by_role("button", name=run_button["zh"]).click()  # cached: no timing again
        phone.get_by_text(measured["zh"]).first.wait_for(timeout=300_000)
        wait_settled(phone)
        assert_no_exception(phone)
        phone.set_viewport_size({"width": PHONE["width"], "height": 4000})
        phone.locator('[role="tabpanel"]:visible').first.screenshot(path="test-artifacts/latency-guideline-g1-zh-phone.png")
