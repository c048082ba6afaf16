"""Block diagrams (DOT) drawn from the graph: every node drawn once, costs that add up, shapes on the edges, the
most expensive box emphasised, the reader's language throughout; valid DOT (parsed by pydot)."""
from __future__ import annotations

import html
import re

import pydot
import pytest
from hypothesis import given, settings

from app_support.strings import CATALOGUE
from effviz import blocks
from effviz.plots import anatomy
from tests.strategies import BY_FAMILY, sizes_for

ZH = {key: CATALOGUE["zh"][f"anatomy.{key}"] for key in anatomy.TEXT}


def dot_nodes(dot: str) -> dict[str, str]:
    """node id -> its attribute text, for the node statements of block_dot's output."""
    return {m.group(1): m.group(2) for m in re.finditer(r'^\s*"([^"]+)" \[(label=.*)\];$', dot, re.M)}


def dot_edges(dot: str) -> list[tuple[str, str, str]]:
    return re.findall(r'^\s*"([^"]+)" -> "([^"]+)" \[label=" ([^"]+) "', dot, re.M)


@pytest.mark.parametrize("family", list(BY_FAMILY))
def test_block_diagram_draws_every_node_once_with_its_cost(family):
    @settings(max_examples=40, deadline=None)
    @given(spec=BY_FAMILY[family], h=sizes_for(family), w=sizes_for(family))
    def check(spec, h, w):
        graph = spec.graph(h, w)
        bxs, edges = anatomy.boxes(graph)
        drawn = [name for b in bxs for name in b.nodes]
        assert sorted(drawn) == sorted(n.name for n in graph.nodes)  # every node in exactly one box
        assert (sum(b.params for b in bxs), sum(b.macs for b in bxs)) == (graph.params, graph.macs)
        dot = anatomy.block_dot(graph)
        nodes = dot_nodes(dot)
        assert sorted(nodes) == sorted(b.key for b in bxs)
        for b in bxs:  # each box lists the graph nodes it draws, and says its params and MACs
            assert f'tooltip="{", ".join(b.nodes)}"' in nodes[b.key]
            if b.params or b.macs:
                assert f"{anatomy.human(b.params)} params" in nodes[b.key]
                share = html.escape(anatomy.percent(b.macs, graph.macs))  # "<0.1" is written "&lt;0.1"
                assert f"{anatomy.human(b.macs)} MACs · {share}%" in nodes[b.key]
        shapes = {(e.src, e.dst): anatomy.shape_text(e.shape) for e in edges}
        assert {(a, b): s for a, b, s in dot_edges(dot)} == shapes
        # every graph edge that crosses boxes is drawn, with its tensor's shape
        owner = {name: b.key for b in bxs for name in b.nodes}
        for e in graph.edges:
            if owner[e.src] != owner[e.dst]:
                assert shapes[(owner[e.src], owner[e.dst])] == anatomy.shape_text(e.shape)
        most = max(b.macs for b in bxs)
        for b in bxs:
            assert (anatomy.HIGHLIGHT in nodes[b.key]) == (most > 0 and b.macs == most), b.key
        assert f"total: {anatomy.human(graph.params)} params · {anatomy.human(graph.macs)} MACs" in dot

    check()


CASES = [(family, {}) for family in blocks.names()] + [
    ("shuffle_v1", dict(c_in=240, c_out=480, stride=2)),
    ("shuffle_v2", dict(c_in=116, c_out=232, stride=2)),
    ("ghost_module", dict(c_out=100, ratio=3)),   # concat, then keep the first 100 channels
    ("ghost_bottleneck", dict(c_in=40, c_out=80, stride=2)),
    ("mbconv", dict(c_in=24, c_out=40, stride=2, padding="tf_same", activation="hswish")),
]


@pytest.mark.parametrize("family, params", CASES, ids=[f"{f}-{i}" for i, (f, _) in enumerate(CASES)])
def test_block_dot_is_valid_dot_in_both_languages(family, params):
    spec = blocks.make(family, **params)
    graph = spec.graph(56, 56)
    bxs, edges = anatomy.boxes(graph)
    for text in (None, ZH):
        dot = anatomy.block_dot(graph, text)
        parsed, = pydot.graph_from_dot_data(dot)
        nodes = [n for sub in [parsed, *parsed.get_subgraphs()] for n in sub.get_nodes()
                 if n.get_name() not in ("graph", "node", "edge")]
        assert sorted(n.get_name().strip('"') for n in nodes) == sorted(b.key for b in bxs)
        assert len(parsed.get_edges()) == len(edges)
        labels = " ".join(n.get("label") for n in nodes)
        if text is ZH:
            assert "params" not in labels and "参数" in labels
    if family == "ghost_module":
        assert "subgraph cluster_0" in anatomy.block_dot(graph) and "Ghost module, s=" in anatomy.block_dot(graph)


