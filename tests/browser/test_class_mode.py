"""Class mode end to end through `deploy/serve.py --workers 2` (HAProxy, cookie affinity), once on SQLite (one
file shared by both workers) and once on a real PostgreSQL: a teacher and three students, each in a separate
Playwright browser context, students on both workers.

The students join by code, the teacher starts question 1 and their screens follow without a reload, they answer,
the teacher's histogram counts the answers; one worker is killed mid-question and its students (and the teacher)
come back on the other with the same class, phase and answers while the teacher's counts never go down; the
teacher reveals, the students see the worked formula; the CSV holds every answer. A second browser context
attacks: without the teacher token it sees no one's answers, no key, no pacing, no export or delete; wrong codes
and tokens get a message; repeated wrong codes are refused."""
from __future__ import annotations

import contextlib
import csv
import os
import re
import shutil
import signal
import time

import pytest

from app_support.classroom import questions
from deploy import serve
from tests import postgres_server
from tests.browser.conftest import ARTIFACTS, assert_no_exception, full_page_screenshot, wait_settled
from tests.browser.test_projector_sizes import FORMULAS_JS

SEED, LEVEL = 4, "standard"  # question 1 of this set asks for a number (a block's cost): a histogram
FOLLOW_S = 3.0               # a student's screen follows the teacher within this


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def balancer(request, tmp_path_factory):
    if shutil.which("haproxy") is None:
        if os.environ.get("EFFVIZ_REQUIRE_BROWSER") == "1":
            pytest.fail("haproxy is missing but EFFVIZ_REQUIRE_BROWSER=1: apt-get install haproxy")
        pytest.skip("haproxy not installed (apt-get install haproxy)")
    ARTIFACTS.mkdir(exist_ok=True)
    env = {"EFFVIZ_DATA_DIR": str(tmp_path_factory.mktemp("class-data"))}
    with contextlib.ExitStack() as stack:
        if request.param == "postgresql":
            admin = stack.enter_context(postgres_server.server())
            env["EFFVIZ_DATABASE_URL"] = postgres_server.fresh_database(admin)
        saved = {k: os.environ.get(k) for k in (*env, "EFFVIZ_DATABASE_URL")}
        os.environ.pop("EFFVIZ_DATABASE_URL", None)
        os.environ.update(env)  # serve.py's workers inherit this environment
        try:
            # --warm landing: these tests are about the class, not about warm pages
            log = ARTIFACTS / f"serve-class-{request.param}.log"
            running = stack.enter_context(serve.running(2, log=log, warm="landing"))
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        running.database = request.param
        yield running


def new_page(browser, url: str, worker: str | None = None, viewport=(1440, 900)):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True)
    if worker:
        context.add_cookies([{"name": serve.COOKIE, "value": worker, "url": url}])
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def worker_of(page) -> str:
    return {c["name"]: c["value"] for c in page.context.cookies()}[serve.COOKIE]


def start(browser, url: str):
    teacher = new_page(browser, url, "w1")
    teacher.goto(f"{url}/class")
    wait_settled(teacher)
    teacher.get_by_text("Start a class (teacher)").click()
    seed = teacher.get_by_role("spinbutton", name="Set number", exact=True)
    seed.fill(str(SEED))
    seed.press("Enter")
    wait_settled(teacher)
    teacher.get_by_role("button", name="Start the class").click()
    teacher.wait_for_url(re.compile(r"teacher="))
    wait_settled(teacher)
    assert_no_exception(teacher)
    code = re.search(r"code=(\w+)", teacher.url).group(1)
    token = re.search(r"teacher=([\w-]+)", teacher.url).group(1)
    return teacher, code, token


def join(browser, url: str, worker: str, code: str, nickname: str, typed: bool):
    page = new_page(browser, url, worker, viewport=(390, 844))
    if typed:  # by typing the code on the landing page
        page.goto(f"{url}/class")
        wait_settled(page)
        page.get_by_role("textbox", name="Class code", exact=True).fill(code.lower())
    else:      # by the join link (the QR code)
        page.goto(f"{url}/class?code={code}")
        wait_settled(page)
    page.get_by_role("textbox", name="Nickname (optional)", exact=True).fill(nickname)
    page.get_by_role("button", name="Join").click()
    page.wait_for_url(re.compile(r"me="))
    wait_settled(page)
    assert_no_exception(page)
    assert f"You are {nickname} in class {code}" in main_text(page)
    assert worker_of(page) == worker
    return page


