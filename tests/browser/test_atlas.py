"""The Feature Redundancy page's Atlas tab in a real browser, on its own offline server (EFFVIZ_OFFLINE=1): the
atlas of EfficientNet-Lite0 (ImageNet, the offline fallback) beside the same network untrained, its totals,
charts and table; a click on a scatter point opens that layer in the single-layer views; a broken photo gets the
page's message. Projector (1920x1080) and phone (390x844), English and 简体中文; screenshots in test-artifacts/."""
from __future__ import annotations

import pytest

from tests.browser.conftest import (
    ARTIFACTS,
    PHONE,
    assert_no_exception,
    full_page_screenshot,
    phone_page,
    wait_settled,
)

TAB = {"en": "Atlas: every layer", "zh": "全网图谱：逐层"}
SETTLE_MS = 300_000


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def open_atlas(page, url: str, lang: str = "en", query: str = "") -> None:
    page.goto(f"{url}/feature_redundancy?lang={lang}{query}")
    wait_settled(page, timeout_ms=SETTLE_MS)
    page.get_by_role("tab", name=TAB[lang]).click()
    wait_settled(page, timeout_ms=SETTLE_MS)
    assert_no_exception(page)


def test_atlas_on_a_projector_and_a_click_opens_the_layer(page, offline_url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_atlas(page, offline_url)
    text = main_text(page)
    assert "EfficientNet-Lite0" in text and "not available offline" in text     # which weights are on screen
    assert "Network MACs" in text and "untrained:" in text and "Convolutions replaced" in text
    charts = page.locator(".js-plotly-plot")
    assert charts.count() == 3
    assert page.locator('[data-testid="stDownloadButton"]').count() == 1     # the table's CSV
    full_page_screenshot(page, ARTIFACTS / "atlas-projector-en.png")
    scatter = charts.nth(2)
    scatter.scroll_into_view_if_needed()
    scatter.screenshot(path=str(ARTIFACTS / "atlas-scatter.png"))
    charts.nth(0).screenshot(path=str(ARTIFACTS / "atlas-depth.png"))
    # click the point that saves the most MACs (right-most) in the trained series
    box = page.evaluate("""() => {
        const plot = document.querySelectorAll('.js-plotly-plot')[2];
        const pts = [...plot.querySelectorAll('g.trace.scatter')[0].querySelectorAll('path.point')];
        const r = pts.map(p => p.getBoundingClientRect()).sort((a, b) => b.x - a.x)[0];
        return {x: r.x + r.width / 2, y: r.y + r.height / 2};
    }""")
    page.mouse.click(box["x"], box["y"])
    wait_settled(page, timeout_ms=SETTLE_MS)
    assert_no_exception(page)
    selected = page.get_by_role("tab", selected=True).inner_text()
    assert selected == "Ghost reconstruction"
    text = main_text(page)
    assert "Intrinsic maps m" in text
    layer = page.url.split("fr_layer=")[1].split("&")[0]
    assert layer.endswith(".conv")                                 # a conv (not a block), and in the link
    assert layer in main_text(page) or page.get_by_text(layer).count() >= 1
    page.screenshot(path=str(ARTIFACTS / "atlas-opened-layer.png"))


def test_chinese_on_a_projector(page, offline_url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_atlas(page, offline_url, "zh")
    text = main_text(page)
    assert "全网 MACs" in text and "未训练" in text
    full_page_screenshot(page, ARTIFACTS / "atlas-projector-zh.png")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_on_a_phone(browser, offline_url, lang):
    with phone_page(browser) as page:
        open_atlas(page, offline_url, lang)
        assert page.locator(".js-plotly-plot").count() == 3
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, f"the page scrolls sideways on a phone ({width} px)"
        full_page_screenshot(page, ARTIFACTS / f"atlas-phone-{lang}.png")


def test_a_broken_photo_gets_the_pages_message(page, offline_url, tmp_path):
    open_atlas(page, offline_url, query="&fr_net=efficientnet_lite0&fr_weights=untrained")
    page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').nth(0).click()
    page.get_by_role("option", name="Upload your own…").click()
    wait_settled(page, timeout_ms=SETTLE_MS)
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(bad))
    wait_settled(page, timeout_ms=SETTLE_MS)
    assert_no_exception(page)
    assert "This image cannot be used" in main_text(page)


def test_a_progress_bar_while_the_atlas_is_computed(page, offline_url):
    page.goto(f"{offline_url}/feature_redundancy?fr_net=efficientnet_lite0&fr_weights=untrained&fr_s=3&fr_d=7")
    wait_settled(page, timeout_ms=SETTLE_MS)
    page.get_by_role("tab", name=TAB["en"]).click()
    bar = page.locator('[data-testid="stProgress"]')
    bar.first.wait_for(state="visible", timeout=60_000)       # s = 3, d = 7 is not in the cache yet
    assert "Atlas of EfficientNet-Lite0 · untrained: convolution" in bar.first.inner_text()
    wait_settled(page, timeout_ms=SETTLE_MS)
    assert bar.count() == 0 and page.locator(".js-plotly-plot").count() == 3