def test_paper_drawing_conventions():
    """SE is one box, a Ghost module inside a bottleneck is one box, conv + BN + act is one box, identity paths
    are dashed, and a stride-2 v1 unit concatenates its pooled input."""
    mb = anatomy.boxes(blocks.make("mbconv", se_ratio=0.25).graph(28, 28))[0]
    assert [b.op for b in mb] == ["input", "conv", "conv", "se", "conv", "add", "output"]
    assert mb[1].fused == ("bn", "swish") and mb[4].fused == ("bn",)
    gb, edges = anatomy.boxes(blocks.make("ghost_bottleneck").graph(28, 28))
    assert [b.op for b in gb] == ["input", "ghost_module", "se", "ghost_module", "add", "output"]
    assert [e for e in edges if e.skip] == [anatomy.BoxEdge("input", "residual", (40, 28, 28), True)]
    v1 = anatomy.block_dot(blocks.make("shuffle_v1", c_in=240, c_out=480, stride=2).graph(28, 28))
    assert "3×3 avg pool, stride 2" in v1 and "1×1 GConv, g=3" in v1 and "3×3 DWConv" in v1
    assert "style=dashed" not in v1  # the shortcut is a pool, not an identity
    v2 = anatomy.block_dot(blocks.make("shuffle_v2").graph(28, 28))
    assert '"split" -> "concat" [label=" 58×28×28 ", style=dashed' in v2


def test_catalogue_has_every_diagram_string_with_the_same_placeholders():
    import string

    def fields(s: str) -> list[str]:
        return sorted(name for _, name, _, _ in string.Formatter().parse(s) if name)

    for key, default in anatomy.TEXT.items():
        for lang in ("en", "zh"):
            assert fields(CATALOGUE[lang][f"anatomy.{key}"]) == fields(default), (lang, key)
    assert {k: CATALOGUE["en"][f"anatomy.{k}"] for k in anatomy.TEXT} == anatomy.TEXT


# --- the network graph ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def profiles():
    import torch

    import effviz
    from effviz import networks

    cache = {}

    def get(name):
        if name not in cache:
            with torch.device("meta"):
                model = networks.build(name)
            cache[name] = effviz.profile(model, networks.info(name).input_size)
        return cache[name]

    return get


def tooltips(dot: str) -> list[str]:
    return re.findall(r'tooltip="([^"]+)"', dot)


def test_network_graph_of_every_zoo_network(profiles):
    """Collapsed: every block once, in execution order, one cluster per stage, a chain of arrows with the shape
    of the tensor between blocks, the largest share darkest; opened stages: every layer of their blocks."""
    from effviz import networks

    for name in networks.names():
        prof = profiles(name)
        dot = anatomy.network_dot(prof)
        assert tooltips(dot) == [u.name for u in prof.units], name
        assert dot.count("subgraph cluster_s") == len(prof.stages)
        arrows = re.findall(r'-> "[^"]+" \[label=" ([^"]+) "', dot)
        assert len(arrows) == len(prof.units)
        assert arrows[1:] == [anatomy.shape_text(u.out_shape) for u in prof.units[:-1]], name
        heaviest = max(prof.units, key=lambda u: u.macs)
        assert f'fillcolor="{anatomy._heat(1.0, 1.0)}"' in dot and anatomy.percent(heaviest.macs, prof.macs) in dot
        opened = [s.key for s in prof.stages][1:3]
        dot = anatomy.network_dot(prof, opened, selected=heaviest.name)
        layer_tips = re.findall(r'^\s*"u\d+_\d+_\d+" \[.*tooltip="([^"]+)"', dot, re.M)
        shown = [n for tip in layer_tips for n in tip.split(", ")]
        assert shown == [r.name for r in prof.layers if r.stage in opened], name  # each layer once, in order
        collapsed = [u.name for u in prof.units if u.stage not in opened or not any(r.unit == u.name for r in
                                                                                      prof.layers)]
        assert re.findall(r'^\s*"u\d+_\d+" \[.*tooltip="([^"]+)"', dot, re.M) == collapsed
        assert anatomy.SELECTED in dot


@pytest.mark.parametrize("name", ["xception", "resnext50_32x4d"])
def test_network_graph_of_a_large_network_is_valid_dot(profiles, name):
    prof = profiles(name)
    everything = [s.key for s in prof.stages]
    for opened in ([], everything):
        parsed, = pydot.graph_from_dot_data(anatomy.network_dot(prof, opened, prof.units[5].name))
        nodes = [n for g in _all_graphs(parsed) for n in g.get_nodes() if n.get_name() not in ("graph", "node", "edge")]
        assert len(nodes) >= len(prof.units) + 1
        assert len(parsed.get_edges()) == len(nodes) - 1  # a chain (opened blocks' layers linked invisibly)


def _all_graphs(g):
    yield g
    for sub in g.get_subgraphs():
        yield from _all_graphs(sub)


def test_a_ghost_module_cluster_label_sits_clear_of_the_arrow_into_it():
    """Issue 21, item 2: the Ghost module's input arrow ran through its centred "Ghost module, s=2" label (both
    languages); the label is at the cluster's top left, the arrow enters at the top centre."""
    dot = anatomy.block_dot(blocks.make("ghost_module", stride=2).graph(56, 56))
    cluster = next(line for line in dot.splitlines() if "label=" in line and "labelloc=t" in line)
    assert "labeljust=l" in cluster
