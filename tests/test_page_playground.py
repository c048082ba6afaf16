"""The Conv Playground in Streamlit's AppTest: every family, widgets changing numbers, bad input, URLs."""
from __future__ import annotations

import pytest

from effviz import blocks
from effviz.plots import anatomy
from tests.apptest_support import open_page


def help_number(at, label: str) -> int:
    """Metric tiles show a compact number; their help text carries the exact one."""
    for m in at.metric:
        if m.label == label:
            return int(m.proto.help.replace(",", ""))
    raise KeyError(label)


def test_default_view_runs():
    at = open_page("playground")
    assert not at.exception and not at.error
    spec = blocks.make("depthwise_separable", c_in=64, c_out=128, kernel=3, activation="relu")
    assert help_number(at, "Parameters") == spec.cost(56, 56).params
    assert help_number(at, "MACs") == spec.cost(56, 56).macs
    assert len(at.get("plotly_chart")) >= 2
    assert len(at.latex) == 2 and any("8{,}768" in x.value for x in at.latex)


@pytest.mark.parametrize("family", blocks.names())
def test_every_family_runs_and_shows_its_own_numbers(family):
    at = open_page("playground")
    at.selectbox(key="family").set_value(family).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    state = at.session_state
    fields = blocks.field_names(family)
    params = {k: state[k] for k in fields if k in state}
    spec = blocks.make(family, **params)
    cost = spec.cost(state["h"], state["w"])
    assert help_number(at, "Parameters") == cost.params
    assert help_number(at, "MACs") == cost.macs
    # the block diagram: every node of the graph drawn (each box lists the nodes it draws), with the costs
    dot = block_dot(at)
    graph = spec.graph(state["h"], state["w"])
    drawn = [name for b in anatomy.boxes(graph)[0] for name in b.nodes if f'"{b.key}" [label=' in dot]
    assert sorted(drawn) == sorted(n.name for n in graph.nodes)
    assert all(f"{n.name}" in dot for n in graph.nodes)
    assert f"total: {anatomy.human(cost.params)} params · {anatomy.human(cost.macs)} MACs" in dot


def block_dot(at) -> str:
    charts = at.get("graphviz_chart")
    assert len(charts) == 3, "the block diagram, then the re-parameterisation section's training and folded graphs"
    return charts[0].proto.spec


def test_block_diagram_follows_the_sliders_and_the_language():
    dot = block_dot(open_page("playground", {"family": "mbconv", "c_in": "24", "c_out": "24", "lang": "zh"}))
    assert "逐通道卷积" in dot and "SE 模块" in dot and "params" not in dot
    at = open_page("playground", {"family": "mbconv", "c_in": "24", "c_out": "24"})
    assert '"input" -> "residual"' in block_dot(at)  # the skip path, drawn because C_in == C_out at stride 1
    at.slider(key="c_out").set_value(40).run()
    dot = block_dot(at)
    assert '"residual"' not in dot and "24×56×56" in dot and "40×56×56" in dot


