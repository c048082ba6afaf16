"""Predict first in a real browser: on the Conv Playground the numbers stay hidden until an estimate is typed
(Enter), then the estimate stands beside the answer."""
from __future__ import annotations

from effviz import blocks
from tests.browser.conftest import ARTIFACTS, assert_no_exception, wait_settled


def test_playground_predict_first(page, app_url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/playground?family=group&c_in=64&c_out=64&groups=4")
    wait_settled(page)
    assert page.locator('[data-testid="stMetric"]').count() == 3
    page.get_by_text("Predict first").click()
    wait_settled(page)
    assert_no_exception(page)
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert page.locator(".js-plotly-plot").count() == 0
    box = page.get_by_label("Your estimate of the MACs of this block")
    box.fill("20M")
    box.press("Enter")
    wait_settled(page)
    assert_no_exception(page)
    macs = blocks.make("group", c_in=64, c_out=64, groups=4).cost(56, 56).macs
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert f"You predicted 20,000,000; the answer is {macs:,}" in text
    assert page.locator('[data-testid="stMetric"]').count() == 3
    page.screenshot(path=str(ARTIFACTS / "predict-playground.png"))
