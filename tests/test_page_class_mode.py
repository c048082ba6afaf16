"""The Class mode page in Streamlit's AppTest, on a real SQLite file: a teacher starts a class, students join by
code, the teacher paces, students answer, the dashboard counts them, the reveal shows the worked formula, the CSV
holds every answer, ending the class deletes it. Wrong codes and tokens get a message and nothing else."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from app_support.classroom import questions, store
from effviz import exercises
from tests.apptest_support import open_page


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("EFFVIZ_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("EFFVIZ_DATABASE_URL", raising=False)
    yield tmp_path
    store.engine().dispose()


def param(at, key):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def text_of(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "text", "info", "success", "error", "warning", "code",
                                  "latex", "subheader", "title")
             for e in at.get(kind) if isinstance(getattr(e, "value", None), str)]
    return "\n".join(parts)


def start_class(seed: int = 4, level: str = "standard", picks: tuple[int, ...] = ()):
    at = open_page("class")
    at.number_input(key="class_seed").set_value(seed)
    at.radio(key="class_level").set_value(level)
    if picks:
        at.multiselect(key="class_picks").set_value(list(picks))
    at.run()
    at.button(key="class_start").click().run()
    assert not at.exception, at.exception
    return at, param(at, "code"), param(at, "teacher")


def join(code: str, nickname: str = ""):
    at = open_page("class")
    at.text_input(key="class_code_in").input(code)
    at.text_input(key="class_nick_in").input(nickname)
    submit = next(b for b in at.button if b.label == "Join")
    submit.click().run()
    assert not at.exception, at.exception
    return at


def again(at):
    """The same browser session rerunning (a poll or a widget)."""
    at.run()
    assert not at.exception, at.exception
    return at


def worked(at) -> bool:
    return any(e.label == "How it is worked out" for e in at.expander)


def button(at, key):
    return next(b for b in at.button if b.key == key)


def test_landing_offers_joining_and_starting():
    at = open_page("class")
    assert not at.exception and not at.error
    assert [b.label for b in at.button if b.label in ("Join", "Start the class")] == ["Join", "Start the class"]


def test_a_class_from_start_to_reveal_and_csv():
    teacher, code, token = start_class(seed=4, picks=(3, 1, 2))
    assert len(code) == 6 and len(token) >= 22
    page = text_of(teacher)
    assert code in page and "/class?code=" + code in page
    assert teacher.get("image"), "the QR code"
    link_codes = [c.value for c in teacher.code]
    assert any(v.endswith(f"/class?code={code}") for v in link_codes)  # the students' link: no token
    assert "teacher=" not in next(v for v in link_codes if v.endswith(f"code={code}"))
    # the token is in one place only, the teacher's own link (not the sidebar's share link)
    assert [v for v in link_codes if token in v] == [next(v for v in link_codes if "&teacher=" in v)]

    ann = join(code, "Ann")
    bob = join(code)
    me_ann, me_bob = param(ann, "me"), param(bob, "me")
    assert param(ann, "code") == code and me_ann and me_ann != token and me_bob != me_ann
    assert "You are Ann in class" in text_of(ann) and "You are Student 2 in class" in text_of(bob)
    assert "Waiting for the teacher" in text_of(ann)

    button(teacher, "class_go_1").click().run()
    assert not teacher.exception
    qs = questions.chosen(4, "standard", (3, 1, 2))
    q = qs[0]
    assert "Question 1 of 3" in text_of(again(ann))
    truth = q.answer
    wrong, right = (truth * 3, truth) if q.answer_type == exercises.NUMBER else ((int(truth) + 1) % len(q.options),
                                                                                 int(truth))
    box_key = f"class_{store.find(store.engine(), code).id}_1_in"
    for at, values in ((ann, (wrong, right)), (again(bob), (right,))):
        assert param(at, "me") not in " ".join(c.value for c in at.code)  # never shown on the page
        for value in values:
            if q.answer_type == exercises.NUMBER:
                at.text_input(key=box_key).set_value(repr(value))
            else:
                at.radio(key=box_key).set_value(value)
            next(b for b in at.button if b.label == "Send").click().run()
            assert not at.exception and "Sent:" in text_of(at), text_of(at)
    # nothing of the key on a student's screen before the reveal
    assert not worked(ann) and not ann.latex

    again(teacher)
    metrics = {m.label: m.value for m in teacher.metric}
    assert metrics["Joined"] == "2" and metrics["Answered"] == "2 / 2"
    assert metrics["Right (last answer)"] == "–"  # hidden until the reveal
    button(teacher, "class_reveal").click().run()
    metrics = {m.label: m.value for m in teacher.metric}
    assert metrics["Right (last answer)"] == "100%" and metrics["Wrong → right"] == "1"

    again(ann)
    assert ann.latex and worked(ann)
    assert ann.success and "Right" in ann.success[0].value

    assert teacher.get("download_button"), "the CSV of every answer"
    from app_support.classroom import view  # AppTest cannot click a download: the page's frame, read directly

    board = store.dashboard(store.engine(), store.find(store.engine(), code).id, token, None)
    frame = view.answer_rows(board)
    assert len(frame) == 2 and set(frame["Nickname"]) == {"Ann", "Student 2"}
    assert list(frame["Last right"]) == [True, True] and list(frame["First right"]) == [False, True]
    assert pd.read_csv(io.StringIO(frame.to_csv(index=False))).shape == (2, 8)


def test_wrong_code_and_wrong_teacher_token_get_a_message_and_nothing_else():
    _, code, token = start_class()
    at = open_page("class", {"code": "QQQQQQ" if code != "QQQQQQ" else "RRRRRR"})
    assert at.error and "no class with that code" in at.error[0].value
    at = open_page("class", {"code": code, "teacher": token[:-2] + "xx"})
    assert at.error and "not valid" in at.error[0].value
    assert not at.metric and not at.get("download_button") and not at.get("image")
    assert not any("teacher=" in c.value for c in at.code)
    at = open_page("class", {"code": code, "me": "forged-token"})
    assert at.error and "not in this class" in at.error[0].value


def test_ending_the_class_deletes_it():
    teacher, code, token = start_class()
    join(code)
    button(teacher, "class_end").click().run()
    assert not teacher.exception and "deleted" in text_of(teacher)
    assert store.find(store.engine(), code) is None


def test_chinese():
    at = open_page("class", {"lang": "zh"})
    assert not at.exception
    assert "加入课堂" in text_of(at)


def test_the_csv_never_hands_a_spreadsheet_a_formula():
    from app_support.classroom import view

    eng = store.engine()
    picks = [1, 2]
    cls, token = store.create_class(eng, "standard", 4, picks, questions.key(questions.chosen(4, "standard",
                                                                                             tuple(picks))))
    store.join(eng, cls.id, "=HYPERLINK(\"http://x\")")
    _, me = store.join(eng, cls.id, "@SUM(A1)")
    store.pace(eng, cls.id, token, 1, "answering")
    store.submit(eng, cls.id, me, 1, "5", 5.0)
    frame = view.answer_rows(store.dashboard(eng, cls.id, token, None))
    assert list(frame["Nickname"]) == ["'@SUM(A1)"]


def test_a_teacher_asks_the_class_to_predict_the_playground_blocks_macs():
    """The teacher's session (dashboard opened) offers the Playground's block as a question; the engine answers it,
    the class paces to it like any other, and the token goes nowhere but the teacher's own session."""
    from effviz import blocks

    teacher, code, token = start_class(seed=4, picks=(1, 2))
    ann = join(code, "Ann")
    stranger = open_page("playground")  # no class open in this session: no button
    assert not any(b.key == "class_push" for b in stranger.button)
    teacher.switch_page("pages/playground.py").run()
    teacher.slider(key="h").set_value(28).run()
    push = button(teacher, "class_push")
    assert push.label == "Ask the class: predict this block's MACs"
    push.click().run()
    assert not teacher.exception and "Added as question 3 of class " + code in text_of(teacher)
    eng = store.engine()
    cls = store.find(eng, code)
    assert cls.size == 3 and cls.picks[-1] == 0
    truth = blocks.make("depthwise_separable", c_in=64, c_out=128, kernel=3).cost(28, 56).macs
    assert truth == (64 * 3 * 3 + 64 * 128) * 28 * 56  # depthwise + pointwise, stride 1, 28x56 out
    stored = store.pushed_blocks(eng, cls.id)[3]
    assert token not in stored and '"h": 28' in stored and '"w": 56' in stored

    board = open_page("class", {"code": code, "teacher": token})
    for key in ("class_go_1", "class_next", "class_next"):
        button(board, key).click().run()
    assert not board.exception
    again(ann)
    page = text_of(ann)
    assert "Question 3 of 3" in page and "Predict this block's **MACs**" in page and "input 28×56" in page
    assert token not in page and token not in " ".join(c.value for c in ann.code)
    box = f"class_{cls.id}_3_in"
    ann.text_input(key=box).set_value(f"{truth * 1.01:.0f}")  # within the standard set's 2 %
    next(b for b in ann.button if b.label == "Send").click().run()
    assert "Sent:" in text_of(ann)
    button(board, "class_reveal").click().run()
    assert {m.label: m.value for m in board.metric}["Right (last answer)"] == "100%"
    again(ann)
    assert ann.success and "Right" in ann.success[0].value and ann.latex