def wait_text(page, text: str, timeout_s: float) -> float:
    """Seconds until `text` is on the page (no reload), else AssertionError."""
    started = time.monotonic()
    page.wait_for_function("t => document.querySelector('[data-testid=\"stMain\"]').innerText.includes(t)",
                           arg=text, timeout=timeout_s * 1000)
    return time.monotonic() - started


def answer(page, text: str) -> None:
    page.get_by_role("textbox", name="Your answer", exact=True).fill(text)
    page.get_by_role("button", name="Send").click()
    wait_text(page, f"Sent: {int(text.replace(',', '')):,}.", 30)  # this answer's (the last Send's message stays)


CHART_TOTAL_JS = """() => {
    const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
    if (!plot || !plot.data) return -1;
    const last = plot.data[plot.data.length - 1];
    return Array.from(last.y).reduce((a, b) => a + Number(b), 0); }"""


def chart_total(page, wait_for: float, timeout_s: float = 10) -> float:
    """Students counted by the teacher's chart (the last-answer bars of the Plotly figure in the page), once it
    counts `wait_for` or after `timeout_s`. Plotly redraws after the metrics beside it: the same fragment run
    updates both, but the chart's new data lands in the page a moment later."""
    deadline = time.monotonic() + timeout_s
    total = page.evaluate(CHART_TOTAL_JS)
    while total != wait_for and time.monotonic() < deadline:
        time.sleep(0.2)
        total = page.evaluate(CHART_TOTAL_JS)
    return total


