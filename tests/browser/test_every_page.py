"""Every page in a desktop (projector) window and in a phone-sized one: loads, settles, no exception, its
charts drawn, nothing essential cut off at narrow width. Screenshots go to test-artifacts/."""
from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, assert_no_exception, full_page_screenshot, phone_page, wait_settled
from tests.test_robustness_urls import app_pages, page_path

# The fewest Plotly charts each page draws in its default view.
MIN_CHARTS = {"home": 0, "playground": 2, "network_explorer": 2, "channel_shuffle": 3, "feature_redundancy": 1,
              "latency_lab": 0, "exercises": 0, "class": 0}  # the Latency Lab draws after its Measure button


def test_every_page_has_a_chart_budget():
    assert set(app_pages()) == set(MIN_CHARTS)


@pytest.mark.parametrize("page_name", app_pages())
def test_page_on_a_projector(page, app_url, page_name):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/{page_path(page_name)}")
    wait_settled(page, timeout_ms=180_000)
    assert_no_exception(page)
    charts = page.locator(".js-plotly-plot").count()
    assert charts >= MIN_CHARTS[page_name], charts
    # legible on a projector: body text at least 14 px
    size = page.evaluate("""() => parseFloat(getComputedStyle(
        document.querySelector('[data-testid="stMarkdownContainer"] p') || document.body).fontSize)""")
    assert size >= 14
    full_page_screenshot(page, ARTIFACTS / f"desktop-{page_name}.png")


@pytest.mark.parametrize("page_name", app_pages())
def test_page_on_a_phone(browser, app_url, page_name):
    with phone_page(browser) as page:
        page.goto(f"{app_url}/{page_path(page_name)}")
        wait_settled(page, timeout_ms=180_000)
        assert_no_exception(page)
        # the page itself must not scroll sideways (wide tables/charts may scroll inside their own frame)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 2, f"{overflow}px of horizontal overflow"
        assert page.locator("h1").count() >= 1 and page.locator("h1").first.is_visible()
        full_page_screenshot(page, ARTIFACTS / f"phone-{page_name}.png")
