"""Feature Redundancy lab: a photo's feature maps, how alike they are, and how well Ghost-style cheap filters
rebuild most of them from a few. Layout only: the work is in effviz, cached in app_support.cache."""
from __future__ import annotations

import hashlib
import math
import time
from typing import NamedTuple

import numpy as np
import streamlit as st

from app_support import atlas_view, cache, onnx_redundancy
from app_support import urlstate as url
from app_support.figures import figure
from app_support.i18n import t
from effviz.plots import redundancy_charts as charts
from effviz.redundancy import features, images, similarity
from effviz.redundancy import reconstruction as ghost
from effviz.redundancy import weights as effviz_weights

NETWORKS = (*effviz_weights.NETWORKS, "onnx")   # "onnx": an uploaded file (app_support.onnx_redundancy)
WEIGHT_CHOICES = ("imagenet", "untrained", "file")
IMAGE_CHOICES = (*images.sample_names(), "upload")
UPLOAD_TYPES = ["png", "jpg", "jpeg", "webp", "bmp", "gif"]
GRID_PAGE = 32
GRID_COLS = 8
TOP_K_MAX = 16
NEIGHBOURS = 5
NEAR_COPY = 0.9
TABS = ("maps", "similarity", "pairs", "channel", "ghost", "atlas")
RETRY_DOWNLOAD_S = 600

PARAMS = [
    url.ChoiceParam("fr_image", IMAGE_CHOICES[0], IMAGE_CHOICES),
    url.ChoiceParam("fr_net", "resnet50", NETWORKS),
    url.ChoiceParam("fr_weights", "imagenet", WEIGHT_CHOICES),
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
]
TAB_KEYS = ("fr_sort", "fr_cmap", "fr_page", "fr_topk", "fr_channel", "fr_s", "fr_d", "fr_choice", "fr_compare")


class Subject(NamedTuple):
    """What is analysed: the image, the network and weights, the layer, its feature maps."""

    image: object          # RGB PIL image
    image_key: str
    model: object
    info: object           # effviz.redundancy.weights.WeightsInfo
    layer: str
    fmap: np.ndarray       # [C, H, W]
    metric: str

    @property
    def data(self) -> tuple:
        """What the feature maps are computed from: the key of the figures drawn from them."""
        return (self.image_key, self.info.key, self.layer)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- inputs -----------------------------------------------------------------------------------------------


def pick_image():
    """(image, key) or None (waiting for an upload, or a bad file: the message is already shown)."""
    choice = st.selectbox(t("redundancy.image"), IMAGE_CHOICES, key="fr_image",
                          format_func=lambda c: t("redundancy.image.upload") if c == "upload"
                          else t(f"redundancy.sample.{c}"))
    if choice != "upload":
        img = images.load_sample(choice)
        return img, images.fingerprint(img)
    upload = st.file_uploader(t("redundancy.upload"), type=UPLOAD_TYPES, key="fr_upload")
    if upload is None:
        st.info(t("redundancy.upload_wait"), icon="🖼️")
        return None
    data = upload.getvalue()
    try:
        img = cache.redundancy_image(sha256(data), data)
    except ValueError as exc:
        st.error(t("redundancy.bad_image", problem=exc), icon="⚠️")
        return None
    return img, images.fingerprint(img)


def download_if_needed(network: str) -> None:
    """Where a network exists and the ImageNet file is missing, download it here with a progress bar. After a
    failure the server waits RETRY_DOWNLOAD_S before trying again, for every session: an offline machine must
    not retry on every rerun, nor make each new student wait for the same timeout."""
    target = effviz_weights.pending_download(network)
    failed = cache.download_failures()
    if target is None or time.time() - failed.get(target, -math.inf) < RETRY_DOWNLOAD_S:
        return
    bar = st.progress(0.0, text=t("redundancy.downloading", done="0", total="?"))

    def progress(done: int, total: int | None) -> None:
        bar.progress(min(done / total, 1.0) if total else 0.0,
                     text=t("redundancy.downloading", done=f"{done / 2**20:.1f}",
                            total=f"{total / 2**20:.1f}" if total else "?"))

    try:
        effviz_weights.download_to_cache(target, progress)
    except (OSError, ValueError) as exc:
        failed[target] = time.time()
        st.caption(t("redundancy.download_failed", problem=str(exc)[:160]))
    finally:
        bar.empty()


