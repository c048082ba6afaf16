"""Each family's one declaration (spec.graph): a well-formed graph whose parts are the cost's parts, whose
memory rows are memory_access.of()'s, and which computes what the hand-written module computes; and a family
added in one file gets all of it."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import torch
from hypothesis import given, settings

import effviz
from effviz import blocks
from effviz.blocks.graph import OPS, Builder
from effviz.blocks.layers.graph_module import GraphModule, structure_of
from effviz.speed import memory_access as ma
from tests.strategies import BY_FAMILY, sizes_for


def leaves(cost, prefix=""):
    """(dotted part name, Cost) of every leaf part, including the empty ones Cost.leaves() leaves out."""
    if not cost.parts:
        return [(prefix, cost)]
    return [row for name, part in cost.parts.items() for row in leaves(part, f"{prefix}.{name}" if prefix else name)]


@pytest.mark.parametrize("family", list(BY_FAMILY))
def test_graph_is_well_formed_and_is_the_cost(family):
    @settings(max_examples=40, deadline=None)
    @given(spec=BY_FAMILY[family], h=sizes_for(family), w=sizes_for(family))
    def check(spec, h, w):
        graph = spec.graph(h, w)
        names = [n.name for n in graph.nodes]
        assert len(set(names)) == len(names)
        assert graph.nodes[0].op == "input" and graph.nodes[-1].op == "output"
        assert {n.op for n in graph.nodes} <= set(OPS)
        seen: set[str] = set()
        for n in graph.nodes:  # declared in execution order: every input comes from an earlier node
            assert all(src in seen for src, _ in n.inputs), n.name
            seen.add(n.name)
            if n.op == "conv":
                (src, i), = n.inputs
                assert graph.node(src).output_shape(i)[0] == n.attrs["c_in"]
        # every node lies on a path from the input to the output
        reach = {"input"}
        for n in graph.nodes:
            if any(src in reach for src, _ in n.inputs):
                reach.add(n.name)
        back = {"output"}
        for n in reversed(graph.nodes):
            if n.name in back:
                back.update(src for src, _ in n.inputs)
        assert reach == back == set(names)
        assert {e.dst for e in graph.edges} == set(names) - {"input"}
        # the cost parts are the nodes grouped by part
        cost = spec.cost(h, w)
        assert cost == graph.cost()
        for name, part in leaves(cost):
            members = [n for n in graph.nodes if n.part == name]
            assert (part.params, part.macs) == (sum(n.params for n in members), sum(n.macs for n in members)), name
        assert all(n.part in dict(leaves(cost)) for n in graph.nodes if n.params or n.macs)
        # and the memory access is the nodes' traffic
        assert ma.of(spec, h, w).layers == graph.accesses()
        assert sum(n.memory for n in graph.nodes) == ma.of(spec, h, w).elements

    check()


def _randomise(module: torch.nn.Module) -> None:
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for t in [*module.parameters(), *module.buffers()]:
            if t.is_floating_point():
                t.copy_(torch.rand(t.shape, generator=gen) + 0.5)


@pytest.mark.parametrize("family", list(BY_FAMILY))
def test_graph_computes_what_the_hand_written_module_computes(family):
    """The graph run as torch (GraphModule), given the hand-written module's weights in order, gives the same
    output: the declaration has the module's data flow (split halves, concat order, shuffle place), not only
    its layers."""
    @settings(max_examples=40, deadline=None)
    @given(spec=BY_FAMILY[family], h=sizes_for(family), w=sizes_for(family))
    def check(spec, h, w):
        graph = spec.graph(h, w)
        module, generic = spec.build().eval(), GraphModule(graph).eval()
        assert structure_of(generic) == structure_of(module) == graph.structure()
        _randomise(module)
        with torch.no_grad():
            for a, b in zip([*module.parameters(), *module.buffers()], [*generic.parameters(), *generic.buffers()],
                            strict=True):
                b.copy_(a)
            x = torch.randn(2, spec.c_in, h, w, generator=torch.Generator().manual_seed(1))
            torch.testing.assert_close(generic(x), module(x), rtol=1e-4, atol=1e-4)

    check()


def test_declaration_mistakes_are_refused():
    b = Builder("toy", 8, 4, 4)
    with pytest.raises(ValueError, match="groups=3 must divide c_in=8"):
        b.conv(b.input, "conv", 8, groups=3)
    y = b.conv(b.input, "conv", 4)
    with pytest.raises(ValueError, match="declared twice"):
        b.conv(b.input, "conv", 4)
    with pytest.raises(ValueError, match="shapes"):
        b.add(b.input, y, "add")
    with pytest.raises(ValueError, match="do not add up"):
        b.split(b.input, "split", (3, 3))
    with pytest.raises(ValueError, match="activation must be one of"):
        b.act(y, "act", "gelu")


def readme_recipe() -> str:
    """The code block of the README's "Adding a block family" section: the test runs the recipe as written."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme[readme.index("### Adding a block family"):]
    return section[section.index("```python") + len("```python"):section.index("```", section.index("```python") + 9)]


@pytest.fixture
def toy_family(tmp_path):
    """Writes the toy family to a file, imports it, and unregisters it afterwards."""
    from effviz.blocks import FAMILIES

    path = tmp_path / "toy_block.py"
    path.write_text(readme_recipe())
    spec = importlib.util.spec_from_file_location("toy_block", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["toy_block"] = module
    try:
        spec.loader.exec_module(module)
        yield "toy_residual"
    finally:
        FAMILIES.unregister("toy_residual")
        sys.modules.pop("toy_block", None)


def test_a_family_added_in_one_file_gets_cost_memory_module_and_diagram(toy_family):
    from effviz.plots import anatomy

    assert blocks.names()[-1] == toy_family
    spec = blocks.make(toy_family, c_in=24, c_out=24, kernel=5)
    cost = spec.cost(14, 14)
    assert list(cost.parts) == ["depthwise", "pointwise"]
    assert cost.params == 5 * 5 * 24 + 2 * 24 + 24 * 24 + 2 * 24
    assert cost.macs == (5 * 5 * 24 + 24 * 24) * 14 * 14
    module = spec.build()  # no hand-written module: the graph runs as torch
    assert effviz.count(module, (24, 14, 14)) .macs == cost.macs
    assert ma.trace(module, (24, 14, 14)).elements == ma.of(spec, 14, 14).elements
    dot = anatomy.block_dot(spec.graph(14, 14))
    for node in ("depthwise", "pointwise", "residual"):
        assert f'"{node}"' in dot


def test_a_family_added_in_one_file_appears_in_the_playground(toy_family):
    from tests.apptest_support import open_page

    at = open_page("playground", {"family": toy_family, "c_in": "24", "c_out": "24", "kernel": "5"})
    assert not at.exception and not at.error
    cost = blocks.make(toy_family, c_in=24, c_out=24, kernel=5).cost(56, 56)
    assert any(m.proto.help == f"{cost.macs:,}" for m in at.metric)
    dot = at.get("graphviz_chart")[0].proto.spec
    assert '"depthwise"' in dot and '"input" -> "residual"' in dot and "5×5 DWConv" in dot
    at.toggle(key="verify").set_value(True).run()  # torch counts the graph's own module: the same numbers
    assert at.success and "identical" in at.success[0].value
