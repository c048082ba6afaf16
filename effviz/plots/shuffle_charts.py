"""Figures for the Channel Shuffle page: the reshape -> transpose -> flatten animation, connectivity heatmaps,
the layer-by-layer wiring of a group-conv stack, and the ShuffleNet v1 / v2 unit diagrams with their costs.

Pure functions from effviz data to go.Figure. Every text a reader sees comes in through arguments (the page
passes translated strings); the English defaults are for library use."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from effviz import shuffle as shuffle_ops
from effviz.blocks import BlockSpec
from effviz.plots import anatomy
from effviz.shuffle.connectivity import Connectivity, StackConnectivity

# Okabe-Ito-like qualitative colours (colour-blind safe) for up to 8 groups; more groups sample a colour scale.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#8C564B")
MIXED = "#2b2b2b"       # a channel that depends on several groups
EMPTY = "#f1f1f1"       # no connection
HIGHLIGHT = "#e4572e"   # the app's primary colour
FREE = "#9d9d9d"        # zero-MAC operations (shuffle, split, concat, add, pool)
INK = "#31333f"         # text: set explicitly so that Streamlit's chart theme does not grey it out


def group_colors(groups: int) -> list[str]:
    if groups <= len(PALETTE):
        return list(PALETTE[:groups])
    return sample_colorscale("Turbo", [0.05 + 0.9 * a / (groups - 1) for a in range(groups)])


def _text_color(color: str) -> str:
    """Black or white, whichever reads better on `color` (hex or rgb(...))."""
    if color.startswith("#"):
        r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    else:
        r, g, b = (float(v) for v in color[color.index("(") + 1:color.index(")")].split(",")[:3])
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


# --- the animation --------------------------------------------------------------------------------------------

ANIMATION_TEXT = {
    "input": "1 · {c} channels in a row, coloured by group",
    "reshape": "2 · reshape to ({g}, {n}): one row per group",
    "transpose": "3 · transpose to ({n}, {g}): one column per group",
    "flatten": "4 · flatten: the groups now take turns",
    "label.input": "input", "label.reshape": "reshape", "label.transpose": "transpose", "label.flatten": "flatten",
    "play": "▶ Play",
    "pause": "❚❚ Pause",
    "step": "Step: ",
    "channel": "channel",
    "group": "group",
    "position": "position",
}


def stage_positions(stage: shuffle_ops.Stage) -> dict[int, tuple[float, float]]:
    """Channel id -> (x, y) for a stage: its grid centred on (0, 0), row 0 on top."""
    return {ch: (c - (stage.cols - 1) / 2, (stage.rows - 1) / 2 - r) for ch, (r, c) in stage.position().items()}


def frame_order(frame: go.Frame) -> list[int]:
    """The channel ids of an animation frame read in memory order (top row first, left to right): for the last
    frame, the shuffled order. Reads the figure only, so tests can check it against channel_shuffle."""
    trace = frame.data[0]
    points = sorted(zip(trace.y, trace.x, trace.customdata, strict=True), key=lambda p: (-p[0], p[1]))
    return [int(p[2][0]) for p in points]


def shuffle_animation(channels: int, groups: int, text: Mapping[str, str] | None = None,
                      max_height: int = 720) -> go.Figure:
    """Channels as squares coloured by source group moving through input -> reshape -> transpose -> flatten.

    One Plotly frame per stage (named after it), play/pause buttons and a step slider: it runs in the browser,
    with Plotly interpolating the squares' positions between frames."""
    text = {**ANIMATION_TEXT, **(text or {})}
    stages = shuffle_ops.stages(channels, groups)
    n = channels // groups
    colors = group_colors(groups)
    group_of = [shuffle_ops.source_group(ch, channels, groups) for ch in range(channels)]
    widest = max(s.cols for s in stages)
    tallest = max(s.rows for s in stages)
    # one grid cell in pixels, assuming a plot about 980 px wide; the height follows the tallest stage
    cell = min(64.0, 980 / (widest + 1), (max_height - 130) / (tallest + 1.6))
    height = int(130 + (tallest + 1.6) * cell)
    size = int(max(6, 0.66 * cell))
    x_half = (widest - 1) / 2 + 0.5
    y_half = (tallest - 1) / 2 + 0.8

    def traces(stage: shuffle_ops.Stage) -> list[go.Scatter]:
        pos = stage_positions(stage)
        order = stage.order()
        slot = {ch: i for i, ch in enumerate(order)}
        ids = list(range(channels))  # always the same point per channel, so Plotly can move it
        squares = go.Scatter(
            x=[pos[ch][0] for ch in ids], y=[pos[ch][1] for ch in ids], mode="markers+text",
            text=[str(ch) if size >= 12 else "" for ch in ids],
            textfont=dict(size=max(7, min(16, size // 2)), color=[_text_color(colors[group_of[ch]]) for ch in ids]),
            marker=dict(symbol="square", size=size, color=[colors[group_of[ch]] for ch in ids],
                        line=dict(width=1, color="white")),
            customdata=[[ch, group_of[ch] + 1, slot[ch]] for ch in ids],  # groups from 1, channels from 0
            hovertemplate=(f"{text['channel']} %{{customdata[0]}} · {text['group']} %{{customdata[1]}} · "
                           f"{text['position']} %{{customdata[2]}}<extra></extra>"),
            showlegend=False,
        )
        caption = text[stage.name].format(c=channels, g=groups, n=n)
        label = go.Scatter(x=[0], y=[y_half - 0.15], mode="text", text=[f"<b>{caption}</b>"],
                           textfont=dict(size=15, color=INK), hoverinfo="skip", showlegend=False)
        return [squares, label]

    frames = [go.Frame(name=s.name, data=traces(s)) for s in stages]
    step_labels = [text[f"label.{s.name}"] for s in stages]
    move = dict(frame=dict(duration=1500, redraw=False), transition=dict(duration=900, easing="cubic-in-out"),
                fromcurrent=True, mode="immediate")
    fig = go.Figure(data=frames[0].data, frames=frames)
    fig.update_layout(
        height=height, margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="white", font=dict(color=INK),
        xaxis=dict(visible=False, range=[-x_half, x_half], fixedrange=True),
        yaxis=dict(visible=False, range=[-y_half - 0.4, y_half + 0.4], fixedrange=True),
        updatemenus=[dict(
            type="buttons", direction="left", x=0, y=-0.02, xanchor="left", yanchor="top", showactive=False,
            pad=dict(t=10, r=10),
            buttons=[
                dict(label=text["play"], method="animate", args=[None, move]),
                dict(label=text["pause"], method="animate",
                     args=[[None], dict(frame=dict(duration=0, redraw=False), transition=dict(duration=0),
                                        mode="immediate")]),
            ],
        )],
        sliders=[dict(
            active=0, x=0.22, len=0.78, y=-0.02, yanchor="top", pad=dict(t=10),
            currentvalue=dict(prefix=text["step"], font=dict(size=13)),
            steps=[dict(label=label, method="animate",
                        args=[[s.name], dict(frame=dict(duration=0, redraw=False),
                                             transition=dict(duration=700, easing="cubic-in-out"),
                                             mode="immediate")])
                   for s, label in zip(stages, step_labels, strict=True)],
        )],
    )
    fig.update_layout(margin=dict(b=80))
    return fig


# --- connectivity heatmaps ------------------------------------------------------------------------------------

HEATMAP_TEXT = {"x": "input channel", "y": "output channel", "hover": "output %{y} ← input %{x} · group %{z}"}


def _group_colorscale(groups: int) -> list[list]:
    colors = group_colors(groups)
    scale = []
    for a, color in enumerate(colors):
        scale += [[a / groups, color], [(a + 1) / groups, color]]
    return scale


def connectivity_heatmaps(conns: Sequence[Connectivity], titles: Sequence[str], output: int | None = None,
                          text: Mapping[str, str] | None = None, height: int = 460) -> go.Figure:
    """Input channel (x) by output channel (y) heatmaps, side by side: a cell is coloured by the input
    channel's group where the output depends on that input, blank otherwise. `output` outlines one row.

    The side-by-side axes are laid out by hand (as make_subplots would) and the layout is set in one go:
    plotly's per-subplot update calls cost ~50 ms a figure, on every rerun of the page."""
    text = {**HEATMAP_TEXT, **(text or {})}
    n, spacing = len(conns), 0.08
    width = (1 - spacing * (n - 1)) / n
    traces, shapes, layout = [], [], {}
    notes = []
    for k, (conn, title) in enumerate(zip(conns, titles, strict=True), start=1):
        suffix = "" if k == 1 else str(k)
        left = (k - 1) * (width + spacing)
        # float32: plotly sends numpy arrays as base64 typed arrays, and a 384-channel unit is 2 x 147k cells
        # z is the group numbered from 1, as the hover text and the captions count groups
        z = np.where(conn.matrix, conn.input_group[None, :] + 1, np.nan).astype(np.float32)
        gap = 1 if max(conn.matrix.shape) <= 64 else 0
        traces.append(go.Heatmap(
            z=z, x=list(range(conn.inputs)), y=list(range(conn.outputs)), zmin=0.5, zmax=conn.groups + 0.5,
            colorscale=_group_colorscale(conn.groups), showscale=False, xgap=gap, ygap=gap,
            hovertemplate=text["hover"] + "<extra></extra>", hoverongaps=False, xaxis=f"x{suffix}",
            yaxis=f"y{suffix}",
        ))
        layout[f"xaxis{suffix}"] = dict(domain=[left, left + width], anchor=f"y{suffix}", title=text["x"],
                                        range=[-0.5, conn.inputs - 0.5], constrain="domain", showgrid=False,
                                        zeroline=False)
        layout[f"yaxis{suffix}"] = dict(domain=[0, 1], anchor=f"x{suffix}", title=text["y"] if k == 1 else None,
                                        autorange="reversed", scaleanchor=f"x{suffix}", constrain="domain",
                                        showgrid=False, zeroline=False)
        notes.append(dict(text=title, x=left + width / 2, y=1, xref="paper", yref="paper", xanchor="center",
                          yanchor="bottom", showarrow=False, yshift=6, font=dict(size=14, color=INK)))
        if output is not None and 0 <= output < conn.outputs:
            shapes.append(dict(type="rect", x0=-0.5, x1=conn.inputs - 0.5, y0=output - 0.5, y1=output + 0.5,
                               xref=f"x{suffix}", yref=f"y{suffix}", line=dict(color=HIGHLIGHT, width=2.5)))
    return go.Figure(data=traces, layout=dict(
        **layout, annotations=notes, shapes=shapes, height=height, margin=dict(l=10, r=10, t=50, b=10),
        plot_bgcolor=EMPTY, font=dict(color=INK)))


# --- wiring of a group-conv stack -----------------------------------------------------------------------------

WIRING_TEXT = {"input": "input", "gconv": "GConv {k}", "shuffle": "shuffle", "channel": "channel",
               "sees": "sees groups"}


def _trace_back(stack: StackConnectivity, output: int) -> list[set[int]]:
    """For each column (input, after step 1, ...), the channels on some path to `output` of the last column."""
    alive = [set() for _ in range(len(stack.steps) + 1)]
    alive[-1] = {output}
    for k in range(len(stack.steps) - 1, -1, -1):
        step = stack.step_matrices[k]
        alive[k] = {int(i) for o in alive[k + 1] for i in np.flatnonzero(step[o])}
    return alive


def wiring_diagram(stack: StackConnectivity, output: int | None = None, text: Mapping[str, str] | None = None,
                   height: int = 520) -> go.Figure:
    """The stack as columns of channels (input, then after each module), joined where a module's output channel
    depends on its input channel (measured per module). A channel is coloured by its input group when it sees
    only one group, dark when it mixes several. The paths into `output` (last column) are drawn bold."""
    text = {**WIRING_TEXT, **(text or {})}
    c, g = stack.channels, stack.groups
    colors = group_colors(g)
    input_conn = stack.cumulative[0]

    def node_color(col: int, ch: int) -> str:
        if col == 0:
            return colors[int(input_conn.input_group[ch])]
        seen = stack.cumulative[col - 1].groups_of(ch)
        return colors[seen[0]] if len(seen) == 1 else MIXED

    columns = len(stack.steps) + 1
    alive = _trace_back(stack, output) if output is not None and 0 <= output < c else None
    fig = go.Figure()
    thin = dict(width=1 if c <= 24 else 0.6)
    for k, step in enumerate(stack.step_matrices):
        by_color: dict[str, tuple[list, list]] = {}
        bold_x: list = []
        bold_y: list = []
        for o, i in zip(*np.nonzero(step), strict=True):
            color = node_color(k, int(i))
            xs, ys = by_color.setdefault(color, ([], []))
            xs += [k, k + 1, None]
            ys += [-int(i), -int(o), None]
            if alive is not None and int(i) in alive[k] and int(o) in alive[k + 1]:
                bold_x += [k, k + 1, None]
                bold_y += [-int(i), -int(o), None]
        for color, (xs, ys) in by_color.items():
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=color, **thin), opacity=0.45,
                                     hoverinfo="skip", showlegend=False))
        if bold_x:
            fig.add_trace(go.Scatter(x=bold_x, y=bold_y, mode="lines", line=dict(color=HIGHLIGHT, width=2.2),
                                     hoverinfo="skip", showlegend=False))
    size = int(max(5, min(16, (height - 80) / (c + 1))))
    for col in range(columns):
        seen = [stack.cumulative[col - 1].groups_of(ch) if col else (int(input_conn.input_group[ch]),)
                for ch in range(c)]
        fig.add_trace(go.Scatter(
            x=[col] * c, y=[-ch for ch in range(c)], mode="markers",
            marker=dict(size=size, color=[node_color(col, ch) for ch in range(c)], line=dict(width=1, color="white")),
            customdata=[[ch, ", ".join(map(str, s))] for ch, s in enumerate(seen)],
            hovertemplate=f"{text['channel']} %{{customdata[0]}} · {text['sees']} %{{customdata[1]}}<extra></extra>",
            showlegend=False,
        ))
    if alive is not None:
        fig.add_trace(go.Scatter(x=[columns - 1], y=[-output], mode="markers", hoverinfo="skip", showlegend=False,
                                 marker=dict(size=size + 8, color="rgba(0,0,0,0)",
                                             line=dict(width=3, color=HIGHLIGHT))))
    names = [text["input"]] + [text["shuffle"] if s.startswith("shuffle") else text["gconv"].format(k=s[5:])
                               for s in stack.steps]
    fig.update_layout(
        height=height, margin=dict(l=10, r=10, t=30, b=10), plot_bgcolor="white", font=dict(color=INK, size=13),
        xaxis=dict(tickmode="array", tickvals=list(range(columns)), ticktext=names, side="top", showgrid=False,
                   zeroline=False, range=[-0.3, columns - 0.7], fixedrange=True),
        yaxis=dict(visible=False, range=[-c + 0.3, 0.7], fixedrange=True),
    )
    return fig


