"""The first minute of a class: a worker warmed by deploy/serve.py (serve.warm_up: every page's default view run
once) gives each page's first student a run that loads no model and computes nothing the warm-up computed.

Checked through the app's computation log (EFFVIZ_COMPUTE_LOG, app_support/shell/cache.py: one line per real run of a
Streamlit-cached function, i.e. per cache miss: models, computations, disk reads, figures and tables), never
through a timing. Headless websocket sessions on a real `streamlit run app.py`; no browser."""
from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections import Counter

import pytest

from bench.ws_client import Session
from deploy import serve
from tests.browser.conftest import ARTIFACTS, run_async, serving_app
from tests.test_robustness_urls import app_pages, page_path

# what a page's default view must have made the warm-up do, so that this test can fail: loaded a model,
# profiled a network, measured channel connectivity, built figures
EXPECTED_IN_WARM_UP = {"cache.redundancy_model", "cache.redundancy_features", "cache.network_profile",
                       "cache.shuffle_unit", "figures._built"}
MODEL_LOADS = {"cache.redundancy_model", "cache.redundancy_upload_model", "cache.redundancy_onnx_model"}


def computed(log) -> Counter:
    return Counter(line.split()[1] for line in log.read_text().splitlines()) if log.exists() else Counter()


@pytest.fixture(scope="module")
def warmed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("first-minute")
    log = tmp / "computations.log"
    with serving_app({"EFFVIZ_COMPUTE_LOG": str(log), "EFFVIZ_CACHE_DIR": str(tmp / "cache")}) as url:
        # in a thread of its own: warm_up runs its own event loop (asyncio.run), and Playwright's sync API may have
        # left one running in this thread, as it does after the other browser tests in the same session
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pages = pool.submit(serve.warm_up, int(url.rsplit(":", 1)[1])).result()
        yield url, pages, log


@pytest.mark.slow
def test_warm_up_runs_every_page_default_view_without_an_error(warmed):
    _, pages, log = warmed
    names = [p.name for p in pages]
    assert names[0] == "" and {"playground", "network_explorer", "channel_shuffle", "feature_redundancy",
                                "latency_lab", "exercises"} <= set(names), names
    assert [p for p in pages if p.problems] == []
    missing = EXPECTED_IN_WARM_UP - set(computed(log))
    assert not missing, f"the warm-up did not run {missing}; it ran {sorted(computed(log))}"


@pytest.mark.slow
def test_a_warmed_workers_first_session_on_each_page_loads_no_model_and_recomputes_nothing(warmed):
    url, pages, log = warmed
    assert len(pages) == len(app_pages()), pages  # every page of app.py
    warm = computed(log)

    async def first_sessions() -> list:
        results = []
        for page in pages:
            async with Session(url, page.name) as session:
                results.append((page.name, await session.rerun()))
        return results

    results = run_async(first_sessions())
    assert [(name, r.messages) for name, r in results if r.exceptions] == []
    after = computed(log) - warm
    assert not set(after) & MODEL_LOADS, f"model loaded again: {after}"
    assert not set(after) & set(warm), f"computed again what the warm-up computed: {after}"
    assert not after, f"a first session after the warm-up computed {after}: the warm-up should have"


@pytest.mark.slow
def test_a_class_at_once_on_a_warmed_worker_recomputes_nothing(warmed):
    """Ten sessions per page opening together (what st.cache_data's per-key lock and the shared cache's file
    lock are for, were anything missing): still nothing the warm-up computed is computed again."""
    url, pages, log = warmed
    warm = computed(log)

    async def everyone() -> list:
        async def one(name: str):
            async with Session(url, name) as session:
                return name, await session.rerun()

        return await asyncio.gather(*(one(p.name) for p in pages for _ in range(10)))

    results = run_async(everyone())
    assert [(name, r.messages) for name, r in results if r.exceptions] == []
    after = computed(log) - warm
    assert not set(after) & set(warm), f"computed again what the warm-up computed: {after}"


@pytest.mark.slow
def test_a_single_streamlit_run_warms_the_other_pages_in_the_background(tmp_path):
    """`streamlit run app.py` alone (no serve.py): the first visit starts app_support.shell.serving's background
    warm-up; once it says so in the server's output, the first session on every page loads no model and computes nothing
    the warm-up computed, as on a serve.py worker."""
    log = tmp_path / "computations.log"
    with serving_app({"EFFVIZ_WARM": "1", "EFFVIZ_WARM_DELAY": "0", "EFFVIZ_COMPUTE_LOG": str(log),
                      "EFFVIZ_CACHE_DIR": str(tmp_path / "cache")}) as url:
        output = ARTIFACTS / f"streamlit-{url.rsplit(':', 1)[1]}.log"

        async def visit(page: str):
            async with Session(url, page) as session:
                return await session.rerun()

        assert run_async(visit("")).exceptions == 0  # the teacher opens the landing page
        deadline = time.monotonic() + 600
        while "warmed" not in output.read_text() and "warm-up failed" not in output.read_text():
            assert time.monotonic() < deadline, "no background warm-up within 10 minutes"
            time.sleep(1)
        assert "background warm-up failed" not in output.read_text(), output.read_text()[-2000:]
        warm = computed(log)
        missing = EXPECTED_IN_WARM_UP - set(warm)
        assert not missing, f"the background warm-up did not run {missing}; it ran {sorted(warm)}"
        results = [(page, run_async(visit(page_path(page)))) for page in app_pages()]
        assert [(page, r.messages) for page, r in results if r.exceptions] == []
        after = computed(log) - warm
        assert not set(after) & MODEL_LOADS, f"model loaded again: {after}"
        assert not set(after) & set(warm), f"computed again what the warm-up computed: {after}"
