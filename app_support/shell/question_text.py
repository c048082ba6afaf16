"""The words of a question, shared by the Exercises page and class mode: questions from effviz.exercises turned
into sentences in the current language, answers formatted, worked examples drawn; and a formula's parts named by
their labels (shared with the Conv Playground's cost table). The Exercises page's own part (answers that wait for
measurements, the set as tables) is app_support.exercises.sheet."""
from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import streamlit as st

from app_support.shell.i18n import t
from app_support.strings import CATALOGUE
from effviz import exercises, networks
from effviz.exercises import Check, Question

MAX_SEED = 999_999
SYMBOLS = {"c_in": "C_in", "c_out": "C_out", "kernel": "k", "groups": "g", "ratio": "s", "dw_kernel": "d",
           "expansion": "t"}


def part_label(name: str) -> str:
    """A part of a block as the reader names it: "right.pw1" -> "右分支 · 第一个 1×1 卷积". Each dotted segment
    has a catalogue entry (part.<segment>); one without keeps its id (tests/test_chinese_house_rules.py lists
    every family's segments, so a new family's parts are caught there)."""
    return t("part.sep").join(t(f"part.{seg}") if f"part.{seg}" in CATALOGUE["en"] else seg
                              for seg in name.split("."))


def relabel_formula(latex: str) -> str:
    """A composite block's formula names its parts as \\text{right.pw1}: the same, with the parts' labels."""
    return re.sub(r"\\text\{([\w.]+)\}", lambda m: rf"\text{{{part_label(m.group(1))}}}", latex)


def network_label(variant: str) -> str:
    name, options = networks.parse_variant(variant)
    return networks.variant_label(name, **options)


def describe_block(family: str, spec: dict[str, Any], h: int, w: int | None = None) -> str:
    """"C_in = 64, C_out = 128, k = 3, g = 4, stride 2, BatchNorm after each conv; input 56×56" (w: h)."""
    parts = [f"{sym} = {spec[key]:g}" for key, sym in SYMBOLS.items() if key in spec]  # symbols: no translation
    if "se_ratio" in spec:
        parts.append(f"SE {spec['se_ratio']:g}" if spec["se_ratio"] else t("exercises.no_se"))
    parts.append(t("exercises.stride", s=spec.get("stride", 1)))
    if family in ("standard", "group", "depthwise_separable"):
        parts.append(t("exercises.bn" if spec.get("norm") else "exercises.no_bn"))
        if spec.get("bias"):
            parts.append(t("exercises.bias"))
    if spec.get("first_grouped") is False:
        parts.append(t("exercises.first_ungrouped"))
    return t("exercises.sep.list").join(parts) + t("exercises.sep.clause") + t("exercises.input", h=h, w=w or h)


def _family(name: str) -> str:
    return t(f"family.{name}")


def _source(v) -> str:
    return t(f"exercises.source.{v['role']}", index=v["index"], network=network_label(v["source"]))


def _side(block: dict) -> str:
    if "layers" in block:  # MnasNet's pair
        spec = block["spec"]
        key = "exercises.mnas.one" if block["layers"] == 1 else "exercises.mnas.two"
        return t(key, m=spec["c_in"], n=spec["c_out"], h=block["h"])
    return _family(block["family"]) + t("exercises.sep.label") + describe_block(block["family"], block["spec"],
                                                                                 block["h"])


