"""The Latency Lab's "where the time and the memory go" section: one network's layers timed (on a click, through
the machine's measuring line), by layer kind; every layer on this machine's roofline; the zoo re-ranked by a
roofline estimate as the ridge point moves; and live memory over one pass, predicted and measured.

Kept out of pages/latency_lab.py (which only calls `section(choice)`); results come from
app_support.latency_lab.layer_runs, figures from effviz.plots.roofline_charts."""
from __future__ import annotations

import hashlib

import streamlit as st

from app_support.latency_lab import layer_runs, runs
from app_support.latency_lab.measuring import run_measurements
from app_support.shell import cache
from app_support.shell.export import shared_frame, table_with_csv
from app_support.shell.figures import figure
from app_support.shell.i18n import problem_text, t
from app_support.shell.number_format import megabytes, milliseconds
from effviz.plots import roofline_charts as charts

ONNX = "onnx"
KINDS = ("dense", "pointwise", "depthwise", "grouped", "linear", "other")


def kind_labels() -> dict[str, str]:
    return {k: t(f"latency_layers.kind.{k}") for k in KINDS}


def uploaded() -> bytes | None:
    """The ONNX file uploaded in this page's ONNX section, if any."""
    upload = st.session_state.get("lat_onnx_file")
    return upload.getvalue() if upload is not None else None


def subject_label(name: str) -> str:
    from effviz import networks

    return t("latency_layers.uploaded") if name == ONNX else networks.info(name).label


def layers_table(lt) -> object:
    total = lt.whole or 1.0
    return shared_frame([{
        t("latency_layers.col.layer"): r.name, t("latency_layers.col.kind"): t(f"latency_layers.kind.{r.kind}"),
        t("table.macs"): f"{r.macs:,}", t("latency_lab.col.memory"): megabytes(r.bytes),
        t("latency_layers.col.ms"): milliseconds(r.seconds),
        t("latency_layers.col.share"): f"{100 * r.seconds / total:.1f}",
        t("latency_lab.col.rate"): f"{r.gmacs:.2f}" if r.macs else "—",
        t("latency_lab.col.intensity"): f"{r.intensity:.1f}" if r.macs else "—",
    } for r in lt.rows], t("latency_layers.col.layer"))


def measure(subject: str, data: bytes | None, threads: int):
    """(LayerTimes, Peaks) of the subject, measured in the machine's line with a progress bar."""
    machine = cache.latency_machine()

    def run(task: str):
        if task == "peaks":
            return layer_runs.machine_peaks(machine, threads)
        if subject == ONNX:
            return layer_runs.layer_times_onnx(machine, threads, hashlib.sha256(data).hexdigest(), data)
        return layer_runs.layer_times(machine, threads, subject, layer_runs.INPUT)

    lt, peaks = run_measurements(["layers", "peaks"], run, t("latency_lab.measuring"))
    return lt, peaks


def time_part(lt, subject: str) -> None:
    slow = lt.slowest()
    passes = t("latency_layers.passes.one") if lt.passes == 1 else t("latency_layers.passes.many", passes=lt.passes)
    st.markdown(t("latency_layers.summary", whole=milliseconds(lt.whole), sum=milliseconds(lt.layer_sum),
                  pct=f"{100 * lt.layer_sum / lt.whole:.0f}", passes=passes,
                  slowest=slow.name, slow_ms=milliseconds(slow.seconds),
                  runtime=t(f"latency_layers.runtime.{lt.runtime}")))
    rest = t("latency_lab.list_sep").join(t("latency_layers.rest_item", where=where.split(": ", 1)[-1],
                                            ms=milliseconds(s)) for where, s in lt.outside[:4])
    st.caption(t(f"latency_layers.rest.{lt.runtime}", rest_ms=milliseconds(lt.remainder), rest=rest or "—"))
    by_kind = lt.by_kind()
    st.plotly_chart(figure(charts.kind_shares, by_kind, kind_labels(),
                           (t("latency_layers.share_macs"), t("latency_layers.share_time")),
                           t("latency_layers.axis.share")), key="lat_layers_kinds")
    dw = by_kind.get("depthwise")
    if dw and lt.macs:
        st.markdown(t("latency_layers.depthwise_verdict", macs=f"{100 * dw[0] / lt.macs:.0f}",
                      time=f"{100 * dw[1] / lt.layer_sum:.0f}"))
    table_with_csv(layers_table(lt), f"layer-times-{subject}")


