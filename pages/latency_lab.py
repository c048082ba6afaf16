"""Latency Lab: measured CPU latency beside MACs. FLOPs are not speed (ShuffleNet v2's four guidelines).

Analytic numbers (MACs, memory access) show at once; every timing runs only when the user clicks, with a
progress bar (app_support.latency_lab.runs: what runs, in which order, and where a session keeps the results)."""
from __future__ import annotations

import importlib.util
import os
from typing import Any, NamedTuple

import streamlit as st

from app_support.classroom import push
from app_support.latency_lab import guideline_view, runs, tables
from app_support.latency_lab import layers as latency_layers
from app_support.latency_lab import onnx as onnx_latency
from app_support.latency_lab import reparam as latency_reparam
from app_support.latency_lab.tables import family_label
from app_support.shell import block_choice as playground_block
from app_support.shell import predict
from app_support.shell import urlstate as url
from app_support.shell.export import table_with_csv
from app_support.shell.figures import figure
from app_support.shell.i18n import t
from effviz.plots import latency_charts as charts
from effviz.speed import guidelines, latency

THREADS = tuple(range(1, (os.cpu_count() or 1) + 1))

PARAMS = [
    url.ChoiceParam("lat_threads", 1, THREADS),
    url.ChoiceParam("lat_effort", "standard", runs.EFFORTS),
    url.ChoiceParam("lat_backend", "both", runs.BACKEND_CHOICES),
    # "where the time and the memory go", opened at a zoo network (an exercise's link opens it so)
    url.BoolParam("lat_layers_open", False),
    url.ChoiceParam("lat_layers_net", "mobilenet_v2", latency_layers.zoo_names()),
]


class Choice(NamedTuple):
    threads: int
    effort: runs.Effort
    effort_name: str
    family: str
    params: dict[str, Any]
    h: int
    w: int
    from_playground: bool


def controls() -> Choice:
    c1, c2 = st.columns(2)
    c1.selectbox(t("latency_lab.threads"), THREADS, key="lat_threads", help=t("latency_lab.threads_help"))
    c2.radio(t("latency_lab.effort"), runs.EFFORTS, key="lat_effort", horizontal=True,
             format_func=lambda e: t(f"latency_lab.effort.{e}"), help=t("latency_lab.effort_help"))
    block, from_playground = playground_block.remembered()   # the Conv Playground's block, timed here
    params = {k: v for k, v in block.items() if k not in ("family", "h", "w")}
    name = st.session_state["lat_effort"]
    return Choice(st.session_state["lat_threads"], runs.EFFORT[name], name, block["family"], params, block["h"],
                  block["w"], from_playground)


def machine_note(choice: Choice) -> None:
    st.info(t("latency_lab.machine", cpu=latency.cpu_model(), cores=os.cpu_count() or 1, threads=choice.threads),
            icon="🖥️")


def timings(points: list[latency.Point]) -> tuple:
    """The measured numbers a chart of `points` draws: the key of its cached figure (a re-measurement, by
    this session or another, is a new figure)."""
    return tuple((p.name, p.macs, p.memory_bytes, p.latency.median, p.latency.q1, p.latency.q3) for p in points)


# --- Blocks -------------------------------------------------------------------------------------------------


def blocks_section(choice: Choice) -> None:
    st.header(t("latency_lab.blocks_title"))
    source = "latency_lab.from_playground" if choice.from_playground else "latency_lab.from_defaults"
    shape = f"{choice.params['c_in']}×{choice.h}×{choice.w}"
    st.markdown(t(source, family=family_label(choice.family), shape=shape))
    rows = tables.block_rows(choice.params, choice.h, choice.w)
    measurable = {r.family: r.spec for r in rows if r.spec is not None and not r.note}
    key = (choice.threads, choice.effort_name, choice.h, choice.w,
           tuple((family, tuple(sorted(spec.params_dict().items()))) for family, spec in measurable.items()))
    if st.button(t("latency_lab.measure_blocks", n=len(measurable)), key="lat_measure_blocks", type="primary"):
        with runs.stopped_said():
            runs.keep("_lat_blocks", key, runs.blocks(measurable, choice.threads, choice.effort, choice.h, choice.w))
    results = runs.kept("_lat_blocks", key)
    measured_ms = results[choice.family].median * 1e3 if choice.family in results else None
    push.offer(choice.family, choice.params, choice.h, choice.w, "latency_lab")  # a teacher's class: ask it
    if not predict.gate("latency_lab", t("predict.what.latency", family=family_label(choice.family)), key,
                        measured_ms, fmt=lambda ms: f"{ms:.3g} ms"):
        return  # predict first: the table and charts wait for the student's estimate

    if not results:
        st.caption(t("latency_lab.blocks_before"))
    table_with_csv(tables.blocks_table(rows, results), "latency-blocks")
    st.caption(t("latency_lab.memory_note"))
    if not results:
        return
    points = [latency.Point(r.family, r.macs, results[r.family], r.memory_bytes) for r in rows
              if r.family in measurable]
    labels = {r.family: family_label(r.family) for r in rows}
    st.plotly_chart(figure(
        charts.macs_latency_scatter, points, choice.family, labels, "standard", t("latency_lab.dense_rate"),
        (t("table.macs"), t("latency_lab.axis.latency")), data=timings(points)), key="lat_scatter")
    st.plotly_chart(figure(charts.throughput_bars, points, choice.family, labels, "standard",
                           t("latency_lab.axis.rate"), data=timings(points)), key="lat_rates")
    dense = next((p for p in points if p.name == "standard"), None)
    if dense is not None:
        slow = sorted((p for p in points if p.name != "standard"), key=lambda p: p.throughput)
        if slow:
            st.markdown(t("latency_lab.blocks_verdict", slowest=family_label(slow[0].name),
                          pct=f"{slow[0].throughput / dense.throughput * 100:.0f}",
                          dense=f"{dense.throughput / 1e9:.2f}", rate=f"{slow[0].throughput / 1e9:.2f}",
                          intensity=f"{slow[0].macs / slow[0].memory_bytes:.1f}",
                          dense_intensity=f"{dense.macs / dense.memory_bytes:.1f}"))


