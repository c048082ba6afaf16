"""The Atlas tab of the Feature Redundancy page: GhostNet's whole-network argument computed for every convolution
of the chosen network on the chosen photo (effviz.redundancy.atlas, cached in app_support.shell.cache), trained beside
untrained; the network's totals, the charts, a way into the single-layer views, and the table with its CSV.

Layout only, like a page: widgets -> cached library calls -> figures from effviz.plots.atlas_charts. Its widgets reuse
the Ghost tab's keys (fr_s, fr_d, fr_compare): only the open tab is drawn, so the two never meet, and s and d
carry over from one tab to the other (and into the URL)."""
from __future__ import annotations

import contextvars

import pandas as pd
import streamlit as st

from app_support.shell import cache, export
from app_support.shell import urlstate as url
from app_support.shell.figures import figure
from app_support.shell.i18n import t
from effviz.plots import atlas_charts as charts
from effviz.redundancy import reconstruction as ghost
from effviz.redundancy.atlas import NEAR_COPY

SCATTER_KEY = "fr_atlas_scatter"
PICK_KEY = "fr_atlas_layer"
MEASURE_KEY = "fr_atlas_measure"   # in the page's URL parameters (pages/feature_redundancy.py)
FOLLOW_KEY = "_fr_atlas_follow"
SHOWN = 3          # layers named in the summary sentences


def series_name(info) -> str:
    net = t(f"redundancy.net.{info.network}")
    if info.trained:
        return t("redundancy.series.trained", net=net, weights=t(f"redundancy.wlabel.{info.weights}"))
    return t("redundancy.series.untrained", net=net)


def open_layer(name: str) -> None:
    """Callback: show conv `name` in the single-layer views (Ghost tab, the atlas's intrinsic-map choice). The
    layer is chosen outside the tabs' fragment (its maps, its URL value): `follow()` turns the fragment rerun this
    callback starts into a rerun of the whole page."""
    st.session_state["fr_layer"] = name
    st.session_state["fr_choice"] = "first"
    st.session_state["fr_tab"] = t("redundancy.tab.ghost")
    st.session_state[FOLLOW_KEY] = True


def follow() -> None:
    """Call first in the tabs' fragment: after open_layer, rerun the whole page for the newly chosen layer."""
    if st.session_state.pop(FOLLOW_KEY, False):
        st.rerun(scope="app")


def open_clicked() -> None:
    event = st.session_state.get(SCATTER_KEY)
    points = event.selection.points if event is not None else []
    names = [p["customdata"][0] for p in points if p.get("customdata")]
    if names:
        open_layer(names[0])


def compute(subject, s: int, d: int, compare: bool, slot) -> dict:
    """{series name: Atlas}: the subject's weights, and the same network untrained beside trained weights.
    `slot`: where the progress bar goes, the first thing in the tab (right under the tab the student pressed;
    below the controls it was under the fold at 1440x900), and a toast says the work has started."""
    jobs = [(subject.model, subject.info)]
    if compare and subject.info.trained:
        jobs.append(cache.redundancy_model(subject.info.network, "untrained"))
    # st.cache_data records the st calls made inside a cached function, to replay them on a hit; the progress
    # bar belongs to this run only, so it is drawn from the context captured here, outside the cached call.
    outside = contextvars.copy_context()
    atlases, toasted = {}, []
    for model, info in jobs:
        name = series_name(info)

        def progress(done: int, total: int, name: str = name) -> None:
            if not toasted:
                toasted.append(outside.run(st.toast, t("atlas.computing", total=total), icon="⏳"))
            outside.run(slot.progress, done / total, text=t("atlas.progress", net=name, done=done, total=total))

        atlases[name] = cache.redundancy_atlas(subject.image_key, info.key, s, d, subject.image, model, info,
                                               progress)
    slot.empty()
    return atlases


def fmt_m(x: float) -> str:
    return f"{x / 1e6:,.1f} M" if x < 1e8 else f"{x / 1e6:,.0f} M"


