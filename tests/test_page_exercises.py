"""The Exercises page in Streamlit's AppTest: right, wrong and bad answers, the seed link, a new set, the teacher
key and the CSVs, the score, both languages. Answers are re-derived here from the engine, not read from the page."""
from __future__ import annotations

import io

import pandas as pd
import pytest
import streamlit as st

from effviz import blocks, exercises, shuffle
from tests.apptest_support import open_page

N = 10


def first_of(kind: str, seed: int = 1, level: str = "standard", **values):
    for i, q in enumerate(exercises.generate(seed, N, level), start=1):
        if q.kind == kind and all(q.values.get(k) == v for k, v in values.items()):
            return i, q
    raise LookupError(kind)


def key(i: int, seed: int = 1, level: str = "standard") -> str:
    return f"ex_{level}_{seed}_{i}"


def answer(at, i: int, text, seed: int = 1, level: str = "standard", lang: str | None = None):
    at.text_input(key=f"{key(i, seed, level)}_in").input(text)
    at.button(key=f"{key(i, seed, level)}_check").click()
    if lang:  # AppTest does not carry the sidebar's language selectbox into the next run after a page switch
        at.session_state["lang"] = lang
    return at.run()


def block_answer(q) -> int:
    v = q.values
    cost = blocks.make(v["family"], **v["spec"]).cost(v["h"], v["h"])
    return cost.params if v["metric"] == "params" else cost.macs


def seed_with(kind: str, level: str = "standard") -> int:
    return next(s for s in range(1, 200) if any(q.kind == kind for q in exercises.generate(s, N, level)))


def test_default_view_lists_the_set():
    at = open_page("exercises")
    assert not at.exception and not at.error
    headers = [m.value for m in at.markdown if m.value.startswith("**Question ")]
    assert headers == [f"**Question {i} of {N}**" for i in range(1, N + 1)]
    assert at.get("download_button"), "the question set downloads as CSV"
    assert "Your score" not in " ".join(i.value for i in at.info)


def test_a_right_number_shows_right_the_formula_and_the_link():
    i, q = first_of("block_cost")
    truth = block_answer(q)
    at = answer(open_page("exercises"), i, f"{truth:,}")
    assert not at.exception
    assert at.success and f"{truth:,}" in at.success[0].value and "Right" in at.success[0].value
    assert any(f"{truth:,}".replace(",", "{,}") in x.value for x in at.latex)  # the worked formula's total
    (link,) = at.get("page_link")
    v = q.values
    assert link.proto.page == "playground"
    query = dict(pair.split("=") for pair in link.proto.query_string.split("&"))
    assert query["family"] == v["family"] and int(query["h"]) == v["h"] and int(query["c_in"]) == v["spec"]["c_in"]
    assert "Your score: **1 of 10**" in at.info[-1].value


def test_a_wrong_number_shows_the_answer_and_how_far_off():
    i, q = first_of("block_cost")
    truth = block_answer(q)
    at = answer(open_page("exercises"), i, str(truth * 2))
    assert not at.exception and not at.success
    assert at.error and "Not quite" in at.error[0].value and f"{truth:,}" in at.error[0].value
    assert "+100.0%" in at.error[0].value
    assert "Your score: **0 of 10**" in at.info[-1].value


def test_within_tolerance_is_right():
    i, q = first_of("block_cost")
    at = answer(open_page("exercises"), i, str(block_answer(q) * (1 + 0.9 * q.tolerance)))
    assert at.success


@pytest.mark.parametrize("text, needle", [
    ("", "Type a number first"), ("twelve", "is not a number"), ("nan", "not a finite number"),
    ("inf", "not a finite number"), ("-Infinity", "not a finite number"), ("1e400", "far too large"),
    ("9" * 59, "far too large"), ("1.2.3", "is not a number"), ("<b>1</b>", "is not a number"),
])
def test_bad_input_gets_a_clear_message_and_no_verdict(text, needle):
    i, _ = first_of("block_cost")
    at = answer(open_page("exercises"), i, text)
    assert not at.exception
    assert at.warning and needle in at.warning[0].value
    assert not at.success and not at.error
    assert not any("Your score" in x.value for x in at.info)  # a typo is not a try


