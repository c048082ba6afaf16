"""The dashboard's figures (pure builders: numbers and translated labels in, go.Figure out; the page gets them
through app_support.shell.figures.figure). Sized for a projector: large fonts, few marks."""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

RIGHT, WRONG, FIRST = "#2e7d32", "#9e9e9e", "#90caf9"
FONT = 18


def _tick(value: float) -> str:
    for size, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"


def log_histogram(last: tuple[float, ...], first: tuple[float, ...], truth: float, tolerance: float,
                  labels: dict[str, str], show_truth: bool = True) -> go.Figure:
    """Answers on a log axis (bins of a quarter decade, counted in log10 units so the bars are even), the true
    value as a line and the band accepted as right shaded; first answers as an outline behind the last ones.
    Answers <= 0 are left out (the page says how many). Without show_truth (before the reveal, on a projector)
    the axis still spans the true value, but it is not marked."""
    values = [math.log10(v) for v in last if v > 0]
    before = [math.log10(v) for v in first if v > 0]
    centre = math.log10(truth) if truth > 0 else 0.0
    low = math.floor(min([centre - 1, *values, *before]) * 4) / 4
    high = math.ceil(max([centre + 1, *values, *before]) * 4) / 4 + 0.25
    edges = np.arange(low, high + 1e-9, 0.25)
    mids = (edges[:-1] + edges[1:]) / 2
    fig = go.Figure()
    if truth > 0 and show_truth:
        band = (math.log10(truth * (1 - tolerance)) if tolerance < 1 else low, math.log10(truth * (1 + tolerance)))
        if band[1] - band[0] < 0.02:  # exact answers: a visible sliver
            band = (centre - 0.01, centre + 0.01)
        fig.add_vrect(x0=band[0], x1=band[1], fillcolor=RIGHT, opacity=0.18, line_width=0)
    for name, data, colour in ((labels["first"], before, FIRST), (labels["last"], values, "#1565c0")):
        counts, _ = np.histogram(data, bins=edges)
        fig.add_bar(x=mids.tolist(), y=counts.tolist(), width=0.23, name=name, marker_color=colour,
                    opacity=0.55 if colour == FIRST else 0.95)
    if truth > 0 and show_truth:
        fig.add_vline(x=centre, line_color=RIGHT, line_width=4)
        fig.add_annotation(x=centre, y=1, yref="paper", text=f"{labels['truth']}: {_tick(truth)}",
                           showarrow=False, yanchor="bottom", font=dict(size=FONT, color=RIGHT))
    ticks = list(range(math.floor(low), math.ceil(high) + 1))
    fig.update_layout(barmode="overlay", height=420, margin=dict(l=60, r=20, t=50, b=60),
                      font=dict(size=FONT), legend=dict(orientation="h", y=-0.2),
                      xaxis=dict(title=labels["answers"], tickfont=dict(size=FONT - 2), tickvals=ticks,
                                 ticktext=[_tick(10.0 ** k) for k in ticks],
                                 range=[low, high]),
                      yaxis=dict(title=labels["students"], rangemode="tozero", tickfont=dict(size=FONT - 2),
                                 dtick=1 if len(values) < 12 else None))
    return fig


def option_bars(options: tuple[str, ...], last: tuple[int, ...], first: tuple[int, ...], right: int,
                labels: dict[str, str]) -> go.Figure:
    """How many picked each option (last answers; first answers beside them); the right option in green
    (right=-1: not shown yet)."""
    fig = go.Figure()
    fig.add_bar(x=list(options), y=list(first), name=labels["first"], marker_color=FIRST)
    fig.add_bar(x=list(options), y=list(last), name=labels["last"],
                marker_color=[RIGHT if i == right else WRONG for i in range(len(options))])
    fig.update_layout(barmode="group", height=420, margin=dict(l=60, r=20, t=30, b=60), font=dict(size=FONT),
                      legend=dict(orientation="h", y=-0.25),
                      yaxis=dict(title=labels["students"], rangemode="tozero",
                                 dtick=1 if max(last + first, default=0) < 12 else None))
    return fig
