"""A block's cost as the Conv Playground shows it: the table of its parts (each with its share of the MACs) and
the change against the standard convolution of the same shape, in the current language."""
from __future__ import annotations

from collections.abc import Hashable

import pandas as pd
import streamlit as st

from app_support.i18n import lang, t
from app_support.number_format import exact
from effviz import blocks


def vs_standard(spec: blocks.BlockSpec, ours: int, theirs: int) -> str | None:
    """The metric tile's delta: "+12.5 % (0.89×)" against the standard convolution; None where it means nothing."""
    if spec.family == "standard" or theirs == 0 or ours == 0:
        return None
    change = (ours - theirs) / theirs * 100
    factor = theirs / ours
    return t("playground.delta", pct=f"{change:+.1f}", factor=f"{factor:.2f}")


def shared_parts_table(data: Hashable, spec: blocks.BlockSpec, cost, shape: tuple[int, ...]) -> pd.DataFrame:
    """parts_table, made once per process for each block (`data`: what spec, cost and shape were computed from)
    and language, and shared by every session: read only. Building the DataFrame was a tenth of a Playground
    rerun's CPU."""
    return _shared_parts_table(data, lang(), spec, cost, shape)


@st.cache_resource(max_entries=256, show_spinner=False)
def _shared_parts_table(data: Hashable, language: str, _spec, _cost, _shape) -> pd.DataFrame:
    return parts_table(_spec, _cost, _shape)


def parts_table(spec: blocks.BlockSpec, cost, shape: tuple[int, ...]) -> pd.DataFrame:
    """One row per part that has params or MACs (the whole block when none does), indexed by the part's name."""
    rows = [
        {t("table.part"): name, t("table.shape"): "×".join(map(str, c.shape)) if c.shape else "—",
         t("table.params"): c.params, t("table.macs"): c.macs,
         t("table.macs_share"): f"{c.macs / cost.macs * 100:.1f}" if cost.macs else "0.0"}
        for name, c in cost.leaves() if c.params or c.macs
    ] or [{t("table.part"): spec.family, t("table.shape"): "×".join(map(str, shape)),
           t("table.params"): cost.params, t("table.macs"): cost.macs, t("table.macs_share"): "100.0"}]
    table = pd.DataFrame(rows)
    for column in (t("table.params"), t("table.macs")):
        table[column] = table[column].map(exact)
    return table.set_index(t("table.part"))
