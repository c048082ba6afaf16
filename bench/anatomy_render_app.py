"""A one-chart Streamlit app for bench_anatomy.py: draws the DOT named by ?case=... with st.graphviz_chart, so the
browser's Graphviz (WebAssembly) layout time can be measured alone.

    ?case=trivial                       two nodes and an edge (the baseline)
    ?case=block:<family>                the Playground's diagram of the family's textbook example at 56 x 56
    ?case=net:<network>[:open]          the Network Explorer's graph, collapsed or with every stage opened"""
from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from effviz import blocks  # noqa: E402
from effviz.plots import anatomy  # noqa: E402


@st.cache_resource
def profile(name: str):
    import torch

    import effviz
    from effviz import networks

    with torch.device("meta"):
        model = networks.build(name)
    return effviz.profile(model, networks.info(name).input_size)


case = st.query_params.get("case", "trivial")
kind, _, rest = case.partition(":")
if kind == "block":
    dot = anatomy.block_dot(blocks.make(rest).graph(56, 56))
elif kind == "net":
    name, _, opened = rest.partition(":")
    prof = profile(name)
    dot = anatomy.network_dot(prof, [s.key for s in prof.stages] if opened else (), prof.units[0].name)
else:
    dot = 'digraph { "a" -> "b" [label=" 1×1×1 "]; }'
st.graphviz_chart(dot)
