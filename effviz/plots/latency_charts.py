"""Figures for the Latency Lab: MACs against measured time, throughput, the four guideline experiments, and the
network zoo ranked by MACs and by latency. Pure functions from effviz data to go.Figure; every label comes in
as an argument so the page can translate it."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from effviz.plots.style import BASELINE, HIGHLIGHT, MUTED, layout
from effviz.speed.guidelines import Experiment
from effviz.speed.latency import Point

MEMORY = "#59a14f"


def _layout(fig: go.Figure, height: int = 420) -> go.Figure:
    return layout(fig, height)


def _ms(seconds: float) -> float:
    return seconds * 1e3


def _error_bars(points: Sequence[Point]) -> dict:
    """Asymmetric error bars from the median to Q1 and Q3 (the IQR), in ms."""
    return dict(type="data", symmetric=False,
                array=[_ms(p.latency.q3 - p.latency.median) for p in points],
                arrayminus=[_ms(p.latency.median - p.latency.q1) for p in points], thickness=1.2)


def macs_latency_scatter(points: Sequence[Point], highlight: str | None, labels: Mapping[str, str],
                         reference: str | None = None, reference_label: str = "",
                         axis_titles: tuple[str, str] = ("MACs", "Latency (ms)")) -> go.Figure:
    """Each point's MACs (x) against its measured median latency (y, IQR as error bars), log-log.

    reference: the name of a point whose MACs-per-second rate is drawn as a dashed line; points above the line
    run slower per MAC than the reference (for blocks: the dense conv)."""
    fig = go.Figure()
    names = [labels.get(p.name, p.name) for p in points]
    # neighbours along x take turns above and below their marker, so that close labels do not overprint
    order = sorted(range(len(points)), key=lambda i: points[i].macs)
    position = {i: ("top center", "bottom center")[rank % 2] for rank, i in enumerate(order)}
    fig.add_trace(go.Scatter(
        x=[p.macs for p in points], y=[_ms(p.latency.median) for p in points], mode="markers+text",
        text=names, textposition=[position[i] for i in range(len(points))], cliponaxis=False,
        error_y=_error_bars(points), showlegend=False,
        marker=dict(size=12, color=[HIGHLIGHT if p.name == highlight else MUTED for p in points]),
        hovertext=[f"{n}<br>{p.macs:,} MACs<br>{_ms(p.latency.median):.3f} ms "
                   f"(IQR {_ms(p.latency.iqr):.3f})<br>{p.throughput / 1e9:.2f} GMAC/s"
                   for n, p in zip(names, points, strict=True)],
        hoverinfo="text",
    ))
    ref = next((p for p in points if p.name == reference), None)
    if ref is not None and len(points) > 1:
        lo, hi = min(p.macs for p in points), max(p.macs for p in points)
        xs = [lo / 1.5, hi * 1.5]
        fig.add_trace(go.Scatter(x=xs, y=[_ms(x / ref.throughput) for x in xs], mode="lines",
                                 name=reference_label, line=dict(color=BASELINE, dash="dash")))
    fig.update_xaxes(type="log", title=axis_titles[0])
    fig.update_yaxes(type="log", title=axis_titles[1])
    return _layout(fig, 460)


def throughput_bars(points: Sequence[Point], highlight: str | None, labels: Mapping[str, str],
                    reference: str | None = None, title: str = "GMAC/s") -> go.Figure:
    """MACs per second for each point (GMAC/s), with the reference's rate as a dotted line."""
    names = [labels.get(p.name, p.name) for p in points]
    rates = [p.throughput / 1e9 for p in points]
    fig = go.Figure(go.Bar(
        y=names, x=rates, orientation="h", text=[f"{r:.2f}" for r in rates], textposition="auto",
        marker_color=[HIGHLIGHT if p.name == highlight else MUTED for p in points], showlegend=False,
    ))
    ref = next((p for p in points if p.name == reference), None)
    if ref is not None:
        fig.add_vline(x=ref.throughput / 1e9, line_dash="dot", line_color=BASELINE,
                      annotation_text=labels.get(ref.name, ref.name))
    fig.update_xaxes(title=title)
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, 60 + 42 * max(len(points), 3))


def guideline_chart(experiment: Experiment, axis_titles: tuple[str, str] = ("Latency (ms)", "Memory access (MB)"),
                    labels: Mapping[str, str] | None = None, details: Mapping[str, str] | None = None) -> go.Figure:
    """One guideline: median latency of each set-up (bars, IQR whiskers, time relative to the first set-up on
    each bar) and its analytic memory access (line, right axis). MACs are in the hover text. labels / details:
    the set-ups' names and widths in the reader's language, keyed by Setup.label (default: English)."""
    labels, details = labels or {}, details or {}
    results = experiment.results
    names = [labels.get(r.setup.label, r.setup.label) for r in results]
    points = [Point(r.setup.label, r.setup.macs, r.latency) for r in results]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(
        x=names, y=[_ms(r.latency.median) for r in results], error_y=_error_bars(points),
        name=axis_titles[0], marker_color=[HIGHLIGHT if i == 0 else MUTED for i in range(len(results))],
        text=[f"{x:.2f}×" for x in experiment.relative()], textposition="inside",
        hovertext=[f"{n} ({details.get(r.setup.label, r.setup.detail)})<br>{r.setup.macs:,} MACs<br>"
                   f"{_ms(r.latency.median):.2f} ms" for n, r in zip(names, results, strict=True)],
        hoverinfo="text",
    ), secondary_y=False)
    fig.add_trace(go.Scatter(
        x=names, y=[r.setup.memory.bytes / 1e6 for r in results], name=axis_titles[1], mode="lines+markers",
        line=dict(color=MEMORY),
    ), secondary_y=True)
    fig.update_yaxes(title=axis_titles[0], rangemode="tozero", secondary_y=False)
    fig.update_yaxes(title=axis_titles[1], rangemode="tozero", showgrid=False, secondary_y=True)
    return _layout(fig, 380)


def rank_chart(points: Sequence[Point], titles: tuple[str, str] = ("Rank by MACs", "Rank by latency"),
               labels: Mapping[str, str] | None = None) -> go.Figure:
    """A slope chart: each point's rank by MACs (left) joined to its rank by measured latency (right), 1 =
    cheapest/fastest. Lines that cross are where counting MACs gets the order wrong."""
    labels = labels or {}
    by_macs = {p.name: i + 1 for i, p in enumerate(sorted(points, key=lambda p: (p.macs, p.name)))}
    by_time = {p.name: i + 1 for i, p in enumerate(sorted(points, key=lambda p: (p.latency.median, p.name)))}
    fig = go.Figure()
    for p in points:
        moved = by_macs[p.name] != by_time[p.name]
        name = labels.get(p.name, p.name)
        fig.add_trace(go.Scatter(
            x=[0, 1], y=[by_macs[p.name], by_time[p.name]], mode="lines+markers+text",
            text=[f"{name} ", f" {name}"], textposition=["middle left", "middle right"], showlegend=False,
            cliponaxis=False,
            line=dict(color=HIGHLIGHT if moved else BASELINE, width=3 if moved else 1.5),
            hovertext=f"{name}<br>{p.macs:,} MACs · {_ms(p.latency.median):.1f} ms", hoverinfo="text",
        ))
    fig.update_xaxes(tickvals=[0, 1], ticktext=list(titles), range=[-0.7, 1.7], showgrid=False)
    fig.update_yaxes(autorange="reversed", dtick=1, title=None, zeroline=False)
    return _layout(fig, 80 + 34 * max(len(points), 4))
