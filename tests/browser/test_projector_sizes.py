"""Projector and phone sizes (issue 21, item 2): every text in a figure or diagram at least 12 px at 1440x900,
formulas that fit their box (wrapped, never cut off behind a scrollbar), nothing cut off at a phone's right edge.

The size of a text is measured as the browser draws it: its font size times the scale of its SVG (a Graphviz
diagram is scaled down to fit its column; at 1440x900 the Ghost bottleneck's labels came out about 7 px)."""
from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, assert_no_exception, full_page_screenshot, phone_page, wait_settled

MIN_PX = 12
PROJECTOR = {"width": 1440, "height": 900}

# every figure of every page's default view, the Playground's families (their diagrams differ most), and the
# views a class opens from a link
VIEWS = [
    "", "playground", "playground?family=ghost_bottleneck", "playground?family=mbconv",
    "playground?family=ghost_module&stride=2", "playground?family=shuffle_v1", "playground?family=group",
    "network_explorer", "network_explorer?nx_tab=graph", "network_explorer?nx_tab=zoo", "channel_shuffle",
    "feature_redundancy", "feature_redundancy?fr_tab=atlas&fr_net=efficientnet_lite0&fr_weights=untrained",
    "latency_lab", "exercises",
]

# (figure kind, smallest text in px, that text) for every Plotly chart and Graphviz diagram on the page
SIZES_JS = """() => {
  const out = [];
  const figures = [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot, '
                                               + '[data-testid="stMain"] [data-testid="stGraphVizChart"]')];
  for (const fig of figures) {
    let min = Infinity, which = '';
    for (const t of fig.querySelectorAll('svg text')) {
      const text = (t.textContent || '').trim();
      const box = t.getBoundingClientRect();
      if (!text || box.width === 0 || box.height === 0) continue;
      const ctm = t.getScreenCTM();
      const px = parseFloat(getComputedStyle(t).fontSize) * (ctm ? Math.hypot(ctm.a, ctm.b) : 1);
      if (px < min) { min = px; which = text; }
    }
    if (min < Infinity) out.push([fig.classList.contains('js-plotly-plot') ? 'plotly' : 'graphviz', min, which]);
  }
  return out;
}"""

# formulas whose rendering is wider than the box they are in (cut off, or behind a scrollbar)
FORMULAS_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] .katex-display')].map(k => {
  const box = k.parentElement.getBoundingClientRect();
  const inner = k.querySelector('.katex-html') || k;
  return [inner.scrollWidth, Math.round(box.width), (k.textContent || '').slice(0, 60)];
}).filter(([w, box]) => w > box + 2)"""

# texts cut off at the right edge of the window (a phone): labels, table cells, chart texts
CUT_JS = """() => {
  const right = window.innerWidth;
  const out = [];
  for (const el of document.querySelectorAll('[data-testid="stMain"] label, [data-testid="stMain"] td, '
                                             + '[data-testid="stMain"] th, [data-testid="stMain"] svg text')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > right + 1 && !el.closest('[data-testid="stDataFrame"]')) {
      out.push([(el.textContent || '').trim().slice(0, 40), Math.round(r.right)]);
    }
  }
  return out.slice(0, 10);
}"""


def slug(view: str) -> str:
    return (view or "home").replace("?", "-").replace("&", "-").replace("=", "_")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("view", VIEWS)
def test_figures_are_readable_on_a_projector(browser, app_url, view, lang):
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        join = "&" if "?" in view else "?"
        page.goto(f"{app_url}/{view}{join}lang={lang}")
        wait_settled(page, timeout_ms=180_000)
        assert_no_exception(page)
        full_page_screenshot(page, ARTIFACTS / f"projector-{slug(view)}-{lang}.png")
        small = [s for s in page.evaluate(SIZES_JS) if s[1] < MIN_PX - 0.05]
        assert not small, f"text below {MIN_PX} px at 1440x900: {small}"
        wide = page.evaluate(FORMULAS_JS)
        assert not wide, f"formulas wider than their box: {wide}"
    finally:
        context.close()


PHONE_VIEWS = ["playground", "playground?family=ghost_bottleneck", "playground?family=depthwise_separable"]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("view", PHONE_VIEWS)
def test_nothing_is_cut_off_on_a_phone(browser, app_url, view, lang):
    with phone_page(browser) as page:
        join = "&" if "?" in view else "?"
        page.goto(f"{app_url}/{view}{join}lang={lang}")
        wait_settled(page, timeout_ms=180_000)
        assert_no_exception(page)
        full_page_screenshot(page, ARTIFACTS / f"phone-{slug(view)}-{lang}.png")
        wide = page.evaluate(FORMULAS_JS)
        assert not wide, f"formulas wider than their box: {wide}"
        cut = page.evaluate(CUT_JS)
        assert not cut, f"cut off at the right edge: {cut}"
