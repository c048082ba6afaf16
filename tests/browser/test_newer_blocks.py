"""The three newer block families' diagrams and the Playground's re-parameterisation section, drawn by the
browser in English and Chinese on a projector (1440×900) and a phone (390×844). Screenshots go to
test-artifacts/newer-*.png."""
from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, assert_no_exception, wait_settled

VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
FAMILIES = {
    "partial_conv": dict(c_in=64, c_out=64, kernel=3, n_div=4, expansion=2.0),
    "uib": dict(c_in=64, c_out=64, dw_start=3, dw_mid=5, expansion=4.0),
    "ghost_v2": dict(c_in=64, c_out=128, ratio=2, kernel=1),
}
CHART = '[data-testid="stGraphVizChart"]'


def grow_and_shoot(page, locator, path, width: int) -> None:
    """The element alone, the window first grown to the page's height (Streamlit scrolls inside its main block)."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 16000)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(path), clip=locator.bounding_box())


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_newer_diagrams_and_the_folding_section(page, app_url, viewport, lang):
    size = VIEWPORTS[viewport]
    for family, params in FAMILIES.items():
        page.set_viewport_size(size)
        query = "&".join(f"{k}={v}" for k, v in {"family": family, **params, "lang": lang}.items())
        page.goto(f"{app_url}/playground?{query}")
        wait_settled(page)
        assert_no_exception(page)
        page.wait_for_selector(f"{CHART} svg g.node")
        words = page.evaluate(f"() => document.querySelector('{CHART} svg').textContent")
        assert ("参数" in words) == (lang == "zh"), family
        if family == "ghost_v2":
            assert ("DFC 注意力" if lang == "zh" else "DFC attention") in words
            assert "1×5" in words and "5×1" in words
        grow_and_shoot(page, page.locator(CHART).first, ARTIFACTS / f"newer-{family}-{lang}-{viewport}.png",
                       size["width"])
    # the re-parameterisation section: two diagrams, the kernels that add up, the proof and the table
    page.set_viewport_size(size)
    page.goto(f"{app_url}/playground?family=standard&rep_c=16&rep_k=3&rep_hw=28&lang={lang}")
    wait_settled(page)
    assert_no_exception(page)
    page.wait_for_selector(f"{CHART} >> nth=2")

    text = page.locator('[data-testid="stMain"]').inner_text()
    assert ("折叠分支" if lang == "zh" else "Folding branches") in text
    assert ("两种形式" if lang == "zh" else "Both forms on the same random") in text
    anchor = page.get_by_text("折叠分支：结构重参数化" if lang == "zh" else "Folding branches: re-parameterisation")
    anchor.scroll_into_view_if_needed()
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 16000)})
    page.wait_for_timeout(500)
    top = anchor.bounding_box()["y"]
    table = page.locator('[data-testid="stTable"]').last.bounding_box()
    bottom = table["y"] + table["height"] + 60
    page.screenshot(path=str(ARTIFACTS / f"newer-reparam-{lang}-{viewport}.png"),
                    clip={"x": 0, "y": top - 10, "width": size["width"], "height": bottom - top})

