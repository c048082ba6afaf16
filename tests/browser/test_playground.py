"""Conv Playground in a real browser: loads, a slider moves, the numbers follow; a shared URL restores."""
from __future__ import annotations

import re

from tests.browser.conftest import assert_no_exception, wait_settled


def metric_value(page, label: str) -> str:
    tile = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return tile.locator('[data-testid="stMetricValue"]').inner_text()


def test_playground_slider_changes_the_numbers(page, app_url):
    page.goto(f"{app_url}/playground")
    wait_settled(page)
    assert_no_exception(page)
    assert page.locator(".js-plotly-plot").count() >= 2, "parts chart and family chart expected"
    before = metric_value(page, "MACs")
    slider = page.get_by_role("slider").first  # C_in
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    wait_settled(page)
    assert_no_exception(page)
    after = metric_value(page, "MACs")
    assert after != before, (before, after)
    assert "c_in=69" in page.url  # the moved value is in the link
    page.screenshot(path="test-artifacts/playground-after-slider.png", full_page=True)


def test_playground_shared_url_restores_state(page, app_url):
    page.goto(f"{app_url}/playground?family=depthwise_separable&c_in=3&c_out=4&h=64&w=64&bias=1&activation=none")
    wait_settled(page)
    assert_no_exception(page)
    assert metric_value(page, "Parameters") == "46"
    assert re.search(r"112 parameters", page.locator('[data-testid="stMain"]').inner_text())


def test_playground_bad_url_gives_a_notice(page, app_url):
    page.goto(f"{app_url}/playground?c_in=-5&kernel=999999&family=nope")
    wait_settled(page)
    assert_no_exception(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "c_in=-5" in text and "kernel=999999" in text and "family=nope" in text
