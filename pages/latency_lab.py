"""Latency Lab: measured CPU latency beside MACs. FLOPs are not speed (ShuffleNet v2's four guidelines).

Analytic numbers (MACs, memory access) show at once; every timing runs only when the user clicks, with a
progress bar, through the cached wrappers in app_support.cache (one key per machine, threads and config; shared
by the machine's workers; measured one at a time per machine, app_support.latency_queue).
Results of this session's clicks are kept in st.session_state under `_lat_*`, tagged with their config."""
from __future__ import annotations

import importlib.util
import os
from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

from app_support import cache, onnx_latency, predict
from app_support import urlstate as url
from app_support.export import table_with_csv
from app_support.figures import figure
from app_support.i18n import t
from app_support.measuring import run_measurements
from effviz import blocks
from effviz.blocks import comparison
from effviz.plots import latency_charts as charts
from effviz.speed import guidelines, latency, memory_access

THREADS = tuple(range(1, (os.cpu_count() or 1) + 1))
EFFORTS = ("quick", "standard", "thorough")
NETWORK_INPUT = (3, 224, 224)
MAX_BLOCK_MACS = 4 * 10**9  # a bigger block would keep the server busy for many seconds per family


class Effort(NamedTuple):
    min_run_time: float        # seconds of timed runs per block or network
    sizes: guidelines.Sizes    # guideline networks
    rounds: int                # interleaved rounds per guideline
    warmup: int                # untimed calls first
    min_repeats: int           # timed blocks at least, per block or network

    def timing(self) -> tuple[float, int, int]:
        return (self.min_run_time, self.warmup, self.min_repeats)


EFFORT = {
    "quick": Effort(0.02, guidelines.QUICK, 1, 1, 3),
    "standard": Effort(0.2, guidelines.Sizes(), 3, 3, 5),
    "thorough": Effort(1.0, guidelines.Sizes(), 5, 5, 10),
}

PARAMS = [
    url.ChoiceParam("lat_threads", 1, THREADS),
    url.ChoiceParam("lat_effort", "standard", EFFORTS),
]

# The Conv Playground's block, as its URL state remembers it for the session (app_support.urlstate.remembered).
PLAYGROUND_KEYS = ("family", "c_in", "c_out", "kernel", "stride", "groups", "h", "w", "ratio", "dw_kernel",
                   "expansion", "se_ratio", "activation")
DEFAULT_BLOCK = dict(family="depthwise_separable", c_in=64, c_out=128, kernel=3, stride=1, groups=4, h=56, w=56,
                     ratio=2, dw_kernel=3, expansion=6.0, se_ratio=0.25, activation="relu")  # the playground's


class Choice(NamedTuple):
    threads: int
    effort: Effort
    effort_name: str
    family: str
    params: dict[str, Any]
    h: int
    w: int
    from_playground: bool


def family_label(name: str) -> str:
    return t(f"family.{name}")


def current_block() -> tuple[dict[str, Any], bool]:
    snapshot = url.remembered(PLAYGROUND_KEYS)
    return ({**DEFAULT_BLOCK, **snapshot}, True) if "family" in snapshot else (dict(DEFAULT_BLOCK), False)


def controls() -> Choice:
    c1, c2 = st.columns(2)
    c1.selectbox(t("latency_lab.threads"), THREADS, key="lat_threads", help=t("latency_lab.threads_help"))
    c2.radio(t("latency_lab.effort"), EFFORTS, key="lat_effort", horizontal=True,
             format_func=lambda e: t(f"latency_lab.effort.{e}"), help=t("latency_lab.effort_help"))
    block, from_playground = current_block()
    params = {k: v for k, v in block.items() if k not in ("family", "h", "w")}
    name = st.session_state["lat_effort"]
    return Choice(st.session_state["lat_threads"], EFFORT[name], name, block["family"], params, block["h"],
                  block["w"], from_playground)


def machine_note(choice: Choice) -> None:
    st.info(t("latency_lab.machine", cpu=latency.cpu_model(), cores=os.cpu_count() or 1, threads=choice.threads),
            icon="🖥️")


def timings(points: list[latency.Point]) -> tuple:
    """The measured numbers a chart of `points` draws: the key of its cached figure (a re-measurement, by
    this session or another, is a new figure)."""
    return tuple((p.name, p.macs, p.memory_bytes, p.latency.median, p.latency.q1, p.latency.q3) for p in points)


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3f}" if seconds < 0.01 else f"{seconds * 1e3:.2f}"


def fmt_mb(n_bytes: int) -> str:
    mb = n_bytes / 1e6
    return f"{mb:.3g}" if mb < 1 else f"{mb:.2f}" if mb < 100 else f"{mb:.1f}"


# --- Blocks -------------------------------------------------------------------------------------------------


class BlockRow(NamedTuple):
    family: str
    spec: blocks.BlockSpec | None
    macs: int
    memory_bytes: int
    note: str = ""


