"""Re-parameterisation as kernels that add up: each branch's k x k kernel (after its BN is folded in) for one
output and one input channel, a "+" between them, "=" and the folded kernel (effviz.blocks.reparam.fold)."""
from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from effviz.plots.style import assign, layout


def kernels_sum(kernels: Sequence[tuple[str, Sequence[Sequence[float]]]], folded: tuple[str, Sequence[Sequence[float]]],
                biases: Sequence[float] | None = None, bias_label: str = "b = {b}", height: int = 300) -> go.Figure:
    """One heatmap per branch kernel (label, k x k values), then the folded one, on one shared colour scale
    (diverging, 0 white) with the values written in the cells for k <= 5; `biases` (one per panel, the branch's
    folded bias for that output channel) under each panel."""
    panels = [*kernels, folded]
    n = len(panels)
    fig = make_subplots(rows=1, cols=n, subplot_titles=[label for label, _ in panels], horizontal_spacing=0.06)
    peak = max((abs(v) for _, grid in panels for row in grid for v in row), default=1.0) or 1.0
    k = len(panels[0][1])
    for i, (_, grid) in enumerate(panels, start=1):
        fig.add_trace(go.Heatmap(
            z=[list(row) for row in grid], zmin=-peak, zmax=peak, colorscale="RdBu", reversescale=True,
            showscale=i == n, text=[[f"{v:.2f}" for v in row] for row in grid],
            texttemplate="%{text}" if k <= 5 else None, textfont=dict(size=12),
            hovertemplate="%{z:.4f}<extra></extra>", xgap=1, ygap=1), row=1, col=i)
        axis = "" if i == 1 else str(i)
        assign(fig.layout, **{f"xaxis{axis}": dict(showticklabels=False, constrain="domain"),
                              f"yaxis{axis}": dict(showticklabels=False, autorange="reversed",
                                                   scaleanchor=f"x{axis}")})
    for i in range(1, n):  # "+" between the branches, "=" before the folded kernel
        x = (fig.layout[f"xaxis{'' if i == 1 else i}"].domain[1] + fig.layout[f"xaxis{i + 1}"].domain[0]) / 2
        fig.add_annotation(x=x, y=0.5, xref="paper", yref="paper", text="=" if i == n - 1 else "+",
                           showarrow=False, font=dict(size=26))
    if biases is not None:
        for i, b in enumerate(biases, start=1):
            dom = fig.layout[f"xaxis{'' if i == 1 else i}"].domain
            fig.add_annotation(x=(dom[0] + dom[1]) / 2, y=-0.04, xref="paper", yref="paper", yanchor="top",
                               text=bias_label.format(b=f"{b:.3f}"), showarrow=False, font=dict(size=13))
    layout(fig, height, top=40)
    assign(fig.layout, margin=dict(l=10, r=10, t=40, b=40))
    return fig
