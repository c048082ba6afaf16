"""Figures for the Feature Redundancy lab: pure functions from arrays to go.Figure.

Feature maps are drawn one tile per channel, each scaled to its own min..max (a map's absolute level varies a
lot between channels; its pattern is what redundancy is about), with the raw value on hover. Tiles are
average-pooled to at most MAX_TILE pixels a side and similarity heatmaps to at most MAX_HEATMAP channels a
side so a browser never receives megabytes of numbers. Every string shown is passed in (the page translates)."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from effviz.plots.style import layout

MAX_TILE = 64
MAX_HEATMAP = 256
GAP = 2
COLORSCALES = ("Viridis", "Gray", "Inferno", "RdBu")
SERIES_COLOURS = ("#e4572e", "#4c78a8", "#f2a541", "#72b7b2", "#9d9d9d", "#54a24b")


def _layout(fig: go.Figure, height: int) -> go.Figure:
    return layout(fig, height, top=40, font_size=13)


def _pool(a: np.ndarray, max_side: int) -> np.ndarray:
    """Average-pool the last two axes by an integer factor so neither exceeds max_side."""
    h, w = a.shape[-2:]
    f = max(1, math.ceil(max(h, w) / max_side))
    if f == 1:
        return a
    hh, ww = h // f * f, w // f * f
    a = a[..., :hh, :ww]
    return a.reshape(*a.shape[:-2], hh // f, f, ww // f, f).mean(axis=(-3, -1))


def _tile(tile: np.ndarray, lo: float | None = None, hi: float | None = None, **trace) -> go.Heatmap:
    """One map as a heatmap of its own raw values, coloured over lo..hi (default: its own min..max; values
    outside are drawn in the end colours). The raw values are what hover shows, and they are the only numbers
    sent: no second, rescaled copy of the map."""
    tile = np.asarray(tile, dtype=np.float32)  # plotly sends float32 arrays as base64: 4 bytes a pixel
    lo = float(tile.min()) if lo is None else lo
    hi = float(tile.max()) if hi is None else hi
    return go.Heatmap(z=tile, zmin=lo, zmax=hi if hi > lo else lo + 1.0, showscale=False, **trace)


def _axes_off(fig: go.Figure) -> None:
    """Image-like axes: hidden, y downwards, square pixels (each y axis tied to its own subplot's x axis)."""
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, autorange="reversed", constrain="domain")
    fig.for_each_yaxis(lambda ax: ax.update(scaleanchor=ax.anchor or "x"))


def feature_grid(maps: np.ndarray, channels: Sequence[int], cols: int = 8, colorscale: str = "Viridis",
                 hover: str = "channel {c}") -> go.Figure:
    """A mosaic of the given channels' maps (in the given order), one heatmap per map, channel numbers on hover
    and as small labels. `hover` is a format string with {c} for the channel."""
    maps = np.asarray(maps)
    channels = [int(c) for c in channels]
    if not channels:
        raise ValueError("channels: nothing to draw")
    if cols < 1:
        raise ValueError(f"cols: must be at least 1, got {cols}")
    tiles = _pool(maps[channels], MAX_TILE)
    n, th, tw = tiles.shape
    cols = min(cols, n)
    rows = math.ceil(n / cols)
    # One heatmap per tile, placed by its first pixel (x0, y0): each has its own colour range and its channel
    # in its hover text, so nothing but the raw maps is sent (one mosaic with gaps needed a rescaled copy and
    # a channel number for every pixel: 3x the bytes, sent again whenever the grid changes).
    traces = []
    labels = []
    for k, c in enumerate(channels):
        r, q = divmod(k, cols)
        x, y = q * (tw + GAP), r * (th + GAP)
        traces.append(_tile(tiles[k], x0=x, y0=y, colorscale=colorscale,
                            hovertemplate=f"{hover.format(c=c)}<br>%{{z:.3g}}<extra></extra>"))
        # the channel labels go in with the layout, all at once: add_annotation one by one re-validates every
        # earlier one (64 labels took 0.4 s)
        labels.append(dict(x=x + 1, y=y + 1, text=str(c), showarrow=False, xanchor="left", yanchor="top",
                           font=dict(size=12, color="white"), bgcolor="rgba(0,0,0,0.45)", borderpad=1))
    fig = go.Figure(traces, layout=dict(annotations=labels))
    _axes_off(fig)
    fig.update_layout(plot_bgcolor="rgba(0,0,0,0)")
    return _layout(fig, max(220, min(900, int(120 * rows * th / max(tw, 1) * 8 / cols))))