def totals(atlases: dict, s: int, d: int) -> None:
    names = list(atlases)
    a = atlases[names[0]]
    u = atlases[names[1]] if len(names) > 1 else None
    st.markdown(f"**{t('atlas.totals', s=s, d=d)}**")
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(t("atlas.m_macs"), f"{fmt_m(a.macs)} → {fmt_m(a.ghost_macs)}",
              t("atlas.m_change", pct=f"{a.ghost_macs / a.macs - 1:+.0%}", x=f"{a.macs / a.ghost_macs:.2f}"),
              delta_color="off", delta_arrow="off")
    m2.metric(t("atlas.m_params"), f"{fmt_m(a.params)} → {fmt_m(a.ghost_params)}",
              t("atlas.m_change", pct=f"{a.ghost_params / a.params - 1:+.0%}", x=f"{a.params / a.ghost_params:.2f}"),
              delta_color="off", delta_arrow="off")
    m3.metric(t("atlas.m_error"), f"{a.mean_error:.3f}",
              t("atlas.untrained_delta", value=f"{u.mean_error:.3f}") if u else None,
              delta_color="off", delta_arrow="off", help=t("atlas.m_error.help"))
    m4.metric(t("atlas.m_replaced"), f"{len(a.replaced)} / {len(a.rows)}")
    st.caption(t("atlas.totals_note"))
    redundant = ", ".join(f"`{r.name}` ({r.near_copies:.0%}, {r.nn_mean:.2f})" for r in a.most_redundant(SHOWN))
    front = ", ".join(f"`{r.name}` ({fmt_m(r.macs_saved)}, {r.ghost_error:.3f})" for r in a.payoff_front()[:SHOWN])
    lines = [t("atlas.most_redundant", layers=redundant), t("atlas.least_error", layers=front)]
    if u is not None:
        (a1, a2), (u1, u2) = a.mean_error_halves(), u.mean_error_halves()
        better = sum(x.ghost_error < y.ghost_error for x, y in zip(a.replaced, u.replaced, strict=True))
        lines.append(t("atlas.versus", k=better, n=len(a.replaced), a1=f"{a1:.3f}", u1=f"{u1:.3f}", a2=f"{a2:.3f}",
                       u2=f"{u2:.3f}"))
        lines += against_the_story(a, u)
    st.markdown("\n".join(f"- {line}" for line in lines))


def against_the_story(a, u) -> list[str]:
    """Where trained and untrained disagree with GhostNet's story (training makes maps alike): the convolutions
    whose trained maps are *less* alike than the untrained ones, and why that happens."""
    less = [(x, y) for x, y in zip(a.rows, u.rows, strict=True) if x.nn_mean < y.nn_mean]
    if not less:
        return []
    shown = ", ".join(f"`{x.name}` ({x.nn_mean:.2f} vs {y.nn_mean:.2f})"
                      for x, y in sorted(less, key=lambda p: p[0].nn_mean - p[1].nn_mean)[:SHOWN])
    return [t("atlas.less_than_untrained", k=len(less), n=len(a.rows), layers=shown), t("atlas.why_untrained")]


def table(atlases: dict) -> pd.DataFrame:
    names = list(atlases)
    a = atlases[names[0]]
    u = atlases[names[1]] if len(names) > 1 else None
    rows = []
    for i, r in enumerate(a.rows):
        row = {
            t("atlas.col.index"): r.index + 1, t("atlas.col.layer"): r.name,
            t("atlas.col.shape"): "×".join(map(str, r.shape)),
            t("atlas.col.conv"): f"{r.kernel[0]}×{r.kernel[1]} / {r.stride[0]} / {r.groups}",
            t("atlas.col.nn"): round(r.nn_mean, 4), t("atlas.col.copies"): round(r.near_copies, 4),
            t("atlas.col.error"): round(r.ghost_error, 4), t("atlas.col.error_all"): round(r.error, 4),
            t("atlas.col.macs"): r.macs, t("atlas.col.ghost_macs"): r.ghost_macs, t("atlas.col.saved"): r.macs_saved,
            t("atlas.col.params"): r.params, t("atlas.col.ghost_params"): r.ghost_params,
            t("atlas.col.status"): t(f"atlas.status.{r.status}"),
        }
        if u is not None:
            row[t("atlas.col.nn_u")] = round(u.rows[i].nn_mean, 4)
            row[t("atlas.col.error_u")] = round(u.rows[i].ghost_error, 4)
        rows.append(row)
    return export.shared_frame(rows)