def test_a_teacher_asks_the_class_to_predict_the_latency_labs_block_macs():
    """The Latency Lab's predict-first block, pushed like the Playground's: the teacher's session offers it (no one
    else's), the engine answers it, and the students' question names the Latency Lab, in English and Chinese."""
    from effviz.blocks import comparison

    teacher, code, token = start_class(seed=4, picks=(1,))
    ann = join(code, "Ann")
    stranger = open_page("latency_lab")
    assert not any(b.key == "class_push" for b in stranger.button)
    teacher.switch_page("pages/latency_lab.py").run()
    assert not teacher.exception
    button(teacher, "class_push").click().run()
    assert not teacher.exception and "Added as question 2 of class " + code in text_of(teacher)
    eng = store.engine()
    cls = store.find(eng, code)
    block = store.pushed_blocks(eng, cls.id)[2]
    assert '"page": "latency_lab"' in block and token not in block
    q = questions.block_question(block, "standard")
    spec, _ = comparison.try_make(q.values["family"], size=(q.values["h"], q.values["w"]), **q.values["spec"])
    assert store.dashboard(eng, cls.id, token, None).key[1].answer == spec.cost(q.values["h"], q.values["w"]).macs
    store.pace(eng, cls.id, token, 2, "answering")
    page = text_of(again(ann))
    assert "Question 2 of 2" in page and "timing in the Latency Lab" in page and "Predict this block's **MACs**" in page
    zh = open_page("class", {"code": code, "me": param(ann, "me"), "lang": "zh"})
    assert "延迟实验室里计时的模块" in text_of(zh)


def test_the_share_link_never_carries_the_teacher_or_student_token():
    """The sidebar's "Share this view" link (urlstate.share_link) keeps the class code and drops `teacher` and
    `me`. (The page tests above run the class page on its own, as AppTest runs every page, without app.py's
    sidebar; this runs the sidebar's link itself.)"""
    from streamlit.testing.v1 import AppTest

    def script():
        import streamlit as st

        from app_support.shell import urlstate

        st.code(urlstate.share_link(), language=None)

    at = AppTest.from_function(script)
    at.query_params.update({"code": "ABC234", "teacher": "t" * 32, "me": "m" * 32, "lang": "zh"})
    at.run()
    assert not at.exception, at.exception
    link = at.code[0].value
    assert "code=ABC234" in link and "lang=zh" in link
    assert "teacher" not in link and "me=" not in link and "t" * 32 not in link and "m" * 32 not in link
