"""Re-parameterisation as kernels that add up: each branch's k x k kernel (after its BN is folded in) for one
output and one input channel, then the folded kernel (effviz.blocks.reparam.fold), two panels a row so that the
cells stay readable on a phone; the panel titles carry the sum ("+ 1×1 …", "= folded …")."""
from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from effviz.plots.style import assign, layout


def kernels_sum(kernels: Sequence[tuple[str, Sequence[Sequence[float]]]], folded: tuple[str, Sequence[Sequence[float]]],
                biases: Sequence[float] | None = None, bias_label: str = "bias {b}") -> go.Figure:
    """One heatmap per branch kernel (label, k x k values), then the folded one, on one shared colour scale
    (diverging, 0 white), the values written in the cells for k <= 3 (hover for larger kernels); `biases` (one per
    panel: the branch's folded bias for that output channel, then the sum) in each panel's title."""
    panels = [*kernels, folded]
    n = len(panels)
    rows = math.ceil(n / 2)
    titles = []
    for i, (label, _) in enumerate(panels):
        op = "" if i == 0 else ("= " if i == n - 1 else "+ ")
        bias = f"<br>{bias_label.format(b=f'{biases[i]:.3f}')}" if biases is not None else ""
        titles.append(f"{op}{label}{bias}")
    fig = make_subplots(rows=rows, cols=2, subplot_titles=titles, horizontal_spacing=0.08,
                        vertical_spacing=0.16 if rows > 1 else 0.0)
    peak = max((abs(v) for _, grid in panels for row in grid for v in row), default=1.0) or 1.0
    k = len(panels[0][1])
    for i, (_, grid) in enumerate(panels):
        fig.add_trace(go.Heatmap(
            z=[list(row) for row in grid], zmin=-peak, zmax=peak, colorscale="RdBu", reversescale=True,
            showscale=False, text=[[f"{v:.2f}" for v in row] for row in grid],
            texttemplate="%{text}" if k <= 3 else None, textfont=dict(size=13),
            hovertemplate="%{z:.4f}<extra></extra>", xgap=2, ygap=2), row=i // 2 + 1, col=i % 2 + 1)
    for i in range(1, n + 1):
        axis = "" if i == 1 else str(i)
        assign(fig.layout, **{f"xaxis{axis}": dict(showticklabels=False, showgrid=False, zeroline=False,
                                                   ticks=""),
                              f"yaxis{axis}": dict(showticklabels=False, showgrid=False, zeroline=False, ticks="",
                                                   autorange="reversed")})
    layout(fig, 240 * rows + 50, top=55)
    for annotation in fig.layout.annotations:  # the subplot titles: readable, not the default 16 px bold
        annotation.font = dict(size=13)
    return fig
