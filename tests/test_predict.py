"""Predict first on the Conv Playground and the Latency Lab (AppTest): results hidden until an estimate is typed,
then the estimate beside the answer; bad estimates get a message; a new block asks again."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from effviz import blocks
from tests.apptest_support import APP, open_page


def guess_box(at, scope: str):
    (box,) = [b for b in at.text_input if b.key.startswith(f"predict_{scope}_")]
    return box


def test_playground_hides_results_until_an_estimate():
    at = open_page("playground", {"family": "group", "c_in": "64", "c_out": "64", "groups": "4"})
    assert at.metric and at.latex  # the switch is off by default: nothing changes
    at.toggle(key="predict_playground").set_value(True).run()
    assert not at.exception
    assert not at.metric and not at.latex and not at.get("plotly_chart")
    assert any("Type your estimate" in i.value for i in at.info)

    for bad, needle in [("lots", "is not a number"), ("nan", "not a finite number"), ("1e999", "far too large")]:
        guess_box(at, "playground").input(bad).run()
        assert not at.exception and not at.metric
        assert at.warning and needle in at.warning[0].value

    macs = blocks.make("group", c_in=64, c_out=64, groups=4, kernel=3).cost(56, 56).macs
    guess_box(at, "playground").input(str(2 * macs)).run()
    assert at.metric and at.latex
    text = " ".join(m.value for m in at.markdown)
    assert f"You predicted **{2 * macs:,}**; the answer is **{macs:,}**: +100% off" in text

    guess_box(at, "playground").input(f"{macs * 1.05:.0f}").run()
    assert "well estimated" in " ".join(m.value for m in at.markdown)

    at.slider(key="c_in").set_value(128).run()  # another block: a new question, results hidden again
    assert not at.metric and guess_box(at, "playground").value == ""


def test_playground_predict_in_chinese():
    # The switch is set before the page's first run: in AppTest, moving a widget of a Chinese page trips over the
    # playground's translated format_funcs (AppTest calls them outside the session, in English).
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = "zh"
    at.run()
    at.session_state["predict_playground"] = True
    at.switch_page("pages/playground.py").run()
    assert not at.exception and not at.metric
    assert any("先输入你的估计（这个模块的 MACs）" in i.value for i in at.info)
    assert at.toggle(key="predict_playground").label == "先预测"


def test_latency_lab_hides_the_block_timings_until_an_estimate():
    at = open_page("latency_lab", {"lat_effort": "quick"})
    tables_before = len(at.table)
    at.toggle(key="predict_latency_lab").set_value(True).run()
    assert not at.exception
    assert len(at.table) == tables_before - 1  # the blocks table is hidden
    at.button(key="lat_measure_blocks").click().run()
    assert not at.exception
    assert not any("You predicted" in m.value for m in at.markdown)  # still waiting for the estimate
    guess_box(at, "latency_lab").input("0.5").run()
    assert len(at.table) == tables_before
    measured_ms = at.session_state["_lat_blocks"][1]["depthwise_separable"].median * 1e3  # the default block
    text = " ".join(m.value for m in at.markdown)
    assert f"You predicted **0.5 ms**; the answer is **{measured_ms:.3g} ms**" in text
