"""The Network Explorer in Streamlit's AppTest: every network selectable, widgets change the totals correctly
(expected values counted independently with effviz.count on the meta device), tabs draw, bad URLs give notices."""
from __future__ import annotations

import json

import pytest
import torch

import effviz
from effviz import networks
from tests.apptest_support import open_page


def exact(at, label: str) -> int:
    """Metric tiles show 3 significant digits; their help carries the exact number."""
    for m in at.metric:
        if m.label == label:
            return int(m.proto.help.replace(",", ""))
    raise KeyError(label)


def counted(name: str, resolution: int, **options):
    with torch.device("meta"):
        model = networks.build(name, **options)
    return effviz.count(model, (3, resolution, resolution))


def shown_options(at, name: str) -> dict:
    return {k: at.session_state[f"nx_{k}"] for k in networks.info(name).options}


def test_default_view_is_mobilenet_v1_at_224_with_the_papers_figures():
    at = open_page("network_explorer")
    assert not at.exception and not at.error
    cost = counted("mobilenet_v1", 224, width=1.0)
    assert exact(at, "MACs") == cost.macs and exact(at, "Parameters") == cost.params
    assert exact(at, "FLOPs (= 2 × MACs)") == 2 * cost.macs
    text = " ".join(m.value for m in at.markdown)
    assert "Howard et al." in text and "70.6" in text          # published figures with their source
    assert len(at.get("plotly_chart")) >= 3                    # stage bars, block diagram, the open tab's chart


def test_every_network_is_selectable_and_shows_its_own_count():
    at = open_page("network_explorer")
    for name in networks.names():
        at.selectbox(key="nx_net").set_value(name).run()
        assert not at.exception, (name, at.exception)
        assert not at.error, (name, [e.value for e in at.error])
        res = at.session_state["nx_res"]
        assert res == networks.info(name).input_size[1]        # follows the network's own input size
        cost = counted(name, res, **shown_options(at, name))
        assert (exact(at, "Parameters"), exact(at, "MACs")) == (cost.params, cost.macs), name


@pytest.mark.parametrize("width", [0.5, 1.3])
def test_width_changes_the_totals_correctly(width):
    at = open_page("network_explorer", {"nx_net": "ghostnet"})
    at.selectbox(key="nx_width__ghostnet").set_value(width).run()
    assert not at.exception
    cost = counted("ghostnet", 224, width=width)
    assert (exact(at, "Parameters"), exact(at, "MACs")) == (cost.params, cost.macs)
    assert "nx_width" in at.query_params


def test_groups_change_shufflenet_v1():
    at = open_page("network_explorer", {"nx_net": "shufflenet_v1"})
    at.selectbox(key="nx_groups__shufflenet_v1").set_value(8).run()
    assert not at.exception
    cost = counted("shufflenet_v1", 224, groups=8, width=1.0)
    assert exact(at, "MACs") == cost.macs
    assert any("137" in m.value and "Table 1" in m.value for m in at.markdown)   # the paper's 137 MFLOPs for g=8


def test_resolution_changes_macs_about_quadratically_and_params_not_at_all():
    at = open_page("network_explorer", {"nx_net": "efficientnet_b0"})
    params, macs = exact(at, "Parameters"), exact(at, "MACs")
    at.slider(key="nx_res").set_value(160).run()
    assert not at.exception
    assert exact(at, "Parameters") == params
    assert exact(at, "MACs") == counted("efficientnet_b0", 160).macs
    assert 0.45 < exact(at, "MACs") / macs < 0.56                 # (160/224)² = 0.51
    assert any("(r / r₀)² = 0.51" in m.value for m in at.markdown)
    assert at.query_params["nx_res"] in ("160", ["160"])


def test_xception_published_figures_are_compared_at_its_own_input_size():
    at = open_page("network_explorer", {"nx_net": "xception", "nx_res": "299"})
    assert exact(at, "Parameters") == 22_855_952
    assert any("+0.0 %" in c.value for c in at.caption)           # exactly the paper's parameter count


def chart_words(at) -> set[str]:
    """Trace types, names and texts of every chart on the page."""
    words: set[str] = set()
    for chart in at.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec)["data"]:
            words.add(trace.get("type", ""))
            words.add(trace.get("name", ""))
            text = trace.get("text", [])
            words.update(text if isinstance(text, list) else [text])
    return words


@pytest.mark.parametrize("tab,needle", [
    ("Where the parameters live", "treemap"),
    ("Resolution", "MACs at 224 × (r / 224)²"),
    ("Zoo map", "GhostNet 1×"),
    ("Compare", "MobileNet v2"),
])
def test_each_tab_draws_its_chart(tab, needle):
    at = open_page("network_explorer", {"nx_net": "ghostnet"})
    at.session_state["nx_tab"] = "Layers"         # no chart of its own: the other tabs' charts must not be drawn
    at.run()
    assert needle not in chart_words(at)
    at.session_state["nx_tab"] = tab
    at.run()
    assert not at.exception and not at.error
    assert needle in chart_words(at), tab


