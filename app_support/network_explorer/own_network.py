"""The Network Explorer's own networks, beside the zoo: any timm architecture (searched by name, in the link as
nx_net=timm/<name>) and an uploaded ONNX file. Widgets and their link state only; the page draws the same views
for them as for a zoo network (totals, stages, treemap, layer table, zoo map, comparison).

Kept out of pages/network_explorer.py so the page stays layout: `source()` draws the zoo | timm | ONNX switch,
`timm_choice()` and `onnx_choice()` return what the page profiles and shows."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from app_support.shell import cache
from app_support.shell import urlstate as url
from app_support.shell.export import shared_frame, table_with_csv
from app_support.shell.i18n import problem_text, t

SOURCES = ("zoo", "timm", "onnx")
TIMM_DEFAULT = "mobilenetv4_conv_small"
ONNX_RES_LOW, ONNX_RES_HIGH = 32, 1024
TIMM_RES = url.IntParam("nx_res", 224, 32, 1024)


@dataclass(frozen=True)
class OwnChoice:
    """What the page needs of a choice (as its Choice): name, options, resolution, key, id, label."""

    name: str
    resolution: int
    label: str
    id: str
    options: dict[str, Any] = field(default_factory=dict)
    onnx: bool = False

    @property
    def key(self) -> tuple:
        return ()

    @property
    def data(self) -> tuple:
        """What its profile is computed from (the key of its cached figures): an ONNX file by its digest."""
        return (self.id, self.resolution)


def source() -> str:
    """The zoo | timm | ONNX switch (key nx_src). Call before url.restore: a link's nx_net=timm/<name> (and its
    nx_res) selects timm and that architecture here, out of the zoo widgets' way (they allow zoo values only)."""
    raw = st.query_params.get("nx_net")
    followed = st.session_state.setdefault("_urlstate_followed", set())
    if raw and str(raw).startswith("timm/"):
        if "nx_timm" not in followed:
            st.session_state["nx_src"] = "timm"
            st.session_state["nx_timm"] = str(raw)[len("timm/"):][:200]
            st.session_state.pop("nx_timm_pick", None)
            res = st.query_params.get("nx_res")
            if res is not None:
                value, problem = TIMM_RES.parse(str(res))
                st.session_state["nx_timm_res"] = value
                st.session_state["_nx_timm_res_for"] = st.session_state["nx_timm"]
                if problem:
                    st.warning(problem, icon="🔗")
        followed.add("nx_timm")
        del st.query_params["nx_net"]
        if "nx_res" in st.query_params:
            del st.query_params["nx_res"]
    elif st.query_params.get("nx_src") == "onnx" and "nx_src" not in followed:
        st.session_state["nx_src"] = "onnx"
    followed.add("nx_src")
    if st.session_state.get("nx_src") not in SOURCES:
        st.session_state["nx_src"] = "zoo"
    st.radio(t("own.source"), SOURCES, key="nx_src", horizontal=True, format_func=lambda s: t(f"own.source.{s}"),
             help=t("own.source_help"))
    return st.session_state["nx_src"]


def publish(src: str, choice=None) -> None:
    """The link of a timm or ONNX choice: nx_net=timm/<name> and nx_res where it differs from the network's own
    size, or nx_src=onnx (the file itself cannot travel in a link: the page asks for it again). For a zoo
    choice, only what the zoo's own keys do not cover is removed."""
    drop = {"nx_width", "nx_groups", "nx_src", "nx_net", "nx_res"}
    if src == "zoo":     # the page publishes the zoo's keys; options the network does not have are left out
        drop = {"nx_src"} | {f"nx_{o}" for o in ("width", "groups") if choice is None or o not in choice.options}
    elif src == "timm" and choice is not None:
        from effviz import networks

        st.query_params["nx_net"] = choice.name
        drop -= {"nx_net"}
        if choice.resolution != networks.info(choice.name).input_size[1]:
            st.query_params["nx_res"] = str(choice.resolution)
            drop -= {"nx_res"}
    elif src == "onnx":
        st.query_params["nx_src"] = "onnx"
        drop -= {"nx_src"}
    for key in drop:
        if key in st.query_params:
            del st.query_params[key]