# --- ShuffleNet unit diagrams ---------------------------------------------------------------------------------

UNIT_TEXT = {
    "input": "input", "output": "output", "params": "params", "macs": "MACs", "free": "0 params · 0 MACs",
    "total": "total", "gconv1": "1×1 group conv (g={g}) + BN + ReLU", "shuffle": "channel shuffle (g={g})",
    "dwconv": "{k}×{k} depthwise conv, stride {s} + BN", "gconv2": "1×1 group conv (g={g}) + BN",
    "identity": "identity", "avgpool": "3×3 avg pool, stride 2", "add": "add, ReLU", "concat": "concat, ReLU",
    "split": "channel split", "pw1": "1×1 conv + BN + ReLU", "depthwise": "{k}×{k} depthwise conv, stride {s} + BN",
    "pw2": "1×1 conv + BN + ReLU", "left_dw": "{k}×{k} depthwise conv, stride 2 + BN",
    "left_pw": "1×1 conv + BN + ReLU", "concat2": "concat", "shuffle2": "channel shuffle (g=2)",
}


@dataclass(frozen=True)
class Box:
    key: str          # the cost part ("gconv1", "right.pw1", ...) or an operation name for free operations
    label: str
    x: float
    y: float
    shape: tuple[int, int, int] | None
    params: int = 0
    macs: int = 0
    kind: str = "conv"  # conv | group | free | io


