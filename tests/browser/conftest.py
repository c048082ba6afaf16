"""End-to-end fixtures: a real `streamlit run app.py` on 127.0.0.1 and Debian's chromium driven by Playwright.

The browser is Debian's /usr/bin/chromium, or the chromium (or Chrome) that EFFVIZ_CHROMIUM names, by path or by
command name; Playwright only drives it, so `playwright install` is never needed. Without one these tests skip,
unless EFFVIZ_REQUIRE_BROWSER=1 (set by .ci/run), where they fail: CI must never skip them silently.
Screenshots go to test-artifacts/."""
from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# The browser's executable: EFFVIZ_CHROMIUM (a path, or a command on PATH) where set, else Debian's.
CHROMIUM = os.environ.get("EFFVIZ_CHROMIUM") or DEFAULT_CHROMIUM
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def chromium_executable(env=os.environ) -> str | None:
    """The path of the browser to drive, or None where it is missing (or, for the default, where Debian's
    `chromium` is not on PATH either: a leftover /usr/bin/chromium without its package does not start)."""
    if env.get("EFFVIZ_CHROMIUM"):
        found = shutil.which(env["EFFVIZ_CHROMIUM"])
        return str(Path(found).resolve()) if found else None
    return DEFAULT_CHROMIUM if Path(DEFAULT_CHROMIUM).exists() and shutil.which("chromium") else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(script: str | Path, port: int, env: dict | None = None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    log = open(ARTIFACTS / f"streamlit-{port}.log", "w")
    # no background warm-up (app_support/serving.py) unless a test asks for it: what a test's sessions compute stays
    # theirs
    return subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "EFFVIZ_WARM": "0", **(env or {})})


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}; see test-artifacts/streamlit-{port}.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit on port {port} not healthy after {timeout}s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def serving_app(env: dict | None = None):
    """A fresh `streamlit run app.py` on a free 127.0.0.1 port: its URL once healthy; stopped on exit."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    proc = start_streamlit("app.py", port, env=env)
    try:
        wait_healthy(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def app_url():
    with serving_app() as url:
        yield url


@pytest.fixture(scope="module")
def offline_url():
    """A server of its own that never downloads and has no ResNet-50 weights file: the offline fallback."""
    with serving_app({"EFFVIZ_OFFLINE": "1", "EFFVIZ_RESNET50_WEIGHTS": ""}) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    executable = chromium_executable()
    if executable is None:
        how = ("EFFVIZ_CHROMIUM names no executable file" if os.environ.get("EFFVIZ_CHROMIUM")
               else "apt-get install -y chromium, or set EFFVIZ_CHROMIUM to a chromium or Chrome")
        if os.environ.get("EFFVIZ_REQUIRE_BROWSER") == "1":
            pytest.fail(f"no browser at {CHROMIUM} but EFFVIZ_REQUIRE_BROWSER=1: {how}")
        pytest.skip(f"no browser at {CHROMIUM} ({how})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


PHONE = {"width": 390, "height": 844}


@contextlib.contextmanager
def phone_page(browser):
    """A page in a phone-sized touch context (390x844 at 2x), closed on exit."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        full_page_screenshot(pg, ARTIFACTS / f"{request.node.name}.png")
    finally:
        context.close()


def full_page_screenshot(page, path) -> None:
    """Streamlit scrolls inside its main block, so a 'full page' screenshot would show only the viewport:
    grow the viewport to the content's height first (capped), then shoot."""
    height = page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]');
        return main ? main.scrollHeight : document.body.scrollHeight; }""")
    size = page.viewport_size or {"width": 1440, "height": 1000}
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height) + 40, 8000))})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)


_SIGNATURE_JS = """() => [
  document.querySelectorAll('[data-testid="stMain"] [data-testid="stElementContainer"]').length,
  document.querySelectorAll('[data-testid="stSkeleton"]').length,
  document.querySelectorAll('[data-testid="stStatusWidget"]').length,
  document.querySelectorAll('[data-testid="stSpinner"]').length,
]"""


def wait_settled(page, quiet_ms: int = 700, timeout_ms: int = 90_000) -> float:
    """Wait until the app shows content, has no skeletons, spinners or running-script indicator, and its
    element count has not changed for quiet_ms. Returns the seconds waited."""
    start = time.monotonic()
    page.wait_for_selector('[data-testid="stMain"]', timeout=timeout_ms)
    deadline = start + timeout_ms / 1000
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        sig = page.evaluate(_SIGNATURE_JS)
        busy = sig[0] == 0 or any(sig[1:])
        if sig != last or busy:
            last, since = sig, time.monotonic()
        elif (time.monotonic() - since) * 1000 >= quiet_ms:
            return since - start
        time.sleep(0.05)
    raise TimeoutError(f"the app did not settle (last signature {last})")


def assert_no_exception(page) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()


def run_async(coro):
    """Run a coroutine on its own thread (Playwright's sync API owns this thread's event loop)."""
    result: dict = {}

    def target():
        try:
            result["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised below, on the test's thread
            result["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=300)
    if "error" in result:
        raise result["error"]
    return result["value"]
