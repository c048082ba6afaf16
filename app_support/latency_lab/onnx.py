"""The Latency Lab's ONNX section: an uploaded ONNX file timed with onnxruntime on this CPU, beside the same
network in torch eager where the zoo has it, so "FLOPs are not speed" extends to "and the runtime matters".

Kept out of pages/latency_lab.py (which only calls `section(choice)`): the upload, the choice of the torch
twin (found by equal parameters, or equal MACs at the same input size), one button, one table."""
from __future__ import annotations

import hashlib

import streamlit as st

from app_support.latency_lab import runs
from app_support.shell import cache
from app_support.shell.export import shared_frame, table_with_csv
from app_support.shell.i18n import problem_text, t

NONE = "none"


def twin(prof) -> str:
    """The zoo network (default options) with the upload's parameter count or its MACs at the upload's input size
    (a BatchNorm-folded export has fewer parameters but the same MACs); NONE where there is none. Each zoo
    network is profiled on the meta device at that size (cached)."""
    from effviz import networks

    r = prof.input_size[1]
    if not 32 <= r <= 512 or prof.input_size[0] != 3:      # only where a zoo network's count is quick to make
        return NONE
    for name in networks.names():
        options = tuple(sorted(networks.info(name).defaults.items()))
        other = cache.network_profile(name, options, r)
        if other.params == prof.params or other.macs == prof.macs:
            return name
    return NONE


def section(choice) -> None:
    """choice: the page's Choice (threads, effort)."""
    from effviz import networks
    from effviz.speed import latency

    st.header(t("own.lat_title"))
    st.markdown(t("own.lat_intro"))
    upload = st.file_uploader(t("own.onnx_upload"), type=["onnx"], key="lat_onnx_file")
    if upload is None:
        st.caption(t("own.lat_before"))
        return
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    try:
        prof = cache.onnx_profile(digest, data, None)
    except ValueError as err:
        st.error(t("own.onnx_error", name=upload.name, problem=problem_text(err)), icon="⚠️")
        return
    if st.session_state.get("_lat_onnx_twin_for") != digest:
        with st.spinner(t("own.lat_matching")):
            st.session_state["lat_onnx_torch"] = twin(prof) if len(prof.input_size) == 3 else NONE
        st.session_state["_lat_onnx_twin_for"] = digest
    options = [NONE, *networks.names()]
    st.selectbox(t("own.lat_torch"), options, key="lat_onnx_torch", help=t("own.lat_torch_help"),
                 format_func=lambda n: t("own.lat_torch_none") if n == NONE else networks.info(n).label)
    torch_name = st.session_state["lat_onnx_torch"]
    key = (digest, torch_name, choice.threads, choice.effort_name)
    if st.button(t("own.lat_measure"), key="lat_onnx_measure", type="primary"):
        machine = latency.machine().key()
        with st.spinner(t("latency_lab.measuring")), runs.stopped_said():
            try:
                ort_lat = cache.latency_onnx(machine, choice.threads, digest, data, None, choice.effort.timing())
            except ValueError as err:
                st.error(t("own.onnx_error", name=upload.name, problem=problem_text(err)), icon="⚠️")
                return
            torch_result = None
            if torch_name != NONE and len(prof.input_size) == 3:
                torch_result = cache.latency_network(machine, choice.threads, torch_name, tuple(prof.input_size),
                                                     choice.effort.timing())
            st.session_state["_lat_onnx"] = (key, ort_lat, torch_result)
    stored = st.session_state.get("_lat_onnx")
    if not stored or stored[0] != key:
        st.caption(t("own.lat_press"))
        return
    _, ort_lat, torch_result = stored
    import onnxruntime
    import torch

    rows = [(t("own.lat_ort", version=onnxruntime.__version__, name=upload.name), prof.macs, ort_lat)]
    if torch_result is not None:
        macs, lat = torch_result
        rows.append((t("own.lat_eager", version=torch.__version__.split("+")[0],
                       name=networks.info(torch_name).label), macs, lat))
    size = "×".join(map(str, prof.onnx.input_shape))
    table = shared_frame([{
        t("own.lat_col.runtime"): label, t("table.macs"): f"{macs:,}",
        t("latency_lab.col.median"): f"{lat.median_ms:.2f}", t("latency_lab.col.iqr"): f"{lat.iqr_ms:.2f}",
        t("own.lat_col.threads"): lat.threads, t("own.lat_col.runs"): lat.repeats * lat.number,
    } for label, macs, lat in rows], t("own.lat_col.runtime"))
    table_with_csv(table, "latency-onnx")
    st.caption(t("own.lat_caption", input=size, threads=choice.threads))
    if torch_result is not None:
        ratio = torch_result[1].median / ort_lat.median
        st.markdown(t("own.lat_verdict", ratio=f"{ratio:.2f}"))