def block_rows(choice: Choice) -> list[BlockRow]:
    rows = []
    for family in blocks.names():
        spec, problem = comparison.try_make(family, **choice.params)
        if spec is None:
            rows.append(BlockRow(family, None, 0, 0, problem))
            continue
        macs = spec.cost(choice.h, choice.w).macs
        mem = memory_access.of(spec, choice.h, choice.w).bytes
        note = t("latency_lab.too_big", macs=f"{macs:,}") if macs > MAX_BLOCK_MACS else ""
        rows.append(BlockRow(family, spec, macs, mem, note))
    return rows


def blocks_section(choice: Choice) -> None:
    st.header(t("latency_lab.blocks_title"))
    source = "latency_lab.from_playground" if choice.from_playground else "latency_lab.from_defaults"
    shape = f"{choice.params['c_in']}×{choice.h}×{choice.w}"
    st.markdown(t(source, family=family_label(choice.family), shape=shape))
    rows = block_rows(choice)
    measurable = [r for r in rows if r.spec is not None and not r.note]
    key = (choice.threads, choice.effort_name, choice.h, choice.w,
           tuple((r.family, tuple(sorted(r.spec.params_dict().items()))) for r in measurable))
    stored = st.session_state.get("_lat_blocks")
    if st.button(t("latency_lab.measure_blocks", n=len(measurable)), key="lat_measure_blocks", type="primary"):
        machine = cache.latency_machine()

        def run(row: BlockRow):
            params = tuple(sorted(row.spec.params_dict().items()))
            return cache.latency_block(machine, choice.threads, row.family, params, choice.h, choice.w,
                                       choice.effort.timing())

        measured = run_measurements(measurable, run, t("latency_lab.measuring"))
        stored = (key, {r.family: lat for r, lat in zip(measurable, measured, strict=True)})
        st.session_state["_lat_blocks"] = stored
    results = stored[1] if stored and stored[0] == key else {}
    measured_ms = results[choice.family].median * 1e3 if choice.family in results else None
    if not predict.gate("latency_lab", t("predict.what.latency", family=family_label(choice.family)), key,
                        measured_ms, fmt=lambda ms: f"{ms:.3g} ms"):
        return  # predict first: the table and charts wait for the student's estimate

    table = []
    for r in rows:
        row = {t("latency_lab.col.family"): family_label(r.family)}
        if r.spec is None or r.note:
            row[t("latency_lab.col.note")] = r.note
            table.append(row)
            continue
        row.update({t("table.macs"): f"{r.macs:,}", t("latency_lab.col.memory"): fmt_mb(r.memory_bytes),
                    t("latency_lab.col.intensity"): f"{r.macs / r.memory_bytes:.1f}"})
        lat = results.get(r.family)
        if lat is not None:
            row.update({t("latency_lab.col.median"): fmt_ms(lat.median), t("latency_lab.col.iqr"): fmt_ms(lat.iqr),
                        t("latency_lab.col.rate"): f"{lat.throughput(r.macs) / 1e9:.2f}"})
        table.append(row)
    if not results:
        st.caption(t("latency_lab.blocks_before"))
    frame = pd.DataFrame(table).set_index(t("latency_lab.col.family")).fillna("")
    table_with_csv(frame, "latency-blocks")
    st.caption(t("latency_lab.memory_note"))
    if not results:
        return
    points = [latency.Point(r.family, r.macs, results[r.family], r.memory_bytes) for r in measurable]
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


def guideline_table(name: str, experiment: guidelines.Experiment | None, setups) -> pd.DataFrame:
    rows = []
    for i, s in enumerate(setups):
        row = {t("latency_lab.col.setup"): s.label, t("latency_lab.col.widths"): s.detail,
               t("table.macs"): f"{s.macs:,}", t("latency_lab.col.memory"): fmt_mb(s.memory.bytes)}
        if name == "g1":
            h = w = s.sizes.size
            c1, c2 = s.block.parts[0].c_in, s.block.parts[0].c_out
            bound = memory_access.lower_bound(h, w, h * w * c1 * c2)
            row[t("latency_lab.col.bound")] = f"{memory_access.conv1x1(h, w, c1, c2) / bound:.3f}"
        if experiment is not None:
            lat = experiment.results[i].latency
            row[t("latency_lab.col.median")] = fmt_ms(lat.median)
            row[t("latency_lab.col.iqr")] = fmt_ms(lat.iqr)
            row[t("latency_lab.col.relative")] = f"{experiment.relative()[i]:.2f}×"
        rows.append(row)
    return pd.DataFrame(rows).set_index(t("latency_lab.col.setup"))


