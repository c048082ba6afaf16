"""Figures for the Network Explorer: pure functions from effviz.profile / effviz.networks.zoo data to go.Figure.

Text that the reader sees (axis titles, kind and stage names) is passed in, so the page can translate it."""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from effviz.networks.profiling import HEAD, KINDS, Layer, Profile, Stage, Unit
from effviz.plots.style import BASELINE, HIGHLIGHT, MIN_TEXT, MUTED, layout, log_ticks

SECOND = "#72b7b2"
KIND_COLORS = {"standard": "#4c78a8", "pointwise": "#f58518", "depthwise": "#54a24b", "group": "#b279a2",
               "se": "#e45756", "linear": "#72b7b2", "norm": "#bab0ac", "other": "#9d755d"}
STAGE_COLORS = ("#9ecae9", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b", "#fdae6b")
# Units that carry no layer of their own kind (activations, pools, BN after a conv) join the block before them.
_PASSIVE_KINDS = {"norm", "other"}


def _layout(fig: go.Figure, height: int = 380, legend_y: float = 1.02, top: int = 50) -> go.Figure:
    return layout(fig, height, top=top, legend_y=legend_y)


def human(n: float) -> str:
    """1234567 -> "1.23 M": compact figures for hover text and labels."""
    for unit, size in (("G", 1e9), ("M", 1e6), ("K", 1e3)):
        if abs(n) >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n:g}"


def stage_label(stage: Stage, head: str = "head") -> str:
    """"1/4 · 56×56" (output stride and size of the stage), or the head's name."""
    if stage.key == HEAD or stage.stride is None:
        return head
    size = "×".join(map(str, stage.out_shape[1:])) if len(stage.out_shape) == 3 else ""
    return f"1/{stage.stride} · {size}" if size else f"1/{stage.stride}"