def test_only_the_first_try_counts():
    i, q = first_of("block_cost")
    at = answer(open_page("exercises"), i, "1")
    at = answer(at, i, str(block_answer(q)))
    assert at.success  # the second answer is judged right ...
    assert "Your score: **0 of 10**" in at.info[-1].value  # ... but the score keeps the first


def test_shuffle_question_exact():
    seed = seed_with("shuffle_position")
    i, q = first_of("shuffle_position", seed)
    v = q.values
    flat = shuffle.stages(v["channels"], v["groups"])[-1].order()
    truth = flat[v["position"]] if v["direction"] == "to" else flat.index(v["position"])
    at = open_page("exercises", {"ex_seed": str(seed)})
    at = answer(at, i, str(truth + 1), seed)
    assert at.error and "Exact answer expected" in " ".join(c.value for c in at.caption)
    (link,) = at.get("page_link")
    assert link.proto.page == "channel_shuffle"
    assert link.proto.query_string == f"shuffle_channels={v['channels']}&shuffle_groups={v['groups']}"


def test_an_option_question():
    seed = seed_with("which_cheaper")
    i, q = first_of("which_cheaper", seed)
    v = q.values
    macs = [blocks.make(b["family"], **b["spec"]).cost(b["h"], b["h"]).macs * b.get("layers", 1)
            for b in (v["first"], v["second"])]
    right = 2 if macs[0] == macs[1] else (0 if macs[0] < macs[1] else 1)
    at = open_page("exercises", {"ex_seed": str(seed)})
    at.radio(key=f"{key(i, seed)}_in").set_value(right)
    at.button(key=f"{key(i, seed)}_check").click().run()
    assert not at.exception and at.success
    assert any(f"{macs[0]:,}" in m.value for m in at.markdown)  # the reveal quotes both blocks' MACs
    at.radio(key=f"{key(i, seed)}_in").set_value((right + 1) % 3)
    at.button(key=f"{key(i, seed)}_check").click().run()
    assert at.error


def test_a_network_question_is_answered_from_the_profile_cache():
    import torch

    import effviz
    from effviz import networks

    seed = next(s for s in range(1, 300) if any(q.kind == "network_compare" and q.values["case"] == "more"
                                                for q in exercises.generate(s, N, "easy")))
    i, q = first_of("network_compare", seed, "easy", case="more")
    values = []
    for variant in q.options:
        name, options = networks.parse_variant(variant)
        with torch.device("meta"):
            prof = effviz.profile(networks.build(name, **options), networks.info(name).input_size)
        values.append(prof.params if q.values["metric"] == "params" else prof.macs)
    at = open_page("exercises", {"ex_seed": str(seed), "ex_level": "easy"}, timeout=180)
    at.radio(key=f"{key(i, seed, 'easy')}_in").set_value(values.index(max(values)))
    at.button(key=f"{key(i, seed, 'easy')}_check").click().run()
    assert not at.exception and at.success
    assert any(f"{values[0]:,}" in m.value for m in at.markdown)


@pytest.mark.parametrize("lang, right_text, wrong_text, share_text", [
    ("en", "Right", "Not quite", "have a near-copy"), ("zh", "正确", "不对", "有近似副本")])
