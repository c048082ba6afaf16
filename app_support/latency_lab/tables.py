"""The Latency Lab's tables: the blocks (analytic MACs and memory access, then measured times), each
guideline's set-ups, and the networks ranked by MACs and by measured time. Rows are built here from library
values; the page only shows them (with their CSV)."""
from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from app_support.shell.block_choice import changes_text
from app_support.shell.export import shared_frame
from app_support.shell.i18n import problem_text, t
from app_support.shell.number_format import megabytes, milliseconds
from effviz import blocks
from effviz.blocks import comparison
from effviz.speed import guideline_tables, guidelines, latency, memory_access

MAX_BLOCK_MACS = 4 * 10**9  # a bigger block would keep the server busy for many seconds per family


def family_label(name: str) -> str:
    return t(f"family.{name}")


class BlockRow(NamedTuple):
    family: str
    spec: blocks.BlockSpec | None
    macs: int
    memory_bytes: int
    note: str = ""
    changed: tuple = ()    # (field, asked, used): the family is timed at the nearest shape it takes


def block_rows(params: dict, h: int, w: int) -> list[BlockRow]:
    """Every family at the given parameters, or at the nearest shape it takes (comparison.families_at, the
    Playground's rows: a stride-1 ShuffleNet unit at C_out = C_in), with its cost and memory access; or why it
    cannot be built or timed here (the note)."""
    rows = []
    for shown in comparison.families_at(h, w, **params):
        if shown.spec is None:
            rows.append(BlockRow(shown.family, None, 0, 0, problem_text(shown.problem)))
            continue
        mem = memory_access.of(shown.spec, h, w).bytes
        note = t("latency_lab.too_big", macs=f"{shown.macs:,}") if shown.macs > MAX_BLOCK_MACS else ""
        rows.append(BlockRow(shown.family, shown.spec, shown.macs, mem, note, shown.changed))
    return rows


def row_label(r: BlockRow) -> str:
    """The family's name, and the shape it is shown at where that differs from the Playground's block."""
    if not r.changed:
        return family_label(r.family)
    return t("playground.shown_at", family=family_label(r.family), changes=changes_text(r.changed))


def blocks_table(rows: list[BlockRow], results: dict[str, latency.Latency]) -> pd.DataFrame:
    table = []
    for r in rows:
        row = {t("latency_lab.col.family"): row_label(r)}
        if r.spec is None or r.note:
            row[t("latency_lab.col.note")] = r.note
            table.append(row)
            continue
        row.update({t("table.macs"): f"{r.macs:,}", t("latency_lab.col.memory"): megabytes(r.memory_bytes),
                    t("latency_lab.col.intensity"): f"{r.macs / r.memory_bytes:.1f}"})
        lat = results.get(r.family)
        if lat is not None:
            row.update({t("latency_lab.col.median"): milliseconds(lat.median),
                        t("latency_lab.col.iqr"): milliseconds(lat.iqr),
                        t("latency_lab.col.rate"): f"{lat.throughput(r.macs) / 1e9:.2f}"})
        table.append(row)
    return shared_frame(table, t("latency_lab.col.family"))


def setup_label(s: guidelines.Setup) -> str:
    return t(f"latency_lab.setup.label.{s.case}", **s.values)


def setup_detail(s: guidelines.Setup) -> str:
    return t(f"latency_lab.setup.detail.{s.case}", **s.values)


def paper_columns(name: str, sizes: guidelines.Sizes):
    """The paper's (GPU, ARM) columns at this reference width (effviz.speed.guideline_tables), or None."""
    table = guideline_tables.table(name)
    gpu, arm = (table.column(p, sizes.channels) for p in guideline_tables.PLATFORMS)
    return (gpu, arm) if gpu is not None and arm is not None else None


def guideline_table(name: str, setups) -> pd.DataFrame:
    """A guideline's set-ups: widths, MACs (and against the first), memory access, and the paper's time for
    each against its first set-up, from its table's columns at this reference width."""
    columns = paper_columns(name, setups[0].sizes)
    rows = []
    for i, s in enumerate(setups):
        row = {t("latency_lab.col.setup"): setup_label(s), t("latency_lab.col.widths"): setup_detail(s),
               t("table.macs"): f"{s.macs:,}", t("latency_lab.col.macs_ratio"): f"{s.macs / setups[0].macs:.3f}×",
               t("latency_lab.col.memory"): megabytes(s.memory.bytes)}
        if name == "g1":
            h = w = s.sizes.size
            c1, c2 = s.block.parts[0].c_in, s.block.parts[0].c_out
            bound = memory_access.lower_bound(h, w, h * w * c1 * c2)
            row[t("latency_lab.col.bound")] = f"{memory_access.conv1x1(h, w, c1, c2) / bound:.3f}"
        if columns is not None:
            gpu, arm = columns
            row[t("latency_lab.col.paper_gpu")] = f"{gpu.relative_time()[i]:.2f}×"
            row[t("latency_lab.col.paper_arm")] = f"{arm.relative_time()[i]:.2f}×"
        rows.append(row)
    return shared_frame(rows, t("latency_lab.col.setup"))


def measured_table(experiments: dict[str, guidelines.Experiment], backend_label) -> pd.DataFrame:
    """One guideline measured on each backend: per set-up its median and IQR, its time against the first set-up,
    and its time per MAC against the first's (backend_label(code) names each backend's columns)."""
    first = next(iter(experiments.values()))
    rows = []
    for i, result in enumerate(first.results):
        row = {t("latency_lab.col.setup"): setup_label(result.setup)}
        for backend, exp in experiments.items():
            lat, name = exp.results[i].latency, backend_label(backend)
            row[t("latency_lab.col.b_median", backend=name)] = milliseconds(lat.median)
            row[t("latency_lab.col.b_iqr", backend=name)] = milliseconds(lat.iqr)
            row[t("latency_lab.col.b_relative", backend=name)] = f"{exp.relative()[i]:.2f}×"
            row[t("latency_lab.col.b_per_mac", backend=name)] = f"{exp.time_per_mac()[i]:.2f}×"
        rows.append(row)
    return shared_frame(rows, t("latency_lab.col.setup"))


def ranks(points: list[latency.Point]) -> tuple[dict[str, int], dict[str, int]]:
    """Each network's rank (1 = least) by MACs and by measured median time."""
    by_macs = {p.name: i + 1 for i, p in enumerate(sorted(points, key=lambda p: (p.macs, p.name)))}
    by_time = {p.name: i + 1 for i, p in enumerate(sorted(points, key=lambda p: (p.latency.median, p.name)))}
    return by_macs, by_time


def networks_table(points: list[latency.Point], labels: dict[str, str]) -> pd.DataFrame:
    by_macs, by_time = ranks(points)
    return shared_frame([{
        t("latency_lab.col.network"): labels[p.name], t("table.macs"): f"{p.macs:,}",
        t("latency_lab.col.median"): milliseconds(p.latency.median),
        t("latency_lab.col.iqr"): milliseconds(p.latency.iqr),
        t("latency_lab.col.rate"): f"{p.throughput / 1e9:.2f}",
        t("latency_lab.rank_macs"): by_macs[p.name], t("latency_lab.rank_latency"): by_time[p.name],
    } for p in sorted(points, key=lambda p: p.macs)], t("latency_lab.col.network"))
