"""effviz.plots.style: the house layout, set by assignment, gives the figure update_layout gives."""
from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from effviz.plots import style


@pytest.mark.parametrize("preset", [
    {},
    {"margin": {"pad": 3, "l": 99}, "legend": {"title": {"text": "T"}, "x": 0.5}, "font": {"family": "serif"}},
    {"height": 900, "legend": {"orientation": "v"}, "xaxis": {"title": {"text": "x"}}},
])
def test_layout_is_update_layout(preset):
    built = go.Figure(data=[go.Bar(x=[1, 2], y=["a", "b"])], layout=preset)
    expected = go.Figure(built)
    expected.update_layout(height=300, margin=dict(l=10, r=10, t=20, b=10), font=dict(size=12),
                           legend=dict(orientation="h", yanchor="bottom", y=1.1, x=0),
                           uniformtext=dict(minsize=style.MIN_TEXT, mode="hide"))
    assert style.layout(built, 300, top=20, legend_y=1.1, font_size=12) is built
    assert json.loads(built.to_json()) == json.loads(expected.to_json())


def test_assign_merges_and_refuses_unknown_names():
    fig = go.Figure(layout={"xaxis": {"title": {"text": "kept"}, "type": "log"}})
    style.assign(fig.layout, xaxis={"type": "linear"}, height=200)
    assert fig.layout.xaxis.title.text == "kept" and fig.layout.xaxis.type == "linear" and fig.layout.height == 200
    with pytest.raises(ValueError):
        style.assign(fig.layout, xaxis_title_text="magic underscores are update_layout's, not assign's")


def test_log_ticks_are_one_two_five_per_decade_and_cover_the_values():
    """Issue 21, item 2: Plotly's own log ticks drew the 2s and 5s at 3/4 size (9 px); these are whole ticks."""
    ticks = style.log_ticks([4e7, 4.1e9], lambda v: f"{v:.0e}")
    assert ticks["tickvals"] == [2e7, 5e7, 1e8, 2e8, 5e8, 1e9, 2e9, 5e9]
    assert ticks["ticktext"][0] == "2e+07" and len(ticks["ticktext"]) == len(ticks["tickvals"])
    assert style.log_ticks([]) == {}
