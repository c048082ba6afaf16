"""Block and network anatomy as Graphviz DOT source, for st.graphviz_chart (drawn in the browser by viz.js: no
system binaries, no `graphviz` package).

    block_dot(spec.graph(56, 56), labels)   # one block as its paper draws it: shapes on edges, costs on nodes
    network_dot(profile, expanded, labels)  # a whole network: blocks per stage, chosen stages opened to layers

Both are pure functions of effviz data and the translated strings the page passes in (English defaults here for
library use). Conv -> BN -> activation chains are drawn as one box, as the papers draw them ("1×1 GConv, BN,
ReLU"); a squeeze-and-excitation scope is one box; a Ghost module is a dashed cluster."""
from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from effviz.blocks.graph import Graph, Node, Scope

TEXT = {
    "input": "input", "output": "output",
    "conv": "{k}×{k} Conv", "depthwise": "{k}×{k} DWConv", "group": "{k}×{k} GConv, g={g}",
    "stride": "stride {s}", "bias": "bias", "bn": "BN",
    "relu": "ReLU", "relu6": "ReLU6", "hswish": "h-swish", "swish": "swish",
    "sigmoid": "sigmoid", "hard_sigmoid": "h-sigmoid",
    "se": "SE", "se_detail": "pool → 1×1 → {act}\n→ 1×1 → {gate} → ×",
    "ghost_module": "Ghost module, s={s}", "ghost_detail": "primary {k}×{k} Conv → {m}\ncheap {d}×{d} DWConv → {g}",
    "pool": "{k}×{k} avg pool, stride {s}", "global_pool": "global avg pool",
    "add": "add", "mul": "multiply", "concat": "concat", "split": "channel split",
    "shuffle": "channel shuffle, g={g}", "slice": "keep first {c} channels", "pad": "TF SAME padding",
    "params": "{n} params", "macs": "{n} MACs · {pct}%", "free": "0 params · 0 MACs",
    "total": "total: {params} params · {macs} MACs",
    "conv_rect": "{kh}×{kw} Conv", "depthwise_rect": "{kh}×{kw} DWConv", "group_rect": "{kh}×{kw} GConv, g={g}",
    "upsample": "nearest upsample", "dfc": "DFC attention", "norm": "BN",
}

# Paper-like colours: dense convs blue, depthwise green, group convs orange, SE and Ghost modules purple, free
# operations grey.
FILL = {"conv": "#dbe8f6", "depthwise": "#dcefd5", "group": "#fde3c8", "module": "#eadcf5", "free": "#f0f0f0",
        "io": "#ffffff"}
LINE = {"conv": "#4c78a8", "depthwise": "#4f9a3a", "group": "#d98c00", "module": "#8e5bb5", "free": "#9d9d9d",
        "io": "#555555"}
HIGHLIGHT = "#e4572e"  # the app's primary colour: the box with the most MACs
SELECTED = "#1f5fbf"   # the block chosen in the network graph (blue: the heat scale is orange)
INK = "#31333f"
FONT = "Helvetica,Arial,sans-serif"
COLLAPSED = ("se", "ghost_module")  # scope kinds drawn as one box, as the papers do inside a larger block


def human(n: float) -> str:
    """1234567 -> "1.23M", 2340 -> "2.34K", 512 -> "512": compact counts for node labels."""
    for unit, size in (("G", 1e9), ("M", 1e6), ("K", 1e3)):
        if abs(n) >= size:
            return f"{n / size:.3g}{unit}"
    return f"{n:g}"


def percent(part: int, total: int) -> str:
    """Share in percent with one decimal; "<0.1" for a small but non-zero share (SE's convs on a 1x1 map)."""
    if not total or not part:
        return "0"
    share = part / total * 100
    return "<0.1" if share < 0.05 else f"{share:.1f}"


def shape_text(shape: Sequence[int]) -> str:
    return "×".join(map(str, shape))


# --- fusing a block graph into the boxes a paper draws ------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    key: str                        # the name of its main node, or of the scope it draws
    op: str                         # the main node's op, or the kind of a collapsed scope ("se", "ghost_module")
    nodes: tuple[str, ...]          # the graph nodes it draws
    shape: tuple[int, int, int]     # its output
    params: int
    macs: int
    scope: str = ""                 # the enclosing scope of its main node
    attrs: Mapping[str, Any] = field(default_factory=dict)  # the main node's (a collapsed scope: a summary)
    fused: tuple[str, ...] = ()     # what follows the main op inside the box: "bn", "relu", "pad", ...


