"""The Ghost tab of the Feature Redundancy page: the chosen layer's maps rebuilt Ghost-style (m = C/s intrinsic
maps, the rest from d×d cheap filters), its errors beside the same layer untrained, the best and worst rebuilt
maps, and the error over the whole (s, d) sweep.

Layout only, like a page and like its sibling atlas_view (the Atlas tab, which reuses this tab's keys fr_s,
fr_d and fr_compare): widgets -> cached computations (app_support.shell.cache, keyed by the subject's data; the
untrained twin and the sweeps from app_support.feature_redundancy.subject) -> figures from
effviz.plots.redundancy_charts."""
from __future__ import annotations

import streamlit as st

from app_support.feature_redundancy import map_rows
from app_support.feature_redundancy import subject as subjects
from app_support.feature_redundancy.subject import Subject
from app_support.feature_redundancy.weights_provenance import net_label, weights_label
from app_support.shell import cache
from app_support.shell.figures import figure
from app_support.shell.i18n import t
from app_support.shell.number_format import decibels, error
from effviz.plots import redundancy_charts as charts
from effviz.redundancy import reconstruction as ghost
from effviz.redundancy import shown_maps


def draw(subject: Subject) -> None:
    c = subject.fmap.shape[0]
    c1, c2, c3 = st.columns([1, 1, 1.6])
    s = c1.select_slider(t("redundancy.ghost_ratio"), ghost.RATIOS, key="fr_s", help=t("redundancy.ghost_ratio.help"))
    d = c2.select_slider(t("redundancy.ghost_kernel"), ghost.DW_KERNELS, key="fr_d")
    choice = c3.radio(t("redundancy.ghost_choice"), ghost.CHOICES, key="fr_choice",
                      format_func=lambda x: t(f"redundancy.choice.{x}"))
    compare = st.toggle(t("redundancy.compare"), key="fr_compare")
    s = min(s, c)
    with st.spinner(t("redundancy.computing_ghost")):
        rec = cache.redundancy_reconstruction(*subject.data, s, d, choice, subject.fmap)
        other = subjects.untrained_twin(subject) if compare else None
        rec_u = cache.redundancy_reconstruction(*other.data, s, d, choice, other.fmap) if other is not None else None
    st.markdown(t("redundancy.ghost_explain", g=c - rec.m, d=d))
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(t("redundancy.ghost_m"), f"{rec.m} / {c}")
    for column, label, value, fmt in ((m2, "redundancy.ghost_error", "ghost_error", error),
                                      (m3, "redundancy.ghost_error_all", "error", error),
                                      (m4, "redundancy.ghost_psnr", "psnr", decibels)):
        column.metric(t(label), fmt(getattr(rec, value)),
                      t("redundancy.ghost_untrained_delta", value=fmt(getattr(rec_u, value))) if rec_u else None,
                      delta_color="off", delta_arrow="off")
    shown, titles = map_rows.ghost_examples(rec)
    if shown:
        st.markdown(f"**{t('redundancy.ghost_examples')}**")
        st.plotly_chart(figure(charts.reconstruction_rows, subject.fmap, rec.approx, rec.source, shown, titles,
                               st.session_state.get("fr_cmap", "Viridis"), data=(subject.data, s, d, choice)),
                        key="fr_rebuilt")
    series = {t("redundancy.series.trained", net=net_label(subject.info), weights=weights_label(subject.info)):
              subject}
    if other is not None:
        series[t("redundancy.series.untrained", net=net_label(other.info))] = other
    with st.spinner(t("redundancy.computing_sweep")):
        sweeps = subjects.sweeps(series, choice)
    if sweeps:
        dashed = [n for n in sweeps if n != next(iter(sweeps))] if subject.info.trained else list(sweeps)
        vs_d, vs_s = shown_maps.sweep_slices(sweeps, s, d)
        left, right = st.columns(2)
        left.markdown(f"**{t('redundancy.vs_d', s=s)}**")
        left.plotly_chart(figure(charts.error_chart, vs_d, t("redundancy.axis_d"), t("redundancy.axis_error"),
                                 ghost.DW_KERNELS, dashed), key="fr_vs_d")
        right.markdown(f"**{t('redundancy.vs_s', d=d)}**")
        right.plotly_chart(figure(charts.error_chart, vs_s, t("redundancy.axis_s"), t("redundancy.axis_error"),
                                  ghost.RATIOS, dashed), key="fr_vs_s")
    st.caption(t("redundancy.ghost_cost", s=s, d=d))
