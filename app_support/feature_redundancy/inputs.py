"""The Feature Redundancy page's photo and network: a sample photo or a checked upload, and a network with its
weights (ImageNet, downloaded on first use; untrained; a user's weights file; or an ONNX file, see
app_support.feature_redundancy.onnx). Each pick draws its widgets (keys fr_image, fr_upload, fr_net, fr_weights,
fr_weights_file) and returns what the page analyses, or None with the reason already shown."""
from __future__ import annotations

import hashlib

import streamlit as st

from app_support.feature_redundancy import onnx as onnx_redundancy
from app_support.feature_redundancy.weights_download import download_if_needed
from app_support.shell import cache
from app_support.shell.i18n import problem_text, t
from effviz.redundancy import images
from effviz.redundancy import weights as effviz_weights

NETWORKS = (*effviz_weights.NETWORKS, "onnx")   # "onnx": an uploaded file (app_support.feature_redundancy.onnx)
WEIGHT_CHOICES = ("imagenet", "untrained", "file")
IMAGE_CHOICES = (*images.sample_names(), "upload")
UPLOAD_TYPES = ["png", "jpg", "jpeg", "webp", "bmp", "gif"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pick_image():
    """(image, key) or None (waiting for an upload, or a bad file: the message is already shown)."""
    choice = st.selectbox(t("redundancy.image"), IMAGE_CHOICES, key="fr_image",
                          format_func=lambda c: t("redundancy.image.upload") if c == "upload"
                          else t(f"redundancy.sample.{c}"))
    if choice != "upload":
        return cache.sample_image(choice)
    upload = st.file_uploader(t("redundancy.upload"), type=UPLOAD_TYPES, key="fr_upload")
    if upload is None:
        st.info(t("redundancy.upload_wait"), icon="🖼️")
        return None
    data = upload.getvalue()
    try:
        img = cache.redundancy_image(sha256(data), data)
    except ValueError as exc:
        st.error(t("redundancy.bad_image", problem=problem_text(exc)), icon="⚠️")
        return None
    return img, images.fingerprint(img)


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
            st.error(t("redundancy.bad_weights", problem=problem_text(exc)), icon="⚠️")
            return None
    if kind == "imagenet":
        download_if_needed(network)
    try:
        with st.spinner(t("redundancy.loading")):
            model, info = cache.redundancy_model(network, kind)
    except ValueError as exc:
        st.error(t("redundancy.no_weights", problem=problem_text(exc)), icon="⚠️")
        return None
    fallback = st.session_state.get(_FALLBACK)
    if fallback is not None and (fallback.network, fallback.weights) == (info.network, info.weights):
        return model, fallback  # still the fallback: its banner says what was asked for and why
    return model, info


_FALLBACK = "_fr_fallback"


def follow_fallback() -> None:
    """Before the widgets: when the chosen network's ImageNet weights fall back to another network (ResNet-50's
    are missing offline: EfficientNet-Lite0), choose that network in the Network box (and so in the link and
    the page's text), and keep the fallback's details for its banner until another network is chosen. The model
    is loaded here rather than after the box is drawn (then the box could no longer change in this run; a
    rerun would drop the link's notices)."""
    network = st.session_state.get("fr_net")
    if st.session_state.get(_FALLBACK) is not None and network != st.session_state[_FALLBACK].network:
        st.session_state[_FALLBACK] = None
    if network == "onnx" or st.session_state.get("fr_weights") != "imagenet":
        return
    download_if_needed(network)
    try:
        with st.spinner(t("redundancy.loading")):
            _, info = cache.redundancy_model(network, "imagenet")
    except ValueError:
        return  # pick_network says why
    if info.network != network:
        st.session_state["fr_net"] = info.network
        st.session_state[_FALLBACK] = info
