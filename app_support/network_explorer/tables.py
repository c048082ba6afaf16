"""The Network Explorer's tables, built from a profile (effviz.networks.profiling): the layer table with its
filters, the layers of one block, and two networks side by side."""
from __future__ import annotations

import pandas as pd

from app_support.shell.export import shared_frame
from app_support.shell.i18n import t, texts
from effviz import networks
from effviz.networks.profiling import KINDS
from effviz.plots import anatomy
from effviz.plots import network_charts as charts


def kind_labels() -> dict[str, str]:
    return texts("network_explorer.kind", KINDS)


def columns(*keys: str) -> dict[str, str]:
    return texts("network_explorer.col", keys)


def layer_table(prof, rows, stage_names: dict[str, str]) -> pd.DataFrame:
    """One row per layer in `rows` (numbers as numbers: the grid formats and sorts them)."""
    labels = kind_labels()
    col = columns("name", "kind", "module", "stage", "output", "params", "macs", "share", "activation")
    return pd.DataFrame([{
        col["name"]: r.name, col["kind"]: labels[r.kind], col["module"]: r.module,
        col["stage"]: stage_names.get(r.stage, r.stage), col["output"]: "×".join(map(str, r.shape)),
        col["params"]: r.params, col["macs"]: r.macs,
        col["share"]: round(r.macs / prof.macs * 100, 2) if prof.macs else 0.0, col["activation"]: r.activation,
    } for r in rows], columns=list(col.values()))


def block_layers(prof, unit: str) -> pd.DataFrame | None:
    """The layers of block `unit`, indexed by name (None when it has none)."""
    labels = kind_labels()
    col = columns("name", "kind", "module", "output", "params", "macs", "share")
    rows = [{col["name"]: r.name, col["kind"]: labels[r.kind], col["module"]: r.module,
             col["output"]: "×".join(map(str, r.shape)), col["params"]: f"{r.params:,}", col["macs"]: f"{r.macs:,}",
             col["share"]: anatomy.percent(r.macs, prof.macs)} for r in prof.layers if r.unit == unit]
    return shared_frame(rows, col["name"]) if rows else None


def stage_names(prof) -> dict[str, str]:
    """{stage key: its label} ("stage 3 · 28×28", the head named in the current language)."""
    head = t("network_explorer.head")
    return {s.key: charts.stage_label(s, head) for s in prof.stages}


def compare_table(choice, prof, variant: str, other) -> pd.DataFrame:
    """The choice beside zoo variant `variant` (profiled as `other`), with their published top-1 where the paper
    gives one: one column each (the second label gets " (2)" when both are the same network)."""
    other_name, other_options = networks.parse_variant(variant)
    pairs = [(choice.label, prof, None if getattr(choice, "onnx", False) else
              networks.info(choice.name).published(**choice.options)),
             (networks.variant_label(other_name, **other_options), other,
              networks.info(other_name).published(**other_options))]
    labels = [p[0] if i == 0 or p[0] != pairs[0][0] else f"{p[0]} (2)" for i, p in enumerate(pairs)]
    rows = {
        t("network_explorer.row.params"): [f"{p.params:,}" for _, p, _ in pairs],
        t("network_explorer.row.macs"): [f"{p.macs:,}" for _, p, _ in pairs],
        t("network_explorer.row.flops"): [f"{p.flops:,}" for _, p, _ in pairs],
        t("network_explorer.row.weights"): [f"{p.weight_bytes() / 2**20:.1f}" for _, p, _ in pairs],
        t("network_explorer.row.peak"): [f"{p.peak_activation_bytes() / 2**20:.1f}" for _, p, _ in pairs],
        t("network_explorer.row.top1"): [f"{pub.top1}" if pub and pub.top1 else "—" for _, _, pub in pairs],
        t("network_explorer.row.layers"): [str(sum(1 for r in p.layers if r.params)) for _, p, _ in pairs],
    }
    return pd.DataFrame(rows, index=labels).T