@dataclass(frozen=True)
class BoxEdge:
    src: str
    dst: str
    shape: tuple[int, int, int]
    skip: bool = False              # an identity path (input or split straight into an add or a concat)


def boxes(graph: Graph, collapse: Sequence[str] = COLLAPSED) -> tuple[list[Box], list[BoxEdge]]:
    """The graph as a paper draws it: conv -> BN -> activation chains (and a TF-SAME pad before a conv) as one
    box; a scope of a kind in `collapse` (squeeze-and-excitation, a Ghost module inside a bottleneck) as one box,
    unless it is the whole block; edges between boxes carry the tensor's shape."""
    convs = {n.name for n in graph.nodes if n.op == "conv"}
    folded = [s for s in graph.scopes if s.kind in collapse
              and not convs <= {n.name for n in graph.nodes if _within(n.scope, s.name)}]
    at = {n.name: n for n in graph.nodes}
    consumers: dict[str, list[str]] = {n.name: [] for n in graph.nodes}
    for n in graph.nodes:
        for src, _ in n.inputs:
            consumers[src].append(n.name)
    box_of: dict[str, str] = {}
    members: dict[str, list[Node]] = {}
    last: dict[str, str] = {}  # box -> its current output node

    for n in graph.nodes:
        scope = next((s for s in folded if _within(n.scope, s.name)), None)
        if scope is not None:
            key = scope.name
        elif n.op == "pad":
            key = consumers[n.name][0]  # drawn inside the conv it pads for
        elif n.op in ("norm", "act") and len(n.inputs) == 1:
            src = n.inputs[0][0]
            owner = box_of.get(src)
            fusable = (owner in at and last[owner] == src and len(consumers[src]) == 1
                       and at[owner].op not in ("input", "split", "output"))
            key = owner if fusable else n.name
        else:
            key = box_of.get(n.name, n.name)
        members.setdefault(key, []).append(n)
        box_of[n.name] = key
        last[key] = n.name

    kinds = {s.name: s for s in folded}
    out: list[Box] = []
    for key, nodes in members.items():
        if key in kinds:
            op, main, fused = kinds[key].kind, nodes[0], ()
            attrs = _scope_attrs(kinds[key])
        else:
            main = next(n for n in nodes if n.op != "pad")
            op, attrs = main.op, dict(main.attrs)
            fused = tuple(("bn" if n.op == "norm" else n.attrs["fn"] if n.op == "act" else n.op)
                          for n in nodes if n is not main)
        out.append(Box(key, op, tuple(n.name for n in nodes), at[last[key]].shape, sum(n.params for n in nodes),
                       sum(n.macs for n in nodes), main.scope if key not in kinds else key.rpartition(".")[0],
                       attrs, fused))
    by_key = {b.key: b for b in out}
    edges: list[BoxEdge] = []
    seen: set[tuple] = set()
    for n in graph.nodes:
        for src, i in n.inputs:
            a, b = box_of[src], box_of[n.name]
            shape = at[src].output_shape(i)
            if a == b or (a, b, shape) in seen:
                continue
            seen.add((a, b, shape))
            skip = by_key[a].op in ("input", "split") and by_key[b].op in ("add", "concat")
            edges.append(BoxEdge(a, b, shape, skip))
    return out, edges


def _within(scope: str, name: str) -> bool:
    return scope == name or scope.startswith(f"{name}.")


def _scope_attrs(scope: Scope) -> dict[str, Any]:
    """What a collapsed box says about its inside: the parameters its family declared on the scope."""
    p = scope.params
    if scope.kind == "se":
        return {"act": p["act"], "gate": p["gate"], "reduced": p["reduced"]}
    return {"kernel": p["kernel"], "intrinsic": p["intrinsic"], "ratio": p["ratio"],
            "dw_kernel": p["dw_kernel"] if p["ghosts"] else None, "ghosts": p["ghosts"], "act": p["activation"],
            "stride": p["stride"]}


