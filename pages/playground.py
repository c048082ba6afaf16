"""Conv Playground: pick a block family, move its parameters, watch params/MACs, formulas and charts."""
from __future__ import annotations

from typing import Any, NamedTuple

import streamlit as st

from app_support.classroom import push
from app_support.playground import block, reparam
from app_support.playground.cost_table import formula_latex, part_labels, parts_table, vs_standard
from app_support.shell import predict
from app_support.shell import urlstate as url
from app_support.shell.cache import measured_cost
from app_support.shell.export import table_with_csv
from app_support.shell.figures import figure
from app_support.shell.i18n import problem_text, t, texts
from app_support.shell.number_format import exact, tile
from effviz import blocks
from effviz.blocks import comparison, formulas, theory
from effviz.plots import anatomy
from effviz.plots import playground_charts as charts

PARAMS = [
    url.ChoiceParam("family", block.DEFAULTS["family"], tuple(blocks.names())),
    url.IntParam("c_in", block.DEFAULTS["c_in"], 1, 1024),
    url.IntParam("c_out", block.DEFAULTS["c_out"], 1, 1024),
    url.ChoiceParam("kernel", block.DEFAULTS["kernel"], block.KERNELS),
    url.ChoiceParam("stride", block.DEFAULTS["stride"], (1, 2)),
    url.IntParam("groups", block.DEFAULTS["groups"], 1, 1024),
    url.IntParam("h", block.DEFAULTS["h"], 1, 512),
    url.IntParam("w", block.DEFAULTS["w"], 1, 512),
    url.IntParam("ratio", block.DEFAULTS["ratio"], *block.RATIO_RANGE),
    url.ChoiceParam("dw_kernel", block.DEFAULTS["dw_kernel"], block.KERNELS[:4]),
    url.FloatParam("expansion", block.DEFAULTS["expansion"], 1.0, 8.0, 0.5),
    url.ChoiceParam("se_ratio", block.DEFAULTS["se_ratio"], block.SE_RATIOS),
    url.ChoiceParam("activation", block.DEFAULTS["activation"], block.ACTIVATIONS),
    url.BoolParam("bias", block.DEFAULTS["bias"]),
    url.BoolParam("norm", block.DEFAULTS["norm"]),
    url.BoolParam("mid_relu", block.DEFAULTS["mid_relu"]),
    url.BoolParam("first_grouped", block.DEFAULTS["first_grouped"]),
    url.ChoiceParam("n_div", block.DEFAULTS["n_div"], block.N_DIVS),
    url.ChoiceParam("dw_start", block.DEFAULTS["dw_start"], block.DW_KERNELS),
    url.ChoiceParam("dw_mid", block.DEFAULTS["dw_mid"], block.DW_KERNELS),
    url.ChoiceParam("sweep_field", comparison.SWEEPABLE[0], comparison.SWEEPABLE),
    url.ChoiceParam("sweep_metric", "macs", ("macs", "params")),
    url.BoolParam("log_families", True),
    url.IntParam("crossover_m", 32, 1, 512),
    url.BoolParam("verify", False),
]


def publish_own(*keys: str) -> None:  # the URL values of widgets drawn in a fragment (a tab, the torch check)
    url.publish([p for p in PARAMS if p.key in keys])


# On a phone: a formula's widest line (a product, no "+" to break at) scaled to fit; the parts table smaller.
PHONE_FORMULAS = ("@media (max-width: 640px) { .katex-display > .katex { font-size: 0.86em; } "
                  "[data-testid='stTable'] table { font-size: 0.72rem; } "
                  "[data-testid='stTable'] th, [data-testid='stTable'] td { padding: 0.25rem 0.3rem; } }")


class Choice(NamedTuple):
    family: str
    h: int
    w: int
    params: dict[str, Any]  # only the fields this family has

    @property
    def data(self) -> tuple:
        """What this block's numbers are computed from: the key of its cached figures."""
        return (self.family, tuple(sorted(self.params.items())), self.h, self.w)