def prompt(q: Question) -> str:
    """The question as a sentence (markdown) in the current language."""
    v = q.values
    if q.kind in ("block_cost", "ratio_to_standard", "cost_change"):
        fmt = dict(metric=t(f"exercises.metric.{v['metric']}"), family=_family(v["family"]),
                   block=describe_block(v["family"], v["spec"], v["h"]),
                   source=_source({**v, "role": v.get("role", "block")}), k=v.get("baseline_kernel", 3))
        if q.kind == "cost_change":
            change = "resolution" if v["change"] == "resolution" else v["change"]
            return t(f"exercises.ask.cost_change.{change}", old=v["old"], new=v["new"], index=v["index"], **fmt)
        return t(f"exercises.ask.{q.kind}", **fmt)
    if q.kind == "which_cheaper":
        return t("exercises.ask.which_cheaper", first=_side(v["first"]), second=_side(v["second"]))
    if q.kind == "shuffle_position":
        return t(f"exercises.ask.shuffle_position.{v['direction']}", channels=v["channels"], groups=v["groups"],
                 per=v["channels"] // v["groups"], position=v["position"])
    if q.kind == "groups_seen":
        return t("exercises.ask.groups_seen." + ("on" if v["shuffle"] else "off"), layers=v["layers"],
                 channels=v["channels"], groups=v["groups"], output=v["output"])
    if q.kind == "network_compare":
        metric = t(f"exercises.metric.{v['metric']}") if v["metric"] != "latency" else ""
        return t(f"exercises.ask.network_compare.{v['case']}", metric=metric, first=network_label(v["first"]),
                 second=network_label(v["second"]))
    if q.kind == "redundancy_compare":
        return t(f"exercises.ask.redundancy_compare.{v['metric']}", net=t(f"redundancy.net.{v['network']}"),
                 image=t(f"redundancy.sample.{v['image']}"), thr=v["threshold"], first=v["first"],
                 second=v["second"])
    if q.kind == "newer_blocks":
        if v["case"] == "pconv":
            return t("exercises.ask.newer_blocks.pconv", c=v["c"], n=v["n"], k=v["k"], h=v["h"])
        shape = t("exercises.newer.depthwise" if v["dw"] else "exercises.newer.dense")
        branches = t("exercises.newer.identity" if v["identity"] else "exercises.newer.no_identity")
        return t("exercises.ask.newer_blocks.rep", c=v["c"], k=v["k"], s=v["stride"], shape=shape,
                 branches=branches, train=f"{v['train']:,}")
    if q.kind == "peak_memory":
        return t("exercises.ask.peak_memory", net=network_label(v["network"]), size=v["size"])
    raise ValueError(f"no sentence for question kind {q.kind!r}")


def factor_text(x: float) -> str:
    f = Fraction(x).limit_denominator(64)
    return f"×{f.numerator}/{f.denominator}" if f.denominator > 1 else f"×{f.numerator}"


def option_label(q: Question, index: int) -> str:
    option = q.options[index]
    if q.kind == "cost_change":
        return factor_text(option)
    if q.kind == "network_compare":
        return t("exercises.option.network", label=network_label(option),
                 which=t(f"exercises.option.{('first', 'second')[index]}"))
    if q.kind == "redundancy_compare":
        return t("exercises.option.layer", layer=option, which=t(f"exercises.option.{('first', 'second')[index]}"))
    return t(f"exercises.option.{option}")


def number_text(q: Question, value: float) -> str:
    if q.unit in ("params", "macs"):
        return f"{round(value):,}"
    if q.unit == "factor":
        return f"{value:.4g}"
    if q.unit == "mib":
        return f"{value:.2f} MiB"
    return f"{value:g}"


def answer_text(q: Question) -> str:
    if q.answer_type == exercises.OPTION:
        return option_label(q, int(q.answer))
    return number_text(q, q.answer)


def tolerance_text(q: Question) -> str:
    if q.answer_type == exercises.OPTION:
        return t("exercises.tolerance.option")
    if q.tolerance == 0:
        return t("exercises.tolerance.exact")
    return t("exercises.tolerance.relative", pct=f"{q.tolerance * 100:g}")


def problem_text(check: Check, raw: Any) -> str:
    return t(f"exercises.problem.{check.status}", text=str(raw)[:40])


def verdict_text(q: Question, check: Check) -> list[str]:
    lines = [t("exercises.right" if check.status == "right" else "exercises.wrong", answer=answer_text(q))]
    if q.answer_type == exercises.NUMBER and check.off is not None and check.status == "wrong":
        lines.append(t("exercises.off", given=number_text(q, check.given), off=f"{check.off:+.1%}"))
    return lines


def reveal_lines(q: Question) -> list[str]:
    """The numbers behind an option answer (both blocks' MACs, both networks' counts and timings)."""
    f, v = q.figures, q.values
    if q.kind == "which_cheaper":
        return [t("exercises.reveal.which_cheaper", first=f"{f['first']:,}", second=f"{f['second']:,}",
                  factor=f"{f['factor']:.3g}")]
    if q.kind == "groups_seen":
        seen = t("shuffle.list_sep").join(str(g + 1) for g in f["seen"])   # groups from 1, as a reader counts
        return [t("exercises.reveal.groups_seen", output=v["output"], seen=seen)]
    if q.kind == "network_compare" and "macs" in f:
        lines = [t("exercises.reveal.network", label=network_label(o), params=f"{p:,}", macs=f"{m:,}")
                 for o, p, m in zip(q.options, f["params"], f["macs"], strict=True)]
        if "latency" in f:
            lines += [t("exercises.reveal.latency", label=network_label(o), ms=f"{s * 1000:.1f}")
                      for o, s in zip(q.options, f["latency"], strict=True)]
        return lines
    if q.kind == "redundancy_compare":
        return [t("exercises.reveal.redundancy", which=t(f"exercises.option.{which}"), layer=layer, c=c,
                  share=f"{share:.0%}", thr=v["threshold"], nn=f"{nn:.3f}")
                for which, layer, c, share, nn in zip(("first", "second"), q.options, f["channels"],
                                                      f["near_copies"], f["nn_mean"], strict=True)]
    if q.kind == "peak_memory":
        return peak_lines(f)
    return []


def mib(n: int) -> str:
    return f"{n / 2**20:.2f}"


def peak_lines(f) -> list[str]:
    """The liveness timeline at the peak: where it is, what is alive there (each buffer by the step that made it),
    and the live bytes of the steps either side."""
    lines = [t("exercises.reveal.peak", step=f"`{f['peak_step']}`", op=f["peak_op"], index=f["peak_index"],
               n=f["steps"], mib=mib(f["peak_bytes"]), bytes=f"{f['peak_bytes']:,}", alloc=mib(f["allocated"]),
               kept=mib(f["kept"]))]
    alive = t("exercises.sep.list").join(
        t("exercises.reveal.peak_tensor", name=t("exercises.reveal.input") if is_input else f"`{name}`", mib=mib(b))
        for name, b, is_input in f["alive"])
    lines.append(t("exercises.reveal.peak_alive", n=len(f["alive"]), tensors=alive))
    around = t("exercises.sep.list").join(t("exercises.reveal.peak_step", index=i, step=f"`{name}`", mib=mib(live))
                                          for i, name, _, live, _ in f["around"])
    lines.append(t("exercises.reveal.peak_around", steps=around))
    lines.append(t("exercises.reveal.peak_scale", input=mib(f["input_bytes"]), largest=mib(f["largest"])))
    return lines


def formula_terms(expr: str) -> list[str]:
    """Split a LaTeX sum at its top-level " + " (not inside parentheses or braces)."""
    terms, depth, start = [], 0, 0
    for i, ch in enumerate(expr):
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        if depth == 0 and expr.startswith(" + ", i):
            terms.append(expr[start:i])
            start = i + 3
    return terms + [expr[start:]]


def wrapped_formula(expr: str, width: int) -> list[str]:
    """The sum in lines of about `width` source characters, so that a phone shows all of it."""
    lines = [""]
    for term in formula_terms(expr):
        if lines[-1] and len(lines[-1]) + 3 + len(term) > width:
            lines.append("")
        lines[-1] += (" + " if lines[-1] else "") + term
    return lines


def latex(worked, width: int = 44) -> str:
    """The worked formula as the Playground writes it, broken into short lines: symbols, numbers, total."""
    f = worked.formula
    label = t(f"exercises.label.{f.label}")
    numbers, _, total = f.numeric.rpartition(" = ")
    symbolic = relabel_formula(f.symbolic)   # a composite block's parts by their names in this language
    rows = [rf"\text{{{label}}} &= {wrapped_formula(symbolic, width)[0]}"]
    rows += [rf"&\quad + {line}" for line in wrapped_formula(symbolic, width)[1:]]
    if numbers:
        lines = wrapped_formula(numbers, width)
        rows += [rf"&= {lines[0]}"] + [rf"&\quad + {line}" for line in lines[1:]]
    rows.append(rf"&= {total or f.numeric}")
    return r"\begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}"


def show_worked(q: Question) -> None:
    """Below a verdict or an answer key: what the answer rests on, the worked formulas, and the link to the example
    (the Exercises page and class mode's reveal draw the same)."""
    for line in reveal_lines(q):
        st.markdown(f"- {line}")
    if q.worked:
        with st.expander(t("exercises.worked"), expanded=True):
            for w in q.worked:
                st.caption(t(f"exercises.role.{w.role}"))
                st.latex(latex(w))
    page, query = link_args(q)
    st.page_link(page, label=t("exercises.open"), icon="➡️", query_params=query or None)


def link_args(q: Question) -> tuple[str, dict[str, str]]:
    return f"pages/{q.link.page}.py", dict(q.link.query)


# --- answers that wait for counts or timings --------------------------------------------------------------------


# --- the set and its key as tables ---------------------------------------------------------------------------


def plain(text: str) -> str:
    return text.replace("**", "").replace("\n\n- ", " ").replace("\n- ", " ")
