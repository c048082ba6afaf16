"""The shell around the pages: landing page, language switch, shareable links."""
from __future__ import annotations

from tests.browser.conftest import assert_no_exception, wait_settled


def test_landing_page_links_into_the_story(page, app_url):
    page.goto(app_url)
    wait_settled(page)
    assert_no_exception(page)
    links = page.locator('[data-testid="stPageLink"]')
    assert links.count() >= 6
    page.locator('[data-testid="stPageLink"]').filter(has_text="112 vs 46").click()
    wait_settled(page)
    assert_no_exception(page)
    assert "/playground" in page.url and "c_in=3" in page.url
    tile = page.locator('[data-testid="stMetric"]').filter(has_text="Parameters").first
    assert tile.locator('[data-testid="stMetricValue"]').inner_text() == "46"


def test_language_switch_to_chinese_and_back(page, app_url):
    page.goto(f"{app_url}/playground")
    wait_settled(page)
    assert page.locator("h1").first.inner_text() == "Conv Playground"
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="简体中文").click()
    wait_settled(page)
    assert_no_exception(page)
    assert page.locator("h1").first.inner_text() == "卷积游乐场"
    assert "lang=zh" in page.url
    # keyed selectboxes show their options in the new language too (not the label from before the switch)
    family = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"] input').first
    assert family.input_value() == "深度可分离卷积"
    page.screenshot(path="test-artifacts/playground-zh.png")


def test_share_box_carries_the_view(page, app_url):
    page.goto(f"{app_url}/playground?family=group&c_in=96&c_out=96&groups=8")
    wait_settled(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stExpander"] summary').first.click()
    code = page.locator('[data-testid="stSidebar"] [data-testid="stCode"]').first.inner_text()
    assert "/playground?" in code and "groups=8" in code and "c_in=96" in code
    # Opening that link in a fresh session restores the same numbers.
    metric = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    fresh = page.context.new_page()
    fresh.goto(code.strip())
    wait_settled(fresh)
    assert fresh.locator('[data-testid="stMetricValue"]').first.inner_text() == metric
    fresh.close()


def test_page_values_survive_a_round_trip_through_the_sidebar(page, app_url):
    page.goto(f"{app_url}/playground?c_in=32&family=group&c_out=96&groups=8")
    wait_settled(page)
    before = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Start here").click()
    wait_settled(page)
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Conv Playground").click()
    wait_settled(page)
    assert_no_exception(page)
    assert page.locator('[data-testid="stMetricValue"]').first.inner_text() == before
    assert "groups=8" in page.url and "c_in=32" in page.url
