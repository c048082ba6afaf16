"""Issue 21, item 5: "Share this view" promises exactly this page with these settings. Open a view, open a tab and
choose in it as a user does (clicks), press "Share this view", open that link in a fresh browser context (a new
session, as a student would), and compare what is on screen: the open tab, the metrics, the chosen options."""
from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, assert_no_exception, full_page_screenshot, wait_settled

SETTLE_MS = 240_000

# what is compared: the selected tab of every tab bar, the metric values, the selectboxes' shown values, the
# radios' checked options, the toggles' states, the diagrams drawn (their first node labels)
SCREEN_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const text = (els) => [...els].map(e => (e.innerText || e.textContent || '').trim());
  return {
    tabs: text(main.querySelectorAll('[role="tab"][aria-selected="true"]')),
    metrics: text(main.querySelectorAll('[data-testid="stMetricValue"]')),
    selects: text(main.querySelectorAll('[data-testid="stSelectbox"] [data-baseweb="select"]')),
    radios: [...main.querySelectorAll('[data-testid="stRadio"] input:checked')].map(e => e.value),
    toggles: [...main.querySelectorAll('[data-testid="stCheckbox"] input, [data-testid="stToggle"] input')]
             .map(e => e.checked),
    diagrams: main.querySelectorAll('[data-testid="stGraphVizChart"]').length,
    charts: main.querySelectorAll('.js-plotly-plot').length,
  };
}"""


def shared_link(page) -> str:
    page.locator('[data-testid="stSidebar"] [data-testid="stExpander"] summary').first.click()
    return page.locator('[data-testid="stSidebar"] [data-testid="stCode"]').first.inner_text().strip()


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_settled(page, timeout_ms=SETTLE_MS)


VIEWS = {
    # view, then the clicks a user makes on it
    "network_graph": ("network_explorer?nx_net=resnet50", [("tab", "Graph")]),
    "network_compare": ("network_explorer?nx_net=ghostnet", [("tab", "Compare")]),
    "playground_crossover": ("playground?family=ghost_module", [("tab", "5×5 vs two 3×3")]),
    "playground_sweep": ("playground?family=mbconv", [("tab", "Sweep a parameter"), ("radio", "Parameters")]),
    "redundancy_pairs": ("feature_redundancy?fr_net=efficientnet_lite0&fr_weights=untrained",
                         [("tab", "Most similar pairs")]),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(VIEWS))
def test_a_shared_link_reproduces_the_view_tabs_included(browser, app_url, name):
    view, clicks = VIEWS[name]
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    fresh_context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page.goto(f"{app_url}/{view}")
        wait_settled(page, timeout_ms=SETTLE_MS)
        for kind, label in clicks:
            if kind == "tab":
                open_tab(page, label)
            else:
                radio = page.locator('[data-testid="stMain"] [data-testid="stRadio"] label')
                radio.filter(has_text=label).first.click()
                wait_settled(page, timeout_ms=SETTLE_MS)
        assert_no_exception(page)
        before = page.evaluate(SCREEN_JS)
        link = shared_link(page)
        assert link.startswith(app_url)

        fresh = fresh_context.new_page()
        fresh.set_default_timeout(60_000)
        fresh.goto(link)
        wait_settled(fresh, timeout_ms=SETTLE_MS)
        assert_no_exception(fresh)
        after = fresh.evaluate(SCREEN_JS)
        full_page_screenshot(fresh, ARTIFACTS / f"roundtrip-{name}.png")
        assert after == before, (link, before, after)
        assert [label for kind, label in clicks if kind == "tab"][-1] in after["tabs"]
    finally:
        fresh_context.close()
        context.close()
