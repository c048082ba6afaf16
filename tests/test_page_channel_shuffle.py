"""The Channel Shuffle page in Streamlit's AppTest: verdicts and numbers follow the widgets, groups are only
divisors of C, the animation's last frame is the shuffle, bad URLs give notices."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from effviz import blocks
from effviz.shuffle import channel_shuffle
from tests.apptest_support import open_page
from tests.test_connectivity import compose, expected_stack, expected_v2, groups_seen


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def verdicts(at) -> tuple[str, str]:
    """(without-shuffle line, with-shuffle line): each is a success box when all groups are seen, else info."""
    lines = [e.value for e in (*at.success, *at.info) if ": output channel" in e.value or "输出通道" in e.value]
    without = next(v for v in lines if v.startswith(("Without shuffle", "不做重排")))
    with_ = next(v for v in lines if v.startswith(("With shuffle", "做重排")))
    return without, with_


def expected_verdict(channels: int, groups: int, layers: int, shuffle: bool, output: int) -> str:
    """The verdict phrase computed from the numpy wiring, not from the page's backend."""
    row = expected_stack(channels, groups, layers, shuffle)[output]
    seen = sorted(set((np.flatnonzero(row) // (channels // groups)).tolist()))
    if len(seen) == groups:
        return f"sees **all {groups} groups**" if groups > 1 else "sees **its only group**"
    return f"sees **{len(seen)} of {groups} groups** (group {', '.join(str(g + 1) for g in seen)})"


def test_default_view_runs_and_tells_the_story():
    at = open_page("channel_shuffle")
    assert not at.exception and not at.error
    assert not at.warning, [w.value for w in at.warning]  # a clean link gives no notice
    without, with_ = verdicts(at)
    assert expected_verdict(12, 3, 2, False, 5) in without and "1 of 3 groups" in without
    assert expected_verdict(12, 3, 2, True, 5) in with_ and "all 3 groups" in with_
    assert any(s.value == with_ for s in at.success)
    assert len(charts(at)) == 7  # animation, stack heatmaps, wiring, v1 and v2 diagrams, v1 and v2 heatmaps
    order = ", ".join(map(str, channel_shuffle(torch.arange(12).reshape(1, 12), 3)[0].tolist()))
    assert any(order in m.value for m in at.markdown)


def test_animation_last_frame_equals_channel_shuffle_on_arange():
    at = open_page("channel_shuffle")
    at.slider(key="shuffle_channels").set_value(20).run()
    at.select_slider(key="shuffle_groups").set_value(5).run()
    spec = charts(at)[0]
    assert [f["name"] for f in spec["frames"]] == ["input", "reshape", "transpose", "flatten"]
    last = spec["frames"][-1]["data"][0]
    by_position = [int(cd[0]) for _, cd in sorted(zip(last["x"], last["customdata"], strict=True))]
    assert by_position == channel_shuffle(torch.arange(20).reshape(1, 20), 5)[0].tolist()
    assert spec["layout"]["updatemenus"][0]["buttons"][0]["method"] == "animate"
    assert len(spec["layout"]["sliders"][0]["steps"]) == 4


@pytest.mark.parametrize("channels", [2, 7, 12, 36, 48])
def test_groups_widget_offers_only_divisors_of_c(channels):
    at = open_page("channel_shuffle")
    at.slider(key="shuffle_channels").set_value(channels).run()
    assert not at.exception
    options = [int(o) for o in at.select_slider(key="shuffle_groups").options]
    assert options == [d for d in range(1, channels + 1) if channels % d == 0]
    assert channels % at.session_state["shuffle_groups"] == 0


def test_groups_snap_to_the_nearest_divisor_with_a_notice():
    at = open_page("channel_shuffle")
    at.slider(key="shuffle_channels").set_value(10).run()  # 3 does not divide 10: nearest divisor is 2
    assert at.session_state["shuffle_groups"] == 2
    assert any("shuffle_groups=3" in i.value for i in at.info)
    assert not at.exception


@pytest.mark.parametrize("channels, groups, layers, output", [
    (8, 4, 2, 5),     # C/g = 2 < g: two of four groups after one shuffle
    (8, 4, 3, 5),     # a third layer finishes the mixing
    (12, 1, 2, 3),    # g = 1
    (12, 12, 2, 7),   # g = C: depthwise, the shuffle is the identity
    (18, 6, 2, 17),
    (16, 4, 1, 0),    # one layer: nothing to shuffle between
])
def test_verdicts_follow_the_widgets(channels, groups, layers, output):
    at = open_page("channel_shuffle")
    at.slider(key="shuffle_channels").set_value(channels).run()
    at.select_slider(key="shuffle_groups").set_value(groups).run()
    at.slider(key="shuffle_layers").set_value(layers).run()
    at.slider(key="shuffle_output").set_value(output).run()
    assert not at.exception and not at.error
    without, with_ = verdicts(at)
    assert f"output channel {output} " in with_
    assert expected_verdict(channels, groups, layers, False, output) in without
    assert expected_verdict(channels, groups, layers, True, output) in with_
    seen = groups_seen(expected_stack(channels, groups, layers, True), groups)
    summary = next(m.value for m in at.markdown if m.value.startswith("Over all"))
    assert f"with shuffle each sees **{seen.min()}**" in summary or f"between **{seen.min()}**" in summary
    infos = " ".join(i.value for i in at.info)
    if layers == 1:
        assert "single layer" in infos
    elif groups == channels:
        assert "depthwise" in infos
    elif seen.min() < groups:
        assert f"C/g = {channels // groups} < g = {groups}" in infos


def test_output_channel_follows_when_channels_shrink():
    at = open_page("channel_shuffle")
    at.slider(key="shuffle_output").set_value(11).run()
    at.slider(key="shuffle_channels").set_value(8).run()
    assert at.session_state["shuffle_output"] == 7
    assert not at.exception


def test_wiring_toggle_switches_the_layer_view():
    at = open_page("channel_shuffle")
    def wiring_columns():
        wiring = charts(at)[2]
        return wiring["layout"]["xaxis"]["ticktext"]
    assert wiring_columns() == ["input", "GConv 1", "shuffle", "GConv 2"]
    at.toggle(key="shuffle_on").set_value(False).run()
    assert wiring_columns() == ["input", "GConv 1", "GConv 2"]
    assert at.query_params.get("shuffle_on") in ("0", ["0"])


def test_unit_numbers_come_from_the_blocks_and_the_measured_units():
    at = open_page("channel_shuffle")
    v1 = blocks.make("shuffle_v1", c_in=240, c_out=240, groups=3).cost(28, 28)
    v2 = blocks.make("shuffle_v2", c_in=116, c_out=116).cost(28, 28)
    caption = next(c.value for c in at.caption if c.value.startswith("Params and MACs"))
    assert f"v1 {v1.params:,} / {v1.macs:,}" in caption and f"v2 {v2.params:,} / {v2.macs:,}" in caption
    text = " ".join(m.value for m in at.markdown)
    assert "**240 of 240** output channels see all 3 groups" in text and "removed" in text and "**0**" in text
    counts = [int((groups_seen(compose(*[expected_v2(116)] * n), 2) == 2).sum()) for n in (1, 2, 3)]
    assert f"**{', '.join(map(str, counts))}** of 116" in text


def test_unit_controls_change_the_diagrams():
    at = open_page("channel_shuffle")
    at.select_slider(key="shuffle_v1_groups").set_value(8).run()
    at.radio(key="shuffle_stride").set_value(2).run()
    at.select_slider(key="shuffle_size").set_value(14).run()
    assert not at.exception and not at.error
    v1 = blocks.make("shuffle_v1", c_in=384, c_out=768, groups=8, stride=2).cost(14, 14)
    v2 = blocks.make("shuffle_v2", c_in=116, c_out=232, stride=2).cost(14, 14)
    caption = next(c.value for c in at.caption if c.value.startswith("Params and MACs at 14×14"))
    assert f"v1 {v1.params:,} / {v1.macs:,}" in caption and f"v2 {v2.params:,} / {v2.macs:,}" in caption
    titles = [c["layout"].get("title", {}).get("text", "") for c in charts(at)]
    assert "ShuffleNet v1 unit: 384 → 768 channels, g = 8" in titles
    assert "ShuffleNet v2 unit (1×): 116 → 232 channels" in titles
    text = " ".join(m.value for m in at.markdown)
    assert "**384 of 384** output channels see all 8 groups" in text  # the measured units stay stride 1


@pytest.mark.parametrize("query, key, value", [
    ({"shuffle_groups": "5"}, "shuffle_groups", 4),        # 5 does not divide 12: nearest divisor
    ({"shuffle_channels": "999"}, "shuffle_channels", 48),
    ({"shuffle_channels": "-3"}, "shuffle_channels", 2),
    ({"shuffle_layers": "abc"}, "shuffle_layers", 2),
    ({"shuffle_output": "99"}, "shuffle_output", 11),
    ({"shuffle_on": "maybe"}, "shuffle_on", True),
    ({"shuffle_v2_width": "3"}, "shuffle_v2_width", 2.0),
    ({"shuffle_v1_groups": "5"}, "shuffle_v1_groups", 4),
    ({"shuffle_size": "0"}, "shuffle_size", 7),
])
def test_bad_url_values_fall_back_with_a_notice(query, key, value):
    at = open_page("channel_shuffle", query)
    assert not at.exception
    assert at.session_state[key] == value
    notices = [w.value for w in at.warning] + [i.value for i in at.info]
    assert any(f"{key}=" in n for n in notices), notices


def test_url_restores_the_view_and_changes_are_published():
    at = open_page("channel_shuffle", {"shuffle_channels": "8", "shuffle_groups": "4", "shuffle_output": "6"})
    assert not at.warning
    without, with_ = verdicts(at)
    assert expected_verdict(8, 4, 2, True, 6) in with_ and "2 of 4 groups" in with_
    at.slider(key="shuffle_layers").set_value(3).run()
    assert at.query_params.get("shuffle_layers") in ("3", ["3"])
    assert "shuffle_v1_groups" not in at.query_params  # defaults stay out of the link


def test_chinese_ui():
    at = open_page("channel_shuffle", {"lang": "zh"})
    assert not at.exception
    assert at.title[0].value == "通道重排（Channel Shuffle）"
    without, with_ = verdicts(at)
    assert "只能看到 **3 个组中的 1 个**（第 2 组）" in without   # channel 5 of 12 in 3 groups: the second group
    assert "能看到**全部 3 个组**" in with_
