"""Figure builders of the Channel Shuffle page, checked on the figure objects (no browser)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from effviz import blocks
from effviz.plots import shuffle_charts as charts
from effviz.shuffle import channel_shuffle, connectivity
from tests import strategies


@st.composite
def channels_and_groups(draw, max_channels: int = 48):
    channels = draw(st.integers(1, max_channels))
    groups = draw(st.sampled_from([d for d in range(1, channels + 1) if channels % d == 0]))
    return channels, groups


# --- animation ------------------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(channels_and_groups())
def test_animation_last_frame_equals_channel_shuffle_of_arange(cg):
    c, g = cg
    fig = charts.shuffle_animation(c, g)
    assert [f.name for f in fig.frames] == ["input", "reshape", "transpose", "flatten"]
    expected = channel_shuffle(torch.arange(c).reshape(1, c, 1, 1), g).flatten().tolist()
    last = fig.frames[-1]
    assert charts.frame_order(last) == expected
    assert len(set(last.data[0].y)) == 1, "the flattened channels sit in one row"
    assert charts.frame_order(fig.frames[0]) == list(range(c))
    # the reshape frame is a (g, C/g) grid whose rows are the groups
    reshape = fig.frames[1].data[0]
    rows = sorted(set(reshape.y), reverse=True)
    assert len(rows) == g
    for a, y in enumerate(rows):
        members = sorted(int(cd[0]) for cd, yy in zip(reshape.customdata, reshape.y, strict=True) if yy == y)
        assert members == list(range(a * (c // g), (a + 1) * (c // g)))


@settings(max_examples=20, deadline=None)
@given(channels_and_groups())
def test_every_frame_moves_the_same_points_coloured_by_source_group(cg):
    c, g = cg
    fig = charts.shuffle_animation(c, g)
    colors = charts.group_colors(g)
    for frame in fig.frames:
        squares = frame.data[0]
        assert [int(cd[0]) for cd in squares.customdata] == list(range(c))  # point k is channel k in every frame
        assert list(squares.marker.color) == [colors[ch // (c // g)] for ch in range(c)]
        assert len(set(zip(squares.x, squares.y, strict=True))) == c  # no two channels on one spot


def test_animation_runs_in_the_browser_with_play_pause_and_a_step_slider():
    fig = charts.shuffle_animation(12, 3, text={"play": "播放", "label.flatten": "展平"})
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.method for b in buttons] == ["animate", "animate"]
    assert buttons[0].label == "播放" and buttons[0].args[0] is None          # play: all frames from the current
    assert list(buttons[1].args[0]) == [None]                                     # pause
    steps = fig.layout.sliders[0].steps
    assert [list(s.args[0]) for s in steps] == [["input"], ["reshape"], ["transpose"], ["flatten"]]
    assert steps[-1].label == "展平"
    assert all(s.method == "animate" for s in steps)
    assert fig.data[0].x == fig.frames[0].data[0].x  # the figure opens on the input row


def test_animation_refuses_groups_that_do_not_divide():
    with pytest.raises(ValueError, match="valid groups"):
        charts.shuffle_animation(12, 5)


def test_group_colors_are_distinct():
    for g in (1, 3, 8, 9, 48):
        colors = charts.group_colors(g)
        assert len(colors) == g and len(set(colors)) == g


# --- heatmaps -------------------------------------------------------------------------------------------------


def test_heatmaps_show_the_measured_matrix_coloured_by_input_group():
    without = connectivity.stack(12, 3, 2, shuffle=False).total
    with_ = connectivity.stack(12, 3, 2, shuffle=True).total
    fig = charts.connectivity_heatmaps([without, with_], ["no shuffle", "shuffle"], output=5)
    assert len(fig.data) == 2
    for trace, conn in zip(fig.data, (without, with_), strict=True):
        z = np.array(trace.z, dtype=float)
        assert np.array_equal(~np.isnan(z), conn.matrix)
        rows, cols = np.nonzero(conn.matrix)
        assert np.array_equal(z[rows, cols], cols // 4 + 1)  # groups from 1
    assert [a.text for a in fig.layout.annotations] == ["no shuffle", "shuffle"]
    outlined = [(s.y0, s.y1) for s in fig.layout.shapes]
    assert outlined == [(4.5, 5.5), (4.5, 5.5)]


def test_heatmap_of_a_unit_is_rectangular_when_the_unit_widens():
    conn = connectivity.unit("shuffle_v2", c_in=24, c_out=48, stride=2)
    fig = charts.connectivity_heatmaps([conn], ["down"])
    assert np.array(fig.data[0].z).shape == (48, 24)


# --- wiring diagram -------------------------------------------------------------------------------------------


def _segments(trace) -> int:
    return sum(1 for v in trace.x if v is None)


@pytest.mark.parametrize("channels, groups, layers, shuffle", [(12, 3, 2, True), (12, 3, 3, False),
                                                                (8, 4, 3, True), (6, 1, 1, True)])
def test_wiring_draws_every_measured_link_and_traces_back_the_chosen_output(channels, groups, layers, shuffle):
    stack = connectivity.stack(channels, groups, layers, shuffle)
    output = channels - 1
    fig = charts.wiring_diagram(stack, output=output)
    thin = [t for t in fig.data if t.mode == "lines" and t.line.color != charts.HIGHLIGHT]
    bold = [t for t in fig.data if t.mode == "lines" and t.line.color == charts.HIGHLIGHT]
    assert sum(_segments(t) for t in thin) == sum(int(m.sum()) for m in stack.step_matrices)
    # the bold paths start exactly at the inputs the output depends on (the measured total)
    first_step = [t for t in bold if t.x[0] == 0]
    starts = {-int(y) for t in first_step for x, y in zip(t.x, t.y, strict=True) if x == 0}
    assert starts == set(np.flatnonzero(stack.total.matrix[output]).tolist())
    nodes = [t for t in fig.data if t.mode == "markers" and t.customdata is not None]
    assert len(nodes) == len(stack.steps) + 1
    last = nodes[-1]
    mixed = [color == charts.MIXED for color in last.marker.color]
    assert mixed == (stack.total.groups_seen() > 1).tolist()
    names = list(fig.layout.xaxis.ticktext)
    assert names[0] == "input" and names.count("shuffle") == (layers - 1 if shuffle else 0)


# --- unit diagrams --------------------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st.one_of(strategies.shuffle_v1(), strategies.shuffle_v2()), st.integers(1, 64), st.integers(1, 64))
def test_unit_boxes_add_up_to_the_block_cost(spec, h, w):
    boxes = charts.unit_boxes(spec, h, w)
    cost = spec.cost(h, w)
    assert sum(b.params for b in boxes) == cost.params
    assert sum(b.macs for b in boxes) == cost.macs
    free = [b for b in boxes if b.kind == "free"]
    assert any("shuffle" in b.key for b in free) and all(b.macs == 0 and b.params == 0 for b in free)
    assert boxes[-1].shape == spec.output_shape(h, w)


@pytest.mark.parametrize("family, params", [
    ("shuffle_v1", dict(c_in=240, c_out=240, groups=3)),
    ("shuffle_v1", dict(c_in=240, c_out=480, groups=3, stride=2)),
    ("shuffle_v2", dict(c_in=116, c_out=116)),
    ("shuffle_v2", dict(c_in=116, c_out=232, stride=2)),
])
def test_unit_diagram_shows_each_part_and_the_total(family, params):
    spec = blocks.make(family, **params)
    fig = charts.unit_diagram(spec, 28, 28, title="unit", text={"shuffle2": "通道重排 (g=2)"})
    texts = " ".join(a.text for a in fig.layout.annotations if a.text)
    cost = spec.cost(28, 28)
    assert f"MACs {cost.macs:,}" in texts and f"params {cost.params:,}" in texts
    for name, part in cost.leaves():
        assert f"MACs {part.macs:,}" in texts, name
    assert ("channel shuffle (g=3)" in texts) == (family == "shuffle_v1")
    assert ("通道重排 (g=2)" in texts) == (family == "shuffle_v2")
    boxes = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(boxes) == len(charts.unit_boxes(spec, 28, 28))
    assert math.isclose(fig.layout.height, 620)


def test_unit_diagram_refuses_other_families():
    with pytest.raises(ValueError, match="shuffle_v1 or shuffle_v2"):
        charts.unit_boxes(blocks.make("mbconv"), 8, 8)
