"""Figures for the Conv Playground."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from effviz.blocks.comparison import CrossoverPoint, Row, SweepPoint
from effviz.cost import Cost
from effviz.plots.style import BASELINE, HIGHLIGHT, MUTED, layout


def _layout(fig: go.Figure, height: int = 380) -> go.Figure:
    return layout(fig, height)


def family_bars(rows: Sequence[Row], current: str, labels: dict[str, str], log: bool = False,
                titles: tuple[str, str] = ("Parameters", "MACs"), notes: dict[str, str] | None = None) -> go.Figure:
    """Params and MACs of every family at one shape; the current family highlighted, unavailable ones noted
    (`notes`: family -> why, in the reader's language; default: the problem's English text).

    The two panels' axes are laid out by hand and set in one go (make_subplots and per-panel updates cost
    ~30 ms of every playground rerun)."""
    names = [labels.get(r.family, r.family) for r in rows]
    colors = [HIGHLIGHT if r.family == current else MUTED for r in rows]
    why = {r.family: (notes or {}).get(r.family) or r.note for r in rows if r.problem is not None}
    traces, layout, titles_ = [], {}, []
    for col, (attr, title) in enumerate(zip(("params", "macs"), titles, strict=True), start=1):
        suffix = "" if col == 1 else "2"
        left = 0.0 if col == 1 else 0.53  # the right panel shares the left one's family labels
        values = [getattr(r, attr) or 0 for r in rows]
        traces.append(go.Bar(
            y=names, x=values, orientation="h", marker_color=colors, showlegend=False, xaxis=f"x{suffix}",
            yaxis=f"y{suffix}",
            text=[f"{v:,}" if getattr(r, attr) is not None else "—" for v, r in zip(values, rows, strict=True)],
            textposition="inside",  # never past the plot's edge (a phone); hidden where it would not fit
            hovertext=[why.get(r.family) or f"{labels.get(r.family, r.family)}<br>{getattr(r, attr):,}" for r in rows],
            hoverinfo="text",
        ))
        # log axes: decades only (Plotly's 2 and 5 between them are drawn at 3/4 size: 9 px)
        layout[f"xaxis{suffix}"] = dict(domain=[left, left + 0.47], anchor=f"y{suffix}",
                                        type="log" if log else "linear", **({"dtick": 1} if log else {}))
        layout[f"yaxis{suffix}"] = dict(domain=[0, 1], anchor=f"x{suffix}", autorange="reversed",
                                        showticklabels=col == 1)
        titles_.append(dict(text=title, x=left + 0.235, y=1, xref="paper", yref="paper", xanchor="center",
                          yanchor="bottom", showarrow=False, font=dict(size=16)))
    return _layout(go.Figure(data=traces, layout=dict(**layout, annotations=titles_)), 420)


def sweep_chart(points: Sequence[SweepPoint], x_label: str, metric: str, block_label: str,
                baseline_label: str, log: bool = True) -> go.Figure:
    """A block's params or MACs against one parameter, beside the dense conv of the same shape."""
    xs = [p.x for p in points]
    ours = [getattr(p, metric) for p in points]
    base = [getattr(p, f"baseline_{metric}") for p in points]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=xs, y=base, name=baseline_label, mode="lines+markers",
                             line=dict(color=BASELINE, dash="dash")))
    fig.add_trace(go.Scatter(x=xs, y=ours, name=block_label, mode="lines+markers", line=dict(color=HIGHLIGHT)))
    fig.update_xaxes(title=x_label, type="category" if len(xs) < 3 else "-")
    fig.update_yaxes(title=metric if metric != "macs" else "MACs", type="log" if log else "linear",
                     **({"dtick": 1} if log else {}))  # decades only: the 2 and 5 between are drawn at 9 px
    return _layout(fig)


def crossover_chart(points: Sequence[CrossoverPoint], labels: tuple[str, str], x_label: str,
                    crossover: int) -> go.Figure:
    """MnasNet: one 5x5 depthwise-separable layer against two 3x3 ones, by output channels N."""
    n = [p.n for p in points]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=n, y=[p.one_5x5 for p in points], name=labels[0], mode="lines+markers",
                             line=dict(color=HIGHLIGHT)))
    fig.add_trace(go.Scatter(x=n, y=[p.two_3x3 for p in points], name=labels[1], mode="lines+markers",
                             line=dict(color=MUTED)))
    fig.add_vline(x=crossover, line_dash="dot", annotation_text=f"N = {crossover}")
    fig.update_xaxes(title=x_label)
    fig.update_yaxes(title="MACs")
    return _layout(fig)


def parts_chart(cost: Cost, titles: tuple[str, str] = ("Parameters", "MACs"),
                labels: Mapping[str, str] | None = None) -> go.Figure:
    """Where the cost goes: each part's share of params and of MACs, as two stacked 100% bars. labels: how the
    legend names each part (the app's translated part names; "block" for a block without parts)."""
    leaves = [(name, c) for name, c in cost.leaves() if c.params or c.macs] or [("block", cost)]
    fig = go.Figure()
    for part, c in leaves:
        name = (labels or {}).get(part, part)
        fig.add_trace(go.Bar(
            x=[c.params / max(cost.params, 1) * 100, c.macs / max(cost.macs, 1) * 100], y=list(titles),
            orientation="h", name=name, text=[f"{c.params:,}", f"{c.macs:,}"], textposition="inside",
            hovertemplate=f"{name}<br>%{{x:.1f}}%<extra></extra>",
        ))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="%", range=[0, 100])
    return _layout(fig, 260)