def controls() -> Choice:
    st.selectbox(t("playground.family"), blocks.names(), key="family", format_func=block.family_label,
                 on_change=block.on_family_change)
    family = st.session_state["family"]
    st.caption(t(f"family.{family}.summary"))
    note = st.session_state.pop("_family_note", None)
    if note:
        st.info(note, icon="ℹ️")
    st.button(t("playground.seed_button"), on_click=block.apply_seed_example, help=t("playground.seed_help"),
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
        c1.select_slider(t("param.kernel"), block.KERNELS, key="kernel", help=t("param.kernel.help"))
    c2.radio(t("param.stride"), (1, 2), key="stride", horizontal=True)
    params = {k: st.session_state[k] for k in block.SHAPE_FIELDS if k in fields}
    if "groups" in fields:
        candidates = comparison.group_candidates(params["c_in"], params["c_out"])
        valid = comparison.valid_values(family, "groups", candidates, **params)
        url.ensure_choice("groups", valid, t("playground.groups_reason", c_in=params["c_in"], c_out=params["c_out"]))
        if valid:
            st.selectbox(t("param.groups"), valid, key="groups", help=t("param.groups.help"))
    if "ratio" in fields:
        c1, c2 = st.columns(2)
        c1.slider(t("param.ratio"), *block.RATIO_RANGE, key="ratio", help=t("param.ratio.help"))
        c2.select_slider(t("param.dw_kernel"), block.KERNELS[:4], key="dw_kernel", help=t("param.dw_kernel.help"))
    block.newer_controls(fields)
    if "expansion" in fields:
        c1, c2 = st.columns(2)
        c1.slider(t("param.expansion"), 1.0, 8.0, step=0.5, key="expansion", help=t("param.expansion.help"))
        if "se_ratio" in fields:
            c2.select_slider(t("param.se_ratio"), block.SE_RATIOS, key="se_ratio", help=t("param.se_ratio.help"))
    if "activation" in fields:
        options = comparison.valid_values(family, "activation", block.ACTIVATIONS, **params)
        url.ensure_choice("activation", options)
        st.selectbox(t("param.activation"), options, key="activation")
    for key in [k for k in ("bias", "norm", "mid_relu", "first_grouped") if k in fields]:  # one a row: whole labels
        st.checkbox(t(f"param.{key}"), key=key, help=t(f"param.{key}.help"))
    params = {k: st.session_state[k] for k in block.SHAPE_FIELDS if k in fields}
    return Choice(family, st.session_state["h"], st.session_state["w"], params)


def results(choice: Choice, spec: blocks.BlockSpec) -> None:
    cost = spec.cost(choice.h, choice.w)
    base = comparison.standard_equivalent(spec).cost(choice.h, choice.w)
    shape = spec.output_shape(choice.h, choice.w)
    m1, m2, m3 = st.columns(3)
    m1.metric(t("metric.params"), tile(cost.params), **vs_standard(spec, cost.params, base.params),
              help=exact(cost.params))
    m2.metric(t("metric.macs"), tile(cost.macs), **vs_standard(spec, cost.macs, base.macs), help=exact(cost.macs))
    m3.metric(t("metric.flops"), tile(cost.flops), help=exact(cost.flops))
    st.markdown(t("playground.output_shape", shape="×".join(map(str, shape))))
    if spec.family != "standard":
        st.caption(t("playground.baseline", params=exact(base.params), macs=exact(base.macs),
                     k=getattr(spec, "kernel", 3)))

    block_diagram(choice, spec)  # here, in the wide column: in the narrow one its labels were 7 px at 1440x900
    st.html(f"<style>{PHONE_FORMULAS}</style>")
    with st.container(border=True):
        for f in formulas.formulas(spec, choice.h, choice.w):  # wrapped: whole on a projector and on a phone
            st.latex(formula_latex(t("metric.params" if f.label == "params" else "metric.macs"), f))

    table_with_csv(parts_table(spec, cost, shape), f"{spec.family}-{choice.h}x{choice.w}")
    st.plotly_chart(figure(charts.parts_chart, cost, (t("metric.params"), t("metric.macs")), part_labels(cost),
                           data=choice.data), key="parts_chart")
    verify_section(choice, cost)


@url.fragment
def verify_section(choice: Choice, cost) -> None:
    """The FLOP-counter check: its toggle reruns only this fragment (and is in the link)."""
    verify = st.toggle(t("playground.verify"), key="verify", help=t("playground.verify_help"))
    publish_own("verify")
    if verify:
        with st.spinner(t("playground.verifying")):
            measured = measured_cost(choice.family, tuple(sorted(choice.params.items())), choice.h, choice.w)
        if measured == (cost.params, cost.macs):
            st.success(t("playground.verified", params=exact(measured[0]), macs=exact(measured[1])))
        else:
            st.error(t("playground.mismatch", params=exact(measured[0]), macs=exact(measured[1])))


def block_diagram(choice: Choice, spec: blocks.BlockSpec) -> None:
    """The block at the current settings, drawn from its graph as the paper draws it (DOT, drawn by the browser)."""
    st.subheader(t("anatomy.title"))
    st.caption(t("anatomy.caption"))
    text = texts("anatomy", anatomy.TEXT)
    st.graphviz_chart(anatomy.block_dot(spec.graph(choice.h, choice.w), text))


@url.fragment
def charts_tabs(choice: Choice, spec: blocks.BlockSpec) -> None:
    """A fragment: switching tabs and the tabs' own widgets rerun this section only. Only the open tab is
    computed and drawn: a slider move redraws one chart, not four."""
    tabs = url.tabs("playground_tab", ("families", "sweep", "crossover", "theory"), lambda name: t(f"tab.{name}"))
    for tab, draw in zip(tabs, (families_tab, sweep_tab, crossover_tab, theory_panel), strict=True):
        if tab.open:
            with tab:
                draw(choice, spec)


def families_tab(choice: Choice, spec: blocks.BlockSpec) -> None:
    labels = {name: block.family_label(name) for name in blocks.names()}
    log = st.toggle(t("playground.log_scale"), key="log_families")
    publish_own("log_families")
    rows = comparison.families_at(choice.h, choice.w, **{**spec.params_dict(), **choice.params})
    notes = {r.family: problem_text(r.problem) for r in rows if r.problem is not None}
    st.plotly_chart(figure(charts.family_bars, rows, spec.family, block.bar_labels(rows, labels), log,
                           (t("metric.params"), t("metric.macs")), notes, data=choice.data),
                    key="families_chart")
    for family, note in notes.items():
        st.caption(t("playground.family_note", family=labels[family], note=note))
    if any(r.changed for r in rows):
        st.caption(t("playground.shown_at_note"))


def sweep_tab(choice: Choice, spec: blocks.BlockSpec) -> None:
    fields = [f for f in comparison.SWEEPABLE if f == "h" or f in blocks.field_names(spec.family)]
    url.ensure_choice("sweep_field", fields, notify=False)
    c1, c2 = st.columns(2)
    field = c1.selectbox(t("playground.sweep_param"), fields, key="sweep_field",
                         format_func=lambda f: t(f"param.{f}"))
    metric = c2.radio(t("playground.sweep_metric"), ("macs", "params"), key="sweep_metric", horizontal=True,
                      format_func=lambda m: t(f"metric.{m}"))
    publish_own("sweep_field", "sweep_metric")  # the tabs are a fragment
    points = comparison.sweep(spec, field, choice.h, choice.w)
    st.plotly_chart(figure(charts.sweep_chart, points, t(f"param.{field}"), metric, block.family_label(spec.family),
                           t("playground.dense_baseline"), data=(choice.data, field)), key="sweep_chart")


def crossover_tab(choice: Choice, spec: blocks.BlockSpec) -> None:
    st.markdown(t("playground.crossover_text"))
    m = st.slider(t("playground.crossover_m"), 1, 512, key="crossover_m")
    publish_own("crossover_m")
    points = comparison.kernel_crossover(m, choice.h, choice.w)
    st.plotly_chart(figure(charts.crossover_chart, points, (t("playground.one_5x5"), t("playground.two_3x3")),
                           t("playground.crossover_n"), theory.mnas_crossover(), data=(m, choice.h, choice.w)),
                    key="crossover_chart")


def theory_panel(choice: Choice, spec: blocks.BlockSpec) -> None:
    for text in block.theory_texts(spec, choice.h, choice.w):
        st.markdown(text)


def main() -> None:
    st.title(t("playground.title"))
    st.caption(t("convention"))
    arrived = url.arriving(PARAMS)
    url.restore(PARAMS)
    block.settle_link(arrived)
    left, right = st.columns([1, 2.2], gap="large")
    with left:
        choice = controls()
    url.publish(PARAMS)
    with right:
        spec, problem = comparison.try_make(choice.family, size=(choice.h, choice.w), **choice.params)
        if spec is None:
            st.error(t("playground.invalid", problem=problem_text(problem)), icon="⚠️")
            return
        push.offer(choice.family, choice.params, choice.h, choice.w)  # a teacher with a class open: ask it
        if not predict.gate("playground", t("predict.what.playground"), choice.data,
                            spec.cost(choice.h, choice.w).macs):
            return  # predict first: results and charts wait for the student's estimate
        results(choice, spec)
    charts_tabs(choice, spec)
    reparam.section(reparam.PARAMS)


main()
