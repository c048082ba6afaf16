"""The Latency Lab's "where the time and the memory go" section in a real browser, English and Chinese, desktop
and phone: the memory chart shows at once; a click profiles MobileNetV2's layers and draws the time-by-kind
chart and the roofline; with the zoo measured, the ridge slider's ranking prints its Spearman correlation."""
from __future__ import annotations

from effviz import networks
from tests.browser.conftest import assert_no_exception, phone_page, wait_settled

SHOTS = "test-artifacts"


def section_tabs(page):
    return page.locator('[data-testid="stTabs"]').last


def shoot(page, locator, path):
    """What a user sees with `locator` scrolled to the top of the window."""
    locator.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(600)
    page.screenshot(path=path)


def shoot_tabs(page, names, prefix):
    tabs = section_tabs(page)
    for label, file in names:
        tabs.get_by_role("tab", name=label).click()
        wait_settled(page)
        assert_no_exception(page)
        shoot(page, tabs, f"{SHOTS}/{prefix}-{file}.png")
        if file == "roofline":   # the zoo re-ranked by the ridge slider, below the roofline
            shoot(page, tabs.locator(".js-plotly-plot").nth(1), f"{SHOTS}/{prefix}-ranking.png")


def measure_peak(page, tab, button, eager_text, prefix):
    """On the memory tab: measure the real peak (a fresh process) and shoot the measured and eager texts. The
    layers were profiled on an earlier run: the click's run must leave the memory tab open (it is where the
    result is)."""
    section_tabs(page).get_by_role("tab", name=tab).click()
    wait_settled(page)
    page.get_by_role("button", name=button).click()
    found = page.get_by_text(eager_text).first
    found.wait_for(timeout=300_000)
    wait_settled(page)
    assert_no_exception(page)
    found.evaluate("e => e.scrollIntoView({block: 'end'})")    # the measured text above it in view too
    page.wait_for_timeout(600)
    page.screenshot(path=f"{SHOTS}/{prefix}-measured-peak.png")


def test_layers_roofline_and_memory_in_english_and_chinese(page, app_url):
    page.goto(f"{app_url}/latency_lab?lat_effort=quick")
    wait_settled(page)
    assert_no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    assert "Where the time and the memory go" in main.inner_text()
    page.get_by_text("Show per-layer time, the roofline").click()
    wait_settled(page)
    tabs = section_tabs(page)
    tabs.get_by_role("tab", name="Peak memory").click()
    wait_settled(page)
    assert "Predicted peak:" in main.inner_text()
    assert tabs.locator(".js-plotly-plot").count() >= 1

    zoo = len(networks.names())  # the button names how many networks it times
    page.get_by_role("button", name=f"Measure the {zoo} networks").click()
    page.get_by_text("change place between the two rankings").first.wait_for(timeout=300_000)
    wait_settled(page)
    page.get_by_role("button", name="Profile every layer").click()
    page.get_by_text("One pass took").first.wait_for(timeout=300_000)
    wait_settled(page)
    assert_no_exception(page)
    text = main.inner_text()
    assert "The slowest layer" in text and "Depthwise layers do" in text
    assert "is Python between layers, by the module whose forward ran it" in text
    tabs.get_by_role("tab", name="Roofline").click()
    wait_settled(page)
    assert "Spearman" in main.inner_text() and "MACs/byte" in main.inner_text()
    shoot_tabs(page, [("Time by layer", "time"), ("Roofline", "roofline"), ("Peak memory", "memory"),
                      ("Other hardware", "hardware")],
               "latency-layers-en")
    measure_peak(page, "Peak memory", "Measure the real peak", "Predicted for eager PyTorch instead",
                 "latency-layers-en")

    # the same results in Chinese come from the shared cache: no second measurement
    page.goto(f"{app_url}/latency_lab?lat_effort=quick&lang=zh")
    wait_settled(page)
    page.get_by_text("显示逐层时间").click()
    wait_settled(page)
    page.get_by_role("button", name="逐层分析").click()
    page.get_by_text("一次推理用时").first.wait_for(timeout=120_000)
    wait_settled(page)
    assert_no_exception(page)
    assert "层与层之间的 Python" in main.inner_text()
    shoot_tabs(page, [("逐层时间", "time"), ("屋顶线", "roofline"), ("峰值内存", "memory"), ("其他硬件", "hardware")],
               "latency-layers-zh")
    measure_peak(page, "峰值内存", "测量真实峰值", "若按 PyTorch 动态图的方式预测", "latency-layers-zh")


def test_memory_chart_on_a_phone(browser, app_url):
    with phone_page(browser) as page:
        page.goto(f"{app_url}/latency_lab?lat_effort=quick")
        wait_settled(page)
        page.get_by_text("Show per-layer time, the roofline").click()
        wait_settled(page)
        tabs = section_tabs(page)
        tabs.get_by_role("tab", name="Peak memory").click()
        wait_settled(page)
        assert_no_exception(page)
        shoot(page, tabs, f"{SHOTS}/latency-layers-phone-memory.png")
        tabs.get_by_role("tab", name="Time by layer").click()
        page.get_by_role("button", name="Profile every layer").click()
        page.get_by_text("One pass took").first.wait_for(timeout=120_000)
        wait_settled(page)
        assert_no_exception(page)
        shoot(page, tabs, f"{SHOTS}/latency-layers-phone-time.png")