def test_a_redundancy_question_right_and_wrong(lang, right_text, wrong_text, share_text):
    """Which Lite0 layer has more near-copies on the sample photo: the truth is measured here from the feature
    maps (tests.test_exercises.lite0_redundancy), the page answers from its own caches."""
    from tests.test_exercises import lite0_redundancy

    seed = seed_with("redundancy_compare")
    i, q = first_of("redundancy_compare", seed)
    measured = lite0_redundancy()
    shares = [measured[layer][0] for layer in q.options]
    right = shares.index(max(shares))
    at = open_page("exercises", {"ex_seed": str(seed), "lang": lang}, timeout=180)
    assert not at.exception
    assert any(f"`{q.options[0]}`" in m.value and f"`{q.options[1]}`" in m.value for m in at.markdown)
    at.radio(key=f"{key(i, seed)}_in").set_value(right)
    at.button(key=f"{key(i, seed)}_check").click()
    at.session_state["lang"] = lang
    at.run(timeout=180)
    assert not at.exception and at.success and right_text in at.success[0].value
    reveal = [m.value for m in at.markdown if m.value.startswith("- ") and share_text in m.value]
    assert len(reveal) == 2 and all(f"{s:.0%}" in line for s, line in zip(shares, reveal, strict=True))
    (link,) = at.get("page_link")
    assert link.proto.page == "feature_redundancy" and f"fr_layer={q.options[0]}" in link.proto.query_string
    at.radio(key=f"{key(i, seed)}_in").set_value(1 - right)
    at.button(key=f"{key(i, seed)}_check").click()
    at.session_state["lang"] = lang
    at.run(timeout=180)
    assert not at.exception and at.error and wrong_text in at.error[0].value
    assert q.options[right] in at.error[0].value  # the right layer is named


def test_the_seed_link_gives_the_same_set():
    at = open_page("exercises", {"ex_seed": "4242", "ex_level": "hard"})
    assert not at.exception and not at.warning
    assert at.session_state["ex_seed"] == 4242 and at.session_state["ex_level"] == "hard"
    qs = exercises.generate(4242, N, "hard")
    i, q = next((i, q) for i, q in enumerate(qs, 1) if q.answer_type == exercises.NUMBER)
    assert at.text_input(key=f"{key(i, 4242, 'hard')}_in") is not None
    assert at.query_params.get("ex_seed") in ("4242", ["4242"])


@pytest.mark.parametrize("query, value", [({"ex_seed": "-3"}, 0), ({"ex_seed": "abc"}, 1),
                                          ({"ex_seed": "1e30"}, 999_999), ({"ex_level": "expert"}, "standard")])
def test_bad_links_fall_back_with_a_notice(query, value):
    at = open_page("exercises", query)
    assert not at.exception and at.warning
    assert at.session_state[next(iter(query))] == value


def test_new_set_draws_another_seed_and_puts_it_in_the_link():
    at = open_page("exercises")
    at.button(key="ex_new").click().run()
    seed = at.session_state["ex_seed"]
    assert seed != 1 and not at.exception
    assert at.query_params.get("ex_seed") in (str(seed), [str(seed)])
    i = next(i for i, q in enumerate(exercises.generate(seed, N), 1) if q.answer_type == exercises.NUMBER)
    assert at.text_input(key=f"{key(i, seed)}_in").value == ""  # the new set's boxes, empty


def capture_downloads(monkeypatch) -> dict[str, bytes]:
    got: dict[str, bytes] = {}
    original = st.download_button

    def spy(label, data, *args, **kwargs):
        got[kwargs.get("file_name", label)] = data() if callable(data) else data  # CSVs are written on click
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    return got


def test_teacher_key_and_csvs(monkeypatch):
    files = capture_downloads(monkeypatch)
    at = open_page("exercises", {"ex_level": "easy", "ex_seed": "7"}, timeout=300)
    at.toggle(key="ex_teacher").set_value(True).run()
    assert not at.exception and not at.error
    # issue 21, item 4: the key was a cramped table (narrow questions, cut-off links); now a line per question
    # with the answer and a whole link (the questions are on the page right under it)
    assert not at.table
    key_text = next(m.value for m in at.markdown if m.value.startswith("- **1.**"))
    assert key_text.count("](") == N and key_text.count("\n") == N - 1
    questions = pd.read_csv(io.BytesIO(files["effviz-exercises-easy-7.csv"]), index_col=0)
    keyed = pd.read_csv(io.BytesIO(files["effviz-exercises-key-easy-7.csv"]), index_col=0)
    assert len(questions) == len(keyed) == N
    assert "Answer" not in questions.columns and "Answer" in keyed.columns
    # the students' sheet carries no links: each opened its example already set up, answer included
    assert "Link" not in questions.columns
    assert not questions.astype(str).apply(lambda c: c.str.contains(r"\?\w+=", regex=True)).any().any()
    assert keyed["Link"].str.contains(r"\?\w+=", regex=True).all()


