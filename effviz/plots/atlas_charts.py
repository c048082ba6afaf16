"""Figures of the redundancy atlas (effviz.redundancy.atlas): redundancy and error against depth, the MACs each conv
would save as a Ghost module, and saving against error per conv. Pure functions of Atlas values and translated labels.

Several atlases (a trained network and the same architecture untrained) share the axes: colour says what is
measured, the line style (or an open marker) says which weights; series named in `dashed` are the untrained ones."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from effviz.plots.style import BASELINE, HIGHLIGHT, MUTED, layout

MEASURE_COLOURS = {"nn_mean": "#4c78a8", "near_copies": "#72b7b2", "ghost_error": "#e4572e"}
SERIES_SYMBOLS = ("circle", "circle-open", "diamond", "diamond-open")


@dataclass(frozen=True)
class DepthLabels:
    x: str                       # "convolution, in execution order"
    y: str                       # "similarity / share / relative error"
    measures: Mapping[str, str]  # nn_mean / near_copies / ghost_error -> legend name


def _x(atlas) -> list[int]:
    return [r.index + 1 for r in atlas.rows]


def depth_chart(series: Mapping[str, object], labels: DepthLabels, dashed: Sequence[str] = (),
                highlight: str | None = None, measure: str = "nn_mean") -> go.Figure:
    """One measure per conv (x = its place in execution order): mean nearest-neighbour similarity, share of maps
    with a near-copy, or the Ghost error of the rebuilt maps; one line per atlas (trained solid, the `dashed`
    ones dotted), so that trained and untrained can be told apart at a glance. `highlight`: a conv name, marked
    by a vertical line. (Three measures of two atlases on one plot made six zig-zag lines and a legend half the
    plot's size.)"""
    if measure not in MEASURE_COLOURS:
        raise ValueError(f"measure must be one of {', '.join(MEASURE_COLOURS)}, got {measure!r}")
    fig = go.Figure()
    colour = MEASURE_COLOURS[measure]
    for name, atlas in series.items():
        dash = "dot" if name in dashed else "solid"
        fig.add_trace(go.Scatter(
            x=_x(atlas), y=[getattr(r, measure) for r in atlas.rows], mode="lines+markers", name=name,
            line=dict(color=colour if dash == "solid" else BASELINE, dash=dash, width=2.5 if dash == "solid" else 2),
            marker=dict(size=5), customdata=[r.name for r in atlas.rows],
            hovertemplate=f"%{{customdata}}<br>{labels.measures[measure]}<br>%{{y:.3f}}<extra>{name}</extra>"))
    _mark(fig, series, highlight)
    fig.update_xaxes(title=labels.x, rangemode="tozero")
    fig.update_yaxes(title=labels.measures[measure], range=[0, 1.02])
    return layout(fig, 400, top=60, legend_y=1.02, font_size=13)


def _mark(fig: go.Figure, series: Mapping[str, object], highlight: str | None) -> None:
    for atlas in series.values():
        for r in atlas.rows:
            if r.name == highlight:
                fig.add_vline(x=r.index + 1, line=dict(color=BASELINE, width=1, dash="dash"))
                return


def savings_chart(atlas, x_title: str, y_title: str, kept_name: str, replaced_name: str,
                  highlight: str | None = None) -> go.Figure:
    """MACs (millions) each conv would save as a Ghost module at the atlas's (s, d), by execution order; convs
    that stay as they are (grouped/depthwise) appear as zero-height bars of their own colour, named in the
    legend, so the gaps are explained."""
    fig = go.Figure()
    for replaced, name, colour in ((True, replaced_name, MUTED), (False, kept_name, BASELINE)):
        rows = [r for r in atlas.rows if r.replaced == replaced]
        if not rows:
            continue
        fig.add_trace(go.Bar(
            x=[r.index + 1 for r in rows], y=[r.macs_saved / 1e6 for r in rows], name=name,
            marker=dict(color=[HIGHLIGHT if r.name == highlight else colour for r in rows],
                        line=dict(color=colour, width=1)),
            customdata=[[r.name, r.macs / 1e6, r.ghost_macs / 1e6] for r in rows],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]:,.1f} M → %{customdata[2]:,.1f} M MACs"
                          f"<extra>{name}</extra>"))
    fig.update_xaxes(title=x_title, rangemode="tozero")
    fig.update_yaxes(title=y_title, rangemode="tozero")
    return layout(fig, 420, top=90, font_size=13)


def payoff_scatter(series: Mapping[str, object], x_title: str, y_title: str, highlight: str | None = None,
                   highlight_name: str = "") -> go.Figure:
    """One point per conv that would become a Ghost module: MACs saved (millions) against the error of its
    rebuilt maps. Where Ghost pays off: far right (much saved) and low (little lost). customdata[0] is the
    conv's name (what a click selects)."""
    fig = go.Figure()
    for k, (name, atlas) in enumerate(series.items()):
        rows = list(atlas.replaced)
        fig.add_trace(go.Scatter(
            x=[r.macs_saved / 1e6 for r in rows], y=[r.ghost_error for r in rows], mode="markers", name=name,
            marker=dict(symbol=SERIES_SYMBOLS[k % len(SERIES_SYMBOLS)], size=10, color=MUTED if k == 0 else BASELINE,
                        line=dict(color=MUTED if k == 0 else BASELINE, width=1.5)),
            customdata=[[r.name, r.shape[0], r.nn_mean] for r in rows],
            hovertemplate="%{customdata[0]} (%{customdata[1]} maps)<br>%{x:,.1f} M MACs saved<br>"
                          f"{y_title} = %{{y:.3f}}<extra>{name}</extra>"))
    points = [(r.macs_saved / 1e6, r.ghost_error) for atlas in series.values() for r in atlas.replaced
              if r.name == highlight]
    if points:
        fig.add_trace(go.Scatter(x=[p[0] for p in points], y=[p[1] for p in points], mode="markers",
                                 name=highlight_name or highlight, hoverinfo="skip",
                                 marker=dict(symbol="star", size=16, color=HIGHLIGHT)))
    fig.update_xaxes(title=x_title, rangemode="tozero")
    fig.update_yaxes(title=y_title, rangemode="tozero")
    return layout(fig, 440, top=60, font_size=13)
