"""The Network Explorer with one's own network in a real browser: a timm architecture from a link, searching timm,
and an ONNX file uploaded (a bad one, then a good one), in English and Chinese."""
from __future__ import annotations

from urllib.parse import unquote

from tests.browser.conftest import ARTIFACTS, assert_no_exception, full_page_screenshot, wait_settled
from tests.test_onnx_bad_files import custom_op, good


def metric_value(page, label: str) -> str:
    tile = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return tile.locator('[data-testid="stMetricValue"]').inner_text()


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_a_timm_link_and_a_search(page, app_url):
    page.goto(f"{app_url}/network_explorer?nx_net=timm/ghostnet_100")
    wait_settled(page, timeout_ms=180_000)                 # the first timm use imports timm (seconds)
    assert_no_exception(page)
    assert metric_value(page, "MACs") == "141 M"           # GhostNet 1.0×: the paper's 141 M
    assert "nx_net=timm/ghostnet_100" in unquote(page.url)
    assert "timm" in main_text(page) and page.locator(".js-plotly-plot").count() >= 2
    full_page_screenshot(page, ARTIFACTS / "own_network-timm.png")
    page.get_by_label("Search timm", exact=True).and_(page.locator("input")).fill("lcnet 100")
    page.keyboard.press("Enter")
    wait_settled(page, timeout_ms=120_000)
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Architecture").first
    box.click()
    page.get_by_role("option", name="lcnet_100", exact=True).click()
    wait_settled(page, timeout_ms=120_000)
    assert_no_exception(page)
    assert "nx_net=timm/lcnet_100" in unquote(page.url)


def test_uploading_onnx_files(page, app_url, tmp_path):
    page.goto(f"{app_url}/network_explorer?nx_src=onnx")
    wait_settled(page)
    assert_no_exception(page)
    assert "torch.onnx.export" in main_text(page)
    uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]').first
    bad = tmp_path / "notes.onnx"
    bad.write_bytes(b"lecture notes, not a network\n" * 50)
    uploader.set_input_files(str(bad))
    wait_settled(page)
    assert_no_exception(page)
    assert "not an ONNX model" in main_text(page)
    custom = tmp_path / "custom.onnx"
    custom.write_bytes(custom_op())
    uploader.set_input_files(str(custom))
    wait_settled(page)
    assert_no_exception(page)
    assert "MagicActivation" in main_text(page) and "not counted" in main_text(page)
    ok = tmp_path / "tiny.onnx"
    ok.write_bytes(good())
    uploader.set_input_files(str(ok))
    wait_settled(page)
    assert_no_exception(page)
    assert metric_value(page, "MACs") == "55.4 K"          # 8·27·16·16 + 80 = 55,376
    assert "nx_src=onnx" in page.url
    full_page_screenshot(page, ARTIFACTS / "own_network-onnx.png")


def test_own_network_in_chinese(page, app_url):
    page.goto(f"{app_url}/network_explorer?lang=zh&nx_src=onnx")
    wait_settled(page)
    assert_no_exception(page)
    text = main_text(page)
    assert "我的 ONNX 模型" in text and "任意 timm 架构" in text


def test_latency_lab_times_an_onnx_file(page, app_url, tmp_path):
    page.goto(f"{app_url}/latency_lab?lat_effort=quick")
    wait_settled(page)
    ok = tmp_path / "tiny.onnx"
    ok.write_bytes(good())
    page.locator('[data-testid="stFileUploader"] input[type="file"]').last.set_input_files(str(ok))
    wait_settled(page)
    page.get_by_role("button", name="Measure").last.click()
    wait_settled(page, timeout_ms=120_000)
    assert_no_exception(page)
    assert "onnxruntime" in main_text(page) and "1 intra-op thread" in main_text(page)


def test_feature_redundancy_reads_an_onnx_files_maps(page, app_url, tmp_path):
    page.goto(f"{app_url}/feature_redundancy?fr_net=onnx&fr_image=cat")
    wait_settled(page)
    assert_no_exception(page)
    ok = tmp_path / "tiny.onnx"
    ok.write_bytes(good())
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(ok))
    wait_settled(page, timeout_ms=120_000)
    assert_no_exception(page)
    text = main_text(page)
    assert "tiny.onnx" in text and "onnxruntime" in text and "8 × 16×16" in text
    full_page_screenshot(page, ARTIFACTS / "own_network-redundancy.png")