def conv_kind(attrs: Mapping[str, Any]) -> str:
    """"depthwise" (one group per input channel), "group" or "conv" (dense)."""
    g = attrs["groups"]
    return "depthwise" if g > 1 and g == attrs["c_in"] else "group" if g > 1 else "conv"


def box_title(box: Box, text: Mapping[str, str]) -> str:
    """The box's main operation in words: "3×3 DWConv", "1×1 GConv, g=3", "channel split"."""
    a = box.attrs
    if box.op == "conv":
        if isinstance(a["kernel"], tuple):  # DFC attention's 1×5 and 5×1
            return text[f"{conv_kind(a)}_rect"].format(kh=a["kernel"][0], kw=a["kernel"][1], g=a["groups"])
        return text[conv_kind(a)].format(k=a["kernel"], g=a["groups"])
    if box.op == "pool":
        return text["global_pool"] if a["kernel"] is None else text["pool"].format(k=a["kernel"], s=a["stride"])
    if box.op == "gate":  # a gate drawn on its own (GhostNetV2's DFC branch; SE's is inside the SE box)
        return text.get(a["fn"], a["fn"])
    if box.op == "shuffle":
        return text["shuffle"].format(g=a["groups"])
    if box.op == "slice":
        return text["slice"].format(c=a["channels"])
    if box.op == "ghost_module":
        return text["ghost_module"].format(s=a["ratio"])
    return text.get(box.op, box.op)


def box_details(box: Box, text: Mapping[str, str]) -> list[str]:
    """The lines under the title: stride, bias and what is fused in (BN, activation); a collapsed scope's inside."""
    a = box.attrs
    bits = []
    if "pad" in box.fused:
        bits.append(text["pad"])
    if box.op == "conv" and a["stride"] > 1:
        bits.append(text["stride"].format(s=a["stride"]))
    if box.op == "conv" and a["bias"]:
        bits.append(text["bias"])
    bits += [text.get(f, f) for f in box.fused if f != "pad"]
    lines = [" · ".join(bits)] if bits else []
    if box.op == "se":
        lines += text["se_detail"].format(act=text.get(a["act"], a["act"]),
                                          gate=text.get(a["gate"], a["gate"])).split("\n")
    if box.op == "ghost_module":
        lines += text["ghost_detail"].format(k=a["kernel"], m=a["intrinsic"], d=a["dw_kernel"] or "–",
                                             g=a["ghosts"]).split("\n")
        if a["ghosts"] == 0:
            lines = lines[:-1]
        extra = [text["stride"].format(s=a["stride"])] if a["stride"] > 1 else []
        if a["act"] != "none":
            extra.append(text.get(a["act"], a["act"]))
        lines += [" · ".join([text["bn"], *extra])]
    return lines


def _kind(box: Box) -> str:
    if box.op == "conv":
        return conv_kind(box.attrs)
    if box.op in COLLAPSED:
        return "module"
    if box.op in ("input", "output"):
        return "io"
    return "free"


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _h(s: str) -> str:
    return html.escape(s, quote=False)


