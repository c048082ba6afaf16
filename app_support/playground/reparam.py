"""The Conv Playground's re-parameterisation section: a RepVGG block's training graph beside its folded inference
graph, the folding shown as kernels that add up, the two forms' outputs compared on a random input, their params,
MACs and (on a click) measured latency. Everything comes from effviz.blocks.reparam; this module only lays it out.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app_support.shell import cache
from app_support.shell import urlstate as url
from app_support.shell.export import table_with_csv
from app_support.shell.figures import figure
from app_support.shell.i18n import problem_text, t, texts
from app_support.shell.number_format import exact
from effviz.blocks import reparam
from effviz.plots import anatomy, reparam_charts

CHANNELS = (4, 8, 16, 32, 64, 128)
KERNELS = (3, 5, 7)
SIZES = (7, 14, 28, 56)
# The folding section's URL keys (the Conv Playground restores and publishes them with its own)
PARAMS = [url.ChoiceParam("rep_c", 32, CHANNELS), url.BoolParam("rep_dw", False), url.ChoiceParam("rep_k", 3, KERNELS),
          url.ChoiceParam("rep_stride", 1, (1, 2)), url.ChoiceParam("rep_hw", 28, SIZES)]
TIMING = (0.05, 2, 5)  # min_run_time, warm-up, repeats: a quick measurement (the Latency Lab has the presets)


@url.fragment
def section(params: list) -> None:
    """Its own widgets rerun only this section (a fragment); `params` are its URL parameters (the page declares
    them: rep_c, rep_k, rep_stride, rep_dw, rep_hw)."""
    st.header(t("reparam.title"))
    st.markdown(t("reparam.intro"))
    url.restore(params)
    c1, c2, c3 = st.columns(3)
    c1.select_slider(t("reparam.channels"), CHANNELS, key="rep_c")
    c2.radio(t("param.kernel"), KERNELS, key="rep_k", horizontal=True)
    c3.radio(t("param.stride"), (1, 2), key="rep_stride", horizontal=True)
    c1, c2 = st.columns(2)
    c1.select_slider(t("reparam.size"), SIZES, key="rep_hw")
    c2.checkbox(t("reparam.depthwise"), key="rep_dw", help=t("reparam.depthwise_help"))
    url.publish(params)
    s = st.session_state
    c = s["rep_c"]
    try:
        spec = reparam.RepSpec(c_in=c, c_out=c, kernel=s["rep_k"], stride=s["rep_stride"],
                               groups=c if s["rep_dw"] else 1)
    except ValueError as err:
        st.error(t("playground.invalid", problem=problem_text(err)), icon="⚠️")
        return
    hw = s["rep_hw"]
    fields = tuple(sorted(vars(spec).items()))
    max_abs, max_rel, train, deploy, branches, folded, folded_bias = cache.reparam_comparison(fields, hw, hw)
    text = texts("anatomy", anatomy.TEXT)
    left, right = st.columns(2)
    with left:
        st.subheader(t("reparam.train_graph"))
        st.graphviz_chart(anatomy.block_dot(spec.train_graph(hw, hw), text))
    with right:
        st.subheader(t("reparam.deploy_graph"))
        st.graphviz_chart(anatomy.block_dot(spec.deploy_graph(hw, hw), text))
    st.subheader(t("reparam.kernels_title"))
    st.markdown(t("reparam.kernels_text", k=spec.kernel))
    labels = [(t(f"reparam.branch.{name}"), kernel) for name, kernel, _ in branches]
    st.plotly_chart(figure(reparam_charts.kernels_sum, labels, (t("reparam.branch.folded"), folded),
                           [b for *_, b in branches] + [folded_bias], t("reparam.bias")), key="reparam_kernels")
    ok = max_rel <= 1e-5
    (st.success if ok else st.error)(t("reparam.proof", abs=f"{max_abs:.2e}", rel=f"{max_rel:.2e}",
                                       c=c, hw=hw), icon="✅" if ok else "⚠️")
    frame = pd.DataFrame({t("reparam.col.params"): [exact(train[0]), exact(deploy[0])],
                          t("reparam.col.macs"): [exact(train[1]), exact(deploy[1])]},
                         index=[t("reparam.row.train"), t("reparam.row.deploy")])
    if st.button(t("reparam.measure"), key="rep_measure"):
        with st.spinner(t("reparam.measuring")):
            lat = cache.latency_reparam_block(cache.latency_machine(), 1, fields, hw, hw, TIMING)
        s["_rep_latency"] = (fields, hw, lat)
    kept = s.get("_rep_latency")
    if kept and kept[:2] == (fields, hw):
        a, b = kept[2]
        frame[t("reparam.col.latency")] = [f"{a.median * 1e3:.3f}", f"{b.median * 1e3:.3f}"]
        st.caption(t("reparam.speedup", x=f"{a.median / b.median:.2f}"))
    table_with_csv(frame, f"reparam-{c}-k{spec.kernel}-{hw}")
