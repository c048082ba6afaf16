"""app_support.shell.figures: figures are built once per input and shared; data must be named; nothing mutates them."""
from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest
import streamlit as st

from app_support.shell import figures
from tests.apptest_support import open_page

calls: list[tuple] = []


def bars(values, title: str, colour: str = "#0072B2") -> go.Figure:
    calls.append((tuple(values), title))
    return go.Figure(go.Bar(y=list(values), marker_color=colour), layout=dict(title=title))


def heat(matrix: np.ndarray, title: str) -> go.Figure:
    return go.Figure(go.Heatmap(z=matrix), layout=dict(title=title))


def test_same_plain_inputs_give_the_same_built_figure():
    calls.clear()
    a = figures.figure(bars, (1, 2, 3), "one")
    b = figures.figure(bars, (1, 2, 3), "one")
    assert a is b and len(calls) == 1
    c = figures.figure(bars, (1, 2, 3), "two")      # a different label: its own figure
    d = figures.figure(bars, (1, 2, 3), "one", colour="#E69F00")
    assert c is not a and d is not a and len(calls) == 3
    assert c.layout.title.text == "two" and a.layout.title.text == "one"


def test_numbers_of_different_types_are_different_keys():
    calls.clear()
    figures.figure(bars, (1, 2), "x")
    figures.figure(bars, (1.0, 2.0), "x")
    figures.figure(bars, (True, 2), "x")
    assert len(calls) == 3


def test_data_arguments_must_be_named():
    with pytest.raises(TypeError, match="data="):
        figures.figure(heat, np.eye(3), "identity")
    a = figures.figure(heat, np.eye(3), "identity", data=("eye", 3))
    assert figures.figure(heat, np.zeros((3, 3)), "identity", data=("eye", 3)) is a  # the key names the data
    assert figures.figure(heat, np.zeros((3, 3)), "identity", data=("zeros", 3)) is not a
    with pytest.raises(TypeError):
        figures.figure(heat, np.eye(3), "identity", data=np.eye(3))  # a key must itself be plain


def test_plotly_chart_does_not_change_a_shared_figure():
    fig = figures.figure(bars, (4, 5, 6), "shared")
    before = fig.to_json()
    st.plotly_chart(fig)  # bare mode: the same marshalling as in a session
    st.plotly_chart(fig, key="again")
    assert fig.to_json() == before


def heatmap_titles(at) -> list[str]:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return [a["text"] for s in specs for a in s["layout"].get("annotations", [])]


def test_a_shared_figure_is_sent_as_plotly_serialises_it_and_only_serialised_once():
    import plotly.io
    import plotly.tools

    matrix = np.random.default_rng(0).random((40, 40))
    expected = go.Figure(heat(matrix, "fresh").to_dict()).to_json()  # plotly's own, from a fresh figure
    shared = figures.figure(heat, matrix, "fresh", data=("random", 40))
    # what st.plotly_chart does with it (elements/plotly_chart.py)
    sent = plotly.io.to_json(plotly.tools.return_figure_from_figure_or_data(shared, validate_figure=True),
                             validate=False)
    assert json.loads(sent) == json.loads(expected)
    again = plotly.tools.return_figure_from_figure_or_data(shared, validate_figure=True)
    assert plotly.io.to_json(again, validate=False) is sent  # encoded once, when it was built
    assert again["layout"] == shared.to_dict()["layout"]  # what Streamlit reads of the dict
    # everything else is plotly's own: the figure's to_dict, and to_json of anything else or with other options
    assert type(shared.to_dict()) is dict and shared.to_dict() is not shared.to_dict()
    assert json.loads(shared.to_json()) == json.loads(sent)
    assert plotly.io.to_json(again, pretty=True) != sent
    plain = go.Figure(go.Bar(y=[1, 2]))  # a figure not from the cache is untouched
    assert type(plotly.tools.return_figure_from_figure_or_data(plain, True)) is dict
    assert plotly.io.to_json(plain.to_dict(), validate=False) == plain.to_json()


def test_sessions_in_two_languages_each_get_their_own_labels():
    english = open_page("channel_shuffle")
    chinese = open_page("channel_shuffle", {"lang": "zh"})
    english.run()  # the English session again, after the Chinese one built its figures
    en, zh = heatmap_titles(english), heatmap_titles(chinese)
    assert "Without shuffle" in en and "With shuffle" in en
    assert not any("Without shuffle" in text for text in zh) and any("不做重排" in text for text in zh)
    assert not english.exception and not chinese.exception
