"""Feature Redundancy lab in a real browser, on its own offline server (EFFVIZ_OFFLINE=1: no download is
attempted): the default view names the network and weights on screen, an uploaded photo is analysed, a broken
upload gives a message, and the Ghost reconstruction tab draws its charts. Screenshots in test-artifacts/."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image

from tests.browser.conftest import (
    ARTIFACTS,
    assert_no_exception,
    wait_settled,
)


def snap(page, name: str, index: int = 0) -> None:
    """Screenshot of one chart (the main area scrolls inside the page, so a full-page shot misses it)."""
    chart = page.locator(".js-plotly-plot").nth(index)
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=str(ARTIFACTS / name))


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def open_lab(page, url: str, query: str = "") -> None:
    page.goto(f"{url}/feature_redundancy{query}")
    wait_settled(page, timeout_ms=180_000)
    assert_no_exception(page)


def choose(page, select_index: int, option: str) -> None:
    page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').nth(select_index).click()
    page.get_by_role("option", name=option).click()
    wait_settled(page, timeout_ms=180_000)


def photo_png() -> bytes:
    y, x = np.mgrid[0:160, 0:200]
    rgb = np.stack([(x * 255 // 199), (y * 255 // 159), ((x + y) % 32) * 8], axis=-1).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "PNG")
    return buf.getvalue()


def test_default_view_names_network_and_weights(page, offline_url):
    open_lab(page, offline_url)
    text = main_text(page)
    assert "EfficientNet-Lite0" in text and "not available offline" in text
    assert "The network sees" in text
    assert page.locator(".js-plotly-plot").count() >= 1      # the feature-map grid
    page.screenshot(path=str(ARTIFACTS / "feature_redundancy-default.png"), full_page=True)
    snap(page, "feature_redundancy-grid.png")


def test_uploaded_photo_is_analysed_and_a_broken_one_refused(page, offline_url, tmp_path):
    open_lab(page, offline_url, "?fr_weights=untrained")
    choose(page, 0, "Upload your own…")
    good = tmp_path / "gradient.png"
    good.write_bytes(photo_png())
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(good))
    wait_settled(page, timeout_ms=180_000)
    assert_no_exception(page)
    text = main_text(page)
    assert "256 × 56×56" in text and "untrained" in text
    bad = tmp_path / "broken.png"
    bad.write_bytes(photo_png()[:300])
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(bad))
    wait_settled(page, timeout_ms=180_000)
    assert_no_exception(page)
    assert "truncated or corrupt" in main_text(page)
    page.screenshot(path=str(ARTIFACTS / "feature_redundancy-broken-upload.png"), full_page=True)


def test_ghost_tab_draws_reconstruction_and_error_charts(page, offline_url):
    open_lab(page, offline_url)
    page.get_by_role("tab", name="Ghost reconstruction").click()
    wait_settled(page, timeout_ms=180_000)
    assert_no_exception(page)
    text = main_text(page)
    assert "Intrinsic maps m" in text and "untrained:" in text
    assert page.locator(".js-plotly-plot").count() >= 3      # examples + error vs d + error vs s
    page.get_by_text("Intrinsic maps m").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "feature_redundancy-ghost.png"))
    snap(page, "feature_redundancy-ghost-examples.png", 0)
    snap(page, "feature_redundancy-ghost-curves.png", 1)


def test_similarity_heatmap_tab(page, offline_url):
    open_lab(page, offline_url, "?fr_weights=untrained&fr_metric=ssim")
    page.get_by_role("tab", name="Similarity heatmap").click()
    wait_settled(page, timeout_ms=180_000)
    assert_no_exception(page)
    assert page.locator(".js-plotly-plot").count() >= 2      # heatmap + nearest-neighbour histogram
    page.screenshot(path=str(ARTIFACTS / "feature_redundancy-similarity.png"), full_page=True)
    snap(page, "feature_redundancy-heatmap.png", 0)
    snap(page, "feature_redundancy-histogram.png", 1)
