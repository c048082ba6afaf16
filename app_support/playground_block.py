"""The Conv Playground's block choice, declared once: its defaults (the Playground's URL parameters start from
them, and the Latency Lab times them until the Playground has been used in the session), the callbacks that keep
the choice valid when the family changes, and the seeds' worked example."""
from __future__ import annotations

from typing import Any

import streamlit as st

from app_support import urlstate as url
from app_support.i18n import t
from effviz import blocks
from effviz.blocks import comparison

KERNELS = (1, 3, 5, 7, 9, 11)
SE_RATIOS = (0.0, 0.0625, 0.125, 0.25, 0.5)
N_DIVS = (1, 2, 4, 8, 16)      # FasterNet's partial ratio r = 1 / n_div
DW_KERNELS = (0, 3, 5, 7)      # UIB's optional depthwise convs (0: none)
ACTIVATIONS = ("none",) + blocks.ACTIVATIONS

DEFAULTS: dict[str, Any] = dict(family="depthwise_separable", c_in=64, c_out=128, kernel=3, stride=1, groups=4,
                                h=56, w=56, ratio=2, dw_kernel=3, expansion=6.0, se_ratio=0.25, activation="relu",
                                bias=False, norm=False, mid_relu=True, first_grouped=True, n_div=4, dw_start=3,
                                dw_mid=3)
SHAPE_FIELDS = ("c_in", "c_out", "kernel", "stride", "groups", "ratio", "dw_kernel", "expansion", "se_ratio",
                "activation", "bias", "norm", "mid_relu", "first_grouped", "n_div", "dw_start", "dw_mid")
# What the Latency Lab takes from the Playground: the shape of the block, not its bias, norm or ReLU switches.
TIMED = ("family", "c_in", "c_out", "kernel", "stride", "groups", "h", "w", "ratio", "dw_kernel", "expansion",
         "se_ratio", "activation", "n_div", "dw_start", "dw_mid")


def family_label(name: str) -> str:
    return t(f"family.{name}")


def on_family_change() -> None:
    """Keep the user's numbers if the new family accepts them; else start from its textbook example."""
    family = st.session_state["family"]
    current = {k: st.session_state[k] for k in SHAPE_FIELDS if k in st.session_state}
    spec, _ = comparison.try_make(family, **current)
    if spec is None:
        defaults = blocks.make(family).params_dict()
        for key, value in defaults.items():
            if key in st.session_state:
                st.session_state[key] = value
        st.session_state["_family_note"] = t("playground.family_reset", family=family_label(family))


def apply_seed_example() -> None:
    """The seeds' example: 3 -> 4 channels, 3x3, 64x64, with bias: 112 parameters vs 30 + 16 = 46."""
    st.session_state.update(family="depthwise_separable", c_in=3, c_out=4, kernel=3, stride=1, h=64, w=64,
                            bias=True, norm=False, mid_relu=True, activation="none")


def remembered() -> tuple[dict[str, Any], bool]:
    """The block the Playground last showed in this session (app_support.urlstate.remembered), else the
    defaults; and whether it came from the Playground."""
    snapshot = url.remembered(TIMED)
    block = {k: DEFAULTS[k] for k in TIMED}
    return ({**block, **snapshot}, True) if "family" in snapshot else (block, False)


def newer_controls(fields: set[str]) -> None:
    """The newer families' own switches, where the family has them: FasterNet's partial ratio, UIB's two
    optional depthwise convs."""
    if not {"n_div", "dw_start"} & fields:
        return
    c1, c2 = st.columns(2)
    if "n_div" in fields:
        c1.select_slider(t("param.n_div"), N_DIVS, key="n_div", help=t("param.n_div.help"),
                         format_func=lambda n: f"1/{n}")
    if "dw_start" in fields:
        def kernel_text(k: int) -> str:
            return f"{k}×{k}" if k else t("param.off")

        c1.select_slider(t("param.dw_start"), DW_KERNELS, key="dw_start", help=t("param.dw_start.help"),
                         format_func=kernel_text)
        c2.select_slider(t("param.dw_mid"), DW_KERNELS, key="dw_mid", help=t("param.dw_mid.help"),
                         format_func=kernel_text)