def pick_network():
    """(model, info) or None (waiting for a weights file, or refused: the message is already shown)."""
    c1, c2 = st.columns(2)
    network = c1.selectbox(t("redundancy.network"), NETWORKS, key="fr_net",
                           format_func=lambda n: t(f"redundancy.net.{n}"))
    if network == "onnx":
        return onnx_redundancy.pick(c2)
    kind = c2.selectbox(t("redundancy.weights"), WEIGHT_CHOICES, key="fr_weights",
                        format_func=lambda w: t(f"redundancy.w.{w}"))
    if kind == "file":
        upload = st.file_uploader(t("redundancy.weights_upload"), type=["pt", "pth", "bin", "safetensors"],
                                  key="fr_weights_file")
        if upload is None:
            st.info(t("redundancy.weights_wait", net=t(f"redundancy.net.{network}")), icon="📦")
            return None
        data = upload.getvalue()
        try:
            with st.spinner(t("redundancy.loading")):
                return cache.redundancy_upload_model(network, sha256(data), data)
        except ValueError as exc:
            st.error(t("redundancy.bad_weights", problem=exc), icon="⚠️")
            return None
    if kind == "imagenet":
        download_if_needed(network)
    try:
        with st.spinner(t("redundancy.loading")):
            return cache.redundancy_model(network, kind)
    except ValueError as exc:
        st.error(t("redundancy.no_weights", problem=exc), icon="⚠️")
        return None


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


def net_label(info) -> str:
    return t(f"redundancy.net.{info.network}")


def weights_label(info) -> str:
    return t(f"redundancy.wlabel.{info.weights}")


def provenance(info) -> None:
    """Which network and weights produced what is on screen, and why."""
    text = t("redundancy.showing", net=net_label(info), weights=weights_label(info))
    if info.weights == "untrained":
        st.warning(text + " " + t("redundancy.why.untrained"), icon="🎲")
        return
    if info.fallback:
        st.warning(text + "\n\n" + t("redundancy.fallback"), icon="📴")
        with st.expander(t("redundancy.fallback_details")):
            st.code("\n".join(info.problems) or info.detail, language=None, wrap_lines=True)
        return
    why = t("redundancy.why.env", env=effviz_weights.ARCHITECTURES[info.network].env) \
        if info.reason == "env" else t(f"redundancy.why.{info.reason}")
    st.info(f"{text} {why}  \n{t('redundancy.source', source=info.source)}", icon="🧠")


# --- tabs -------------------------------------------------------------------------------------------------


def analysis(subject: Subject) -> dict:
    with st.spinner(t("redundancy.computing")):
        return cache.redundancy_similarity(subject.image_key, subject.info.key, subject.layer, subject.metric,
                                           subject.fmap)


def untrained_subject(subject: Subject) -> Subject | None:
    """The same architecture, layer and image, untrained; None when the subject is itself untrained."""
    if not subject.info.trained or subject.info.network == "onnx":   # an ONNX file has only its own weights
        return None
    model, info = cache.redundancy_model(subject.info.network, "untrained")
    fmap = cache.redundancy_features(subject.image_key, info.key, subject.layer, subject.image, model, info)
    return Subject(subject.image, subject.image_key, model, info, subject.layer, fmap, subject.metric)


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
        other = untrained_subject(subject)
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
    pairs = similarity.top_pairs(base["sim"], k)
    rows, titles = [], []
    for r in range(0, k, 2):  # two pairs per row: [i, j, i', j']
        chunk = pairs[r:r + 2]
        rows.append([ch for p in chunk for ch in (p.i, p.j)])
        titles.append([txt for p in chunk for txt in
                       (t("redundancy.pair_title", i=p.i, j=p.j, score=f"{p.score:.3f}"), "")])
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
    row = [ch] + [p.j for p in near]
    titles = [t("redundancy.channel_title", c=ch)] + [t("redundancy.neighbour_title", c=p.j,
                                                        score=f"{p.score:.3f}") for p in near]
    st.plotly_chart(figure(charts.map_rows, subject.fmap, [row], [titles], st.session_state.get("fr_cmap", "Viridis"),
                           t("redundancy.hover_channel"), data=subject.data), key="fr_channel_chart")
    st.caption(t("redundancy.channel_caption", c=ch, k=k, metric=metric_name(subject.metric)))


def fmt_error(x: float) -> str:
    return f"{x:.3f}"


def fmt_db(x: float) -> str:
    return "∞" if math.isinf(x) else f"{x:.1f} dB"


