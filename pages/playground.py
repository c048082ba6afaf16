"""Conv Playground: pick a block family, move its parameters, watch params/MACs, formulas and charts."""
from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

from app_support import predict
from app_support import urlstate as url
from app_support.cache import measured_cost
from app_support.export import table_with_csv
from app_support.figures import figure
from app_support.i18n import t
from effviz import blocks
from effviz.blocks import comparison, formulas, theory
from effviz.plots import anatomy
from effviz.plots import playground_charts as charts

KERNELS = (1, 3, 5, 7, 9, 11)
SE_RATIOS = (0.0, 0.0625, 0.125, 0.25, 0.5)
ACTIVATIONS = ("none",) + blocks.ACTIVATIONS

PARAMS = [
    url.ChoiceParam("family", "depthwise_separable", tuple(blocks.names())),
    url.IntParam("c_in", 64, 1, 1024),
    url.IntParam("c_out", 128, 1, 1024),
    url.ChoiceParam("kernel", 3, KERNELS),
    url.ChoiceParam("stride", 1, (1, 2)),
    url.IntParam("groups", 4, 1, 1024),
    url.IntParam("h", 56, 1, 512),
    url.IntParam("w", 56, 1, 512),
    url.IntParam("ratio", 2, 1, 8),
    url.ChoiceParam("dw_kernel", 3, KERNELS[:4]),
    url.FloatParam("expansion", 6.0, 1.0, 8.0, 0.5),
    url.ChoiceParam("se_ratio", 0.25, SE_RATIOS),
    url.ChoiceParam("activation", "relu", ACTIVATIONS),
    url.BoolParam("bias", False),
    url.BoolParam("norm", False),
    url.BoolParam("mid_relu", True),
    url.BoolParam("first_grouped", True),
    url.ChoiceParam("sweep_field", comparison.SWEEPABLE[0], comparison.SWEEPABLE),
    url.ChoiceParam("sweep_metric", "macs", ("macs", "params")),
]
SHAPE_FIELDS = ("c_in", "c_out", "kernel", "stride", "groups", "ratio", "dw_kernel", "expansion", "se_ratio",
                "activation", "bias", "norm", "mid_relu", "first_grouped")


class Choice(NamedTuple):
    family: str
    h: int
    w: int
    params: dict[str, Any]  # only the fields this family has

    @property
    def data(self) -> tuple:
        """What this block's numbers are computed from: the key of its cached figures."""
        return (self.family, tuple(sorted(self.params.items())), self.h, self.w)


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


def controls() -> Choice:
    st.selectbox(t("playground.family"), blocks.names(), key="family", format_func=family_label,
                 on_change=on_family_change)
    family = st.session_state["family"]
    st.caption(t(f"family.{family}.summary"))
    note = st.session_state.pop("_family_note", None)
    if note:
        st.info(note, icon="ℹ️")
    st.button(t("playground.seed_button"), on_click=apply_seed_example, help=t("playground.seed_help"),
              key="seed_example")
    fields = set(blocks.field_names(family))
    c1, c2 = st.columns(2)
    c1.slider(t("param.c_in"), 1, 1024, key="c_in", help=t("param.c_in.help"))
    c2.slider(t("param.c_out"), 1, 1024, key="c_out", help=t("param.c_out.help"))
    c1, c2 = st.columns(2)
    c1.slider(t("param.h"), 1, 512, key="h")
    c2.slider(t("param.w"), 1, 512, key="w")
    c1, c2 = st.columns(2)
    if "kernel" in fields:
        c1.select_slider(t("param.kernel"), KERNELS, key="kernel", help=t("param.kernel.help"))
    c2.radio(t("param.stride"), (1, 2), key="stride", horizontal=True)
    params = {k: st.session_state[k] for k in SHAPE_FIELDS if k in fields}
    if "groups" in fields:
        candidates = comparison.group_candidates(params["c_in"], params["c_out"])
        valid = comparison.valid_values(family, "groups", candidates, **params)
        url.ensure_choice("groups", valid, t("playground.groups_reason", c_in=params["c_in"], c_out=params["c_out"]))
        if valid:
            st.selectbox(t("param.groups"), valid, key="groups", help=t("param.groups.help"))
    if "ratio" in fields:
        c1, c2 = st.columns(2)
        c1.slider(t("param.ratio"), 1, 8, key="ratio", help=t("param.ratio.help"))
        c2.select_slider(t("param.dw_kernel"), KERNELS[:4], key="dw_kernel", help=t("param.dw_kernel.help"))
    if "expansion" in fields:
        c1, c2 = st.columns(2)
        c1.slider(t("param.expansion"), 1.0, 8.0, step=0.5, key="expansion", help=t("param.expansion.help"))
        c2.select_slider(t("param.se_ratio"), SE_RATIOS, key="se_ratio", help=t("param.se_ratio.help"))
    if "activation" in fields:
        options = comparison.valid_values(family, "activation", ACTIVATIONS, **params)
        url.ensure_choice("activation", options)
        st.selectbox(t("param.activation"), options, key="activation")
    toggles = [k for k in ("bias", "norm", "mid_relu", "first_grouped") if k in fields]
    for i, key in enumerate(toggles):
        if i % 2 == 0:
            cols = st.columns(2)
        cols[i % 2].checkbox(t(f"param.{key}"), key=key, help=t(f"param.{key}.help"))
    params = {k: st.session_state[k] for k in SHAPE_FIELDS if k in fields}
    return Choice(family, st.session_state["h"], st.session_state["w"], params)