def block_dot(graph: Graph, text: Mapping[str, str] | None = None, *, font_size: int = 15) -> str:
    """DOT source of one block: boxes as the paper draws it (see boxes()), each with its params, MACs and share
    of the block's MACs; every edge labelled C×H×W; identity paths dashed; split / concat visible; a Ghost module
    drawn whole as a dashed cluster; the box with the most MACs outlined in the highlight colour and starred.
    The total is written at the bottom."""
    text = {**TEXT, **(text or {})}
    bxs, edges = boxes(graph)
    total = graph.macs
    most = max((b.macs for b in bxs), default=0)
    small = font_size - 2
    lines = [
        "digraph block {",
        f'  graph [rankdir=TB, nodesep=0.2, ranksep=0.3, fontname="{FONT}", fontsize={font_size}, '
        f'fontcolor="{INK}", labelloc=b, bgcolor="transparent", '
        f'label={_q(text["total"].format(params=human(graph.params), macs=human(total)))}];',
        f'  node [shape=box, style="rounded,filled", fontname="{FONT}", fontsize={font_size}, fontcolor="{INK}", '
        'margin="0.1,0.05"];',
        f'  edge [fontname="{FONT}", fontsize={small}, fontcolor="#555555", color="#777777", arrowsize=0.7];',
    ]
    clusters: dict[str, list[str]] = {}
    drawn_whole = [s.name for s in graph.scopes if s.kind in ("ghost_module", "dfc")]
    kinds = {s.name: s.kind for s in graph.scopes}
    for b in bxs:
        kind = _kind(b)
        if b.op in ("input", "output"):
            label = f"<<b>{_h(text[b.op])}</b><br/>{_h(shape_text(b.shape))}>"
            attrs = f'shape=oval, style="filled", fillcolor="{FILL["io"]}", color="{LINE["io"]}"'
        else:
            top = most > 0 and b.macs == most
            rows = [f"<b>{_h(box_title(b, text))}</b>"] + [_h(line) for line in box_details(b, text)]
            if b.params or b.macs:
                rows.append(f'<font point-size="{small}">{_h(text["params"].format(n=human(b.params)))}</font>')
                macs = _h(text["macs"].format(n=human(b.macs), pct=percent(b.macs, total)))
                rows.append(f'<font point-size="{small}"><b>{macs} ★</b></font>' if top else
                            f'<font point-size="{small}">{macs}</font>')
            else:
                rows.append(f'<font point-size="{small}" color="#666666">{_h(text["free"])}</font>')
            # Lines left-aligned: the browser's fonts are not the ones Graphviz measured, so centred lines would
            # drift apart by the error; left-aligned ones share their start.
            label = "<" + "".join(f'{row}<br align="left"/>' for row in rows) + ">"
            color, width = (HIGHLIGHT, 3) if top else (LINE[kind], 1.2)
            attrs = f'fillcolor="{FILL[kind]}", color="{color}", penwidth={width}'
        node = f"  {_q(b.key)} [label={label}, {attrs}, tooltip={_q(', '.join(b.nodes))}];"
        scope = next((s for s in drawn_whole if b.key != s and _within(b.scope, s)), "")
        clusters.setdefault(scope, []).append(node)
    lines += clusters.pop("", [])
    for i, (scope, nodes) in enumerate(clusters.items()):
        title = (text["dfc"] if kinds[scope] == "dfc" else
                 text["ghost_module"].format(s=graph.scope(scope).params["ratio"]))
        lines += [f"  subgraph cluster_{i} {{",
                  # at the top left: centred, the arrow into the cluster ran through its label
                  f'    label={_q(title)}; labelloc=t; labeljust=l; style="dashed,rounded"; color="#8e5bb5"; '
                  f'fontcolor="#8e5bb5"; fontsize={small};', *("  " + n for n in nodes), "  }"]
    for e in edges:
        style = ', style=dashed, color="#555555"' if e.skip else ""
        lines.append(f"  {_q(e.src)} -> {_q(e.dst)} [label={_q(' ' + shape_text(e.shape) + ' ')}{style}];")
    lines.append("}")
    return "\n".join(lines)


# --- a whole network ----------------------------------------------------------------------------------------------

NETWORK_TEXT = {
    "input": "input", "params": "{n} params", "macs": "{n} MACs · {pct}%",
    "legend": "colour: share of the network's MACs (darkest: {pct}%)",
    # colouring by a measured per-layer profile (overlay): the legend, and the measured line of each node
    "legend_time": "colour: measured time (darkest: {top})", "legend_gmacs": "colour: achieved GMAC/s (darkest: {top})",
    "legend_memory": "colour: memory access (darkest: {top})", "legend_macs": "colour: MACs (darkest: {top})",
    "measured": "{ms} ms · {rate} GMAC/s · {mb} MB moved",
}


def _overlay_top(value: float, measure: str) -> str:
    if measure == "time":
        return f"{value * 1e3:.2f} ms"
    if measure == "gmacs":
        return f"{value:.2f} GMAC/s"
    if measure == "memory":
        return f"{value / 1e6:.1f} MB"
    return human(value)