def test_moving_widgets_changes_numbers_correctly():
    at = open_page("playground")
    at.selectbox(key="family").set_value("group").run()
    at.slider(key="c_in").set_value(96).run()
    at.slider(key="c_out").set_value(96).run()
    at.selectbox(key="groups").set_value(8).run()
    assert help_number(at, "MACs") == 3 * 3 * (96 // 8) * 96 * 56 * 56
    at.slider(key="h").set_value(28).run()
    at.slider(key="w").set_value(28).run()
    assert help_number(at, "MACs") == 3 * 3 * (96 // 8) * 96 * 28 * 28
    assert at.selectbox(key="groups").options == [str(g) for g in range(1, 97) if 96 % g == 0]


def test_seed_example_button():
    at = open_page("playground")
    at.button(key="seed_example").click().run()
    assert help_number(at, "Parameters") == 46
    assert "112" in at.caption[-1].value or any("112" in c.value for c in at.caption)


def test_groups_snap_to_a_valid_divisor_when_channels_change():
    at = open_page("playground")
    at.selectbox(key="family").set_value("group").run()
    at.slider(key="c_in").set_value(64).run()
    at.slider(key="c_out").set_value(64).run()
    at.selectbox(key="groups").set_value(16).run()
    at.slider(key="c_in").set_value(48).run()   # 16 divides 48; now 36: common divisors of 36 and 64 are 1, 2, 4
    at.slider(key="c_in").set_value(36).run()
    assert not at.exception
    assert at.session_state["groups"] == 4
    assert any("groups=16" in i.value for i in at.info)


def test_invalid_combination_shows_a_message_not_a_traceback():
    at = open_page("playground", {"family": "shuffle_v1"})
    at.slider(key="c_out").set_value(480).run()      # a widget move: the page names the rule
    assert not at.exception
    assert at.error and "c_out must equal c_in=240" in at.error[0].value


@pytest.mark.parametrize("family", ["shuffle_v1", "shuffle_v2"])
def test_a_link_naming_only_the_family_starts_from_its_textbook_example(family):
    """Issue 21, item 1: /playground?family=shuffle_v1 showed only "c_out must equal c_in=64 ... got 128"."""
    at = open_page("playground", {"family": family})
    assert not at.exception and not at.error, [e.value for e in at.error]
    spec = blocks.make(family)
    assert help_number(at, "MACs") == spec.cost(at.session_state["h"], at.session_state["w"]).macs
    assert any("textbook example" in i.value for i in at.info)
    diagram = at.get("graphviz_chart")[0].proto.spec  # the block's (the folding section below draws two more)
    assert "shuffle" in diagram.lower() and f"{spec.c_out}×" in diagram


def test_a_link_with_an_impossible_block_says_what_was_changed():
    at = open_page("playground", {"family": "shuffle_v1", "c_in": "240", "c_out": "480", "stride": "1"})
    assert not at.exception and not at.error
    assert at.session_state["c_out"] == 240
    assert help_number(at, "MACs") == blocks.make("shuffle_v1", c_in=240, c_out=240, groups=4).cost(56, 56).macs
    assert any("C_out 480 → 240" in i.value for i in at.info), [i.value for i in at.info]


def test_every_family_has_numbers_in_the_families_chart():
    """ShuffleNet units at the default shape (64 -> 128, stride 1) are drawn at c_out = c_in, labelled so."""
    at = open_page("playground")
    chart = next(c for c in at.get("plotly_chart") if '"n/a"' in c.proto.spec or "Families" in c.proto.spec
                 or "ShuffleNet" in c.proto.spec)
    assert '"n/a"' not in chart.proto.spec
    assert "C_out 128 → 64" in chart.proto.spec


@pytest.mark.parametrize("lang, family, params_delta", [
    ("en", "ghost_bottleneck", "× more"), ("zh", "ghost_bottleneck", "是标准卷积的"),
    ("en", "depthwise_separable", "× fewer"), ("zh", "depthwise_separable", "%（1/"),
])
def test_change_against_the_standard_conv_reads_the_right_way_round(lang, family, params_delta):
    """Issue 21, item 3: a block with more parameters than the standard conv read "+67.0% · 0.60× fewer"."""
    at = open_page("playground", {"family": family, "lang": lang})
    label = "Parameters" if lang == "en" else next(m.label for m in at.metric)
    tile = next(m for m in at.metric if m.label == label)
    spec_cost = help_number(at, label)
    state = at.session_state
    delta = tile.proto.delta
    assert params_delta in delta, delta
    std = comparison_base(family, state)
    factor = max(spec_cost, std) / min(spec_cost, std)
    assert f"{factor:.2f}" in delta
    assert "fewer" not in delta or spec_cost < std
    assert "more" not in delta or spec_cost > std


def comparison_base(family, state) -> int:
    from effviz.blocks import comparison

    fields = blocks.field_names(family)
    spec = blocks.make(family, **{k: state[k] for k in fields if k in state})
    return comparison.standard_equivalent(spec).cost(state["h"], state["w"]).params


def test_url_restores_the_view():
    at = open_page("playground", {"family": "ghost_module", "c_in": "32", "c_out": "96", "ratio": "3",
                                  "dw_kernel": "5", "h": "28", "w": "14"})
    spec = blocks.make("ghost_module", c_in=32, c_out=96, ratio=3, dw_kernel=5, kernel=3)
    assert at.session_state["ratio"] == 3
    assert help_number(at, "MACs") == spec.cost(28, 14).macs
    assert not at.warning


@pytest.mark.parametrize("query, key, value", [
    ({"c_in": "-5"}, "c_in", 1), ({"c_in": "999999"}, "c_in", 1024), ({"c_in": "lots"}, "c_in", 64),
    ({"kernel": "999999"}, "kernel", 11), ({"kernel": "4"}, "kernel", 3), ({"stride": "x"}, "stride", 1),
    ({"family": "inception"}, "family", "depthwise_separable"),
    ({"groups": "0", "family": "group"}, "groups", 1), ({"bias": "maybe"}, "bias", False),
    ({"expansion": "nan", "family": "mbconv"}, "expansion", 6.0),
])
def test_bad_url_values_fall_back_with_a_notice(query, key, value):
    at = open_page("playground", query)
    assert not at.exception
    assert at.session_state[key] == value
    assert at.warning, "a notice must say the link value was replaced"


def test_widget_changes_are_written_to_the_url():
    at = open_page("playground")
    at.slider(key="c_in").set_value(200).run()
    assert at.query_params.get("c_in") in ("200", ["200"])
    assert "c_out" not in at.query_params  # defaults stay out of the link


def test_verify_against_torch():
    at = open_page("playground")
    at.toggle(key="verify").set_value(True).run()
    assert at.success and "identical" in at.success[0].value


def test_chinese_ui():
    at = open_page("playground", {"lang": "zh"})
    assert not at.exception
    assert at.title[0].value == "卷积游乐场"


def test_each_tab_draws_its_chart():
    at = open_page("playground", {"family": "group", "c_in": "64", "c_out": "64"})
    tabs = at.tabs
    assert len(tabs) == 4
    for label, needle in [("Sweep a parameter", "Standard conv, same shape"), ("5×5 vs two 3×3", "N = 7")]:
        at.session_state["playground_tab"] = label
        at.run()
        assert not at.exception
        figures = [c.proto.spec for c in at.get("plotly_chart")]
        assert any(needle in spec for spec in figures), label  # the open tab's own chart was drawn
    at.session_state["playground_tab"] = "Theory check"
    at.run()
    assert any("1/N + 1/k²" in m.value for m in at.markdown)


def test_parts_table_downloads_as_csv():
    at = open_page("playground", {"family": "mbconv", "c_in": "24", "c_out": "24"})
    buttons = at.get("download_button")
    assert buttons, "the per-part table needs a CSV download"


def test_parts_table_follows_every_move():
    """The table is shared between sessions (cost_table.shared_parts_table): each block and language its own."""
    at = open_page("playground", {"family": "ghost_module", "c_in": "32", "c_out": "64"})

    def table():
        frame = at.table[0].value
        return list(frame.columns), frame.to_dict("list")

    first = table()
    for key, value in (("stride", 2), ("h", 28), ("ratio", 4)):
        widget = at.radio(key=key) if key == "stride" else at.slider(key=key)
        widget.set_value(value).run()
        spec = blocks.make("ghost_module", **{k: at.session_state[k] for k in blocks.field_names("ghost_module")})
        cost = spec.cost(at.session_state["h"], at.session_state["w"])
        shown = sum(int(v.replace(",", "")) for v in at.table[0].value.iloc[:, 2])  # shape, params, MACs, share
        assert shown == cost.macs, key
        assert table() != first, key
    chinese = open_page("playground", {"family": "ghost_module", "c_in": "32", "c_out": "64", "lang": "zh"})
    assert list(chinese.table[0].value.columns) != first[0]


def test_values_survive_a_visit_to_another_page():
    at = open_page("playground")
    at.slider(key="c_in").set_value(96).run()
    at.switch_page("pages/home.py").run()
    at.switch_page("pages/playground.py").run()
    assert at.session_state["c_in"] == 96


def test_a_link_wins_over_remembered_values_on_arrival():
    at = open_page("playground")
    at.slider(key="c_in").set_value(96).run()
    at.switch_page("pages/home.py").run()
    at.query_params["c_in"] = "16"
    at.switch_page("pages/playground.py").run()
    assert at.session_state["c_in"] == 16
    at.slider(key="c_in").set_value(17).run()  # after arriving, the user's moves win over the URL
    assert at.session_state["c_in"] == 17


def test_reparameterisation_section_folds_a_real_block():
    """The section below the charts: training and inference graphs, the kernels that add up, the two forms'
    outputs equal on a random input, params and MACs of both (from the library, in a table)."""
    from effviz.blocks import reparam

    at = open_page("playground", {"rep_c": "16", "rep_k": "5", "rep_hw": "14"})
    assert not at.exception and not at.error
    spec = reparam.RepSpec(c_in=16, c_out=16, kernel=5)
    charts = at.get("graphviz_chart")
    assert "5×5 Conv" in charts[1].proto.spec and "BN" in charts[1].proto.spec
    assert "bias" in charts[2].proto.spec and "1×1" not in charts[2].proto.spec
    assert any("Both forms on the same random 16×14×14 input" in m.value for m in at.success)
    table = at.table[-1].value
    c = reparam.compare(spec.build(0), (16, 14, 14))
    assert list(table.iloc[:, 0]) == [f"{c.train.params:,}", f"{c.deploy.params:,}"]
    assert list(table.iloc[:, 1]) == [f"{c.train.macs:,}", f"{c.deploy.macs:,}"]
    at.checkbox(key="rep_dw").set_value(True).run()
    assert not at.exception and not at.error
    assert "DWConv" in at.get("graphviz_chart")[2].proto.spec


def test_a_map_too_small_for_ghostnet_v2s_pool_is_an_error_not_a_traceback():
    at = open_page("playground", {"family": "ghost_v2", "h": "1", "w": "8"})
    assert not at.exception
    assert any("h must be 2..4096" in e.value for e in at.error)


def test_a_link_carries_the_open_tab_and_its_settings():
    """Issue 21, item 5: the open tab, the families chart's scale, the crossover's M and the check against torch
    were in no link."""
    at = open_page("playground", {"playground_tab": "crossover", "crossover_m": "64", "verify": "1"})
    assert not at.exception and not at.warning
    assert at.session_state["playground_tab"] == "5×5 vs two 3×3"
    assert at.slider(key="crossover_m").value == 64
    assert at.toggle(key="verify").value and at.success       # the torch count ran and agrees
    at = open_page("playground", {"playground_tab": "families", "log_families": "0"})
    assert at.toggle(key="log_families").value is False
    at.toggle(key="log_families").set_value(True).run()
    assert "log_families" not in at.query_params              # back to the default: out of the link
    at.session_state["playground_tab"] = "Sweep a parameter"
    at.run()
    assert at.query_params.get("playground_tab") in ("sweep", ["sweep"])
