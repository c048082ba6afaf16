"""Figures for "where the time and the memory go": share of MACs against share of time by layer kind, the
roofline of this machine with every layer on it, and live memory over one pass with its peak marked. Pure
functions from plain data to go.Figure; every label comes in as an argument so the page can translate it."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from effviz.plots.style import BASELINE, HIGHLIGHT, MUTED, assign, layout, log_ticks

KIND_COLOURS = {"dense": "#4c78a8", "pointwise": "#72b7b2", "depthwise": "#e4572e", "grouped": "#f2a541",
                "linear": "#9d755d", "other": "#9d9d9d"}


def kind_shares(by_kind: Mapping[str, tuple[int, float]], kind_labels: Mapping[str, str],
                series: tuple[str, str], axis_title: str) -> go.Figure:
    """Per layer kind, its share of the network's MACs beside its share of the measured time (percent), as
    horizontal bars: the kinds' names read level on a phone (as columns, the longest was turned on its side and
    took half a phone's width from the plot). by_kind: {kind: (MACs, seconds)}; series: the two bars' names
    (MACs, time)."""
    kinds = list(by_kind)
    macs = sum(m for m, _ in by_kind.values()) or 1
    secs = sum(s for _, s in by_kind.values()) or 1.0
    names = [wrapped(kind_labels.get(k, k)) for k in kinds]
    fig = go.Figure([
        go.Bar(name=series[0], y=names, x=[100 * by_kind[k][0] / macs for k in kinds], orientation="h",
               marker_color=MUTED, texttemplate="%{x:.0f}%", textposition="outside", cliponaxis=False),
        go.Bar(name=series[1], y=names, x=[100 * by_kind[k][1] / secs for k in kinds], orientation="h",
               marker_color=HIGHLIGHT, texttemplate="%{x:.0f}%", textposition="outside", cliponaxis=False),
    ])
    fig.layout.barmode = "group"
    fig.layout.xaxis.title = axis_title
    fig.layout.xaxis.range = [0, 118]  # room for "100%" past the longest bar
    fig.layout.yaxis.autorange = "reversed"  # the kinds top to bottom in the order given
    return layout(fig, 120 + 64 * len(kinds))


def wrapped(label: str, width: int = 17) -> str:
    """A category label in lines of about `width` characters (Plotly's <br>), broken before a parenthesis and at
    spaces: "other (BN, activations, pooling)" -> "other<br>(BN, activations,<br>pooling)"."""
    words = label.replace("（", " （").split()
    lines: list[str] = []
    for word in words:
        if lines and not word.startswith(("(", "（")) and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def roofline(points: Sequence[tuple[str, str, float, float]], peak_gmacs: float, peak_gbs: float,
             kind_labels: Mapping[str, str], axis_titles: tuple[str, str], roof_labels: tuple[str, str]) -> go.Figure:
    """Every layer at its arithmetic intensity (x: MACs per byte) against its achieved GMAC/s (y), log-log, under
    this machine's roofs: memory (GB/s x intensity) rising to compute (GMAC/s). points: (name, kind, intensity,
    GMAC/s); layers without MACs are left out (they have no intensity). roof_labels: (memory roof, compute roof)."""
    pts = [p for p in points if p[2] > 0 and p[3] > 0]
    fig = go.Figure()
    xs = [p[2] for p in pts] or [1.0]
    lo = min(min(xs) / 2, peak_gmacs / peak_gbs / 10)
    hi = max(max(xs) * 2, peak_gmacs / peak_gbs * 10)
    ridge = peak_gmacs / peak_gbs
    grid = [lo * (hi / lo) ** (i / 60) for i in range(61)]
    fig.add_trace(go.Scatter(x=[x for x in grid if x <= ridge] + [ridge],
                             y=[peak_gbs * x for x in grid if x <= ridge] + [peak_gmacs], mode="lines",
                             line=dict(color=BASELINE, dash="dash", width=2), name=roof_labels[0]))
    fig.add_trace(go.Scatter(x=[ridge, hi], y=[peak_gmacs, peak_gmacs], mode="lines",
                             line=dict(color="#333333", width=2), name=roof_labels[1]))
    for kind in KIND_COLOURS:
        mine = [p for p in pts if p[1] == kind]
        if mine:
            fig.add_trace(go.Scatter(
                x=[p[2] for p in mine], y=[p[3] for p in mine], mode="markers", name=kind_labels.get(kind, kind),
                text=[p[0] for p in mine], marker=dict(color=KIND_COLOURS[kind], size=9, opacity=0.8),
                hovertemplate="%{text}<br>%{x:.2f} MACs/B<br>%{y:.2f} GMAC/s<extra></extra>"))
    fig.layout.xaxis.type = "log"
    fig.layout.yaxis.type = "log"
    fig.layout.xaxis.title = axis_titles[0]
    fig.layout.yaxis.title = axis_titles[1]
    ys = [p[3] for p in pts] or [peak_gmacs]
    fig.layout.yaxis.range = [math.log10(min(min(ys), peak_gbs * lo) / 1.5), math.log10(max(*ys, peak_gmacs) * 1.5)]
    fig.layout.xaxis.dtick = 1     # ticks at powers of ten only: legible labels
    fig.layout.yaxis.dtick = 1
    return layout(fig, 460, top=70)


def memory_timeline(timeline: Sequence[tuple[str, int]], peak_index: int, axis_titles: tuple[str, str],
                    peak_label: str, measured: float | None = None, measured_label: str = "") -> go.Figure:
    """Live activation memory (MiB) after each step of one pass, the peak marked with its step's name; a
    measured peak (MiB), where given, as a horizontal line."""
    mib = [b / 2**20 for _, b in timeline]
    names = [n for n, _ in timeline]
    fig = go.Figure(go.Scatter(x=list(range(len(mib))), y=mib, mode="lines", fill="tozeroy", line=dict(color=MUTED),
                               text=names, hovertemplate="%{text}<br>%{y:.2f} MiB<extra></extra>", showlegend=False))
    fig.add_trace(go.Scatter(x=[peak_index], y=[mib[peak_index]], mode="markers+text", showlegend=False,
                             marker=dict(color=HIGHLIGHT, size=12), text=[f"{peak_label}: {names[peak_index]}"],
                             textposition="top right", textfont=dict(size=13)))
    if measured is not None:
        fig.add_hline(y=measured, line=dict(color=BASELINE, dash="dash"), annotation_text=measured_label,
                      annotation_position="top left")
    fig.layout.xaxis.title = axis_titles[0]
    fig.layout.yaxis.title = axis_titles[1]
    fig.layout.yaxis.range = [0, max([*mib, measured or 0]) * 1.25]
    return layout(fig, 380)


def ranking(estimates: Mapping[str, float], labels: Mapping[str, str], axis_title: str,
            measured: Mapping[str, float] | None = None, measured_label: str = "",
            estimate_label: str = "") -> go.Figure:
    """Networks sorted by their roofline estimate (ms), bars; measured medians (ms) as markers where known."""
    order = sorted(estimates, key=estimates.__getitem__)
    fig = go.Figure(go.Bar(y=[labels.get(n, n) for n in order], x=[estimates[n] * 1e3 for n in order],
                           orientation="h", marker_color=MUTED, name=estimate_label))
    if measured:
        known = [n for n in order if n in measured]
        fig.add_trace(go.Scatter(y=[labels.get(n, n) for n in known], x=[measured[n] * 1e3 for n in known],
                                 mode="markers", marker=dict(color=HIGHLIGHT, size=10, symbol="diamond"),
                                 name=measured_label))
    fig.layout.xaxis.title = axis_title
    fig.layout.yaxis.autorange = "reversed"
    return layout(fig, 60 + 28 * len(order))


def hardware_ranks(columns: Mapping[str, Mapping[str, float]], labels: Mapping[str, str], reference: str,
                   axis_title: str) -> go.Figure:
    """Each network's latency relative to `reference` (1 = as fast as it) on each device (x: one column per
    device, MACs and this server's measurement included by the caller), log scale: a line that crosses another
    between two columns is a ranking that flips with the hardware. columns: {column title: {network: value}}."""
    fig = go.Figure()
    titles = list(columns)
    names = sorted({n for col in columns.values() for n in col})
    palette = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#9d755d", "#eeca3b",
               "#ff9da6", "#bab0ac", "#2f4b7c", "#a05195", "#665191"]
    shown = [wrapped(title, 18) for title in titles]  # level on a projector, not turned on their side
    every = []
    for i, name in enumerate(names):
        xs, ys = [], []
        for title, label in zip(titles, shown, strict=True):
            col = columns[title]
            if name in col and reference in col and col[reference] > 0:
                xs.append(label)
                ys.append(col[name] / col[reference])
        every += ys
        if xs:
            # past the palette's 13 colours, the next networks differ by their marks and dashes too
            turn = i // len(palette) % 3
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", name=labels.get(name, name),
                                     line=dict(color=palette[i % len(palette)], width=2,
                                               dash=("solid", "dash", "dot")[turn]),
                                     marker=dict(size=9, symbol=("circle", "square", "diamond")[turn]),
                                     hovertemplate="%{x}<br>%{y:.2f}×<extra>" + labels.get(name, name) + "</extra>"))
    assign(fig.layout.yaxis, type="log", title=axis_title, **log_ticks(every, lambda v: f"{v:g}×"))
    fig.layout.xaxis.categoryorder = "array"
    fig.layout.xaxis.categoryarray = shown
    # on a phone the legend is one network a line (about 19 px) above the plot: at a fixed 480 px, the zoo's 18
    # measured networks would take most of the figure from the plot; on a projector the lines get more room
    return layout(fig, max(480, 280 + 22 * len(fig.data)), top=90)
