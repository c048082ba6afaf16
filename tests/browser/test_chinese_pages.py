"""Every page in 简体中文 at 1440×900 (a laptop on a projector) and 390×844 (a phone): loads, settles, no
exception, and no raw part ids, Python values or half-width punctuation beside Chinese in the visible text.
Screenshots go to test-artifacts/zh-<width>-<page>.png."""
from __future__ import annotations

import os

import pytest

from tests.browser.conftest import ARTIFACTS, assert_no_exception, full_page_screenshot, wait_settled
from tests.test_chinese_house_rules import leaks_in_rendered_text
from tests.test_robustness_urls import app_pages, page_path

SIZES = {"1440": {"width": 1440, "height": 900}, "390": {"width": 390, "height": 844}}


@pytest.mark.slow
@pytest.mark.parametrize("size", tuple(SIZES))
@pytest.mark.parametrize("page_name", app_pages())
def test_page_in_chinese(browser, app_url, page_name, size):
    phone = size == "390"
    context = browser.new_context(viewport=SIZES[size], device_scale_factor=2 if phone else 1,
                                  is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{app_url}/{page_path(page_name)}?lang=zh")
        wait_settled(page, timeout_ms=180_000)
        assert_no_exception(page)
        text = page.locator('[data-testid="stMain"]').inner_text()
        suffix = os.environ.get("EFFVIZ_SHOT_SUFFIX", "")
        full_page_screenshot(page, ARTIFACTS / f"zh-{size}-{page_name}{suffix}.png")
        assert not leaks_in_rendered_text(text), leaks_in_rendered_text(text)
    finally:
        context.close()