def chooser(a) -> None:
    names = [r.name for r in a.rows]
    pick_param = url.ChoiceParam(PICK_KEY, names[0], tuple(names))   # the chosen layer is in the link
    url.restore([pick_param])
    current = st.session_state.get(PICK_KEY)
    if current not in names:
        layer = st.session_state.get("fr_layer")
        front = a.payoff_front()
        st.session_state[PICK_KEY] = layer if layer in names else (front[0].name if front else names[0])
    by_name = {r.name: r for r in a.rows}
    c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
    pick = c1.selectbox(t("atlas.pick"), names, key=PICK_KEY,
                        format_func=lambda n: t("redundancy.layer.option", name=n, c=by_name[n].shape[0],
                                                h=by_name[n].shape[1], w=by_name[n].shape[2]))
    c2.button(t("atlas.open"), key="fr_atlas_open", on_click=open_layer, args=(pick,), help=t("atlas.open.help"),
              width="stretch")
    url.publish_value(url.ChoiceParam(PICK_KEY, None, tuple(names)), pick)


def draw(subject) -> None:
    if not hasattr(subject.model, "named_modules"):  # an ONNX file: its convolutions are not torch modules
        st.info(t("atlas.onnx"), icon="ℹ️")
        return
    slot = st.empty()
    c1, c2, c3 = st.columns([1, 1, 1.6])
    s = c1.select_slider(t("redundancy.ghost_ratio"), ghost.RATIOS, key="fr_s", help=t("redundancy.ghost_ratio.help"))
    d = c2.select_slider(t("redundancy.ghost_kernel"), ghost.DW_KERNELS, key="fr_d")
    compare = c3.toggle(t("redundancy.compare"), key="fr_compare")
    atlases = compute(subject, s, d, compare, slot)
    names = list(atlases)
    a = atlases[names[0]]
    st.markdown(t("atlas.intro", n=len(a.rows), net=names[0], d=d))
    totals(atlases, s, d)
    highlight = st.session_state.get(PICK_KEY)
    dashed = [n for n in names if n != names[0]] if subject.info.trained else names
    left, right = st.columns(2)
    left.markdown(f"**{t('atlas.depth_title')}**")
    labels = charts.DepthLabels(t("atlas.axis_depth"), t("atlas.axis_value"),
                                {m: t(f"atlas.measure.{m}", thr=NEAR_COPY) for m in charts.MEASURE_COLOURS})
    measure = left.radio(t("atlas.measure"), tuple(charts.MEASURE_COLOURS), key=MEASURE_KEY,
                         format_func=lambda m: t(f"atlas.measure_short.{m}"), horizontal=True)
    data = (subject.image_key, subject.info.key, compare and subject.info.trained, s, d)  # what atlases come from
    left.plotly_chart(figure(charts.depth_chart, atlases, labels, dashed, highlight, measure, data=data),
                      key="fr_atlas_depth")
    right.markdown(f"**{t('atlas.savings_title', s=s, d=d)}**")
    right.plotly_chart(figure(charts.savings_chart, a, t("atlas.axis_depth"), t("atlas.axis_saved"), t("atlas.kept"),
                              t("atlas.replaced"), highlight, data=data), key="fr_atlas_savings")
    st.markdown(f"**{t('atlas.scatter_title')}**")
    st.plotly_chart(figure(charts.payoff_scatter, atlases, t("atlas.axis_saved"), t("atlas.measure.ghost_error"),
                           highlight, t("atlas.chosen"), data=data),
                    key=SCATTER_KEY, on_select=open_clicked, selection_mode="points")
    st.caption(t("atlas.scatter_caption"))
    chooser(a)
    st.markdown(f"**{t('atlas.table_title')}**")
    frame = table(atlases)
    counts = ("atlas.col.macs", "atlas.col.ghost_macs", "atlas.col.saved", "atlas.col.params", "atlas.col.ghost_params")
    st.dataframe(frame, hide_index=True, width="stretch", height=420,
                 column_config={t(c): st.column_config.NumberColumn(format="localized") for c in counts})
    export.csv_button(frame, f"atlas-{subject.info.network}-{subject.info.weights}-s{s}-d{d}", index=False)
    st.caption(t("atlas.caption", thr=NEAR_COPY))
