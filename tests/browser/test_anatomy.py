"""Block and network diagrams drawn by the browser (st.graphviz_chart: Graphviz compiled to WebAssembly, no
system binaries): every family in English and Chinese on a projector and on a phone, and the graph of a large
network. Screenshots of each diagram go to test-artifacts/anatomy-*.png; render times to
test-artifacts/anatomy_render_times.txt."""
from __future__ import annotations

import time

import pytest

from effviz import blocks
from effviz.plots import anatomy
from tests.browser.conftest import ARTIFACTS, assert_no_exception, wait_settled

# Per family: slider values that make a valid block showing its paper's parts (a shortcut, a slice, ...).
QUERIES = {
    "standard": dict(c_in=64, c_out=128, norm=1, activation="relu"),
    "group": dict(c_in=64, c_out=128, groups=4),
    "depthwise_separable": dict(c_in=64, c_out=128, norm=1, activation="relu"),
    "shuffle_v1": dict(c_in=240, c_out=480, groups=3, stride=2),
    "shuffle_v2": dict(c_in=116, c_out=116),
    "ghost_module": dict(c_in=64, c_out=128, ratio=3),
    "ghost_bottleneck": dict(c_in=40, c_out=80, stride=2, expansion=3.0, se_ratio=0.25),
    "mbconv": dict(c_in=24, c_out=24, expansion=6.0, se_ratio=0.25, activation="swish"),
    "partial_conv": dict(c_in=64, c_out=64, kernel=3, n_div=4, expansion=2.0),
    "uib": dict(c_in=64, c_out=64, dw_start=3, dw_mid=5, expansion=4.0),
    "ghost_v2": dict(c_in=64, c_out=128, ratio=2),
}
VIEWPORTS = {"projector": {"width": 1920, "height": 1080}, "phone": {"width": 390, "height": 844}}
CHART = '[data-testid="stGraphVizChart"]'
SVG_GEOMETRY = f"""() => {{ const svg = document.querySelector('{CHART} svg');
    const box = svg.getBoundingClientRect();
    return [box.width, parseFloat(svg.getAttribute('width')) * 4 / 3, svg.querySelectorAll('g.node').length,
            svg.textContent]; }}"""


def test_queries_cover_every_family():
    assert set(QUERIES) == set(blocks.names())


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_block_diagram_renders(page, app_url, viewport, lang):
    page.set_viewport_size(VIEWPORTS[viewport])
    for family, params in QUERIES.items():
        spec = blocks.make(family, **{k: v for k, v in params.items() if k in blocks.field_names(family)})
        query = "&".join(f"{k}={v}" for k, v in {"family": family, **params, "lang": lang}.items())
        page.goto(f"{app_url}/playground?{query}")
        wait_settled(page)
        assert_no_exception(page)
        page.wait_for_selector(f"{CHART} svg g.node")
        shown, natural, nodes, words = page.evaluate(SVG_GEOMETRY)
        assert nodes == len(anatomy.boxes(spec.graph(56, 56))[0]), family
        assert ("参数" in words) == (lang == "zh") and ("params" in words) == (lang == "en"), family
        assert shown <= VIEWPORTS[viewport]["width"] - 16, "the diagram fits the screen's width"
        # Graphviz lays labels out at 15 pt; the browser scales the drawing to fit: readable text needs >= 11 px.
        text_px = 15 * 4 / 3 * min(1.0, shown / natural)
        assert text_px >= 11, (family, round(text_px, 1))
        shoot(page, ARTIFACTS / f"anatomy-{family}-{lang}-{viewport}.png", VIEWPORTS[viewport]["width"])
        page.set_viewport_size(VIEWPORTS[viewport])


def shoot(page, path, width: int) -> None:
    """The chart alone: the window grown to the page's height first (Streamlit scrolls inside its main block and
    its header would cover a scrolled element), then the chart's rectangle."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 16000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), clip=page.locator(CHART).first.bounding_box())


def _render_time(page, action) -> float:
    """Seconds from the graph's new DOT reaching the page to its SVG being drawn (a MutationObserver notes both)."""
    page.evaluate(f"""() => {{ window.__gv = null;
        const chart = () => document.querySelector('{CHART}');
        const seen = new Set([...document.querySelectorAll('{CHART} svg g.node')]);
        const t0 = {{}};
        const obs = new MutationObserver(() => {{
            const el = chart(); if (!el) return;
            const fresh = [...el.querySelectorAll('svg g.node')].filter(n => !seen.has(n));
            if (!t0.mark) t0.mark = performance.now();
            if (fresh.length) {{ window.__gv = [t0.mark, performance.now(), fresh.length]; obs.disconnect(); }}
        }});
        obs.observe(document.body, {{subtree: true, childList: true, attributes: true}}); }}""")
    action()
    page.wait_for_function("() => window.__gv !== null", timeout=60_000)
    start, end, _ = page.evaluate("() => window.__gv")
    return (end - start) / 1000


@pytest.mark.parametrize("network", ["xception", "resnext50_32x4d"])
def test_network_graph_of_a_large_network_renders(page, app_url, network):
    page.set_viewport_size(VIEWPORTS["projector"])
    page.goto(f"{app_url}/network_explorer?nx_net={network}")
    wait_settled(page)
    times = {}
    start = time.monotonic()
    times["collapsed"] = _render_time(page, lambda: page.get_by_role("tab", name="Graph").click())
    page.wait_for_selector(f"{CHART} svg g.node")
    wait_settled(page)
    times["collapsed, click to drawn"] = time.monotonic() - start
    assert_no_exception(page)
    collapsed = page.locator(f"{CHART} svg g.node").count()
    assert collapsed >= 16
    # open every stage: each block's layers drawn
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Open stages").first

    def open_all():
        box.locator("input").click()
        page.get_by_role("option", name="Select all").click()
        page.keyboard.press("Escape")

    # Each time runs from the first change on the page after the action to the new drawing: the rerun, the DOT's
    # trip and Graphviz's layout in the browser. The same path back to the collapsed graph is the baseline.
    times["all stages opened"] = _render_time(page, open_all)
    wait_settled(page)
    assert_no_exception(page)
    opened = page.locator(f"{CHART} svg g.node").count()
    assert opened > 2 * collapsed
    shoot(page, ARTIFACTS / f"anatomy-network-{network}-opened.png", 1920)
    page.set_viewport_size(VIEWPORTS["projector"])
    times["closed again (baseline)"] = _render_time(page, lambda: box.get_by_role("button", name="Clear all").click())
    wait_settled(page)
    assert page.locator(f"{CHART} svg g.node").count() == collapsed
    times["opened / baseline"] = times["all stages opened"] / times["closed again (baseline)"]
    with open(ARTIFACTS / "anatomy_render_times.txt", "a") as out:
        out.write("".join(f"{network}: {k}: {v:.3f}{'' if '/' in k else ' s'}\n" for k, v in times.items())
                  + f"{network}: {collapsed} nodes collapsed, {opened} opened\n")