def similarity_heatmap(sim: np.ndarray, order: Sequence[int] | None, title: str,
                       hover: str = "channel {i} vs {j}", zmin: float = -1.0) -> go.Figure:
    """The [C, C] matrix with rows and columns in `order` (dendrogram order puts redundant groups on the
    diagonal). Above MAX_HEATMAP channels, blocks of neighbouring channels (in that order) are averaged."""
    sim = np.asarray(sim, dtype=np.float32)
    c = sim.shape[0]
    order = np.arange(c) if order is None else np.asarray(order, dtype=int)
    s = sim[np.ix_(order, order)]
    f = max(1, math.ceil(c / MAX_HEATMAP))
    if f > 1:
        n = c // f * f
        s = s[:n, :n].reshape(n // f, f, n // f, f).mean(axis=(1, 3))
        names = [f"{order[k]}…{order[min(k + f, n) - 1]}" for k in range(0, n, f)]
    else:
        names = [str(i) for i in order]
    # The hover names are the (hidden) axes' categories: C names per axis, not C x C pairs of strings in
    # customdata, sent again on every redraw.
    text = hover.format(i="%{y}", j="%{x}")
    fig = go.Figure(go.Heatmap(z=s, x=names, y=names, zmin=zmin, zmax=1.0,
                               colorscale="RdBu_r" if zmin < 0 else "Viridis",
                               hovertemplate=f"{text}<br>%{{z:.3f}}<extra></extra>",
                               colorbar=dict(title=title, thickness=12)))
    _axes_off(fig)
    fig.update_xaxes(type="category")
    fig.update_yaxes(type="category")
    return _layout(fig, 560)


def histogram(series: Mapping[str, np.ndarray], x_title: str, y_title: str, x_range=(-1.0, 1.0),
              bins: int = 40) -> go.Figure:
    """Overlaid histograms (e.g. each channel's nearest-neighbour similarity, trained vs untrained)."""
    fig = go.Figure()
    size = (x_range[1] - x_range[0]) / bins
    for k, (name, values) in enumerate(series.items()):
        fig.add_trace(go.Histogram(x=np.asarray(values, dtype=float), name=name, opacity=0.65,
                                   xbins=dict(start=x_range[0], end=x_range[1] + 1e-9, size=size),
                                   marker_color=SERIES_COLOURS[k % len(SERIES_COLOURS)]))
    fig.update_layout(barmode="overlay", showlegend=len(series) > 1)
    fig.update_xaxes(title=x_title, range=list(x_range))
    fig.update_yaxes(title=y_title)
    return _layout(fig, 320)


def map_rows(maps: np.ndarray, rows: Sequence[Sequence[int]], titles: Sequence[Sequence[str]],
             colorscale: str = "Viridis", hover: str = "channel {c}") -> go.Figure:
    """A small grid of individual maps with a title each: rows[r] lists the channels drawn in row r (e.g. the
    top-k pairs side by side, or a channel and its nearest neighbours)."""
    maps = np.asarray(maps)
    n_rows = len(rows)
    n_cols = max(len(r) for r in rows)
    fig = make_subplots(rows=n_rows, cols=n_cols, horizontal_spacing=0.02,
                        vertical_spacing=min(0.08, 0.3 / max(n_rows, 1)),
                        subplot_titles=[t for r in range(n_rows) for t in
                                        list(titles[r]) + [""] * (n_cols - len(rows[r]))])
    for r, chans in enumerate(rows):
        for q, c in enumerate(chans):
            tile = _pool(maps[int(c)], MAX_TILE)
            fig.add_trace(_tile(tile, colorscale=colorscale,
                                hovertemplate=hover.format(c=int(c)) + "<br>%{z:.3g}<extra></extra>"),
                          row=r + 1, col=q + 1)
    _axes_off(fig)
    fig.update_annotations(font_size=12)
    return _layout(fig, max(200, 170 * n_rows + 40))


def reconstruction_rows(actual: np.ndarray, approx: np.ndarray, source: Sequence[int], channels: Sequence[int],
                        titles: Sequence[tuple[str, str, str]], colorscale: str = "Viridis") -> go.Figure:
    """One row per ghost channel: its intrinsic source map | the reconstruction | the actual map. The
    reconstruction and the actual map share one colour range (the actual map's), so they compare directly."""
    actual, approx = np.asarray(actual), np.asarray(approx)
    n = len(channels)
    fig = make_subplots(rows=n, cols=3, horizontal_spacing=0.03, vertical_spacing=min(0.08, 0.3 / max(n, 1)),
                        subplot_titles=[t for row in titles for t in row])
    for r, g in enumerate(channels):
        g = int(g)
        src = _pool(actual[int(source[g])], MAX_TILE)
        act = _pool(actual[g], MAX_TILE)
        rec = _pool(approx[g], MAX_TILE)
        lo, hi = float(act.min()), float(act.max())
        for q, (tile, span) in enumerate(((src, (None, None)), (rec, (lo, hi)), (act, (lo, hi)))):
            fig.add_trace(_tile(tile, *span, colorscale=colorscale, hovertemplate="%{z:.3g}<extra></extra>"),
                          row=r + 1, col=q + 1)
    _axes_off(fig)
    fig.update_annotations(font_size=12)
    return _layout(fig, max(240, 190 * n + 60))


def error_chart(points: Mapping[str, Sequence[tuple[float, float]]], x_title: str, y_title: str,
                x_values: Sequence[int], dashed: Sequence[str] = (), log_y: bool = False) -> go.Figure:
    """Lines of (x, error) per series, e.g. relative error against d (or s) for trained and untrained; the
    series named in `dashed` are drawn dashed."""
    fig = go.Figure()
    for k, (name, xy) in enumerate(points.items()):
        xs, ys = zip(*xy, strict=True) if xy else ((), ())
        dash = "dash" if name in dashed else "solid"
        fig.add_trace(go.Scatter(x=list(xs), y=list(ys), name=name, mode="lines+markers",
                                 line=dict(color=SERIES_COLOURS[k % len(SERIES_COLOURS)], dash=dash)))
    fig.update_xaxes(title=x_title, tickmode="array", tickvals=list(x_values))
    fig.update_yaxes(title=y_title, type="log" if log_y else "linear", rangemode="tozero" if not log_y else None)
    return _layout(fig, 340)


def feature_grid_png(maps: np.ndarray, channels: Sequence[int], cols: int = 8, colorscale: str = "Viridis",
                     tile: int = 112, gap: int = GAP * 2) -> bytes:
    """The same mosaic as feature_grid, as a PNG file (for download): each map scaled to its own min..max,
    coloured with the Plotly colour scale, resized to `tile` pixels a side (nearest neighbour, so pixels stay
    visible), on white with `gap` pixels between tiles."""
    import io

    from PIL import Image
    from plotly.colors import sample_colorscale, unlabel_rgb

    maps = np.asarray(maps)
    channels = [int(c) for c in channels]
    if not channels:
        raise ValueError("channels: nothing to draw")
    lut = np.array([unlabel_rgb(c) for c in sample_colorscale(colorscale, list(np.linspace(0, 1, 256)))],
                   dtype=np.uint8)
    rows = math.ceil(len(channels) / cols)
    sheet = Image.new("RGB", (cols * tile + (cols - 1) * gap, rows * tile + (rows - 1) * gap), "white")
    for k, c in enumerate(channels):
        m = maps[c].astype(np.float64)
        span = m.max() - m.min()
        level = ((m - m.min()) / span * 255).round().astype(np.uint8) if span > 0 else np.zeros(m.shape, np.uint8)
        img = Image.fromarray(lut[level]).resize((tile, tile), Image.NEAREST)
        sheet.paste(img, ((k % cols) * (tile + gap), (k // cols) * (tile + gap)))
    buf = io.BytesIO()
    sheet.save(buf, "PNG", optimize=True)
    return buf.getvalue()
