"""The Latency Lab's re-parameterisation section: timm's reparameterize_model on RepVGG-A0, MobileOne-S0 and
RepGhostNet 1.0x, with params and MACs before and after (counted at once) and latency before and after (measured
on a click, both forms in the same run, in the machine's timing queue)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app_support.latency_lab import runs
from app_support.latency_lab.measuring import run_measurements
from app_support.shell import cache
from app_support.shell.export import table_with_csv
from app_support.shell.i18n import t
from app_support.shell.number_format import exact
from effviz.blocks import reparam


def section(choice) -> None:
    st.header(t("latency_lab.reparam_title"))
    st.markdown(t("latency_lab.reparam_intro"))
    archs = list(reparam.NETWORKS)
    with st.spinner(t("latency_lab.reparam_counting")):
        costs = {a: cache.reparam_network_costs(a) for a in archs}
    key = (choice.threads, choice.effort_name)
    if st.button(t("latency_lab.reparam_measure"), key="lat_reparam_measure"):
        machine = cache.latency_machine()
        with runs.stopped_said():
            measured = run_measurements(archs, lambda a: cache.latency_reparam_network(
                machine, choice.threads, a, choice.effort.timing()), t("latency_lab.measuring"))
            runs.keep("_lat_reparam", key, dict(zip(archs, measured, strict=True)))
    timed = runs.kept("_lat_reparam", key)
    rows = []
    for a in archs:
        (p0, m0), (p1, m1) = costs[a]
        row = {t("latency_lab.reparam_col.network"): a,
               t("latency_lab.reparam_col.params_before"): exact(p0),
               t("latency_lab.reparam_col.params_after"): exact(p1),
               t("latency_lab.reparam_col.macs_before"): exact(m0),
               t("latency_lab.reparam_col.macs_after"): exact(m1)}
        if a in timed:
            before, after = timed[a]
            row[t("latency_lab.reparam_col.ms_before")] = f"{before.median * 1e3:.2f}"
            row[t("latency_lab.reparam_col.ms_after")] = f"{after.median * 1e3:.2f}"
            row[t("latency_lab.reparam_col.speedup")] = f"{before.median / after.median:.2f}×"
        rows.append(row)
    table_with_csv(pd.DataFrame(rows), "latency-reparam")
    if not timed:
        st.caption(t("latency_lab.reparam_before"))