# Where each box of a unit goes, keyed by the name of its box in the block graph (effviz.plots.anatomy.boxes):
# (the key the figure uses, the UNIT_TEXT label, x, y). The boxes, their costs, shapes and arrows come from the
# graph; only the places are drawn by hand, as in the papers' figures (main path on the right, shortcut left).
_UNIT_LAYOUT = {
    "shuffle_v1": {"input": ("input", "input", 0, 0), "gconv1": ("gconv1", "gconv1", 1, 1),
                   "shuffle": ("shuffle", "shuffle", 1, 2), "dwconv": ("dwconv", "dwconv", 1, 3),
                   "gconv2": ("gconv2", "gconv2", 1, 4), "shortcut": ("avgpool", "avgpool", -1, 3),
                   "identity": ("identity", "identity", -1, 3), "concat": ("concat", "concat", 0, 5),
                   "residual": ("add", "add", 0, 5), "output": ("output", "output", 0, 6)},
    "shuffle_v2": {"input": ("input", "input", 0, 0), "split": ("split", "split", 0, 1),
                   "identity": ("identity", "identity", -1, 3),
                   "left.depthwise": ("left.depthwise", "left_dw", -1, 2),
                   "left.pointwise": ("left.pointwise", "left_pw", -1, 3),
                   "right.pw1": ("right.pw1", "pw1", 1, 2), "right.depthwise": ("right.depthwise", "depthwise", 1, 3),
                   "right.pw2": ("right.pw2", "pw2", 1, 4), "concat": ("concat2", "concat2", 0, 5),
                   "shuffle": ("shuffle2", "shuffle2", 0, 6), "output": ("output", "output", 0, 7)},
}


