"""One look for every figure: the palette and the common layout (legible on a projector: 14 px text)."""
from __future__ import annotations

import plotly.graph_objects as go

HIGHLIGHT = "#e4572e"  # the thing the user picked
MUTED = "#4c78a8"      # everything else
BASELINE = "#9d9d9d"   # references (a dense conv, a bare forward pass)


def layout(fig: go.Figure, height: int = 380, *, top: int = 50, legend_y: float = 1.02,
           font_size: int = 14) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=top, b=10), font=dict(size=font_size),
                      legend=dict(orientation="h", yanchor="bottom", y=legend_y, x=0))
    return fig