def test_a_link_never_shows_the_answer_key():
    """Issue 21, item 4: the teacher view is an explicit switch on the page, never a link's parameter."""
    at = open_page("exercises", {"ex_teacher": "1", "ex_level": "easy", "ex_seed": "7"}, timeout=300)
    assert not at.exception
    assert not at.toggle(key="ex_teacher").value
    assert not any(m.value.startswith("- **1.**") for m in at.markdown)
    assert "Answer key" not in [h.value for h in at.subheader]
    assert "ex_teacher" not in at.query_params


def test_the_width_multiplier_question_says_what_the_block_is():
    """Issue 21, item 4: "MACs factor of MobileNet v1 block 2, α 1.0 → 0.75" never said the block is
    depthwise-separable, and the paper's α² (0.5625) was refused at -2.1 %: the question now names the block,
    its two convs, and that the answer is this block's own factor, not the α² rule of thumb."""
    seed, i, q = next((s, i, q) for s in range(1, 400) for i, q in enumerate(exercises.generate(s, N, "standard"), 1)
                      if q.kind == "cost_change" and q.values["change"] == "width")
    for lang, needles in (("en", ("Depthwise-separable", "3×3 depthwise", "1×1 pointwise", "α²")),
                          ("zh", ("3×3 逐通道卷积", "1×1 逐点卷积", "α²"))):
        at = open_page("exercises", {"ex_seed": str(seed), "lang": lang})
        text = next(m.value for m in at.markdown if "MobileNet v1" in m.value and "α =" in m.value)
        for needle in needles:
            assert needle.lower() in text.lower(), (needle, text)


def test_chinese():
    i, q = first_of("block_cost")
    at = open_page("exercises", {"lang": "zh"})
    assert not at.exception
    assert at.title[0].value == "练习：先预测，再揭晓"
    assert any(m.value == f"**第 {i} 题，共 {N} 题**" for m in at.markdown)
    at = answer(at, i, "abc", lang="zh")
    assert at.warning and "不是数字" in at.warning[0].value
    at = answer(at, i, str(block_answer(q)), lang="zh")
    assert at.success and "正确" in at.success[0].value
    assert "得分" in at.info[-1].value


def sample_links():
    """A few questions of every kind and level, one per (kind, level, page)."""
    seen, out = set(), []
    for level in exercises.DIFFICULTIES:
        for seed in range(1, 6):
            for q in exercises.generate(seed, N, level):
                tag = (q.kind, level, q.link.page)
                if tag not in seen:
                    seen.add(tag)
                    out.append(q)
    return out


