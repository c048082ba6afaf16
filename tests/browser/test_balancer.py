"""A class served by `deploy/serve.py --workers 2`: two Streamlit workers behind a real HAProxy (cookie affinity).

Sessions stay on the worker their cookie names (websocket, /media/ files, uploads); crafted URLs and bad uploads
behave through the balancer as they do on one server; and when a worker is killed, its sessions (headless
websocket clients and a real browser tab) come back on the other worker with their URL state and a notice.
One balancer for the module. Without haproxy these tests skip, unless EFFVIZ_REQUIRE_BROWSER=1 (CI): then they
fail."""
from __future__ import annotations

import asyncio
import os
import shutil
import signal
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlencode

import pytest
from PIL import Image

from bench.ws_client import Session
from deploy import serve
from tests.browser.conftest import ARTIFACTS, assert_no_exception, run_async, wait_settled
from tests.browser.test_feature_redundancy import photo_png
from tests.test_robustness_urls import CRAFTED, app_pages, page_path, url_keys

COOKIE = serve.COOKIE
RESTORED = "Reconnected to a new server process"


@pytest.fixture(scope="module")
def balancer():
    if shutil.which("haproxy") is None:
        if os.environ.get("EFFVIZ_REQUIRE_BROWSER") == "1":
            pytest.fail("haproxy is missing but EFFVIZ_REQUIRE_BROWSER=1: apt-get install haproxy")
        pytest.skip("haproxy not installed (apt-get install haproxy)")
    ARTIFACTS.mkdir(exist_ok=True)
    started = time.monotonic()
    # stopped with Ctrl-C at the end; serve.running raises if any process it started is left behind
    with serve.running(2, log=ARTIFACTS / "serve.log") as running:
        print(f"serve.py ready after {time.monotonic() - started:.1f} s")
        # "ready" means HAProxy already sends new students to every worker
        assert serve.balancer_states(running.run_dir) == {w.name: "UP" for w in running.workers}
        yield running


# --- HTTP and websocket helpers ------------------------------------------------------------------------------


def http(url: str, cookies: dict | None = None, method: str = "GET", data: bytes | None = None,
         headers: dict | None = None):
    """(status, headers, body); cookies sent as given, errors returned instead of raised."""
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def set_cookies(headers) -> dict[str, str]:
    return dict(c.split(";")[0].split("=", 1) for c in headers.get_all("Set-Cookie") or [])


def first_visit(url: str) -> dict[str, str]:
    """A new browser opening the app: the balancer picks a worker and says which in its cookie; then, like
    Streamlit's frontend, a health ping, which brings the worker's XSRF cookie (uploads need it)."""
    status, headers, _ = http(url + "/")
    assert status == 200
    cookies = set_cookies(headers)
    assert cookies.get(COOKIE) == headers["X-Effviz-Worker"], cookies
    status, headers, _ = http(url + "/_stcore/health", cookies)
    assert status == 200 and headers["X-Effviz-Worker"] == cookies[COOKIE]
    return {**cookies, **set_cookies(headers)}


def cookie_header(cookies: dict) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}


