"""Every Streamlit cache wrapper of the app, in one place (pages never cache on their own).

st.cache_resource: models, loaded once per process, in eval mode, never mutated afterwards.
st.cache_data(max_entries=...): tables and arrays, bounded so a busy server cannot grow without limit."""
from __future__ import annotations

import streamlit as st

# --- Conv Playground --------------------------------------------------------------------------------------


@st.cache_data(max_entries=512, show_spinner=False)
def measured_cost(family: str, params: tuple[tuple[str, object], ...], h: int, w: int) -> tuple[int, int]:
    """(params, MACs) counted by torch's FlopCounterMode on the block built on the meta device (no weights
    allocated). torch is imported here, only when a user asks for the check."""
    import torch

    import effviz
    from effviz import blocks

    spec = blocks.make(family, **dict(params))
    with torch.device("meta"):
        module = spec.build()
    cost = effviz.count(module, (spec.c_in, h, w))
    return cost.params, cost.macs