def roofline_part(lt, peaks) -> None:
    st.markdown(t("latency_layers.roofline_intro", gmacs=f"{peaks.gmacs:.1f}", gmacs_iqr=f"{peaks.gmacs_iqr:.1f}",
                  gbs=f"{peaks.gbs:.1f}", gbs_iqr=f"{peaks.gbs_iqr:.1f}", ridge=f"{peaks.ridge:.2f}",
                  best_gmacs=f"{peaks.gmacs_best:.1f}", best_gbs=f"{peaks.gbs_best:.1f}",
                  seconds=f"{peaks.seconds:.1f}", threads=peaks.threads))
    points = tuple((r.name, r.kind, r.intensity, r.gmacs) for r in lt.rows if r.macs and r.bytes)
    st.plotly_chart(figure(charts.roofline, points, peaks.gmacs_best or peaks.gmacs, peaks.gbs_best or peaks.gbs,
                           kind_labels(),
                           (t("latency_layers.axis.intensity"), t("latency_layers.axis.gmacs")),
                           (t("latency_layers.roof_memory"), t("latency_layers.roof_compute"))),
                    key="lat_layers_roofline")
    below = [r for r in lt.rows if r.macs and r.intensity < peaks.ridge]
    st.markdown(t("latency_layers.memory_bound", n=len(below), total=sum(1 for r in lt.rows if r.macs),
                  ridge=f"{peaks.ridge:.2f}"))


def ridge_part(peaks) -> None:
    from effviz import networks
    from effviz.speed import roofline

    st.subheader(t("latency_layers.ridge_title"))
    st.markdown(t("latency_layers.ridge_intro"))
    ridge = st.slider(t("latency_layers.ridge"), 0, 500, int(min(500, round(peaks.ridge))), key="lat_layers_ridge",
                      help=t("latency_layers.ridge_help"))
    names = list(networks.names())
    with st.spinner(t("latency_layers.tracing")):
        estimates = layer_runs.roofline_ranking(names, peaks.gmacs, ridge)
    kept = st.session_state.get("_lat_networks")
    measured = {n: v[1].median for n, v in (kept[1] if kept else {}).items() if not isinstance(v, Exception)}
    labels = {n: networks.info(n).label for n in names}
    st.plotly_chart(figure(charts.ranking, estimates, labels, t("latency_layers.axis.estimate"), measured,
                           t("latency_layers.measured_here"), t("latency_layers.estimate")),
                    key="lat_layers_ranking")
    if len(measured) >= 3:
        rho = roofline.spearman(estimates, measured)
        st.markdown(t("latency_layers.spearman", rho=f"{rho:+.2f}", ridge=ridge, n=len(measured),
                      here=f"{peaks.ridge:.2f}"))
    else:
        st.caption(t("latency_layers.spearman_before"))