def _heat(share: float, top: float) -> str:
    """White (0) to deep orange (the largest share), on a square-root scale so small blocks stay visible."""
    x = math.sqrt(share / top) if top > 0 else 0.0
    lo, hi = (255, 255, 255), (230, 85, 13)
    r, g, b = (round(a + (c - a) * x) for a, c in zip(lo, hi, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def _ink(fill: str) -> str:
    r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    return "#ffffff" if 0.299 * r + 0.587 * g + 0.114 * b < 140 else INK


def network_dot(profile, expanded: Sequence[str] = (), selected: str | None = None,
                text: Mapping[str, str] | None = None, stage_names: Mapping[str, str] | None = None,
                font_size: int = 14, overlay: Mapping[str, tuple[int, float, int]] | None = None,
                measure: str = "macs") -> str:
    """DOT source of a profiled network (effviz.profile): one cluster per stage, one node per block (unit) in
    execution order, edges carrying the tensor shape between them; a stage listed in `expanded` shows its
    blocks' layers instead (a conv and the BatchNorm after it as one node). Colour: share of the network's MACs
    (square-root scale, darkest = the largest block); `selected` (a unit name) outlined in blue.

    The profile knows each block's layers in order but not the branches inside a block (it is measured from
    module hooks, not traced), so an opened block is drawn as the chain of its layers.

    overlay: a measured per-layer profile, {block or layer name: (MACs, seconds, bytes)}
    (effviz.speed.layer_profile.unit_totals); with it, `measure` (one of layer_profile.OVERLAYS: macs, time,
    gmacs, memory) colours the nodes instead of the share of MACs, on the same square-root scale (darkest = the
    largest block), and each node gets a line with its measured time, GMAC/s and bytes moved. Nodes the
    profile did not time stay white."""
    from effviz.speed.layer_profile import OVERLAYS, overlay_value

    if measure not in OVERLAYS:
        raise ValueError(f"measure must be one of {', '.join(OVERLAYS)}, got {measure!r}")
    text = {**NETWORK_TEXT, **(text or {})}
    stage_names = stage_names or {}
    total = profile.macs
    layers_of: dict[str, list] = {}
    for r in profile.layers:
        layers_of.setdefault(r.unit, []).append(r)
    top = max((u.macs for u in profile.units), default=0) / total if total else 0.0
    legend = text["legend"].format(pct=f"{top * 100:.1f}")
    if overlay is not None:
        zero = (0, 0.0, 0)
        over_top = max((overlay_value(overlay.get(u.name, zero), measure) for u in profile.units), default=0.0)
        legend = text[f"legend_{measure}"].format(top=_overlay_top(over_top, measure))

    def colour(macs: int, *names: str) -> str:
        if overlay is None:
            return _heat(macs / total if total else 0.0, top)
        m, sec, b = zip(*(overlay.get(n, (0, 0.0, 0)) for n in names), strict=True)
        return _heat(overlay_value((sum(m), sum(sec), sum(b)), measure), over_top)

    def measured_rows(*names: str) -> list[str]:
        got = [overlay[n] for n in names if overlay is not None and n in overlay]
        if not got:
            return []
        m, sec, b = (sum(v) for v in zip(*got, strict=True))
        line = text["measured"].format(ms=f"{sec * 1e3:.2f}", rate=f"{m / sec / 1e9:.1f}" if sec > 0 and m else "—",
                                       mb=f"{b / 1e6:.1f}")
        return [f'<font point-size="{small}">{_h(line)}</font>']

    small = font_size - 2
    lines = [
        "digraph network {",
        f'  graph [rankdir=TB, compound=true, nodesep=0.2, ranksep=0.22, fontname="{FONT}", fontsize={small}, '
        f'fontcolor="{INK}", labelloc=t, labeljust=l, bgcolor="transparent", '
        f'label={_q(legend)}];',
        f'  node [shape=box, style="rounded,filled", fontname="{FONT}", fontsize={font_size}, fontcolor="{INK}", '
        'margin="0.1,0.04", penwidth=1];',
        f'  edge [fontname="{FONT}", fontsize={small}, fontcolor="#555555", color="#888888", arrowsize=0.6];',
        f'  "input" [shape=oval, style=filled, fillcolor="white", '
        f'label=<<b>{_h(text["input"])}</b><br/>{shape_text(profile.input_size)}>];',
    ]
    edges: list[tuple[str, str, tuple, str]] = []  # (from, to, shape on it, extra attributes)
    prev, prev_shape, tail = "input", tuple(profile.input_size), ""

    def cost_rows(params: int, macs: int) -> list[str]:
        macs_text = text["macs"].format(n=human(macs), pct=percent(macs, total))
        line = f'{text["params"].format(n=human(params))} · {macs_text}'
        return [f'<font point-size="{small}">{_h(line)}</font>']

    for si, stage in enumerate(profile.stages):
        units = [u for u in profile.units if u.stage == stage.key]
        lines += [f"  subgraph cluster_s{si} {{",
                  f'    label={_q(stage_names.get(stage.key, stage.key))}; labeljust=l; style="rounded"; '
                  f'color="#bbbbbb"; fontsize={small};']
        for ui, u in enumerate(units):
            uid = f"u{si}_{ui}"
            rows = layers_of.get(u.name, [])
            if stage.key in expanded and rows:
                lines += [f"    subgraph cluster_{uid} {{",
                          f'      label={_q(f"{u.name} · {u.module}")}; style="dashed,rounded"; '
                          f'color={_q(SELECTED if u.name == selected else "#999999")}; '
                          f'penwidth={3 if u.name == selected else 1}; fontsize={small};']
                # The layers in the block's order, stacked by invisible edges: the arrows meet the block's border
                # (lhead / ltail), since how its branches join is not known here.
                for li, (layer, bn) in enumerate(_fused_layers(rows)):
                    lid = f"{uid}_{li}"
                    kernel = f" {layer.kernel[0]}×{layer.kernel[1]}" if layer.kernel else ""
                    groups = f" g={layer.groups}" if layer.groups > 1 else ""
                    title = f"{layer.module}{kernel}{groups}" + (" + BN" if bn is not None else "")
                    params = layer.params + (bn.params if bn is not None else 0)
                    names = (layer.name, *((bn.name,) if bn is not None else ()))
                    fill = colour(layer.macs, *names)
                    where = f"{layer.name.removeprefix(u.name + '.')} → {shape_text(layer.shape)}"
                    label = "".join(f'{row}<br align="left"/>' for row in [
                        f"<b>{_h(title)}</b>", f'<font point-size="{small}">{_h(where)}</font>',
                        *cost_rows(params, layer.macs), *measured_rows(*names)])
                    lines.append(f'      "{lid}" [label=<{label}>, fillcolor="{fill}", fontcolor="{_ink(fill)}", '
                                 f'tooltip={_q(layer.name + (", " + bn.name if bn is not None else ""))}];')
                    if li == 0:
                        edges.append((prev, lid, prev_shape, f"lhead=cluster_{uid}" + tail))
                    else:
                        edges.append((prev, lid, (), "style=invis"))
                    prev, tail = lid, f", ltail=cluster_{uid}"
                lines.append("    }")
                prev_shape = tuple(u.out_shape) or prev_shape
                continue
            fill = colour(u.macs, u.name)
            label = [f"<b>{_h(u.name)}</b> · {_h(u.module)}"]
            if u.params or u.macs:
                label += cost_rows(u.params, u.macs)
            label += measured_rows(u.name)
            attrs = f'fillcolor="{fill}", fontcolor="{_ink(fill)}"'
            if u.name == selected:
                attrs += f', color="{SELECTED}", penwidth=4'
            elif not (u.params or u.macs):
                attrs += ', color="#bbbbbb", style="rounded,filled,dashed"'
            label_text = "".join(f'{row}<br align="left"/>' for row in label)
            lines.append(f'    "{uid}" [label=<{label_text}>, {attrs}, tooltip={_q(u.name)}];')
            edges.append((prev, uid, prev_shape, tail.lstrip(", ")))
            prev, prev_shape, tail = uid, tuple(u.out_shape) or prev_shape, ""
        lines.append("  }")
    for a, b, shape, extra in edges:
        label = f"label={_q(' ' + shape_text(shape) + ' ')}" if shape else ""
        attrs = ", ".join(x for x in (label, extra) if x)
        lines.append(f'  "{a}" -> "{b}" [{attrs}];')
    lines.append("}")
    return "\n".join(lines)


def _fused_layers(rows: Sequence) -> list[tuple[Any, Any]]:
    """(layer, the BatchNorm right after it or None): a conv and its BN as one node."""
    out: list[tuple[Any, Any]] = []
    for r in rows:
        if r.kind == "norm" and out and out[-1][1] is None and out[-1][0].kind != "norm" \
                and tuple(out[-1][0].shape) == tuple(r.shape):
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, None))
    return out
