"""The Feature Redundancy page's "My ONNX model…" network: the upload that replaces the weights choice, and its
checked onnxruntime model (effviz.networks.onnxfile.onnx_features). The page calls `pick(column)` for network "onnx"."""
from __future__ import annotations

import hashlib

import streamlit as st

from app_support.shell import cache
from app_support.shell.i18n import problem_text, t


def pick(column):
    """(OnnxNetwork, WeightsInfo) of the uploaded file, or None (waiting for it, or refused: the message is shown)."""
    upload = column.file_uploader(t("own.onnx_upload"), type=["onnx"], key="fr_onnx_file",
                                  help=t("own.fr_onnx_help"))
    if upload is None:
        st.info(t("own.fr_onnx_wait"), icon="📦")
        return None
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    try:
        with st.spinner(t("redundancy.loading")):
            cache.onnx_profile(digest, data, None)      # checked in a child process first (a crash costs it only)
            return cache.redundancy_onnx_model(digest, upload.name, data)
    except ValueError as err:
        st.error(t("own.onnx_error", name=upload.name, problem=problem_text(err)), icon="⚠️")
        return None