def test_a_class_through_two_workers(balancer, browser):
    url = balancer.url
    q = questions.chosen(SEED, LEVEL, tuple(range(1, 11)))[0]
    truth = int(q.answer)
    teacher, code, token = start(browser, url)
    text = main_text(teacher)
    assert code in text and f"{url}/class?code={code}" in text
    students = [join(browser, url, "w1", code, "Ann", typed=True),
                join(browser, url, "w2", code, "Bo", typed=False),
                join(browser, url, "w1", code, "Cy", typed=False)]
    for s in students:
        assert token not in s.url and token not in main_text(s)
        assert "Waiting for the teacher" in main_text(s)

    # the teacher moves the class: every student's screen follows, no reload
    teacher.get_by_role("button", name="▶ Start question 1").click()
    wait_text(teacher, "Question 1 of 10: answering", 30)
    moved = time.monotonic()
    follow = [wait_text(s, "Question 1 of 10", FOLLOW_S + 2) + 0 for s in students]
    print(f"[{balancer.database}] students followed after {[round(f, 2) for f in follow]} s "
          f"(all: {time.monotonic() - moved:.2f} s)")
    assert max(follow) <= FOLLOW_S

    answer(students[0], str(truth * 4))           # wrong first ...
    answer(students[0], f"{truth:,}")             # ... then right
    answer(students[1], f"{truth:,}")
    answer(students[2], str(truth // 10))
    wait_text(teacher, "3 / 3", 10)
    assert metric(teacher, "Joined") == "3" and metric(teacher, "Answered") == "3 / 3"
    assert chart_total(teacher, wait_for=3) == 3
    assert "How it is worked out" not in main_text(students[0])  # no key before the reveal

    # a worker dies mid-question: w1 (the teacher, Ann and Cy); they come back on w2
    counts, pid = [], balancer.pid("w1")
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    for s, name in ((students[0], "Ann"), (students[2], "Cy")):
        s.wait_for_selector('[data-testid="stToast"]', timeout=90_000)  # reconnected to a new server process
        assert "Reconnected to a new server process" in s.locator('[data-testid="stToast"]').first.inner_text()
        wait_settled(s)
        wait_text(s, f"You are {name} in class {code}", 30)
        wait_text(s, "Your answer:", 30)
        assert worker_of(s) == "w2" and "Question 1 of 10" in main_text(s)
    print(f"[{balancer.database}] students back on w2 after {time.monotonic() - killed:.1f} s")
    assert f"Your answer: {truth:,}" in main_text(students[0])      # the last answer, kept
    wait_text(teacher, "Question 1 of 10: answering", 90)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(counts) < 5:
        with contextlib.suppress(Exception):
            counts.append(metric(teacher, "Answered"))
        time.sleep(1)
    assert counts and set(counts) == {"3 / 3"}, counts  # never down, 0 answers lost
    assert worker_of(teacher) == "w2"

    # reveal: the students see the worked formula
    teacher.get_by_role("button", name="Reveal").click()
    for s in students:
        wait_text(s, "How it is worked out", FOLLOW_S + 5)
        s.wait_for_selector(".katex", timeout=30_000)  # the worked formula, typeset
    wait_text(teacher, "Wrong → right", 10)
    assert metric(teacher, "Right (last answer)") == "67%" and metric(teacher, "Wrong → right") == "1"
    full_page_screenshot(teacher, ARTIFACTS / f"class-dashboard-{balancer.database}.png")
    students[0].screenshot(path=str(ARTIFACTS / f"class-student-{balancer.database}.png"), full_page=True)
    # on a phone the reveal's worked formula (question 1: a ShuffleNet unit's, the widest) fits, in both languages
    for lang in ("en", "zh"):
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                      has_touch=True)
        phone = context.new_page()
        phone.set_default_timeout(60_000)
        phone.goto(re.sub(r"&?lang=\w+", "", students[0].url) + f"&lang={lang}")
        phone.wait_for_selector(".katex", timeout=30_000)
        wait_settled(phone)
        assert phone.evaluate(FORMULAS_JS) == [], lang  # none wider than its box (cut off at the right)
        phone.screenshot(path=str(ARTIFACTS / f"class-student-phone-{lang}-{balancer.database}.png"), full_page=True)
        context.close()

    # the CSV holds every answer
    with teacher.expect_download() as download:
        teacher.get_by_role("button", name="Download every answer (CSV)").click()
    with open(download.value.path(), newline="") as f:
        rows = list(csv.DictReader(f))
    assert {(r["Nickname"], r["First answer"], r["Last answer"]) for r in rows} == {
        ("Ann", str(truth * 4), f"{truth:,}"), ("Bo", f"{truth:,}", f"{truth:,}"),
        ("Cy", str(truth // 10), str(truth // 10))}

    attacks(browser, url, code, token, teacher)
    for p in (teacher, *students):
        p.context.close()


def attacks(browser, url: str, code: str, token: str, teacher) -> None:
    """A second browser context without the teacher token."""
    spy = new_page(browser, url)
    # with the student link: a join form, nothing of anyone's answers, no key, no teacher controls
    spy.goto(f"{url}/class?code={code}")
    wait_settled(spy)
    text = main_text(spy)
    for secret in ("Ann", "Answered", "Reveal", "Download every answer", "End the class"):
        assert secret not in text, secret
    # with a forged teacher token: a message and nothing else
    for forged in (token[:-1] + ("A" if token[-1] != "A" else "B"), "", "x" * 500):
        spy.goto(f"{url}/class?code={code}&teacher={forged}")
        wait_settled(spy)
        text = main_text(spy)
        assert "not valid for this class" in text, forged
        assert spy.locator('[data-testid="stMetric"]').count() == 0 and "Reveal" not in text
        assert spy.get_by_role("button", name="Download every answer (CSV)").count() == 0
    # a forged student token: not a student, and no answer of the student it guessed
    spy.goto(f"{url}/class?code={code}&me=AAAAAAAAAAAAAAAAAAAAAA")
    wait_settled(spy)
    assert "not in this class" in main_text(spy)
    # wrong codes: a clear message; then repeated guesses are refused, even the right code
    spy.goto(f"{url}/class?code=QQQQQQ")
    wait_settled(spy)
    assert "no class with that code" in main_text(spy)
    from app_support.classroom import store

    for i in range(store.GUESSES_PER_WINDOW):
        spy.goto(f"{url}/class?code={'QQQQQ' + 'ACDEFGHJKMNPQRTUVWXY34679'[i % 25]}")
        wait_settled(spy)
    spy.goto(f"{url}/class?code={code}")
    wait_settled(spy)
    assert "Too many wrong codes" in main_text(spy)
    # the class carries on for those already in it; the teacher ends it and everything is deleted
    teacher.reload()
    wait_settled(teacher)
    teacher.get_by_text("End the class and delete its data").click()
    teacher.get_by_role("button", name="Yes, delete this class, its students and all answers").click()
    wait_text(teacher, "deleted", 30)
    spy.context.close()