def stage_bars(profile: Profile, kind_labels: Mapping[str, str], titles: tuple[str, str] = ("Parameters", "MACs"),
               head: str = "head") -> go.Figure:
    """Params and MACs of every stage, stacked by layer kind (standard / pointwise / depthwise / group conv, SE,
    linear, norm)."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=titles, horizontal_spacing=0.12)
    xs = [stage_label(s, head) for s in profile.stages]
    for kind in KINDS:
        for col, attr in ((1, "params"), (2, "macs")):
            values = [getattr(s.kinds.get(kind, (0, 0)), attr) if kind in s.kinds else 0 for s in profile.stages]
            if not any(values):
                continue
            total = getattr(profile, attr) or 1
            fig.add_trace(go.Bar(
                x=xs, y=values, name=kind_labels.get(kind, kind), marker_color=KIND_COLORS[kind],
                legendgroup=kind, showlegend=col == 1 or kind not in _has_params(profile),
                customdata=[[human(v), f"{v / total * 100:.1f}"] for v in values],
                hovertemplate="%{x}<br>" + kind_labels.get(kind, kind) + "<br>%{customdata[0]} (%{customdata[1]}%)"
                              "<extra></extra>",
            ), row=1, col=col)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    return _layout(fig, 460, legend_y=1.12, top=90)


def _has_params(profile: Profile) -> set[str]:
    return {k for k, v in profile.kinds().items() if v.params}


def compare_stage_bars(profiles: Sequence[tuple[str, Profile]], titles: tuple[str, str] = ("Parameters", "MACs"),
                       head: str = "head") -> go.Figure:
    """Two (or more) networks' params and MACs per stage on the same axes. Stages are matched by output stride,
    which is what the networks have in common at the same input size."""
    keys: list[str] = []
    labels: dict[str, str] = {}
    for _, prof in profiles:
        for s in prof.stages:
            if s.key not in keys:
                keys.append(s.key)
            labels.setdefault(s.key, stage_label(s, head).split(" · ")[0] if s.key != HEAD else head)
    keys.sort(key=lambda k: math.inf if k == HEAD else int(k[1:]))
    fig = make_subplots(rows=1, cols=2, subplot_titles=titles, horizontal_spacing=0.12)
    for i, (name, prof) in enumerate(profiles):
        by_key = {s.key: s for s in prof.stages}
        for col, attr in ((1, "params"), (2, "macs")):
            values = [getattr(by_key[k], attr) if k in by_key else 0 for k in keys]
            fig.add_trace(go.Bar(
                x=[labels[k] for k in keys], y=values, name=name, legendgroup=name, showlegend=col == 1,
                marker_color=(HIGHLIGHT, MUTED, SECOND)[i % 3], text=[human(v) if v else "" for v in values],
                textposition="outside", hovertemplate=f"{name}<br>%{{x}}<br>%{{y:,}}<extra></extra>",
            ), row=1, col=col)
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")
    return _layout(fig, 460, legend_y=1.12, top=90)


def param_treemap(profile: Profile, kind_labels: Mapping[str, str], root: str = "network",
                  head: str = "head") -> go.Figure:
    """Where the parameters live: network -> stage -> block -> layer, areas proportional to parameters."""
    nodes = [(root, "", root, profile.params, "#ffffff", "")]  # (id, parent, label, params, colour, hover)
    stage_ids = {s.key: f"stage:{s.key}" for s in profile.stages}
    for s in profile.stages:
        nodes.append((stage_ids[s.key], root, stage_label(s, head), s.params, "#f0f0f0",
                      f"{human(s.params)} params · {human(s.macs)} MACs"))
    units = {u.name for u in profile.units if u.params}  # the blocks drawn: a layer of one sits inside it
    for u in profile.units:
        if u.params:
            label = u.name.rsplit(".", 2)[-2] + "." + u.name.rsplit(".", 1)[-1] if u.name.count(".") >= 2 else u.name
            nodes.append((f"unit:{u.name}", stage_ids.get(u.stage, root), label, u.params, "#e8e8e8",
                          f"{u.module}<br>{human(u.params)} params · {human(u.macs)} MACs"))
    for r in profile.layers:
        if r.params:
            parent = f"unit:{r.unit}" if r.unit and r.unit in units else stage_ids.get(r.stage, root)
            label = r.name[len(r.unit) + 1:] if r.unit and r.name.startswith(r.unit + ".") else r.name
            nodes.append((f"layer:{r.name}", parent, label, r.params, KIND_COLORS.get(r.kind, BASELINE),
                          f"{r.name}<br>{kind_labels.get(r.kind, r.kind)} · {r.module}<br>{r.params:,} params"))
    ids, parents, labels, values, colors, hover = (list(column) for column in zip(*nodes, strict=True))
    fig = go.Figure(go.Treemap(ids=ids, parents=parents, labels=labels, values=values, branchvalues="total",
                               marker=dict(colors=colors), hovertext=hover, hoverinfo="label+text+percent root",
                               maxdepth=4))
    # a tile's label that would have to shrink below 12 px to fit is left out (hover names it): shrunk, the
    # smallest came out at 0.1 px
    fig.update_layout(height=520, margin=dict(l=5, r=5, t=10, b=5), font=dict(size=13),
                      uniformtext=dict(minsize=MIN_TEXT, mode="hide"))
    return fig


@dataclass(frozen=True)
class DiagramBlock:
    """Consecutive units of the same type and output channels at the same stage, drawn as one box."""

    type: str
    count: int
    stage: str
    c_in: int
    c_out: int
    stride: int
    params: int
    macs: int
    names: tuple[str, ...]


def unit_type(unit: Unit, layers: Sequence[Layer]) -> str:
    """A readable type: the block's class (MBConv, Bottleneck, GhostBottleneck, ...), or for a plain
    conv/BN/act Sequential its convolutions, e.g. "conv3×3", "dw3×3+pw1×1"."""
    if unit.module not in ("Sequential", "Conv2dNormActivation", "Conv2d", "Linear"):
        return unit.module
    short = {"standard": "conv", "pointwise": "pw", "depthwise": "dw", "group": "gconv"}
    parts = []
    for r in layers:
        if r.kind in short:
            k = f"{r.kernel[0]}×{r.kernel[1]}" if r.kernel else ""
            parts.append(f"{short[r.kind]}{k}")
        elif r.kind == "linear":
            parts.append("fc")
    return "+".join(parts) if parts else unit.module


def diagram_blocks(profile: Profile) -> list[DiagramBlock]:
    """The block sequence, compacted: repeated blocks become one box "×n"; units that only normalise, activate
    or pool join the box before them (their stride too); global pooling before the classifier is left out."""
    layers_of: dict[str, list[Layer]] = {}
    for r in profile.layers:
        layers_of.setdefault(r.unit, []).append(r)
    blocks: list[DiagramBlock] = []
    for u in profile.units:
        rows = layers_of.get(u.name, [])
        passive = all(r.kind in _PASSIVE_KINDS for r in rows)
        c_in = u.in_shape[0] if u.in_shape else 0
        c_out = u.out_shape[0] if u.out_shape else 0
        kind = unit_type(u, rows)
        if passive and u.stage == HEAD and not u.params:
            continue  # global pooling, flatten, dropout: implied by the head's fc
        if blocks and passive:
            b = blocks[-1]
            blocks[-1] = DiagramBlock(b.type, b.count, b.stage, b.c_in, c_out or b.c_out, b.stride * u.stride,
                                      b.params + u.params, b.macs + u.macs, b.names + (u.name,))
            continue
        if blocks and blocks[-1].type == kind and blocks[-1].c_out == c_out and blocks[-1].stage == u.stage \
                and u.stride == 1:
            b = blocks[-1]
            blocks[-1] = DiagramBlock(b.type, b.count + 1, b.stage, b.c_in, c_out, b.stride, b.params + u.params,
                                      b.macs + u.macs, b.names + (u.name,))
            continue
        blocks.append(DiagramBlock(kind, 1, u.stage, c_in, c_out, u.stride, u.params, u.macs, (u.name,)))
    return blocks


def block_diagram(profile: Profile, head: str = "head", channels_title: str = "output channels") -> go.Figure:
    """One row per (compacted) block run, top to bottom: bar length = output channels (log), colour = stage,
    label = type; text gives ×repeats, ↓stride and channels in → out; hover adds params and MACs."""
    blocks = diagram_blocks(profile)
    stage_by_key = {s.key: s for s in profile.stages}
    stage_keys = list(dict.fromkeys(b.stage for b in blocks))
    color = {k: (STAGE_COLORS[-1] if k == HEAD else STAGE_COLORS[i % (len(STAGE_COLORS) - 1)])
             for i, k in enumerate(stage_keys)}
    rows = [f"{i + 1}. {b.type}" for i, b in enumerate(blocks)]
    fig = go.Figure()
    for key in stage_keys:
        members = [i for i, b in enumerate(blocks) if b.stage == key]
        label = stage_label(stage_by_key[key], head) if key in stage_by_key else key
        fig.add_trace(go.Bar(
            y=[rows[i] for i in members], x=[max(blocks[i].c_out, 1) for i in members], orientation="h",
            name=label, marker_color=color[key], textposition="outside", cliponaxis=False,
            text=[(f"×{blocks[i].count} " if blocks[i].count > 1 else "")
                  + (f"↓{blocks[i].stride} " if blocks[i].stride > 1 else "")
                  + f"· {blocks[i].c_in}→{blocks[i].c_out}" for i in members],
            customdata=[[human(blocks[i].params), human(blocks[i].macs),
                         ", ".join(blocks[i].names[:3]) + (" …" if len(blocks[i].names) > 3 else "")]
                        for i in members],
            hovertemplate="<b>%{y}</b> %{text}<br>" + label + "<br>%{customdata[0]} params · %{customdata[1]} MACs"
                          "<br>%{customdata[2]}<extra></extra>",
        ))
    top = max((b.c_out for b in blocks), default=1)
    ticks = [2 ** k for k in range(0, int(math.log2(max(top, 1))) + 2)]
    fig.update_xaxes(type="log", title=channels_title, tickvals=ticks, ticktext=[str(v) for v in ticks],
                     range=[math.log10(max(min((b.c_out for b in blocks), default=1), 1)) - 0.3,
                            math.log10(top) + 0.45])
    fig.update_yaxes(categoryorder="array", categoryarray=rows[::-1], type="category")
    fig.update_layout(barmode="overlay", bargap=0.25)
    return _layout(fig, 120 + 26 * len(blocks), legend_y=1.01, top=40)


def resolution_chart(points: Sequence[tuple[int, int, int]], current: int,
                     labels: tuple[str, str, str, str] = ("MACs", "Parameters", "MACs × (r / r₀)²", "resolution"),
                     reference: int | None = None) -> go.Figure:
    """MACs and params against input resolution r (points: (r, params, macs)). MACs grow as r², parameters do
    not change; the dashed curve is the count at `reference` scaled by (r / reference)²."""
    rs = [p[0] for p in points]
    params = [p[1] for p in points]
    macs = [p[2] for p in points]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Scatter(x=rs, y=macs, name=labels[0], mode="lines+markers", line=dict(color=HIGHLIGHT),
                             hovertemplate="%{x}×%{x}<br>%{y:,} MACs<extra></extra>"), secondary_y=False)
    ref = reference if reference in rs else (current if current in rs else rs[len(rs) // 2])
    base = macs[rs.index(ref)]
    fig.add_trace(go.Scatter(x=rs, y=[base * (r / ref) ** 2 for r in rs], name=labels[2].replace("r₀", str(ref)),
                             mode="lines", line=dict(color=BASELINE, dash="dash"), hoverinfo="skip"),
                  secondary_y=False)
    fig.add_trace(go.Scatter(x=rs, y=params, name=labels[1], mode="lines+markers", line=dict(color=MUTED),
                             hovertemplate="%{x}×%{x}<br>" + labels[1] + " %{y:,}<extra></extra>"), secondary_y=True)
    fig.add_vline(x=current, line_dash="dot", line_color=HIGHLIGHT)
    fig.update_xaxes(title=labels[3])
    fig.update_yaxes(title=labels[0], rangemode="tozero", secondary_y=False)
    fig.update_yaxes(title=labels[1], rangemode="tozero", secondary_y=True, showgrid=False)
    return _layout(fig, 400)


def zoo_map(entries: Sequence, current: str | None,
            labels: tuple[str, str, str] = ("MACs (log scale)", "ImageNet top-1 (%)", "parameters"),
            origin_labels: Mapping[str, str] | None = None,
            hover: Callable[[object], str] | None = None) -> go.Figure:
    """Every zoo entry (effviz.networks.zoo.ZooEntry) at (counted MACs, published top-1), marker area ∝ params,
    one colour per origin; the current variant ringed. Width variants of one network are joined by a line; only
    default variants (and the current one) carry a text label, the rest show theirs on hover, with the published
    and counted figures and the source."""
    origin_labels = origin_labels or {}
    fig = go.Figure()
    biggest = max((e.params for e in entries), default=1)
    colors = {"effviz": HIGHLIGHT, "torchvision": MUTED, "timm": SECOND}
    # Variants that differ only in width lie on one scaling curve: join them with a thin line.
    curves: dict[tuple, list] = {}
    for e in entries:
        curves.setdefault((e.name, tuple(kv for kv in e.options if kv[0] != "width")), []).append(e)
    for members in curves.values():
        if len(members) > 1:
            members = sorted(members, key=lambda e: e.macs)
            fig.add_trace(go.Scatter(x=[e.macs for e in members], y=[e.published.top1 for e in members],
                                     mode="lines", line=dict(color=colors.get(members[0].origin, BASELINE), width=1),
                                     opacity=0.4, hoverinfo="skip", showlegend=False))
    for origin, color in colors.items():
        group = [e for e in entries if e.origin == origin]
        if not group:
            continue
        fig.add_trace(go.Scatter(
            x=[e.macs for e in group], y=[e.published.top1 for e in group], mode="markers+text",
            name=origin_labels.get(origin, origin), textposition="top center", textfont=dict(size=12, color="#555"),
            text=[e.label if getattr(e, "default", True) or e.id == current else "" for e in group],
            marker=dict(size=[8 + 40 * math.sqrt(e.params / biggest) for e in group], color=color, opacity=0.65,
                        line=dict(width=1, color="white")),
            hovertext=[hover(e) if hover else e.label for e in group], hoverinfo="text",
        ))
    chosen = [e for e in entries if e.id == current]
    if chosen:
        e = chosen[0]
        fig.add_trace(go.Scatter(
            x=[e.macs], y=[e.published.top1], mode="markers", showlegend=False, hoverinfo="skip",
            marker=dict(size=14 + 40 * math.sqrt(e.params / biggest), color="rgba(0,0,0,0)",
                        line=dict(width=3, color="#111")),
        ))
    fig.update_xaxes(type="log", title=labels[0], **log_ticks([e.macs for e in entries], human))
    fig.update_yaxes(title=labels[1])
    return _layout(fig, 560)
