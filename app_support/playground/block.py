"""The Conv Playground's block choice: the callbacks that keep the choice valid when the family changes, the
newer families' controls, the seeds' worked example, the families chart's labels and the Theory tab's sentences.
Its defaults, and what the Latency Lab reads of it, are app_support.shell.block_choice."""
from __future__ import annotations

import streamlit as st

from app_support.shell.block_choice import DEFAULTS, changes_text  # noqa: F401 - the page reads DEFAULTS here
from app_support.shell.i18n import t
from effviz import blocks
from effviz.blocks import comparison, partial_conv, uib

KERNELS = (1, 3, 5, 7, 9, 11)
SE_RATIOS = (0.0, 0.0625, 0.125, 0.25, 0.5)
N_DIVS = partial_conv.N_DIV_CHOICES  # FasterNet's partial ratio r = 1 / n_div
DW_KERNELS = uib.DW_KERNELS          # UIB's optional depthwise convs (0: none)
RATIO_RANGE = blocks.spec_class("ghost_module").ranges["ratio"]  # Ghost's s: the families' own (low, high)
ACTIVATIONS = ("none",) + blocks.ACTIVATIONS

SHAPE_FIELDS = ("c_in", "c_out", "kernel", "stride", "groups", "ratio", "dw_kernel", "expansion", "se_ratio",
                "activation", "bias", "norm", "mid_relu", "first_grouped", "n_div", "dw_start", "dw_mid")


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


def settle_link(arrived: set[str]) -> None:
    """After url.restore, before the widgets: a link whose block the family refuses (a stride-1 ShuffleNet unit
    with c_out != c_in, ...) is set right as the dropdown would: a link that names no block fields starts from
    the family's textbook example; one that does moves to the nearest block the family takes
    (comparison.nearest_valid), and a notice says what changed. A widget move that makes an invalid block still
    gets the page's error, which names the rule."""
    if "family" not in arrived and not arrived & set(SHAPE_FIELDS):
        return
    family = st.session_state["family"]
    fields = set(blocks.field_names(family))
    current = {k: st.session_state[k] for k in SHAPE_FIELDS if k in st.session_state}
    if comparison.try_make(family, **current)[0] is not None:
        return
    spec, changed, _ = comparison.nearest_valid(family, **current) if arrived & fields else (None, (), None)
    if spec is None:
        for key, value in blocks.make(family).params_dict().items():
            if key in st.session_state:
                st.session_state[key] = value
        st.session_state["_family_note"] = t("playground.family_reset", family=family_label(family))
        return
    for key, _, used in changed:
        st.session_state[key] = used
    st.session_state["_family_note"] = t("playground.link_adjusted", family=family_label(family),
                                         changes=changes_text(changed))


def bar_labels(rows, labels: dict[str, str]) -> dict[str, str]:
    """The families chart's labels: a family shown at the nearest shape it takes (comparison.families_at) says
    which, on its bar."""
    return {**labels, **{r.family: t("playground.shown_at", family=labels[r.family], changes=changes_text(r.changed))
                         for r in rows if r.changed}}


def apply_seed_example() -> None:
    """The seeds' example: 3 -> 4 channels, 3x3, 64x64, with bias: 112 parameters vs 30 + 16 = 46."""
    st.session_state.update(family="depthwise_separable", c_in=3, c_out=4, kernel=3, stride=1, h=64, w=64,
                            bias=True, norm=False, mid_relu=True, activation="none")


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


def theory_texts(spec: blocks.BlockSpec, h: int, w: int) -> list[str]:
    """The Theory tab's two checks, as sentences: the papers' cost ratios (depthwise-separable 1/N + 1/k², Ghost's
    speed-up) beside the same ratios computed from the blocks' costs at this shape (effviz.blocks.theory)."""
    from effviz.blocks import theory

    dws, ghost = theory.seed_checks(spec, h, w)
    divisible = t("theory.divisible." + ("yes" if ghost.pop("divisible") else "no"))
    return [t("theory.dws", **dws), t("theory.ghost", **ghost, divisible=divisible)]