def memory_part(subject: str, data: bytes | None) -> None:
    st.subheader(t("latency_layers.memory_title"))
    st.markdown(t("latency_layers.memory_intro"))
    try:
        if subject == ONNX:
            pm = layer_runs.predicted_peak_onnx(hashlib.sha256(data).hexdigest(), data)
        else:
            pm = layer_runs.predicted_peak(subject, layer_runs.INPUT)
    except ValueError as err:
        st.error(t("latency_layers.memory_failed", problem=problem_text(err)), icon="⚠️")
        return
    slot = st.session_state.get("_lat_layers_peak")
    measured = slot[1] if slot and slot[0] == subject else None
    if st.button(t("latency_layers.measure_peak"), key="lat_layers_measure_peak"):
        with st.spinner(t("latency_layers.measuring_peak")):
            try:
                measured = (layer_runs.measured_peak_onnx(hashlib.sha256(data).hexdigest(), data) if subject == ONNX
                            else layer_runs.measured_peak(subject, layer_runs.INPUT))
                st.session_state["_lat_layers_peak"] = (subject, measured)
            except (ValueError, RuntimeError) as err:
                st.error(t("latency_layers.memory_failed", problem=problem_text(err)), icon="⚠️")
    st.markdown(t("latency_layers.peak", peak=f"{pm.peak_bytes / 2**20:.2f}", step=pm.peak_step,
                  largest=f"{pm.largest_tensor_bytes / 2**20:.2f}", input=f"{pm.input_bytes / 2**20:.2f}"))
    st.plotly_chart(figure(charts.memory_timeline, tuple(pm.timeline), pm.peak_index,
                           (t("latency_layers.axis.step"), t("latency_layers.axis.live")),
                           t("latency_layers.peak_mark"),
                           measured.peak_bytes / 2**20 if measured else None, t("latency_layers.measured_line"),
                           data=(subject, pm.peak_bytes, len(pm.steps))), key="lat_layers_memory")
    if measured is not None:
        err = (measured.peak_bytes - pm.peak_bytes) / pm.peak_bytes * 100
        st.markdown(t(f"latency_layers.measured_{measured.method.replace('.', '_')}",
                      measured=f"{measured.peak_bytes / 2**20:.2f}", predicted=f"{pm.peak_bytes / 2**20:.2f}",
                      err=f"{err:+.0f}", op=measured.at or "—", transient=f"{measured.transient / 2**20:.2f}",
                      acts=f"{measured.activation_bytes / 2**20:.2f}",
                      acts_err=f"{(measured.activation_bytes - pm.peak_bytes) / pm.peak_bytes * 100:+.0f}"))
        if measured.separated:
            eager_part(subject, measured)
    if subject == "mobilenet_v2":
        slices_part()


def eager_part(subject: str, measured) -> None:
    """The eager schedule's prediction (each block's inputs held until it returns) against the measured
    activations; nothing where the network cannot be traced with torch.fx."""
    try:
        eager = layer_runs.predicted_peak_eager(subject, layer_runs.INPUT)
    except ValueError:
        return
    st.markdown(t("latency_layers.measured_eager", eager=f"{eager.peak_bytes / 2**20:.2f}", step=eager.peak_step,
                  err=f"{(measured.activation_bytes - eager.peak_bytes) / eager.peak_bytes * 100:+.0f}"))


def slices_part() -> None:
    """MobileNetV2's first 16 -> 24 block (expansion 6, 112 x 112, stride 2) computed in pieces, analytic."""
    from effviz.speed import liveness

    st.markdown(t("latency_layers.slices_intro"))
    left, right = st.columns(2)
    k = left.select_slider(t("latency_layers.slices"), (1, 2, 3, 4, 6, 8, 12, 16, 24, 48, 96), 1,
                           key="lat_layers_slices")
    p = right.select_slider(t("latency_layers.patches"), (1, 2, 3, 4, 8), 1, key="lat_layers_patches")
    whole = liveness.sliced_block_peak(16, 6, 24, 112, 112, 2)
    sliced = liveness.sliced_block_peak(16, 6, 24, 112, 112, 2, slices=k)
    tiled = liveness.patch_peak(16, 6, 24, 112, 112, 2, patches=p)
    st.markdown(t("latency_layers.slices_result", whole=f"{whole / 2**20:.2f}", sliced=f"{sliced / 2**20:.2f}",
                  k=k, p=p, tiled=f"{tiled / 2**20:.2f}", s_pct=f"{100 * sliced / whole:.0f}",
                  p_pct=f"{100 * tiled / whole:.0f}"))


