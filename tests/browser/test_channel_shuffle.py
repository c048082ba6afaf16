"""Channel Shuffle in a real browser: the animation plays client-side (no Streamlit rerun) and ends on the
shuffled order; sliders and links drive the verdicts."""
from __future__ import annotations

import time

import torch

from effviz.shuffle import channel_shuffle
from tests.browser.conftest import ARTIFACTS, assert_no_exception, wait_settled

_TRACE_JS = """() => {
  const gd = document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')[0];
  const t = gd.data[0];
  return [Array.from(t.x), Array.from(t.y), t.customdata.map(c => c[0])];
}"""
_STEP_JS = """() => {
  const gd = document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')[0];
  return gd.querySelector('.slider-container text.slider-label').textContent;
}"""


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def full_screenshot(page, name: str) -> None:
    """Streamlit scrolls inside its main block, so a full-page shot needs a viewport as tall as the content."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": min(max(int(height), 1000), 8000)})
    wait_settled(page, quiet_ms=500)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def slider(page, label: str):
    return page.locator('[data-testid="stSlider"]').filter(has_text=label).get_by_role("slider")


def test_channel_shuffle_animation_plays_in_the_browser(page, app_url):
    page.goto(f"{app_url}/channel_shuffle")
    wait_settled(page)
    assert_no_exception(page)
    assert page.locator('[data-testid="stMain"] .js-plotly-plot').count() == 7
    assert page.evaluate(_STEP_JS) == "Step: input"
    plot = page.locator('[data-testid="stMain"] .js-plotly-plot').first
    plot.locator(".updatemenu-button").first.click()  # ▶ Play
    reruns = 0
    deadline = time.monotonic() + 30
    while page.evaluate(_STEP_JS) != "Step: flatten" and time.monotonic() < deadline:
        reruns += page.locator('[data-testid="stStatusWidget"]').count()
        time.sleep(0.1)
    time.sleep(1.2)  # let the last transition finish
    assert page.evaluate(_STEP_JS) == "Step: flatten"
    assert reruns == 0, "playing the animation must not rerun the Streamlit script"
    xs, ys, ids = page.evaluate(_TRACE_JS)
    assert len(set(ys)) == 1
    shown = [ch for _, ch in sorted(zip(xs, ids, strict=True))]
    assert shown == channel_shuffle(torch.arange(12).reshape(1, 12), 3)[0].tolist()
    page.screenshot(path=str(ARTIFACTS / "channel_shuffle-animation-played.png"))


def test_channel_shuffle_sliders_drive_the_verdicts(page, app_url):
    page.goto(f"{app_url}/channel_shuffle?shuffle_channels=8&shuffle_groups=4")
    wait_settled(page)
    assert_no_exception(page)
    text = main_text(page)
    assert "With shuffle: output channel 5 sees 2 of 4 groups" in text
    assert "C/g = 2 < g = 4" in text
    layers = slider(page, "Stacked group convs")
    layers.focus()
    page.keyboard.press("ArrowRight")  # 2 -> 3 layers
    wait_settled(page)
    assert_no_exception(page)
    text = main_text(page)
    assert "With shuffle: output channel 5 sees all 4 groups" in text
    assert "Without shuffle: output channel 5 sees 1 of 4 groups" in text
    assert "shuffle_layers=3" in page.url
    full_screenshot(page, "channel_shuffle-8-channels-4-groups-3-layers.png")


def test_channel_shuffle_bad_url_gives_notices(page, app_url):
    page.goto(f"{app_url}/channel_shuffle?shuffle_channels=abc&shuffle_groups=5&shuffle_output=99")
    wait_settled(page)
    assert_no_exception(page)
    text = main_text(page)
    assert "shuffle_channels=abc" in text and "shuffle_groups=5" in text and "shuffle_output=99" in text
    assert "sees all 4 groups" not in text and "output channel 11" in text


def test_channel_shuffle_in_chinese(page, app_url):
    page.goto(f"{app_url}/channel_shuffle?lang=zh&shuffle_channels=24&shuffle_groups=4")
    wait_settled(page)
    assert_no_exception(page)
    text = main_text(page)
    assert "通道重排" in text and "能看到全部 4 个组" in text
    full_screenshot(page, "channel_shuffle-zh.png")