def _unit_graph(spec: BlockSpec, h: int, w: int):
    """The unit's boxes and arrows from its graph, with an "identity" box on each identity path."""
    if spec.family not in _UNIT_LAYOUT:
        raise ValueError(f"spec must be a shuffle_v1 or shuffle_v2 unit, got family={spec.family!r}")
    graph_boxes, graph_edges = anatomy.boxes(spec.graph(h, w), collapse=())
    boxes, edges = list(graph_boxes), []
    for e in graph_edges:
        if e.skip:
            at = next(i for i, b in enumerate(boxes) if b.key == e.dst)
            boxes.insert(at, anatomy.Box("identity", "identity", (), e.shape, 0, 0))
            edges += [(e.src, "identity"), ("identity", e.dst)]
        else:
            edges.append((e.src, e.dst))
    return boxes, edges


def unit_boxes(spec: BlockSpec, h: int, w: int, text: Mapping[str, str] | None = None) -> list[Box]:
    """The boxes of a ShuffleNet v1 or v2 unit diagram, from the unit's graph (spec.graph(h, w)): each conv with
    its BN / activation and their params and MACs; free operations (shuffle, split, pool, concat) carry 0."""
    text = {**UNIT_TEXT, **(text or {})}
    layout = _UNIT_LAYOUT.get(spec.family, {})
    out = []
    for b in _unit_graph(spec, h, w)[0]:
        key, label, x, y = layout[b.key]
        a = b.attrs
        if b.op == "conv":
            kind = "group" if key.startswith("gconv") and a["groups"] > 1 else "conv"
        else:
            kind = "io" if b.op in ("input", "output") else "free"
        shape = (a["sizes"][0], *b.shape[1:]) if b.op == "split" else b.shape
        words = text[label].format(g=a.get("groups", 1), k=a.get("kernel", 1), s=a.get("stride", 1))
        out.append(Box(key, words, x, y, shape, b.params, b.macs, kind))
    return out