def fmt(n: int) -> str:
    return f"{n:,}"


def short(n: int) -> str:
    """Compact figure for metric tiles (the exact number is in the formula and the table)."""
    for unit, size in (("G", 10**9), ("M", 10**6), ("K", 10**3)):
        if abs(n) >= 10 * size:
            return f"{n / size:.2f} {unit}"
    return f"{n:,}"


def results(choice: Choice, spec: blocks.BlockSpec) -> None:
    cost = spec.cost(choice.h, choice.w)
    base = comparison.standard_equivalent(spec).cost(choice.h, choice.w)
    shape = spec.output_shape(choice.h, choice.w)

    def delta(ours: int, theirs: int) -> str | None:
        if spec.family == "standard" or theirs == 0 or ours == 0:
            return None
        change = (ours - theirs) / theirs * 100
        factor = theirs / ours
        return t("playground.delta", pct=f"{change:+.1f}", factor=f"{factor:.2f}")

    m1, m2, m3 = st.columns(3)
    m1.metric(t("metric.params"), short(cost.params), delta(cost.params, base.params), delta_color="inverse",
              help=fmt(cost.params))
    m2.metric(t("metric.macs"), short(cost.macs), delta(cost.macs, base.macs), delta_color="inverse",
              help=fmt(cost.macs))
    m3.metric(t("metric.flops"), short(cost.flops), help=fmt(cost.flops))
    st.markdown(t("playground.output_shape", shape="×".join(map(str, shape))))
    if spec.family != "standard":
        st.caption(t("playground.baseline", params=fmt(base.params), macs=fmt(base.macs),
                     k=getattr(spec, "kernel", 3)))

    with st.container(border=True):
        for f in formulas.formulas(spec, choice.h, choice.w):
            label = t("metric.params" if f.label == "params" else "metric.macs")
            st.latex(rf"\begin{{aligned}} \text{{{label}}} &= {f.symbolic} \\ &= {f.numeric} \end{{aligned}}")

    rows = [
        {t("table.part"): name, t("table.shape"): "×".join(map(str, c.shape)) if c.shape else "—",
         t("table.params"): c.params, t("table.macs"): c.macs,
         t("table.macs_share"): f"{c.macs / cost.macs * 100:.1f}" if cost.macs else "0.0"}
        for name, c in cost.leaves() if c.params or c.macs
    ] or [{t("table.part"): spec.family, t("table.shape"): "×".join(map(str, shape)),
           t("table.params"): cost.params, t("table.macs"): cost.macs, t("table.macs_share"): "100.0"}]
    table = pd.DataFrame(rows)
    for column in (t("table.params"), t("table.macs")):
        table[column] = table[column].map(fmt)
    table_with_csv(table.set_index(t("table.part")), f"{spec.family}-{choice.h}x{choice.w}")
    st.plotly_chart(figure(charts.parts_chart, cost, (t("metric.params"), t("metric.macs")), data=choice.data),
                    key="parts_chart")
    verify_section(choice, cost)


@st.fragment
def verify_section(choice: Choice, cost) -> None:
    """The FLOP-counter check: its toggle reruns only this fragment."""
    if st.toggle(t("playground.verify"), key="verify", help=t("playground.verify_help")):
        with st.spinner(t("playground.verifying")):
            measured = measured_cost(choice.family, tuple(sorted(choice.params.items())), choice.h, choice.w)
        if measured == (cost.params, cost.macs):
            st.success(t("playground.verified", params=fmt(measured[0]), macs=fmt(measured[1])))
        else:
            st.error(t("playground.mismatch", params=fmt(measured[0]), macs=fmt(measured[1])))


def block_diagram(choice: Choice, spec: blocks.BlockSpec) -> None:
    """The block at the current settings, drawn from its graph as the paper draws it (DOT, drawn by the browser)."""
    st.subheader(t("anatomy.title"))
    st.caption(t("anatomy.caption"))
    text = {key: t(f"anatomy.{key}") for key in anatomy.TEXT}
    st.graphviz_chart(anatomy.block_dot(spec.graph(choice.h, choice.w), text))