def upload(url: str, session_id: str, cookies: dict) -> int:
    """PUT a small file into a session, as the browser's file uploader does; the status code."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
            f"Content-Type: text/plain\r\n\r\nhello\r\n--{boundary}--\r\n").encode()
    status, _, _ = http(f"{url}/_stcore/upload_file/{session_id}/{uuid.uuid4().hex}", cookies, "PUT", body,
                        {"Content-Type": f"multipart/form-data; boundary={boundary}",
                         "X-Xsrftoken": cookies.get("_streamlit_xsrf", "")})
    return status


def c_in(result) -> float:
    return next(s.value for s in result.sliders if "C_in" in s.label)


def c_in_slider(result):
    return next(s for s in result.sliders if "C_in" in s.label)


# --- sessions stay on their worker -----------------------------------------------------------------------------


async def _twenty_sessions(url: str):
    sessions = []
    try:
        for i in range(20):  # opened one after another: the balancer sees each open websocket (leastconn)
            cookies = await asyncio.to_thread(first_visit, url)
            session = Session(url, "playground", f"c_in={20 + i}", headers=cookie_header(cookies))
            await session.__aenter__()
            sessions.append((session, cookies))
        firsts = await asyncio.gather(*(s.rerun() for s, _ in sessions))
        moved = await asyncio.gather(*(s.rerun([Session.slider_state(c_in_slider(r), 40 + i)])
                                       for i, ((s, _), r) in enumerate(zip(sessions, firsts, strict=True))))
        rows = []
        for i, ((session, cookies), first, after) in enumerate(zip(sessions, firsts, moved, strict=True)):
            other = {**cookies, COOKIE: "w2" if cookies[COOKIE] == "w1" else "w1"}
            rows.append({
                "cookie": cookies[COOKIE], "ws_worker": session.response_headers["X-Effviz-Worker"],
                "exceptions": first.exceptions + after.exceptions, "toasts": first.toasts + after.toasts,
                "url_value": c_in(first), "expected_url_value": 20 + i,
                "url_after_move": session.url_query, "expected_in_url": f"c_in={40 + i}",
                "upload_own": await asyncio.to_thread(upload, url, session.session_id, cookies),
                "upload_other": await asyncio.to_thread(upload, url, session.session_id, other),
            })
        # a reconnect to the same worker resumes the session: no notice
        session, cookies = sessions[0]
        await session.ws.close()
        async with Session(url, "playground", "c_in=20", headers=cookie_header(cookies),
                           resume=session.session_id) as again:
            resumed = await again.rerun()
            rows[0]["resumed_same_id"] = again.session_id == session.session_id
            rows[0]["resumed_toasts"] = resumed.toasts
        return rows
    finally:
        for session, _ in sessions:
            await session.ws.close()


def test_twenty_sessions_each_stay_on_one_worker(balancer):
    rows = run_async(_twenty_sessions(balancer.url))
    for i, row in enumerate(rows):
        assert row["ws_worker"] == row["cookie"], (i, row)
        assert row["exceptions"] == 0 and row["toasts"] == [], (i, row)
        assert row["url_value"] == row["expected_url_value"], (i, row)   # URL state through the balancer
        assert row["expected_in_url"] in row["url_after_move"].split("&"), (i, row)  # the move reached the app
        # the session lives only in its worker: an upload reaches it with its cookie, not with the other's
        assert row["upload_own"] == 204 and row["upload_other"] == 400, (i, row)
    per_worker = {w.name: sum(r["cookie"] == w.name for r in rows) for w in balancer.workers}
    assert min(per_worker.values()) >= 5, per_worker  # new sessions are spread over both workers
    assert rows[0]["resumed_same_id"] and rows[0]["resumed_toasts"] == []


# --- crafted URLs through the balancer -------------------------------------------------------------------------

# The robustness suite's crafted values that travel oddly (markup, a NUL escape, empty, very long); its huge
# numbers only make pages compute at their limits, which tests/test_robustness_urls.py covers without HTTP.
TRAVELLING = [v for v in CRAFTED if not v.lstrip("-").replace("e", "").isdigit()] + ["-5"]
# Pages whose first visit computes for 10-20 s on a loaded 2-core machine (network zoo, shuffle proofs); what
# the balancer could do to a URL does not depend on the page, and Feature Redundancy gets crafted values in
# its browser test below.
SLOW_FIRST_VISIT = {"network_explorer", "channel_shuffle", "feature_redundancy"}


async def _crafted(url: str) -> list[str]:
    """Each page once through the balancer (but the slow ones), its URL keys given those values in turn."""
    problems: list[str] = []

    async def one(page: str):
        keys = url_keys(page)
        query = urlencode({**{key: TRAVELLING[i % len(TRAVELLING)] for i, key in enumerate(keys)},
                           "lang": "9" * 400})
        async with Session(url, page_path(page), query) as session:
            result = await session.rerun(timeout=180)
            if result.exceptions:
                problems.append(f"{page} {query[:80]!r}: {result.messages}")

    await asyncio.gather(*(one(page) for page in app_pages() if page not in SLOW_FIRST_VISIT))
    return problems


def test_crafted_urls_through_the_balancer(balancer):
    assert run_async(_crafted(balancer.url)) == []


def test_crafted_url_in_the_browser(balancer, page):
    query = urlencode({**{key: "-5" for key in url_keys("playground")}, "lang": "xx"})
    page.goto(f"{balancer.url}/playground?{query}")
    wait_settled(page)
    assert_no_exception(page)
    assert "using" in page.locator('[data-testid="stMain"]').inner_text()  # the notices say what was used


# --- Feature Redundancy: uploads and /media/ files ---------------------------------------------------------------


def cookies_of(page) -> dict[str, str]:
    return {c["name"]: c["value"] for c in page.context.cookies()}


def test_feature_redundancy_uploads_images_and_media_through_the_balancer(balancer, page, tmp_path):
    crafted = urlencode({"fr_metric": "<script>alert(1)</script>", "fr_cmap": "%00", "fr_page": "nan",
                         "fr_topk": "-5", "lang": "9" * 400})
    page.goto(f"{balancer.url}/feature_redundancy?fr_weights=untrained&fr_image=upload&{crafted}")
    wait_settled(page, timeout_ms=180_000)
    assert_no_exception(page)
    assert "is not one of" in page.locator('[data-testid="stMain"]').inner_text()  # the crafted values' notices
    worker = cookies_of(page)[COOKIE]
    uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]').first
    bad = tmp_path / "broken.png"
    bad.write_bytes(photo_png()[:300])
    uploader.set_input_files(str(bad))
    wait_settled(page, timeout_ms=180_000)
    assert_no_exception(page)
    assert "truncated or corrupt" in page.locator('[data-testid="stMain"]').inner_text()
    good = tmp_path / "gradient.png"
    good.write_bytes(photo_png())
    uploader.set_input_files(str(good))
    wait_settled(page, timeout_ms=180_000)
    assert_no_exception(page)
    assert "256 × 56×56" in page.locator('[data-testid="stMain"]').inner_text()

    # the network's input picture (st.image) and the feature-map grid as a PNG (download button) are files in
    # the memory of the session's worker, served from its /media/
    picture = page.locator('[data-testid="stMain"] img[src*="/media/"]').first
    picture.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
    with page.expect_download() as download:
        page.get_by_role("button", name="Download this page of maps (PNG)").click()
    with Image.open(download.value.path()) as png:
        assert png.width > 0 and png.height > 0
    other = "w2" if worker == "w1" else "w1"
    for media_url in (page.evaluate("img => img.src", picture.element_handle()), download.value.url):
        assert "/media/" in media_url
        response = page.request.get(media_url)
        assert response.ok and response.headers["x-effviz-worker"] == worker
        status, _, _ = http(media_url, {COOKIE: other})
        assert status == 404, media_url  # only the session's worker has the file: affinity is needed
    assert cookies_of(page)[COOKIE] == worker  # every request of the tab stayed on one worker


# --- a worker dies mid-class -------------------------------------------------------------------------------------


async def _open_on(url: str, worker: str, value: int) -> Session:
    """A session pinned to `worker` by its cookie, on the Playground with its own URL state."""
    session = Session(url, "playground", f"c_in={value}", headers={"Cookie": f"{COOKIE}={worker}"})
    await session.__aenter__()
    first = await session.rerun()
    assert session.response_headers["X-Effviz-Worker"] == worker and c_in(first) == value
    return session


async def _come_back(url: str, session: Session, worker: str, killed_at: float) -> dict:
    """What the browser does after losing its websocket: ping /_stcore/health through the balancer (with its
    old cookie), then open a websocket asking to resume its old session, and rerun with its URL."""
    try:
        await session.ws.close()
    except Exception:  # the connection went with its worker
        pass
    status, headers, _ = await asyncio.to_thread(http, url + "/_stcore/health", {COOKIE: worker})
    cookies = set_cookies(headers)
    async with Session(url, "playground", session.query, headers=cookie_header(cookies),
                       resume=session.session_id) as again:
        result = await again.rerun()
        return {"health": status, "cookie": cookies.get(COOKIE), "ws_worker": again.response_headers["X-Effviz-Worker"],
                "value": c_in(result), "expected": int(session.query.split("=")[1]), "exceptions": result.exceptions,
                "toasts": result.toasts, "seconds": time.monotonic() - killed_at}


async def _kill_scenario(balancer: serve.Running, victim: str, survivor: str):
    """Three sessions on the victim and one on the survivor; SIGKILL the victim's Streamlit process; the three
    come back (concurrently, as a class would) and the fourth carries on."""
    url = balancer.url
    doomed = [await _open_on(url, victim, value) for value in (60, 61, 62)]
    bystander = await _open_on(url, survivor, 70)
    old_pid = balancer.pid(victim)
    killed_at = time.monotonic()
    os.kill(old_pid, signal.SIGKILL)
    rows = await asyncio.gather(*(_come_back(url, s, victim, killed_at) for s in doomed))
    before = bystander.session_id
    first = await bystander.rerun()
    moved = await bystander.rerun([Session.slider_state(c_in_slider(first), 71)])
    await bystander.ws.close()
    return old_pid, killed_at, rows, {"same_session": bystander.session_id == before, "url": bystander.url_query,
                                      "exceptions": first.exceptions + moved.exceptions,
                                      "toasts": first.toasts + moved.toasts}


def test_killing_a_worker_brings_its_sessions_back_on_the_other(balancer, page):
    url = balancer.url
    page.goto(f"{url}/playground?c_in=48")
    wait_settled(page)
    page.get_by_role("slider").first.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_settled(page)
    assert "c_in=51" in page.url
    victim = cookies_of(page)[COOKIE]
    survivor = "w2" if victim == "w1" else "w1"

    old_pid, killed_at, rows, still = run_async(_kill_scenario(balancer, victim, survivor))
    for row in rows:
        assert row["health"] == 200 and row["cookie"] == survivor and row["ws_worker"] == survivor, row
        assert row["value"] == row["expected"] and row["exceptions"] == 0, row
        assert any(RESTORED in t for t in row["toasts"]), row
    print("websocket sessions back after (s):", [round(r["seconds"], 2) for r in rows])

    # the session on the other worker carried on: same session, no notice, its moves still arrive
    assert still == {"same_session": True, "url": "c_in=71", "exceptions": 0, "toasts": []}, still

    # the browser tab: reconnects by itself, reruns from its URL and says what happened
    page.wait_for_selector('[data-testid="stToast"]', timeout=60_000)
    print(f"browser tab back with its notice after {time.monotonic() - killed_at:.1f} s")
    assert RESTORED in page.locator('[data-testid="stToast"]').first.inner_text()
    wait_settled(page)
    assert_no_exception(page)
    assert "c_in=51" in page.url and "51" in page.locator('[data-testid="stSlider"]').first.inner_text().split()
    assert cookies_of(page)[COOKIE] == survivor
    page.screenshot(path=str(ARTIFACTS / "balancer-after-kill.png"))

    # supervisor restarts the dead worker; serve.py keeps it out of HAProxy's rotation until it is warm; the
    # moved tab stays where it is now and keeps working
    deadline = time.monotonic() + 300  # warming runs every page's default view (serve.warm_up)
    while f"{victim} restarted and warmed up" not in (ARTIFACTS / "serve.log").read_text():
        assert time.monotonic() < deadline, "the killed worker was not restarted and warmed up"
        time.sleep(0.5)
    assert balancer.pid(victim) != old_pid and serve.healthy(balancer.worker_url(victim))
    print(f"killed worker back in rotation, warm, after {time.monotonic() - killed_at:.1f} s")
    page.get_by_role("slider").first.focus()
    page.keyboard.press("ArrowRight")
    wait_settled(page)
    assert_no_exception(page)
    assert "c_in=52" in page.url and cookies_of(page)[COOKIE] == survivor


# --- a worker that dies while serve.py warms it up --------------------------------------------------------------

SLOW_APP = '''"""A page whose every run appends "<pid> start", then, 3 s later, "<pid> end" to EFFVIZ_TEST_RUNS."""
import os
import time

import streamlit as st

runs = os.environ["EFFVIZ_TEST_RUNS"]
with open(runs, "a") as f:
    f.write(f"{os.getpid()} start\\n")
time.sleep(3)
st.write("warm")
with open(runs, "a") as f:
    f.write(f"{os.getpid()} end\\n")
'''


def test_a_worker_killed_during_the_warm_up_is_warmed_again_before_ready(tmp_path):
    """serve.py says "ready" only when every worker process then running has run the page to its end: the
    process supervisor restarts after a worker died mid warm-up is warmed too (watch_restarts alone used to take
    a process first seen after the warm-up for a warm one)."""
    if shutil.which("haproxy") is None:
        if os.environ.get("EFFVIZ_REQUIRE_BROWSER") == "1":
            pytest.fail("haproxy is missing but EFFVIZ_REQUIRE_BROWSER=1: apt-get install haproxy")
        pytest.skip("haproxy not installed (apt-get install haproxy)")
    import threading

    app, runs, log = tmp_path / "slow_app.py", tmp_path / "runs.txt", tmp_path / "serve.log"
    app.write_text(SLOW_APP)
    runs.touch()
    killed: list[int] = []

    def kill_the_first_to_start_warming() -> None:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not killed:
            started = [int(line.split()[0]) for line in runs.read_text().splitlines() if line.endswith("start")]
            if started:
                os.kill(started[0], signal.SIGKILL)
                killed.append(started[0])
            time.sleep(0.05)

    killer = threading.Thread(target=kill_the_first_to_start_warming, daemon=True)
    killer.start()
    with serve.running(2, log=log, app=str(app), warm="landing", env={"EFFVIZ_TEST_RUNS": str(runs)}) as srv:
        killer.join(5)
        assert killed, "no worker started its warm-up"
        ran_to_the_end = {int(line.split()[0]) for line in runs.read_text().splitlines() if line.endswith("end")}
        live = {w.name: srv.pid(w.name) for w in srv.workers}
        assert killed[0] not in live.values(), (killed, live)  # supervisor restarted it
        assert set(live.values()) <= ran_to_the_end, (live, runs.read_text(), log.read_text())
        assert "restarted during its warm-up; warming it again" in log.read_text()
        assert serve.balancer_states(srv.run_dir) == {w.name: "UP" for w in srv.workers}