def _edges(spec: BlockSpec, h: int, w: int) -> list[tuple[str, str]]:
    layout = _UNIT_LAYOUT[spec.family]
    return [(layout[a][0], layout[b][0]) for a, b in _unit_graph(spec, h, w)[1]]


_FILL = {"conv": "#dbe8f6", "group": "#fde3c8", "free": "#eeeeee", "io": "#ffffff"}
_LINE = {"conv": "#4c78a8", "group": "#E69F00", "free": FREE, "io": "#555555"}


def unit_diagram(spec: BlockSpec, h: int, w: int, text: Mapping[str, str] | None = None,
                 title: str = "", height: int = 620) -> go.Figure:
    """A ShuffleNet v1 or v2 unit as a flow chart: each box an operation with its output shape, params and
    MACs (from spec.cost(h, w)); channel shuffles and other free operations in grey at 0 MACs; the total below."""
    text = {**UNIT_TEXT, **(text or {})}
    boxes = unit_boxes(spec, h, w, text)
    edges = _edges(spec, h, w)
    at = {b.key: b for b in boxes}
    half_w, half_h = 0.92, 0.36
    # Shapes and annotations are collected as plain dicts and set once: adding them one by one makes plotly
    # re-validate the whole list each time (quadratic; ~120 ms per diagram before).
    shapes: list[dict] = []
    notes: list[dict] = []
    for src, dst in edges:
        a, b = at[src], at[dst]
        x0, y0 = a.x, a.y + half_h
        x1, y1 = b.x, b.y - half_h
        if a.x != b.x:  # an elbow: down a's column, across just above b, then into b
            turn = b.y - 0.5
            shapes.append(dict(type="path", path=f"M {x0},{y0} L {x0},{turn} L {x1},{turn}",
                               line=dict(color="#777777", width=1.5), layer="below"))
            y0, x0 = turn, x1
        notes.append(dict(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                          arrowhead=2, arrowsize=1.2, arrowwidth=1.5, arrowcolor="#777777", text=""))
    for b in boxes:
        shapes.append(dict(type="rect", x0=b.x - half_w, x1=b.x + half_w, y0=b.y - half_h, y1=b.y + half_h,
                           fillcolor=_FILL[b.kind],
                           line=dict(color=_LINE[b.kind], width=2 if b.kind == "group" else 1.2)))
        shape = "×".join(map(str, b.shape)) if b.shape else ""
        if b.kind in ("conv", "group"):
            detail = f"{shape} · {text['params']} {b.params:,} · {text['macs']} {b.macs:,}"
        elif b.kind == "free":
            detail = f"{shape} · {text['free']}"
        else:
            detail = shape
        notes.append(dict(x=b.x, y=b.y, text=f"<b>{b.label}</b><br><span style='font-size:11px'>{detail}</span>",
                          showarrow=False, font=dict(size=12.5, color=INK), align="center"))
    cost = spec.cost(h, w)
    bottom = max(b.y for b in boxes) + 0.75
    notes.append(dict(x=0, y=bottom, showarrow=False, font=dict(size=13, color=INK),
                      text=f"<b>{text['total']}</b> · {text['params']} {cost.params:,} · {text['macs']} {cost.macs:,}"))
    fig = go.Figure(layout=dict(shapes=shapes, annotations=notes))
    fig.update_layout(
        title=dict(text=title, x=0, font=dict(size=15, color=INK)) if title else None,
        height=height, margin=dict(l=5, r=5, t=40 if title else 10, b=5), plot_bgcolor="white", showlegend=False,
        font=dict(color=INK),
        xaxis=dict(visible=False, range=[-2, 2], fixedrange=True),
        yaxis=dict(visible=False, range=[bottom + 0.4, -0.6], fixedrange=True),
    )
    return fig