def ghost_tab(subject: Subject) -> None:
    c = subject.fmap.shape[0]
    c1, c2, c3 = st.columns([1, 1, 1.6])
    s = c1.select_slider(t("redundancy.ghost_ratio"), ghost.RATIOS, key="fr_s", help=t("redundancy.ghost_ratio.help"))
    d = c2.select_slider(t("redundancy.ghost_kernel"), ghost.DW_KERNELS, key="fr_d")
    choice = c3.radio(t("redundancy.ghost_choice"), ghost.CHOICES, key="fr_choice",
                      format_func=lambda x: t(f"redundancy.choice.{x}"))
    compare = st.toggle(t("redundancy.compare"), key="fr_compare")
    s = min(s, c)
    key = (subject.image_key, subject.info.key, subject.layer)
    with st.spinner(t("redundancy.computing_ghost")):
        rec = cache.redundancy_reconstruction(*key, s, d, choice, subject.fmap)
        other = untrained_subject(subject) if compare else None
        rec_u = (cache.redundancy_reconstruction(other.image_key, other.info.key, other.layer, s, d, choice,
                                                 other.fmap) if other is not None else None)
    st.markdown(t("redundancy.ghost_explain", g=c - rec.m, d=d))
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(t("redundancy.ghost_m"), f"{rec.m} / {c}")
    m2.metric(t("redundancy.ghost_error"), fmt_error(rec.ghost_error),
              t("redundancy.ghost_untrained_delta", value=fmt_error(rec_u.ghost_error)) if rec_u else None,
              delta_color="off", delta_arrow="off")
    m3.metric(t("redundancy.ghost_error_all"), fmt_error(rec.error),
              t("redundancy.ghost_untrained_delta", value=fmt_error(rec_u.error)) if rec_u else None,
              delta_color="off", delta_arrow="off")
    m4.metric(t("redundancy.ghost_psnr"), fmt_db(rec.psnr),
              t("redundancy.ghost_untrained_delta", value=fmt_db(rec_u.psnr)) if rec_u else None,
              delta_color="off", delta_arrow="off")
    ghosts = rec.ghosts
    if len(ghosts):
        ranked = ghosts[np.argsort(rec.map_error[ghosts], kind="stable")]
        shown = list(dict.fromkeys([*ranked[:2], *ranked[-2:]]))
        st.markdown(f"**{t('redundancy.ghost_examples')}**")
        titles = [(t("redundancy.row.source", c=int(rec.source[g])),
                   t("redundancy.row.rebuilt", src=int(rec.source[g]), err=fmt_error(float(rec.map_error[g]))),
                   t("redundancy.row.actual", c=int(g))) for g in shown]
        st.plotly_chart(figure(charts.reconstruction_rows, subject.fmap, rec.approx, rec.source,
                               [int(g) for g in shown], titles, st.session_state.get("fr_cmap", "Viridis"),
                               data=(subject.data, s, d, choice)), key="fr_rebuilt")
    sweeps = {}
    with st.spinner(t("redundancy.computing_sweep")):
        if c >= max(ghost.RATIOS):
            name = t("redundancy.series.trained", net=net_label(subject.info), weights=weights_label(subject.info))
            sweeps[name] = cache.redundancy_sweep(*key, choice, subject.fmap)
            if other is not None:
                name_u = t("redundancy.series.untrained", net=net_label(other.info))
                sweeps[name_u] = cache.redundancy_sweep(other.image_key, other.info.key, other.layer, choice,
                                                        other.fmap)
    if sweeps:
        dashed = [n for n in sweeps if n != next(iter(sweeps))] if subject.info.trained else list(sweeps)
        left, right = st.columns(2)
        vs_d = {n: [(p.dw_kernel, p.ghost_error) for p in pts if p.ratio == s] for n, pts in sweeps.items()}
        vs_s = {n: [(p.ratio, p.ghost_error) for p in pts if p.dw_kernel == d] for n, pts in sweeps.items()}
        left.markdown(f"**{t('redundancy.vs_d', s=s)}**")
        left.plotly_chart(figure(charts.error_chart, vs_d, t("redundancy.axis_d"), t("redundancy.axis_error"),
                                 ghost.DW_KERNELS, dashed), key="fr_vs_d")
        right.markdown(f"**{t('redundancy.vs_s', d=d)}**")
        right.plotly_chart(figure(charts.error_chart, vs_s, t("redundancy.axis_s"), t("redundancy.axis_error"),
                                  ghost.RATIOS, dashed), key="fr_vs_s")
    st.caption(t("redundancy.ghost_cost", s=s, d=d))


# --- page -------------------------------------------------------------------------------------------------


def summary(subject: Subject, base: dict) -> None:
    left, right = st.columns([1, 3])
    left.image(images.resize_crop(subject.image, subject.info.resize), caption=t("redundancy.input"),
               width="stretch")
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


def main() -> None:
    st.title(t("redundancy.title"))
    st.markdown(t("redundancy.intro"))
    url.restore(PARAMS)
    # Widgets of closed tabs are not drawn, and Streamlit forgets the state of widgets it did not draw:
    # writing each value back keeps the user's settings (and the URL) while another tab is open.
    for key in [p.key for p in PARAMS] + ["fr_layer"]:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    c1, c2, c3 = st.columns([1, 1.4, 1.2], gap="medium")
    with c1:
        picked_image = pick_image()
    with c2:
        picked_model = pick_network()
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
    tabs = st.tabs([t(f"redundancy.tab.{name}") for name in TABS], key="fr_tab", on_change="rerun")
    draw = {"maps": lambda: maps_tab(subject), "similarity": lambda: similarity_tab(subject, base),
            "pairs": lambda: pairs_tab(subject, base), "channel": lambda: channel_tab(subject, base),
            "ghost": lambda: ghost_tab(subject), "atlas": lambda: atlas_view.draw(subject)}
    for name, tab in zip(TABS, tabs, strict=True):
        if tab.open:
            with tab:
                draw[name]()
    url.publish(PARAMS)


main()
