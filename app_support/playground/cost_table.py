"""A block's cost as the Conv Playground shows it: the table of its parts (each with its share of the MACs) and
the change against the standard convolution of the same shape, in the current language."""
from __future__ import annotations

import pandas as pd

from app_support.shell.export import shared_frame
from app_support.shell.i18n import t
from app_support.shell.number_format import exact
from app_support.shell.question_text import part_label, relabel_formula, wrapped_formula
from effviz import blocks


def vs_standard(spec: blocks.BlockSpec, ours: int, theirs: int) -> dict:
    """The metric tile's delta against the standard convolution (st.metric's delta arguments), as a factor that
    reads the right way round: "−75.0% · 4.00× fewer", "1.67× more", no arrow when equal; no delta where it
    means nothing. (A tile's arrow points down when the text starts with "−"/"-": fewer is down and green, more
    is up and red, the tile being inverse-coloured.)"""
    if spec.family == "standard" or theirs == 0 or ours == 0:
        return {"delta": None}
    if ours == theirs:
        return {"delta": t("playground.delta_same"), "delta_arrow": "off", "delta_color": "off"}
    if ours > theirs:
        return {"delta": t("playground.delta_more", factor=f"{ours / theirs:.2f}"), "delta_color": "inverse"}
    return {"delta": t("playground.delta", pct=f"{(ours - theirs) / theirs * 100:+.1f}",
                       factor=f"{theirs / ours:.2f}"), "delta_color": "inverse"}


def part_labels(cost) -> dict[str, str]:
    """Every part of cost by its label, for the parts chart's legend ("block": a block without parts)."""
    return {"block": t("part.block"), **{name: part_label(name) for name, _ in cost.leaves()}}


def parts_table(spec: blocks.BlockSpec, cost, shape: tuple[int, ...]) -> pd.DataFrame:
    """One row per part that has params or MACs (the whole block when none does), indexed by the part's name."""
    rows = [
        {t("table.part"): part_label(name), t("table.shape"): "×".join(map(str, c.shape)) if c.shape else "—",
         t("table.params"): exact(c.params), t("table.macs"): exact(c.macs),
         t("table.macs_share"): f"{c.macs / cost.macs * 100:.1f}" if cost.macs else "0.0"}
        for name, c in cost.leaves() if c.params or c.macs
    ] or [{t("table.part"): t(f"family.{spec.family}"), t("table.shape"): "×".join(map(str, shape)),
           t("table.params"): exact(cost.params), t("table.macs"): exact(cost.macs), t("table.macs_share"): "100.0"}]
    return shared_frame(rows, t("table.part"))


def formula_latex(label: str, f, width: int = 34) -> str:
    """A formula (effviz.blocks.formulas.Formula) as LaTeX in short lines: the symbols (parts named by their
    labels: relabel_formula), the numbers substituted, the total, each sum broken at its top-level "+" into lines
    of about `width` source characters. Unbroken, the Ghost bottleneck's sums were 1,236 px wide in a 610 px box
    (cut off behind a hidden scrollbar); a phone's box is 326 px."""
    numbers, _, total = f.numeric.rpartition(" = ")
    rows = []
    for head, expr in ((rf"\text{{{label}}} &= ", relabel_formula(f.symbolic)), ("&= ", numbers)):
        if not expr:
            continue
        lines = wrapped_formula(expr, width)
        rows += [head + lines[0]] + [rf"&\quad + {line}" for line in lines[1:]]
    rows.append(rf"&= {total or f.numeric}")
    return r"\begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}"