def timm_choice() -> OwnChoice | None:
    """Search timm's architectures by name, pick one and its input resolution (which starts at the
    architecture's own, from timm's config). None (with a message) when timm is not installed."""
    from effviz import networks
    from effviz.networks import timm_models

    try:
        with st.spinner(t("own.timm_loading")):
            names = cache.timm_architectures()
    except ImportError:
        st.error(t("own.timm_missing"), icon="⚠️")
        return None
    wanted = st.session_state.get("nx_timm", TIMM_DEFAULT)
    if wanted not in set(names):
        if "nx_timm" in st.session_state:
            st.warning(t("own.timm_unknown", name=str(wanted)[:80], default=TIMM_DEFAULT,
                         similar=", ".join(timm_models.search(str(wanted)[:40], 5)) or "—"), icon="🔗")
        wanted = TIMM_DEFAULT
    c1, c2, c3 = st.columns([1.2, 1.6, 1.4])
    query = c1.text_input(t("own.timm_search"), key="nx_timm_q", placeholder="ghostnet, mobilenetv4, efficientnet…",
                          help=t("own.timm_search_help", n=f"{len(names):,}"))
    matches = timm_models.search(query, limit=200) if query.strip() else list(names)
    if wanted not in matches:
        matches = [wanted, *matches]
    if st.session_state.get("nx_timm_pick") not in matches:
        st.session_state["nx_timm_pick"] = wanted
    c2.selectbox(t("own.timm_pick", n=f"{len(matches):,}"), matches, key="nx_timm_pick")
    arch = st.session_state["nx_timm_pick"]
    st.session_state["nx_timm"] = arch
    name = "timm/" + arch
    entry = networks.info(name)
    if st.session_state.get("_nx_timm_res_for") != arch:      # a new architecture starts at its own size
        st.session_state["nx_timm_res"] = entry.input_size[1]
        st.session_state["_nx_timm_res_for"] = arch
    fixed = timm_models.fixed_input_size(name)
    c3.slider(t("network_explorer.resolution"), TIMM_RES.low, TIMM_RES.high, key="nx_timm_res",
              disabled=fixed, help=t("own.timm_res_help"))
    resolution = entry.input_size[1] if fixed else st.session_state["nx_timm_res"]
    st.caption(t("own.timm_caption", version=timm_models.version(), res=entry.input_size[1],
                 fixed=t("own.timm_fixed") if fixed else ""))
    return OwnChoice(name, resolution, arch, name)


def onnx_choice():
    """The upload, its input size where the file leaves it open, and its profile: (OwnChoice, Profile), or None
    when there is no file yet or it was refused (with the reason shown)."""
    from effviz.networks.onnxfile.reading import MAX_BYTES

    upload = st.file_uploader(t("own.onnx_upload"), type=["onnx"], key="nx_onnx_file",
                              help=t("own.onnx_upload_help", mb=MAX_BYTES // 2**20))
    if upload is None:
        st.info(t("own.onnx_how"), icon="ℹ️")
        return None
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    try:
        with st.spinner(t("own.onnx_reading")):
            prof = cache.onnx_profile(digest, data, None)
        if {a for a, _ in prof.onnx.defaulted} & {2, 3}:        # height and width are the user's to choose
            st.session_state.setdefault("nx_onnx_res", prof.input_size[1])
            r = st.slider(t("own.onnx_res"), ONNX_RES_LOW, ONNX_RES_HIGH, key="nx_onnx_res",
                          help=t("own.onnx_res_help"))
            if (r, r) != tuple(prof.input_size[1:]):
                with st.spinner(t("own.onnx_reading")):
                    prof = cache.onnx_profile(digest, data, (prof.input_size[0], r, r))
    except ValueError as err:
        st.error(t("own.onnx_error", name=upload.name, problem=problem_text(err)), icon="⚠️")
        return None
    label = upload.name.removesuffix(".onnx")[:60] or "ONNX"
    return OwnChoice("onnx", prof.input_size[1] if len(prof.input_size) == 3 else 0, label,
                     f"onnx-{digest[:8]}", onnx=True), prof


def onnx_report(prof) -> None:
    """What was read: producer, opset, input (and what was assumed), BatchNorm folding, ops not counted."""
    rep = prof.onnx
    shape = "×".join(map(str, rep.input_shape))
    st.caption(t("own.onnx_read", producer=f"{rep.producer or '?'} {rep.producer_version}".strip(),
                 opset=dict(rep.opsets).get("", "?"), nodes=f"{rep.nodes:,}", input=f"{rep.input_name} {shape}",
                 tensors=f"{rep.parameters:,}"))
    if rep.defaulted:
        dims = ", ".join(t("own.onnx_axis", axis=a, value=v) for a, v in rep.defaulted)
        st.caption(t("own.onnx_defaulted", dims=dims))
    if rep.batch != 1:
        st.warning(t("own.onnx_batch", batch=rep.batch), icon="ℹ️")
    if rep.folded_bn:
        st.info(t(f"own.onnx_folded.{rep.folded_evidence or 'rewriter'}", n=rep.folded_bn), icon="ℹ️")
    if not rep.module_paths:
        st.caption(t("own.onnx_no_modules"))
    if rep.not_counted:
        st.warning(t("own.onnx_not_counted", n=sum(len(n.nodes) for n in rep.not_counted)), icon="⚠️")
        col = {k: t(f"own.onnx_col.{k}") for k in ("op", "domain", "reason", "nodes", "examples")}
        table_with_csv(shared_frame([{
            col["op"]: n.op_type, col["domain"]: n.domain or "ai.onnx", col["reason"]: t(f"own.reason.{n.reason}"),
            col["nodes"]: len(n.nodes), col["examples"]: ", ".join(n.nodes[:3]) + (" …" if len(n.nodes) > 3 else ""),
        } for n in rep.not_counted]), "onnx-not-counted", index=False)


def picked(src: str, compare: url.Param):
    """(choice, profile) of a timm architecture or an uploaded ONNX file, or None (waiting for it, or refused:
    the message is shown). `compare`: the comparison's URL parameter, which a timm choice's link keeps."""
    if src == "onnx":
        chosen = onnx_choice()
        publish(src)
        return chosen
    choice = timm_choice()
    if choice is None:
        return None
    url.publish([compare])
    publish(src, choice)
    try:
        with st.spinner(t("own.timm_profiling", name=choice.label)):
            return choice, cache.network_profile(choice.name, choice.key, choice.resolution)
    except ValueError as err:
        st.error(t("network_explorer.error", problem=problem_text(err)), icon="⚠️")
        return None
