"""Feature Redundancy lab: a photo's feature maps, how alike they are, and how well Ghost-style cheap filters
rebuild most of them from a few. Layout only: the work is in effviz, cached in app_support.shell.cache; the
photo and network picks are app_support.feature_redundancy.inputs, the Ghost and Atlas tabs its ghost_view and
atlas_view."""
from __future__ import annotations

import math

import numpy as np
import streamlit as st

from app_support.feature_redundancy import atlas_view, ghost_view, inputs, map_rows
from app_support.feature_redundancy import subject as subjects
from app_support.feature_redundancy.subject import Subject
from app_support.feature_redundancy.weights_provenance import net_label, provenance, weights_label
from app_support.shell import cache
from app_support.shell import urlstate as url
from app_support.shell.figures import figure
from app_support.shell.i18n import t
from effviz.plots import redundancy_charts as charts
from effviz.redundancy import features, similarity
from effviz.redundancy import reconstruction as ghost

GRID_PAGE = 32
GRID_COLS = 8
TOP_K_MAX = 16
NEIGHBOURS = 5
NEAR_COPY = 0.9
TABS = ("maps", "similarity", "pairs", "channel", "ghost", "atlas")

PARAMS = [
    url.ChoiceParam("fr_image", inputs.IMAGE_CHOICES[0], inputs.IMAGE_CHOICES),
    url.ChoiceParam("fr_net", "resnet50", inputs.NETWORKS),
    url.ChoiceParam("fr_weights", "imagenet", inputs.WEIGHT_CHOICES),
    url.ChoiceParam("fr_metric", "cosine", similarity.METRICS),
    url.ChoiceParam("fr_sort", "cluster", ("cluster", "channel")),
    url.ChoiceParam("fr_cmap", charts.COLORSCALES[0], charts.COLORSCALES),
    url.IntParam("fr_page", 1, 1, 4096 // GRID_PAGE),
    url.IntParam("fr_topk", 8, 1, TOP_K_MAX),
    url.IntParam("fr_channel", 0, 0, 4095),
    url.ChoiceParam("fr_s", 2, ghost.RATIOS),
    url.ChoiceParam("fr_d", 3, ghost.DW_KERNELS),
    url.ChoiceParam("fr_choice", "first", ghost.CHOICES),
    url.BoolParam("fr_compare", True),
    url.ChoiceParam(atlas_view.MEASURE_KEY, "nn_mean", ("nn_mean", "near_copies", "ghost_error")),
]
TAB_KEYS = ("fr_sort", "fr_cmap", "fr_page", "fr_topk", "fr_channel", "fr_s", "fr_d", "fr_choice", "fr_compare",
            atlas_view.MEASURE_KEY)


# --- inputs -----------------------------------------------------------------------------------------------


def pick_layer(model, info) -> str:
    with st.spinner(t("redundancy.loading")):
        shapes = cache.redundancy_layers(info.key, model)
    names = tuple(s.name for s in shapes)
    by_name = {s.name: s for s in shapes}
    default = features.pick_default(shapes)
    layer_param = url.ChoiceParam("fr_layer", default, names)
    url.restore([layer_param])
    if st.session_state.get("fr_layer") not in names:
        st.session_state["fr_layer"] = default     # the network changed: start from its default layer
    st.selectbox(t("redundancy.layer"), names, key="fr_layer",
                 format_func=lambda n: t("redundancy.layer.option", name=n, c=by_name[n].channels,
                                         h=by_name[n].height, w=by_name[n].width))
    url.publish([layer_param])
    return st.session_state["fr_layer"]


# --- tabs -------------------------------------------------------------------------------------------------


def analysis(subject: Subject) -> dict:
    with st.spinner(t("redundancy.computing")):
        return subjects.similarity(subject)


def metric_name(metric: str) -> str:
    return t(f"redundancy.metric.{metric}")


def maps_tab(subject: Subject) -> None:
    c = subject.fmap.shape[0]
    c1, c2, c3 = st.columns([1.3, 1, 1])
    sort = c1.radio(t("redundancy.sort"), ("cluster", "channel"), key="fr_sort", horizontal=True,
                    format_func=lambda s: t(f"redundancy.sort.{s}"))
    cmap = c2.selectbox(t("redundancy.colors"), charts.COLORSCALES, key="fr_cmap")
    order = analysis(subject)["order"] if sort == "cluster" and c > 1 else np.arange(c)
    pages = max(1, math.ceil(c / GRID_PAGE))
    st.session_state["fr_page"] = min(max(1, st.session_state.get("fr_page", 1)), pages)
    if pages > 1:
        c3.number_input(t("redundancy.page"), 1, pages, key="fr_page")
    page = st.session_state["fr_page"]
    chosen = order[(page - 1) * GRID_PAGE: page * GRID_PAGE]
    st.plotly_chart(figure(charts.feature_grid, subject.fmap, chosen, GRID_COLS, cmap, t("redundancy.hover_channel"),
                           data=(subject.data, tuple(int(c) for c in chosen))), key="fr_grid")
    st.caption(t("redundancy.grid_caption", first=(page - 1) * GRID_PAGE + 1, last=(page - 1) * GRID_PAGE +
                 len(chosen), total=c))
    # The PNG is encoded when the button is clicked, not on every rerun.
    st.download_button(t("redundancy.grid_png"), lambda: charts.feature_grid_png(subject.fmap, chosen, GRID_COLS, cmap),
                       file_name=f"effviz-feature-maps-{subject.layer}-page{page}.png", mime="image/png",
                       key="fr_grid_png", on_click="ignore")


def similarity_tab(subject: Subject, base: dict) -> None:
    c = subject.fmap.shape[0]
    order = base["order"] if st.session_state.get("fr_sort", "cluster") == "cluster" else None
    zmin = 0.0 if float(base["sim"].min()) >= 0 else -1.0
    st.plotly_chart(figure(charts.similarity_heatmap, base["sim"], order, metric_name(subject.metric),
                           t("redundancy.hover_pair"), zmin, data=(subject.data, subject.metric, order is None)),
                    key="fr_heatmap")
    caption = t("redundancy.heatmap_caption", metric=metric_name(subject.metric), c=c)
    f = math.ceil(c / charts.MAX_HEATMAP)
    if f > 1:
        caption += t("redundancy.heatmap_pooled", side=c // f, f=f)
    st.caption(caption)
    series = {t("redundancy.series.trained", net=net_label(subject.info), weights=weights_label(subject.info)):
              base["nn_value"]}
    if st.session_state.get("fr_compare", True):
        other = subjects.untrained_twin(subject)
        if other is not None:
            series[t("redundancy.series.untrained", net=net_label(other.info))] = analysis(other)["nn_value"]
    lo = -1.0 if min(float(v.min()) for v in series.values()) < 0 else 0.0
    st.plotly_chart(figure(charts.histogram, series, t("redundancy.hist_x"), t("redundancy.hist_y"), (lo, 1.0),
                           data=(subject.data, subject.metric, tuple(series))), key="fr_hist")


def pairs_tab(subject: Subject, base: dict) -> None:
    c = subject.fmap.shape[0]
    k_max = min(TOP_K_MAX, c * (c - 1) // 2)
    st.session_state["fr_topk"] = min(st.session_state.get("fr_topk", 8), k_max)
    if k_max > 1:
        st.slider(t("redundancy.topk"), 1, k_max, key="fr_topk")
    k = st.session_state["fr_topk"]
    rows, titles = map_rows.pair_rows(similarity.top_pairs(base["sim"], k))
    st.plotly_chart(figure(charts.map_rows, subject.fmap, rows, titles, st.session_state.get("fr_cmap", "Viridis"),
                           t("redundancy.hover_channel"), data=subject.data), key="fr_pairs")
    st.caption(t("redundancy.pairs_caption", k=k, metric=metric_name(subject.metric)))


def channel_tab(subject: Subject, base: dict) -> None:
    c = subject.fmap.shape[0]
    st.session_state["fr_channel"] = min(max(0, st.session_state.get("fr_channel", 0)), c - 1)
    st.number_input(t("redundancy.channel"), 0, c - 1, key="fr_channel")
    ch = st.session_state["fr_channel"]
    k = min(NEIGHBOURS, c - 1)
    near = similarity.neighbours(base["sim"], ch, k)
    row, titles = map_rows.neighbour_row(ch, near)
    st.plotly_chart(figure(charts.map_rows, subject.fmap, [row], [titles], st.session_state.get("fr_cmap", "Viridis"),
                           t("redundancy.hover_channel"), data=subject.data), key="fr_channel_chart")
    st.caption(t("redundancy.channel_caption", c=ch, k=k, metric=metric_name(subject.metric)))


# --- page -------------------------------------------------------------------------------------------------


def summary(subject: Subject, base: dict) -> None:
    left, right = st.columns([1, 3])
    left.image(cache.shown_image(subject.image_key, subject.info.resize, subject.image), caption=t("redundancy.input"),
               width="stretch", output_format="JPEG")
    with right:
        if subject.info.trained:
            top = cache.redundancy_predictions(subject.image_key, subject.info.key, subject.image, subject.model,
                                               subject.info)
            if top:                        # an ONNX file need not be an ImageNet classifier
                st.markdown(t("redundancy.sees", top=" · ".join(f"{name} {p:.0%}" for name, p in top)))
        c, h, w = subject.fmap.shape
        nn = base["nn_value"]
        m1, m2, m3 = st.columns(3)
        m1.metric(t("redundancy.metric_maps"), f"{c} × {h}×{w}")
        m2.metric(t("redundancy.metric_nn"), f"{float(np.mean(nn)):.3f}", help=t("redundancy.metric_nn.help"))
        m3.metric(t("redundancy.metric_copies", thr=NEAR_COPY), f"{float(np.mean(nn >= NEAR_COPY)):.0%}")
        twin = subjects.untrained_twin(subject) if st.session_state.get("fr_compare", True) else None
        untrained = float(np.mean(analysis(twin)["nn_value"])) if twin is not None else None
        if untrained is not None and untrained > float(np.mean(nn)):  # against GhostNet's story: say why
            st.info(t("redundancy.less_than_untrained", trained=f"{float(np.mean(nn)):.3f}",
                      untrained=f"{untrained:.3f}") + " " + t("atlas.why_untrained"), icon="🤔")


def main() -> None:
    st.title(t("redundancy.title"))
    url.restore(PARAMS)
    inputs.follow_fallback()
    # the text names the network on screen (EfficientNet-Lite0 when ResNet-50's weights are missing)
    st.markdown(t("redundancy.intro.efficientnet_lite0" if st.session_state["fr_net"] == "efficientnet_lite0"
                  else "redundancy.intro"))
    # Widgets of closed tabs are not drawn, and Streamlit forgets the state of widgets it did not draw:
    # writing each value back keeps the user's settings (and the URL) while another tab is open.
    for key in [p.key for p in PARAMS] + ["fr_layer"]:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    c1, c2, c3 = st.columns([1, 1.4, 1.2], gap="medium")
    with c1:
        picked_image = inputs.pick_image()
    with c2:
        picked_model = inputs.pick_network()
    if picked_model is None:
        url.publish(PARAMS)
        return
    model, info = picked_model
    with c3:
        layer = pick_layer(model, info)
        metric = st.selectbox(t("redundancy.metric"), similarity.METRICS, key="fr_metric",
                              format_func=metric_name, help=t("redundancy.metric.help"))
    provenance(info)
    if picked_image is None:
        url.publish(PARAMS)
        return
    image, image_key = picked_image
    with st.spinner(t("redundancy.computing")):
        fmap = cache.redundancy_features(image_key, info.key, layer, image, model, info)
    subject = Subject(image, image_key, model, info, layer, fmap, metric)
    if fmap.shape[0] < 2:
        st.info(t("redundancy.single_map"))
        url.publish(PARAMS)
        return
    base = analysis(subject)
    summary(subject, base)
    tabs_section(subject, base)


@url.fragment
def tabs_section(subject: Subject, base: dict) -> None:
    """A fragment: switching tabs and the tabs' own widgets rerun this section only. Only the open tab is
    computed and drawn."""
    atlas_view.follow()  # a layer opened from the Atlas is chosen outside this fragment
    for key in TAB_KEYS:  # as in main(), for this fragment's own reruns: closed tabs keep their settings
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    tabs = url.tabs("fr_tab", TABS, lambda name: t(f"redundancy.tab.{name}"))
    draw = {"maps": lambda: maps_tab(subject), "similarity": lambda: similarity_tab(subject, base),
            "pairs": lambda: pairs_tab(subject, base), "channel": lambda: channel_tab(subject, base),
            "ghost": lambda: ghost_view.draw(subject), "atlas": lambda: atlas_view.draw(subject)}
    for name, tab in zip(TABS, tabs, strict=True):
        if tab.open:
            with tab:
                draw[name]()
    url.publish(PARAMS)


main()