# --- Guidelines ---------------------------------------------------------------------------------------------


def guidelines_section(choice: Choice) -> None:
    st.header(t("latency_lab.guidelines_title"))
    sizes = choice.effort.sizes
    st.markdown(t("latency_lab.guidelines_intro", size=sizes.size, c=sizes.channels, repeat=sizes.repeat,
                  rounds=choice.effort.rounds))
    st.radio(t("latency_lab.backend"), runs.BACKEND_CHOICES, key="lat_backend", horizontal=True,
             format_func=lambda b: t(f"latency_lab.backend.{b}"), help=t("latency_lab.backend_help"))
    st.caption(t("latency_lab.backend_note"))
    on = runs.backends(st.session_state["lat_backend"])
    plans = {name: guidelines.setups(name, sizes) for name in guidelines.NAMES}
    key = (choice.threads, choice.effort_name, on)
    if st.button(t("latency_lab.run_guidelines", n=sum(len(p) for p in plans.values()) * len(on)),
                 key="lat_run_guidelines", type="primary"):
        with runs.stopped_said():
            runs.keep("_lat_guidelines", key, runs.guideline_experiments(plans, choice.threads, choice.effort, on))
    measured = runs.kept("_lat_guidelines", key)
    if not measured:
        st.caption(t("latency_lab.guidelines_before"))
    elif st.button(t("latency_lab.measure_again"), key="lat_guidelines_again", help=t("latency_lab.again_help")):
        with runs.stopped_said():
            runs.keep("_lat_guidelines", key, runs.guideline_experiments(plans, choice.threads, choice.effort, on,
                                                                         runs.new_rounds()))
        measured = runs.kept("_lat_guidelines", key)

    tabs = url.tabs("lat_tab", guidelines.NAMES, lambda name: t(f"latency_lab.{name}.tab"))  # the open one: in links
    for tab, name in zip(tabs, guidelines.NAMES, strict=True):
        with tab:
            guideline_view.tab(choice, name, plans[name], {b: measured[b][name] for b in measured})


# --- Networks -----------------------------------------------------------------------------------------------


def networks_available() -> bool:
    return importlib.util.find_spec("effviz.networks") is not None


def networks_section(choice: Choice) -> None:
    st.header(t("latency_lab.networks_title"))
    if not networks_available():
        st.info(t("latency_lab.networks_missing"))
        return
    from effviz import networks

    names = list(networks.names())
    st.markdown(t("latency_lab.networks_intro", n=len(names), size=runs.NETWORK_INPUT[1]))
    key = (choice.threads, choice.effort_name, tuple(names))
    if st.button(t("latency_lab.measure_networks", n=len(names)), key="lat_measure_networks", type="primary"):
        runs.keep("_lat_networks", key, runs.networks(names, choice.threads, choice.effort))
    outcome = runs.kept("_lat_networks", key)
    for name, err in outcome.items():
        if isinstance(err, Exception):
            st.error(t("latency_lab.network_failed", name=name, problem=runs.failure_text(err)))
    results = {n: m for n, m in outcome.items() if not isinstance(m, Exception)}
    if not results:
        st.caption(t("latency_lab.networks_before"))
        return
    points = [latency.Point(n, macs, lat) for n, (macs, lat) in results.items()]
    labels = {n: networks.info(n).label for n in results}
    st.plotly_chart(figure(charts.macs_latency_scatter, points, None, labels, axis_titles=(
        t("table.macs"), t("latency_lab.axis.latency")), data=timings(points)), key="lat_networks_scatter")
    st.plotly_chart(figure(charts.rank_chart, points, (t("latency_lab.rank_macs"), t("latency_lab.rank_latency")),
                           labels, data=timings(points)), key="lat_networks_rank")
    table_with_csv(tables.networks_table(points, labels), "latency-networks")
    by_macs, by_time = tables.ranks(points)
    moved = [labels[p.name] for p in points if by_macs[p.name] != by_time[p.name]]
    st.markdown(t("latency_lab.networks_verdict", n=len(moved), names=t("latency_lab.list_sep").join(moved) or "—"))


def main() -> None:
    st.title(t("latency_lab.title"))
    st.markdown(t("latency_lab.intro"))
    st.caption(t("convention"))
    url.restore(PARAMS)
    choice = controls()
    url.publish(PARAMS)
    machine_note(choice)
    blocks_section(choice)
    guidelines_section(choice)
    networks_section(choice)
    latency_reparam.section(choice)
    onnx_latency.section(choice)
    latency_layers.section(choice)


main()