@pytest.mark.parametrize("q", sample_links(), ids=lambda q: f"{q.kind}-{q.difficulty}-{q.link.page}")
def test_every_link_opens_its_page_at_that_example(q):
    from tests.test_page_home import same
    from tests.test_page_playground import help_number

    at = open_page(q.link.page, dict(q.link.query), timeout=180)
    assert not at.exception
    notices = [w.value for w in at.warning if w.icon == "🔗"]
    assert not notices, notices  # every preset value is one the page accepts as it is
    if q.link.page == "playground" and "family" not in q.link.query:  # the re-parameterisation section's keys
        for k, text in q.link.query.items():
            assert same(at.session_state[k], text), (k, at.session_state[k], text)
    elif q.link.page == "playground":
        query = dict(q.link.query)
        family, h = query["family"], int(query["h"])
        state = at.session_state
        spec = blocks.make(family, **{k: state[k] for k in blocks.field_names(family) if k in state})
        for k, text in query.items():  # the page took every value of the link as it is
            assert same(state[k], text), (k, state[k], text)
        if q.kind == "block_cost":
            assert spec.cost(h, h) == blocks.make(family, **q.values["spec"]).cost(h, h)
            assert help_number(at, "MACs" if q.unit == "macs" else "Parameters") == q.answer
    if q.link.page == "latency_lab" and q.kind == "peak_memory":   # the memory section, open at that network
        assert at.session_state["lat_layers_open"] is True
        assert at.session_state["lat_layers_net"] == q.values["network"]
        assert any("MiB" in m.value and "**" in m.value for m in at.markdown)   # the predicted peak is shown
    if q.link.page == "channel_shuffle":
        assert at.session_state["shuffle_channels"] == q.values["channels"]
        assert at.session_state["shuffle_groups"] == q.values["groups"]


def test_worked_formulas_are_wrapped_for_a_phone_without_losing_a_term():
    from app_support.shell.question_text import formula_terms, wrapped_formula

    assert formula_terms(r"2 \cdot (3 + 4) + 5 + \text{a + b}") == [r"2 \cdot (3 + 4)", "5", r"\text{a + b}"]
    formulas = [w.formula for level in exercises.DIFFICULTIES for s in range(20)
                for q in exercises.generate(s, N, level) for w in q.worked]
    assert len(formulas) > 300
    for f in formulas:
        for expr in (f.symbolic, f.numeric.rpartition(" = ")[0]):
            lines = wrapped_formula(expr, 44)
            assert " + ".join(lines) == expr
            assert all(len(line) <= 44 or len(formula_terms(line)) == 1 for line in lines)


@pytest.mark.parametrize("lang, right_text, wrong_text, alive_text", [
    ("en", "Right", "Not quite", "Alive at the peak"), ("zh", "正确", "不对", "峰值处存活的张量")])
def test_a_peak_memory_question_right_and_wrong(lang, right_text, wrong_text, alive_text):
    """How many MiB are alive at the peak: the truth is effviz.speed.peak_memory of the network, computed here;
    the page answers through the Latency Lab's liveness cache and shows the timeline at the peak."""
    import effviz
    from effviz import networks

    seed = seed_with("peak_memory")
    i, q = first_of("peak_memory", seed)
    model, _ = networks.build_meta(q.values["network"])
    pm = effviz.speed.peak_memory(model, (3, q.values["size"], q.values["size"]))
    mib = pm.peak_bytes / 2**20
    at = open_page("exercises", {"ex_seed": str(seed), "lang": lang}, timeout=120)
    assert not at.exception
    assert any(f"{q.values['size']}×{q.values['size']}" in m.value and "MiB" in m.value for m in at.markdown)
    answer(at, i, f"{mib:.3f}", seed)
    at.session_state["lang"] = lang
    at.run(timeout=120)
    assert not at.exception and at.success and right_text in at.success[0].value
    assert f"{mib:.2f} MiB" in at.success[0].value
    reveal = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert any(f"{pm.peak_bytes:,}" in line and f"`{pm.peak_step}`" in line for line in reveal)
    assert any(alive_text in line for line in reveal)
    (link,) = at.get("page_link")
    assert link.proto.page == "latency_lab"
    assert f"lat_layers_net={q.values['network']}" in link.proto.query_string
    assert "lat_layers_open=1" in link.proto.query_string
    answer(at, i, f"{mib * 1.5:.3f}", seed)
    at.session_state["lang"] = lang
    at.run(timeout=120)
    assert not at.exception and at.error and wrong_text in at.error[0].value
    assert f"{mib:.2f} MiB" in at.error[0].value   # the right number is named