def guidelines_section(choice: Choice) -> None:
    st.header(t("latency_lab.guidelines_title"))
    sizes = choice.effort.sizes
    st.markdown(t("latency_lab.guidelines_intro", size=sizes.size, c=sizes.channels, repeat=sizes.repeat,
                  rounds=choice.effort.rounds))
    plans = {name: guidelines.setups(name, sizes) for name in guidelines.NAMES}
    key = (choice.threads, choice.effort_name)
    stored = st.session_state.get("_lat_guidelines")
    if st.button(t("latency_lab.run_guidelines", n=sum(len(p) for p in plans.values())),
                 key="lat_run_guidelines", type="primary"):
        machine = cache.latency_machine()
        rounds = choice.effort.rounds
        size_key = (sizes.size, sizes.channels, sizes.repeat)
        tasks = [(name, i, r) for r in range(rounds) for name in guidelines.NAMES for i in range(len(plans[name]))]

        def run(task):
            name, i, r = task
            return cache.latency_guideline(machine, choice.threads, name, size_key, i, r,
                                           choice.effort.min_run_time / rounds, choice.effort.warmup if r == 0 else 1)

        measured = run_measurements(tasks, run, t("latency_lab.measuring"))
        pooled: dict[tuple[str, int], list] = {}
        for (name, i, _), lat in zip(tasks, measured, strict=True):
            pooled.setdefault((name, i), []).append(lat)
        experiments = {name: guidelines.experiment(
            name, [(s, latency.combine(pooled[(name, i)])) for i, s in enumerate(plans[name])])
            for name in guidelines.NAMES}
        stored = (key, experiments)
        st.session_state["_lat_guidelines"] = stored
    experiments = stored[1] if stored and stored[0] == key else {}
    if not experiments:
        st.caption(t("latency_lab.guidelines_before"))

    tabs = st.tabs([t(f"latency_lab.{name}.tab") for name in guidelines.NAMES])
    for tab, name in zip(tabs, guidelines.NAMES, strict=True):
        with tab:
            exp = experiments.get(name)
            st.markdown(f"**{t(f'latency_lab.{name}.title')}**")
            st.markdown(t(f"latency_lab.{name}.setup"))
            if name == "g1":
                st.latex(r"\mathrm{MAC} = hw(c_1 + c_2) + c_1 c_2 \;\ge\; 2\sqrt{hwB} + \frac{B}{hw},"
                         r"\qquad B = hw\,c_1 c_2")
            left, right = st.columns(2)
            left.markdown(t("latency_lab.paper_says", text=t(f"latency_lab.{name}.expectation")))
            if exp is not None:
                relative = " · ".join(f"{r.setup.label}: **{x:.2f}×**"
                                      for r, x in zip(exp.results, exp.relative(), strict=True))
                verdict = t(f"latency_lab.{exp.verdict()}")
                right.markdown(t("latency_lab.we_measured", relative=relative, reference=exp.results[0].setup.label,
                                 verdict=verdict, threads=choice.threads))
                measured = tuple((r.setup.label, r.setup.detail, r.setup.macs, r.setup.memory.bytes,
                                  r.latency.median, r.latency.q1, r.latency.q3) for r in exp.results)
                st.plotly_chart(figure(charts.guideline_chart, exp, (t("latency_lab.axis.latency"),
                                                                     t("latency_lab.axis.memory")),
                                       data=(name, measured)), key=f"lat_chart_{name}")
            else:
                right.caption(t("latency_lab.not_measured"))
            table_with_csv(guideline_table(name, exp, plans[name]), f"latency-guideline-{name}")


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
    st.markdown(t("latency_lab.networks_intro", n=len(names), size=NETWORK_INPUT[1]))
    key = (choice.threads, choice.effort_name, tuple(names))
    stored = st.session_state.get("_lat_networks")
    if st.button(t("latency_lab.measure_networks", n=len(names)), key="lat_measure_networks", type="primary"):
        machine = cache.latency_machine()

        def run(name: str):
            try:
                return cache.latency_network(machine, choice.threads, name, NETWORK_INPUT, choice.effort.timing())
            except (ValueError, RuntimeError) as err:  # a network that cannot run at 224: say so, go on
                return err

        measured = run_measurements(names, run, t("latency_lab.measuring"))
        stored = (key, dict(zip(names, measured, strict=True)))
        st.session_state["_lat_networks"] = stored
    outcome = stored[1] if stored and stored[0] == key else {}
    for name, err in outcome.items():
        if isinstance(err, Exception):
            st.error(t("latency_lab.network_failed", name=name, problem=str(err)[:300]))
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
    by_macs = {p.name: i + 1 for i, p in enumerate(sorted(points, key=lambda p: (p.macs, p.name)))}
    by_time = {p.name: i + 1 for i, p in enumerate(sorted(points, key=lambda p: (p.latency.median, p.name)))}
    table = pd.DataFrame([{
        t("latency_lab.col.network"): labels[p.name], t("table.macs"): f"{p.macs:,}",
        t("latency_lab.col.median"): fmt_ms(p.latency.median), t("latency_lab.col.iqr"): fmt_ms(p.latency.iqr),
        t("latency_lab.col.rate"): f"{p.throughput / 1e9:.2f}",
        t("latency_lab.rank_macs"): by_macs[p.name], t("latency_lab.rank_latency"): by_time[p.name],
    } for p in sorted(points, key=lambda p: p.macs)]).set_index(t("latency_lab.col.network"))
    table_with_csv(table, "latency-networks")
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
    onnx_latency.section(choice)


main()
