"""Network Explorer's graph coloured by the measured per-layer profile (issue 22), in a real browser: English
and Chinese, desktop (1440x900) and phone (390x844). A click times MobileNetV3-Small's layers; the graph's
legend then names the measured time, and each block carries its milliseconds. Screenshots for a human eye."""
from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, phone_page, wait_settled

SHOTS = "test-artifacts"
URL = "/network_explorer?nx_net=mobilenet_v3_small&nx_tab=graph"
WORDS = {"en": ("Time (measured)", "Measure each layer's time", "the whole pass", "measured time"),
         "zh": ("时间（实测）", "测量每一层的时间", "整次前向传播", "实测的时间")}


def colour_by_time(page, app_url, lang, shot):
    time_label, button, done, legend = WORDS[lang]
    page.goto(f"{app_url}{URL}&lang={lang}")
    wait_settled(page)
    assert_no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    page.get_by_text(time_label).first.click()
    wait_settled(page)
    page.get_by_role("button", name=button).click()
    page.get_by_text(done).first.wait_for(timeout=300_000)
    wait_settled(page)
    assert_no_exception(page)
    graph = main.locator('[data-testid="stGraphVizChart"]').first
    assert legend in graph.inner_text()
    # the controls, the caption with the whole pass, the legend and the first blocks in one view
    main.get_by_text(time_label).first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(600)
    page.screenshot(path=f"{SHOTS}/{shot}.png")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_graph_coloured_by_time_on_a_desktop(browser, app_url, lang):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        colour_by_time(page, app_url, lang, f"graph-overlay-{lang}-1440")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_graph_coloured_by_time_on_a_phone(browser, app_url, lang):
    with phone_page(browser) as page:
        colour_by_time(page, app_url, lang, f"graph-overlay-{lang}-390")
