"""The Latency Lab's guideline tabs: the set-ups beside the paper's numbers, then each backend's result side by
side (what was measured, the verdict, the headline against the paper, the drift between rounds, the chart), the
measured table, and for G1 why it misses here, with a click that times it where the tensors leave the cache.
`choice` is the page's Choice (threads, effort)."""
from __future__ import annotations

import streamlit as st

from app_support.latency_lab import runs, tables, verdicts
from app_support.shell.export import table_with_csv
from app_support.shell.figures import figure
from app_support.shell.i18n import t
from effviz.plots import latency_charts as charts
from effviz.speed import guideline_tables, guidelines


def tab(choice, name: str, plan, by_backend: dict[str, guidelines.Experiment]) -> None:
    st.markdown(f"**{t(f'latency_lab.{name}.title')}**")
    st.markdown(t(f"latency_lab.{name}.setup"))
    if name == "g1":
        st.latex(r"\mathrm{MAC} = hw(c_1 + c_2) + c_1 c_2 \;\ge\; 2\sqrt{hwB} + \frac{B}{hw},"
                 r"\qquad B = hw\,c_1 c_2")
    st.markdown(t("latency_lab.paper_says", text=t(f"latency_lab.{name}.expectation")))
    st.caption(t("latency_lab.paper_quote", quote=guideline_tables.CLAIMS[name]))
    table_with_csv(tables.guideline_table(name, plan), f"latency-guideline-{name}")
    st.caption(verdicts.paper_note(name, plan[0].sizes))
    if not by_backend:
        st.caption(t("latency_lab.not_measured"))
        return
    columns = st.columns(len(by_backend))
    for column, exp in zip(columns, by_backend.values(), strict=True):
        with column:
            experiment_view(choice, exp)
    table_with_csv(tables.measured_table(by_backend, verdicts.backend_label), f"latency-guideline-{name}-measured")
    if name == "g1" and any(e.verdict() != "agrees" for e in by_backend.values()):
        g1_explained(choice, by_backend)


def experiment_view(choice, exp: guidelines.Experiment) -> None:
    """One backend's result: what was measured, the verdict, the headline against the paper, the rounds' drift,
    and the chart."""
    st.markdown(verdicts.measured_line(exp, choice.threads))
    st.markdown(verdicts.verdict_text(exp))
    headline = verdicts.headline_text(exp)
    if headline:
        st.markdown(headline)
    if exp.name == "g2" and exp.backend == "native":
        st.caption(t("latency_lab.g2.native_note"))
    drift = verdicts.drift_text(exp)
    if drift is not None:
        steady, text = drift
        (st.caption if steady else st.warning)(text)
    measured = tuple((r.setup.case, r.setup.numbers, r.setup.macs, r.setup.memory.bytes, r.latency.median,
                      r.latency.q1, r.latency.q3) for r in exp.results)
    words = ({r.setup.label: tables.setup_label(r.setup) for r in exp.results},
             {r.setup.label: tables.setup_detail(r.setup) for r in exp.results})
    st.plotly_chart(figure(charts.guideline_chart, exp, (t("latency_lab.axis.latency"), t("latency_lab.axis.memory")),
                           *words, data=(exp.name, exp.backend, measured)), key=f"lat_chart_{exp.name}_{exp.backend}")


def g1_explained(choice, by_backend: dict[str, guidelines.Experiment]) -> None:
    """Why G1 misses here, with numbers from this machine, and a click that times G1 where its tensors no longer
    fit in the cache."""
    st.subheader(t("latency_lab.g1.why_title"))
    for reason in verdicts.g1_reasons(by_backend):
        st.markdown(f"- {reason}")
    larger = verdicts.LARGER_G1
    on = tuple(by_backend)
    effort = choice.effort._replace(sizes=larger, rounds=1, warmup=1)
    key = (choice.threads, choice.effort_name, on, larger)
    if st.button(t("latency_lab.g1.measure_larger", size=larger.size), key="lat_g1_larger"):
        with runs.stopped_said():
            plan = {"g1": guidelines.setups("g1", larger)}
            runs.keep("_lat_g1_larger", key, runs.guideline_experiments(plan, choice.threads, effort, on))
    for experiments in runs.kept("_lat_g1_larger", key).values():
        exp = experiments["g1"]
        st.markdown(t("latency_lab.g1.larger_result", size=larger.size, backend=verdicts.backend_label(exp.backend),
                      relative=verdicts.relative_line(exp), verdict=verdicts.verdict_text(exp)))
