"""Exercises in a real browser: type an answer and press Check (right, wrong, bad input), pick an option, the
teacher key, a new set in the link; projector (1920x1080) and phone (390x844), English and 简体中文.
Screenshots go to test-artifacts/exercises-*.png."""
from __future__ import annotations

import re

import pytest

from effviz import blocks, exercises
from tests.browser.conftest import ARTIFACTS, assert_no_exception, full_page_screenshot, phone_page, wait_settled

SEED, LEVEL = 3, "standard"


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def questions():
    return list(enumerate(exercises.generate(SEED, 10, LEVEL), start=1))


def block_question():
    for i, q in questions():
        if q.kind == "block_cost":
            v = q.values
            cost = blocks.make(v["family"], **v["spec"]).cost(v["h"], v["h"])
            return i, cost.params if v["metric"] == "params" else cost.macs
    raise LookupError("no block question in this set")


def card(page, i: int, lang: str = "en"):
    """Question i's bordered container (keyed ex_<level>_<seed>_<i>_card by the page)."""
    return page.locator(f".st-key-ex_{LEVEL}_{SEED}_{i}_card")


def answer(page, i: int, text: str, lang: str = "en") -> None:
    box = card(page, i, lang)
    field = box.locator('input[type="text"]')
    field.fill(text)
    box.get_by_role("button", name="Check" if lang == "en" else "核对").click()
    wait_settled(page)


def test_answers_on_a_projector(page, app_url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/exercises?ex_seed={SEED}&ex_level={LEVEL}")
    wait_settled(page)
    assert_no_exception(page)
    i, truth = block_question()
    answer(page, i, "twelve")
    assert "is not a number" in card(page, i).inner_text()
    answer(page, i, str(truth * 3))
    text = card(page, i).inner_text()
    assert "Not quite" in text and f"{truth:,}" in text and "+200.0%" in text
    answer(page, i, f"{truth:,}")
    text = card(page, i).inner_text()
    assert "Right" in text and "How it is worked out" in text
    assert card(page, i).locator(".katex").count() >= 1  # the worked formula, typeset
    assert card(page, i).locator('a[href*="playground"]').count() == 1
    assert "Your score: 0 of 10" in main_text(page)  # the first try counts
    full_page_screenshot(page, ARTIFACTS / "exercises-projector-en.png")


def test_option_question_and_teacher_key(page, app_url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/exercises?ex_seed={SEED}&ex_level={LEVEL}")
    wait_settled(page)
    i, q = next((i, q) for i, q in questions() if q.kind == "which_cheaper")
    box = card(page, i)
    box.get_by_text("Both the same").click()
    box.get_by_role("button", name="Check").click()
    wait_settled(page)
    assert re.search(r"(Right|Not quite)", card(page, i).inner_text())
    assert "MACs, B needs" in card(page, i).inner_text()
    page.get_by_text("Teacher view: answer key").click()
    wait_settled(page, timeout_ms=180_000)
    assert_no_exception(page)
    # the key: one line per question, each with its answer and a whole link to the worked example (issue 21)
    assert page.get_by_role("heading", name="Answer key").count() == 1
    key_links = page.locator("li").filter(has_text="Open this example on its page").locator("a")
    assert key_links.count() == len(questions())
    assert page.get_by_role("button", name="Download as CSV").count() == 1
    assert page.get_by_role("button", name="Download the questions (CSV)").count() == 1
    full_page_screenshot(page, ARTIFACTS / "exercises-teacher-key.png")


def test_redundancy_question(page, app_url):
    """Which Lite0 layer has more near-copies: the right layer (measured here from the feature maps) is picked,
    the reveal shows both layers' shares and links to the Feature Redundancy page at the first layer."""
    from tests.test_exercises import lite0_redundancy

    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/exercises?ex_seed={SEED}&ex_level={LEVEL}")
    wait_settled(page)
    i, q = next((i, q) for i, q in questions() if q.kind == "redundancy_compare")
    measured = lite0_redundancy()
    shares = [measured[layer][0] for layer in q.options]
    right = shares.index(max(shares))
    box = card(page, i)
    box.get_by_text(f"{q.options[right]} ({'AB'[right]})").click()
    box.get_by_role("button", name="Check").click()
    wait_settled(page, timeout_ms=180_000)
    assert_no_exception(page)
    text = card(page, i).inner_text()
    assert "Right" in text and text.count("have a near-copy") == 2
    assert all(f"{s:.0%}" in text for s in shares)
    assert card(page, i).locator(f'a[href*="feature_redundancy"][href*="fr_layer={q.options[0]}"]').count() == 1
    card(page, i).screenshot(path=ARTIFACTS / "exercises-redundancy.png")


def test_new_set_changes_the_link(page, app_url):
    page.goto(f"{app_url}/exercises")
    wait_settled(page)
    page.get_by_role("button", name="New set").click()
    wait_settled(page)
    assert re.search(r"ex_seed=\d+", page.url), page.url


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_on_a_phone(browser, app_url, lang):
    with phone_page(browser) as page:
        page.goto(f"{app_url}/exercises?ex_seed={SEED}&ex_level={LEVEL}&lang={lang}")
        wait_settled(page)
        assert_no_exception(page)
        i, truth = block_question()
        answer(page, i, f"{truth}", lang)
        assert ("Right" if lang == "en" else "正确") in card(page, i, lang).inner_text()
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 2, f"{overflow}px of horizontal overflow"
        full_page_screenshot(page, ARTIFACTS / f"exercises-phone-{lang}.png")


def test_chinese_on_a_projector(page, app_url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/exercises?ex_seed={SEED}&ex_level={LEVEL}&lang=zh")
    wait_settled(page)
    assert_no_exception(page)
    assert "练习：先预测，再揭晓" in main_text(page)
    i, truth = block_question()
    answer(page, i, "nan", "zh")
    assert "不是有限的数" in card(page, i, "zh").inner_text()
    full_page_screenshot(page, ARTIFACTS / "exercises-projector-zh.png")