@url.fragment
def charts_tabs(choice: Choice, spec: blocks.BlockSpec) -> None:
    """A fragment: switching tabs and the tabs' own widgets rerun this section only. Only the open tab is
    computed and drawn: a slider move redraws one chart, not four."""
    tabs = st.tabs([t("tab.families"), t("tab.sweep"), t("tab.crossover"), t("tab.theory")],
                   key="playground_tab", on_change="rerun")
    for tab, draw in zip(tabs, (families_tab, sweep_tab, crossover_tab, theory_panel), strict=True):
        if tab.open:
            with tab:
                draw(choice, spec)


def families_tab(choice: Choice, spec: blocks.BlockSpec) -> None:
    labels = {name: family_label(name) for name in blocks.names()}
    log = st.toggle(t("playground.log_scale"), key="log_families", value=True)
    rows = comparison.families_at(choice.h, choice.w, **{**spec.params_dict(), **choice.params})
    st.plotly_chart(figure(charts.family_bars, rows, spec.family, labels, log,
                           (t("metric.params"), t("metric.macs")), data=choice.data), key="families_chart")
    for r in rows:
        if r.params is None:
            st.caption(f"{labels[r.family]}: {r.note}")


def sweep_tab(choice: Choice, spec: blocks.BlockSpec) -> None:
    fields = [f for f in comparison.SWEEPABLE if f == "h" or f in blocks.field_names(spec.family)]
    url.ensure_choice("sweep_field", fields, notify=False)
    c1, c2 = st.columns(2)
    field = c1.selectbox(t("playground.sweep_param"), fields, key="sweep_field",
                         format_func=lambda f: t(f"param.{f}"))
    metric = c2.radio(t("playground.sweep_metric"), ("macs", "params"), key="sweep_metric", horizontal=True,
                      format_func=lambda m: t(f"metric.{m}"))
    url.publish([p for p in PARAMS if p.key in ("sweep_field", "sweep_metric")])  # the tabs are a fragment
    points = comparison.sweep(spec, field, choice.h, choice.w)
    st.plotly_chart(figure(charts.sweep_chart, points, t(f"param.{field}"), metric, family_label(spec.family),
                           t("playground.dense_baseline"), data=(choice.data, field)), key="sweep_chart")


def crossover_tab(choice: Choice, spec: blocks.BlockSpec) -> None:
    st.markdown(t("playground.crossover_text"))
    m = st.slider(t("playground.crossover_m"), 1, 512, 32, key="crossover_m")
    points = comparison.kernel_crossover(m, choice.h, choice.w)
    st.plotly_chart(figure(charts.crossover_chart, points, (t("playground.one_5x5"), t("playground.two_3x3")),
                           t("playground.crossover_n"), theory.mnas_crossover(), data=(m, choice.h, choice.w)),
                    key="crossover_chart")


def theory_panel(choice: Choice, spec: blocks.BlockSpec) -> None:
    k = getattr(spec, "kernel", 3) if getattr(spec, "kernel", 1) > 1 else 3
    n, c = spec.c_out, spec.c_in
    dws = blocks.make("depthwise_separable", c_in=c, c_out=n, kernel=k).cost(choice.h, choice.w).macs
    std = blocks.make("standard", c_in=c, c_out=n, kernel=k).cost(choice.h, choice.w).macs
    st.markdown(t("theory.dws", n=n, k=k, formula=float(theory.depthwise_separable_ratio(n, k)),
                  measured=dws / std))
    s = getattr(spec, "ratio", 2)
    d = getattr(spec, "dw_kernel", 3)
    kg = getattr(spec, "kernel", 1) if spec.family == "ghost_module" else 1
    ghost = blocks.make("ghost_module", c_in=c, c_out=n, kernel=kg, ratio=s, dw_kernel=d)
    std_g = blocks.make("standard", c_in=c, c_out=n, kernel=kg).cost(choice.h, choice.w).macs
    st.markdown(t("theory.ghost", c=c, k=kg, s=s, d=d, formula=float(theory.ghost_speedup(c, kg, s, d)),
                  measured=std_g / ghost.cost(choice.h, choice.w).macs, divisible=n % s == 0))


def main() -> None:
    st.title(t("playground.title"))
    st.caption(t("convention"))
    url.restore(PARAMS)
    left, right = st.columns([1, 2.2], gap="large")
    with left:
        choice = controls()
    url.publish(PARAMS)
    with right:
        spec, problem = comparison.try_make(choice.family, **choice.params)
        if spec is None:
            st.error(t("playground.invalid", problem=problem), icon="⚠️")
            return
        topic = (choice.family, tuple(sorted(choice.params.items())), choice.h, choice.w)
        if not predict.gate("playground", t("predict.what.playground"), topic, spec.cost(choice.h, choice.w).macs):
            return  # predict first: results and charts wait for the student's estimate
        results(choice, spec)
    with left:  # beside the numbers, under the controls (on a phone: between them)
        block_diagram(choice, spec)
    charts_tabs(choice, spec)


main()