def hardware_part() -> None:
    """The zoo on other hardware, from published measurements (effviz.speed.hardware_table), beside MACs and
    this server's measurement where the zoo has been measured."""
    from effviz import networks
    from effviz.speed import hardware_table as hw

    st.markdown(t("latency_layers.hardware_intro"))
    labels = {n: networks.info(n).label for n in networks.names()}
    kept = st.session_state.get("_lat_networks")
    here = {n: v for n, v in (kept[1] if kept else {}).items() if not isinstance(v, Exception)}
    columns: dict[str, dict[str, float]] = {}
    if here:
        columns[t("latency_layers.col_macs")] = {n: float(v[0]) for n, v in here.items()}
        columns[t("latency_layers.col_here")] = {n: v[1].median for n, v in here.items()}
    for device in hw.devices():
        columns[device] = hw.ms(device)
    st.plotly_chart(figure(charts.hardware_ranks, columns, labels, "mobilenet_v2",
                           t("latency_layers.axis.relative")), key="lat_layers_hardware")
    if not here:
        st.caption(t("latency_layers.hardware_before"))
    rows = [{t("latency_layers.col.device"): r.device, t("latency_lab.col.network"): labels[r.network],
             t("latency_layers.col.as_named"): r.name_in_source, t("latency_layers.col.published_ms"): f"{r.ms:g}",
             t("latency_layers.col.conditions"): r.conditions, t("latency_layers.col.source"): r.source[1]}
            for r in hw.ROWS]
    table_with_csv(shared_frame(rows), "published-latency")


def zoo_names() -> tuple[str, ...]:
    """The zoo networks the section's network choice offers (and its link can name)."""
    from effviz import networks

    return tuple(networks.names())


def section(choice) -> None:
    """choice: the page's Choice (threads)."""
    from effviz import networks

    st.header(t("latency_layers.title"))
    st.markdown(t("latency_layers.intro"))
    # closed by default: the page's other sections stay as light as before (nothing drawn, nothing traced)
    if not st.toggle(t("latency_layers.open"), key="lat_layers_open"):
        return
    data = uploaded()
    options = [*networks.names(), *([ONNX] if data else [])]
    if st.session_state.get("lat_layers_net") not in options:
        st.session_state["lat_layers_net"] = "mobilenet_v2"
    subject = st.selectbox(t("latency_layers.network"), options, key="lat_layers_net", format_func=subject_label)
    key = (subject, hashlib.sha256(data).hexdigest() if subject == ONNX else "", choice.threads)
    # the button, and the progress bar and messages of its run, in one container that every run draws: the tabs
    # below keep their place, so the next run (a click inside a tab) leaves the user on the tab they had open
    with st.container():
        if st.button(t("latency_layers.measure"), key="lat_layers_measure", type="primary"):
            with runs.stopped_said():
                try:
                    runs.keep("_lat_layers", key, {"result": measure(subject, data, choice.threads)})
                except ValueError as err:
                    st.error(t("latency_layers.failed", problem=problem_text(err)), icon="⚠️")
    result = runs.kept("_lat_layers", key).get("result")
    tabs = st.tabs([t("latency_layers.tab.time"), t("latency_layers.tab.roofline"), t("latency_layers.tab.memory"),
                    t("latency_layers.tab.hardware")])
    with tabs[0]:
        if result is None:
            st.caption(t("latency_layers.before"))
        else:
            time_part(result[0], subject)
    with tabs[1]:
        if result is None:
            st.caption(t("latency_layers.before"))
        else:
            roofline_part(result[0], result[1])
            ridge_part(result[1])
    with tabs[2]:
        memory_part(subject, data)
    with tabs[3]:
        hardware_part()