def test_zoo_map_places_every_published_variant_and_rings_the_current_one():
    at = open_page("network_explorer", {"nx_net": "mobilenet_v1", "nx_width": "0.5"})
    at.session_state["nx_tab"] = "Zoo map"
    at.run()
    spec = next(s for s in (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
                if any("MobileNet v1 0.5×" in t for tr in s["data"] for t in tr.get("text", []) or []))
    points = [(x, y) for trace in spec["data"] if trace.get("mode") == "markers+text"
              for x, y in zip(trace["x"], trace["y"], strict=True)]
    published = [(n, o) for n in networks.names() for o, p in networks.info(n).published_variants() if p.top1]
    assert len(points) == len(published)
    ring = [trace for trace in spec["data"] if trace.get("mode") == "markers" and not trace.get("showlegend", True)]
    assert ring and ring[0]["y"] == [63.7] and ring[0]["x"] == [counted("mobilenet_v1", 224, width=0.5).macs]


def test_layers_table_filters_and_downloads():
    at = open_page("network_explorer", {"nx_net": "mobilenet_v3_small"})
    at.session_state["nx_tab"] = "Layers"
    at.run()
    with torch.device("meta"):
        prof = effviz.profile(networks.build("mobilenet_v3_small"), (3, 224, 224))
    table = at.dataframe[0].value
    assert len(table) == len(prof.layers) and table["Parameters"].sum() == prof.params
    assert table["MACs"].sum() == prof.macs
    at.multiselect(key="nx_layer_kinds__mobilenet_v3_small").set_value(["se"]).run()
    table = at.dataframe[0].value
    assert set(table["Kind"]) == {"Squeeze-and-excitation"}
    assert table["Parameters"].sum() == prof.kinds()["se"].params
    at.text_input(key="nx_layer_filter").input("features.1.").run()
    assert all(name.startswith("features.1.") for name in at.dataframe[0].value["Layer"])
    assert at.get("download_button")
    at.text_input(key="nx_layer_filter").input("").run()
    at.selectbox(key="nx_net").set_value("shufflenet_v1").run()   # other kinds (group conv, no SE): no error
    assert not at.exception and not at.error
    assert "Group conv" in set(at.dataframe[0].value["Kind"])


def test_compare_puts_both_networks_side_by_side():
    at = open_page("network_explorer", {"nx_net": "shufflenet_v1", "nx_cmp": "shufflenet_v2:width=1.0"})
    at.session_state["nx_tab"] = "Compare"
    at.run()
    assert not at.exception
    table = at.table[0].value
    assert list(table.columns) == ["ShuffleNet v1 1× g=3", "ShuffleNet v2 1×"]
    assert table.loc["MACs"].tolist() == [f"{counted('shufflenet_v1', 224).macs:,}",
                                          f"{counted('shufflenet_v2', 224, width=1.0).macs:,}"]


@pytest.mark.parametrize("query,keys", [
    ({"nx_net": "nope", "nx_res": "99999"}, ["nx_net=nope", "nx_res=99999"]),
    ({"nx_res": "abc", "nx_width": "7"}, ["nx_res=abc", "nx_width=7"]),
    ({"nx_cmp": "lenet"}, ["nx_cmp=lenet"]),
])
def test_bad_url_values_give_a_notice_not_an_exception(query, keys):
    at = open_page("network_explorer", query)
    assert not at.exception and not at.error
    notices = " ".join(w.value for w in at.warning)
    for key in keys:
        assert key in notices


def test_the_width_carries_over_to_the_next_network_that_has_it_and_leaves_the_link_when_it_does_not():
    at = open_page("network_explorer", {"nx_net": "ghostnet"})
    at.selectbox(key="nx_width__ghostnet").set_value(0.5).run()
    at.selectbox(key="nx_net").set_value("resnet50").run()
    assert "nx_width" not in at.query_params                 # resnet50 has no width
    at.selectbox(key="nx_net").set_value("mobilenet_v1").run()
    assert at.selectbox(key="nx_width__mobilenet_v1").value == 0.5
    assert exact(at, "MACs") == counted("mobilenet_v1", 224, width=0.5).macs
    at.selectbox(key="nx_net").set_value("ghostnet").run()
    assert at.selectbox(key="nx_width__ghostnet").value == 0.5


def test_a_width_the_network_does_not_have_moves_to_the_nearest():
    at = open_page("network_explorer", {"nx_net": "ghostnet", "nx_width": "0.25"})
    assert not at.exception
    assert at.session_state["nx_width"] == 0.5
    assert any("0.25" in i.value for i in at.info)
    assert exact(at, "MACs") == counted("ghostnet", 224, width=0.5).macs


def test_chinese_page():
    at = open_page("network_explorer", {"lang": "zh", "nx_net": "ghostnet"})
    assert not at.exception
    assert at.title[0].value == "网络结构探索"
    assert any("论文/官方数据" in m.value for m in at.markdown)


def graph_dot(at) -> str:
    charts = at.get("graphviz_chart")
    assert len(charts) == 1
    return charts[0].proto.spec


@pytest.mark.parametrize("name", networks.names())
def test_graph_tab_draws_every_network(name):
    at = open_page("network_explorer", {"nx_net": name})
    at.session_state["nx_tab"] = "Graph"
    at.run()
    assert not at.exception
    dot = graph_dot(at)
    with torch.device("meta"):
        prof = effviz.profile(networks.build(name), networks.info(name).input_size)
    for u in prof.units:
        assert f'tooltip="{u.name}"' in dot
    heaviest = max(prof.units, key=lambda u: u.macs)
    assert at.selectbox(key=f"nx_graph_block__{name}").value == heaviest.name  # the heaviest block is chosen
    rows = [r for r in prof.layers if r.unit == heaviest.name]
    assert any(f"({len(rows)})" in m.value for m in at.markdown)


def test_graph_opens_stages_and_shows_the_chosen_blocks_layers():
    at = open_page("network_explorer", {"nx_net": "resnext50_32x4d"})
    at.session_state["nx_tab"] = "Graph"
    at.run()
    at.selectbox(key="nx_graph_block__resnext50_32x4d").set_value("layer1.0").run()
    table = at.table[-1].value
    assert list(table.index) == ["layer1.0.conv1", "layer1.0.bn1", "layer1.0.conv2", "layer1.0.bn2",
                                 "layer1.0.conv3", "layer1.0.bn3", "layer1.0.downsample.0", "layer1.0.downsample.1"]
    assert table.loc["layer1.0.conv2", "Module"] == "Conv2d"
    assert 'tooltip="layer1.0.conv2, layer1.0.bn2"' not in graph_dot(at)
    at.multiselect(key="nx_graph_open__resnext50_32x4d").set_value(["s4"]).run()
    dot = graph_dot(at)
    assert 'tooltip="layer1.0.conv2, layer1.0.bn2"' in dot and "g=32" in dot
    assert 'tooltip="layer2.0.conv2, layer2.0.bn2"' not in dot
    assert any(b.proto.label == "Download as CSV" for b in at.get("download_button"))


@pytest.mark.parametrize("lang, label", [("en", "Graph"), ("zh", None)])
def test_a_link_opens_its_tab_and_its_block(lang, label):
    """Issue 21, item 5: nx_tab=graph was ignored, and no link carried the open tab or the chosen block."""
    at = open_page("network_explorer", {"nx_net": "resnext50_32x4d", "nx_tab": "graph", "nx_block": "layer1.0",
                                        "lang": lang})
    assert not at.exception and not at.warning
    dot = graph_dot(at)                                    # the Graph tab is open: its diagram is drawn
    assert 'tooltip="layer1.0"' in dot
    assert at.selectbox(key="nx_graph_block__resnext50_32x4d").value == "layer1.0"
    if label:
        assert at.session_state["nx_tab"] == label
    assert at.query_params.get("nx_tab") in ("graph", ["graph"])
    assert at.query_params.get("nx_block") in ("layer1.0", ["layer1.0"])


def test_the_open_tab_and_block_go_into_the_link_and_out_again():
    at = open_page("network_explorer", {"nx_net": "resnext50_32x4d"})
    assert "nx_tab" not in at.query_params                # the first tab, the default, is left out
    at.session_state["nx_tab"] = "Graph"
    at.run()
    assert at.query_params.get("nx_tab") in ("graph", ["graph"])
    at.selectbox(key="nx_graph_block__resnext50_32x4d").set_value("layer1.1").run()
    assert at.query_params.get("nx_block") in ("layer1.1", ["layer1.1"])
    at.session_state["nx_tab"] = "Zoo map"
    at.run()
    assert at.query_params.get("nx_tab") in ("zoo", ["zoo"]) and "nx_block" not in at.query_params


def test_a_bad_tab_in_a_link_gets_the_usual_notice():
    at = open_page("network_explorer", {"nx_tab": "nonsense"})
    assert not at.exception
    assert any("nx_tab" in w.value for w in at.warning)


@pytest.mark.slow
def test_graph_coloured_by_measured_time_after_a_click():
    """Issue 22: the graph's overlay. Before the click the graph stays coloured by MACs and says why; the click
    times every layer (torch's profiler, in the machine's line) and the graph is coloured by the chosen measure."""
    at = open_page("network_explorer", {"nx_net": "mobilenet_v3_small"})
    at.session_state["nx_tab"] = "Graph"
    at.run()
    assert "share of the network's MACs" in graph_dot(at)
    at.radio(key="nx_overlay").set_value("time").run()
    assert any("once each layer's time is measured" in c.value for c in at.caption)
    assert "share of the network's MACs" in graph_dot(at)
    at.button(key="nx_overlay_measure").click().run(timeout=300)
    assert not at.exception and not at.error
    dot = graph_dot(at)
    assert "colour: measured time on this machine" in dot and "MB moved" in dot
    assert any("the whole pass" in c.value for c in at.caption)
    at.radio(key="nx_overlay").set_value("gmacs").run()
    assert "colour: achieved GMAC/s" in graph_dot(at)
