"""One look for every figure: the palette and the common layout (legible on a projector: 14 px text)."""
from __future__ import annotations

import plotly.graph_objects as go

HIGHLIGHT = "#e4572e"  # the thing the user picked
MUTED = "#4c78a8"      # everything else
BASELINE = "#9d9d9d"   # references (a dense conv, a bare forward pass)


MIN_TEXT = 12  # px: the smallest text a figure draws (read on a projector at 1440x900)


def layout(fig: go.Figure, height: int = 380, *, top: int = 50, legend_y: float = 1.02,
           font_size: int = 14) -> go.Figure:
    """The house layout: height, tight margins, the font size, a horizontal legend above the plot."""
    assign(fig.layout, height=height, margin=dict(l=10, r=10, t=top, b=10), font=dict(size=font_size),
           legend=dict(orientation="h", yanchor="bottom", y=legend_y, x=0),
           # a bar's or a treemap tile's text that would have to shrink below 12 px to fit is left out (its
           # hover still says it): shrunk, it came out at 0.1-2 px, unreadable on a projector
           uniformtext=dict(minsize=MIN_TEXT, mode="hide"))
    return fig


def assign(obj, **props):
    """Set plotly properties of `obj` (a figure's layout, an axis, a trace) and return `obj`: a dict is merged into
    what the property holds already, as update_layout does. The same figure as update_layout, without its key-path
    parsing and per-key change events: update_layout(margin=dict(...)) takes ~2 ms, one assignment ~0.1 ms, and
    every chart of every page goes through layout() above. Keys are property names (no magic underscores)."""
    for key, value in props.items():
        if isinstance(value, dict):
            value = _merged(getattr(obj, key).to_plotly_json(), value)
        setattr(obj, key, value)
    return obj


def _merged(base: dict, new: dict) -> dict:
    out = dict(base)
    for key, value in new.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def log_ticks(values, label=lambda v: f"{v:g}") -> dict:
    """Axis settings for a log axis over `values`: ticks at 1, 2 and 5 times each power of ten in their range,
    all at the axis's font size. (Plotly's own log ticks draw the 2s and 5s, and other digits, at 3/4 size: 9 px
    at a 12 px font, too small on a projector.)"""
    import math

    positive = [v for v in values if v > 0]
    if not positive:
        return {}
    lo, hi = min(positive), max(positive)
    ticks = [m * 10.0 ** e for e in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1)
             for m in (1, 2, 5)]
    shown = [v for v in ticks if lo / 2 <= v <= hi * 2] or ticks
    return {"tickvals": shown, "ticktext": [label(v) for v in shown]}
