"""Network Explorer: pick a network, its width and the input resolution; see where params and MACs go, stage by
stage and layer by layer, beside the rest of the zoo."""
from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

from app_support import own_network
from app_support import urlstate as url
from app_support.cache import network_profile, network_resolution_sweep, network_zoo
from app_support.export import table_with_csv
from app_support.figures import figure
from app_support.i18n import t
from effviz import networks
from effviz.networks.profiling import KINDS
from effviz.plots import anatomy
from effviz.plots import network_charts as charts

NAMES = tuple(networks.names())
DEFAULT = "mobilenet_v1"
WIDTHS = tuple(sorted({w for n in NAMES for w in networks.info(n).options.get("width", ())}))
GROUPS = tuple(sorted({g for n in NAMES for g in networks.info(n).options.get("groups", ())}))
RES_LOW, RES_HIGH, RES_DEFAULT = 128, 320, 224
SWEEP = (128, 160, 192, 224, 256, 288, 320)
VARIANTS = tuple(networks.variant_id(n, **o) for n, o in networks.variants())

PARAMS = [
    url.ChoiceParam("nx_net", DEFAULT, NAMES),
    url.ChoiceParam("nx_width", 1.0, WIDTHS),
    url.ChoiceParam("nx_groups", 3, GROUPS),
    url.IntParam("nx_res", RES_DEFAULT, RES_LOW, RES_HIGH),
    url.ChoiceParam("nx_cmp", "mobilenet_v2", VARIANTS),
]
COMPARE = PARAMS[-1]


class Choice(NamedTuple):
    name: str
    options: dict[str, Any]
    resolution: int

    @property
    def key(self) -> tuple[tuple[str, Any], ...]:
        return tuple(sorted(self.options.items()))

    @property
    def id(self) -> str:
        return networks.variant_id(self.name, **self.options)

    @property
    def label(self) -> str:
        return networks.variant_label(self.name, **self.options)

    @property
    def data(self) -> tuple:
        """What a profile of this choice is computed from: the key of its cached figures."""
        return (self.name, self.key, self.resolution)


def network_label(name: str) -> str:
    entry = networks.info(name)
    return f"{entry.label}  ·  {entry.origin}"


def kind_labels() -> dict[str, str]:
    return {k: t(f"network_explorer.kind.{k}") for k in KINDS}


def short(n: float) -> str:
    """Three significant digits for the metric tiles ("4.23 M"); the exact number is in their help."""
    return charts.human(n)


def megabytes(n_bytes: int) -> str:
    return f"{n_bytes / 2**20:.1f} MB"


def on_network_change() -> None:
    """Follow the network's own input size (Xception: 299) unless the user had moved the resolution."""
    new = st.session_state["nx_net"]
    old = st.session_state.get("_nx_last", DEFAULT)
    old_default, new_default = networks.info(old).input_size[1], networks.info(new).input_size[1]
    if st.session_state.get("nx_res") == old_default and new_default != old_default:
        st.session_state["nx_res"] = new_default
        st.session_state["_nx_note"] = t("network_explorer.res_default", res=new_default,
                                         network=networks.info(new).label)


def option_widget(column, option: str, name: str, **widget) -> Any:
    """The selectbox of one network option. Each network has its own widget key (nx_width__ghostnet), so a widget
    never changes its options under the browser's feet (Streamlit's frontend would then send back a stale index);
    the plain key (nx_width) holds the last value shown, which the URL mirrors and the next network starts from
    (the nearest value it allows, with a notice when it had to move)."""
    entry = networks.info(name)
    allowed = entry.options[option]
    key, widget_key = f"nx_{option}", f"nx_{option}__{name}"
    if widget_key not in st.session_state:
        wanted = st.session_state.get(key, entry.defaults[option])
        value = wanted if wanted in allowed else min(allowed, key=lambda v: (abs(v - wanted), v))
        if value != wanted:
            st.info(t("url.adjusted", key=key, old=wanted, new=value, reason=f" ({entry.label})"), icon="ℹ️")
        st.session_state[widget_key] = value
    column.selectbox(key=widget_key, options=allowed, **widget)
    st.session_state[key] = st.session_state[widget_key]
    return st.session_state[widget_key]


def controls() -> Choice:
    c1, c2, c3, c4 = st.columns([1.4, 1, 1, 1.6])
    c1.selectbox(t("network_explorer.network"), NAMES, key="nx_net", format_func=network_label,
                 on_change=on_network_change, help=t("network_explorer.network_help"))
    name = st.session_state["nx_net"]
    entry = networks.info(name)
    options: dict[str, Any] = {}
    if "width" in entry.options:
        options["width"] = option_widget(c2, "width", name, label=t("network_explorer.width"),
                                         format_func=lambda w: f"{w:g}×", help=t("network_explorer.width_help"))
    if "groups" in entry.options:
        options["groups"] = option_widget(c3, "groups", name, label=t("network_explorer.groups"),
                                          help=t("network_explorer.groups_help"))
    c4.slider(t("network_explorer.resolution"), RES_LOW, RES_HIGH, key="nx_res",
              help=t("network_explorer.resolution_help"))
    st.session_state["_nx_last"] = name
    note = st.session_state.pop("_nx_note", None)
    if note:
        st.info(note, icon="ℹ️")
    return Choice(name, options, st.session_state["nx_res"])


def totals(choice: Choice, prof) -> None:
    m = st.columns(5)
    m[0].metric(t("metric.macs"), short(prof.macs), help=f"{prof.macs:,}")
    m[1].metric(t("metric.flops"), short(prof.flops), help=f"{prof.flops:,}")
    m[2].metric(t("metric.params"), short(prof.params), help=f"{prof.params:,}")
    m[3].metric(t("network_explorer.weights"), megabytes(prof.weight_bytes()),
                help=t("network_explorer.weights_help", params=f"{prof.params:,}", bytes=f"{prof.weight_bytes():,}"))
    m[4].metric(t("network_explorer.peak"), megabytes(prof.peak_activation_bytes()),
                help=t("network_explorer.peak_help", elements=f"{prof.peak_activation:,}",
                       layer=prof.peak_activation_layer))

    if getattr(choice, "onnx", False):
        own_network.onnx_report(prof)
        return
    entry = networks.info(choice.name)
    pub = entry.published(**choice.options)
    ref = entry.input_size[1]
    if pub is None:
        st.caption(t("own.timm_published_none") if entry.origin == "timm" else t("network_explorer.published_none"))
    else:
        st.markdown(t("network_explorer.published", source=pub.source, top1=pub.top1,
                      params=short(pub.params) if pub.params else "—", macs=short(pub.macs) if pub.macs else "—"))
        if choice.resolution == ref:
            def delta(count: int, figure: float | None) -> str:
                return f"{(count - figure) / figure * 100:+.1f} %" if figure else "—"

            st.caption(t("network_explorer.counted_vs", params=f"{prof.params:,}",
                         dparams=delta(prof.params, pub.params), macs=f"{prof.macs:,}",
                         dmacs=delta(prof.macs, pub.macs)))
            for why in pub.mismatch.values():
                st.caption(t("network_explorer.mismatch", why=why))
        else:
            st.caption(t("network_explorer.published_at", res=ref))
    if choice.resolution != ref:
        with st.spinner(t("network_explorer.profiling", network=choice.label)):
            base = network_profile(choice.name, choice.key, ref)
        st.markdown(t("network_explorer.scaling", res=choice.resolution, ref=ref, ratio=f"{prof.macs / base.macs:.2f}",
                      quad=f"{(choice.resolution / ref) ** 2:.2f}"))


def structure(choice: Choice, prof) -> None:
    head = t("network_explorer.head")
    st.subheader(t("network_explorer.stages"))
    st.caption(t("network_explorer.stages_caption"))
    st.plotly_chart(figure(charts.stage_bars, prof, kind_labels(), (t("metric.params"), t("metric.macs")), head,
                           data=choice.data), key="nx_stage_chart")
    st.subheader(t("network_explorer.diagram"))
    st.caption(t("network_explorer.diagram_caption"))
    st.plotly_chart(figure(charts.block_diagram, prof, head, t("network_explorer.channels"), data=choice.data),
                    key="nx_diagram")


def treemap_tab(choice: Choice, prof) -> None:
    st.caption(t("network_explorer.treemap_caption"))
    st.plotly_chart(figure(charts.param_treemap, prof, kind_labels(), choice.label, t("network_explorer.head"),
                           data=choice.data), key="nx_treemap")


def layers_tab(choice: Choice, prof) -> None:
    labels = kind_labels()
    present = [k for k in KINDS if k in prof.kinds()]
    c1, c2 = st.columns([2, 1])
    # One widget per network (its kinds are its own options): see option_widget.
    chosen = c1.multiselect(t("network_explorer.filter_kinds"), present, default=present,
                            key=f"nx_layer_kinds__{choice.name}", format_func=labels.get)
    needle = c2.text_input(t("network_explorer.filter_name"), key="nx_layer_filter").strip().lower()
    head = t("network_explorer.head")
    stage_names = {s.key: charts.stage_label(s, head) for s in prof.stages}
    rows = [r for r in prof.layers if r.kind in chosen and needle in r.name.lower()]
    col = {k: t(f"network_explorer.col.{k}") for k in ("name", "kind", "module", "stage", "output", "params", "macs",
                                                        "share", "activation")}
    table = pd.DataFrame([{
        col["name"]: r.name, col["kind"]: labels[r.kind], col["module"]: r.module,
        col["stage"]: stage_names.get(r.stage, r.stage), col["output"]: "×".join(map(str, r.shape)),
        col["params"]: r.params, col["macs"]: r.macs,
        col["share"]: round(r.macs / prof.macs * 100, 2) if prof.macs else 0.0, col["activation"]: r.activation,
    } for r in rows], columns=list(col.values()))
    st.caption(t("network_explorer.rows", shown=len(rows), total=len(prof.layers)))
    st.dataframe(table, hide_index=True, width="stretch", height=420, column_config={
        col["params"]: st.column_config.NumberColumn(format="localized"),
        col["macs"]: st.column_config.NumberColumn(format="localized"),
        col["activation"]: st.column_config.NumberColumn(format="localized"),
    })
    st.download_button(t("network_explorer.csv"), table.to_csv(index=False).encode("utf-8"),
                       file_name=f"effviz-{choice.id.replace(':', '-').replace(',', '-')}-{choice.resolution}.csv",
                       mime="text/csv", key="nx_layers_csv", on_click="ignore")


def graph_tab(choice: Choice, prof) -> None:
    """The whole network as a graph (blocks per stage; chosen stages opened to layers), coloured by share of MACs;
    the chosen block outlined, and its layers listed under the graph."""
    st.caption(t("network_explorer.graph_caption"))
    head = t("network_explorer.head")
    stage_names = {s.key: charts.stage_label(s, head) for s in prof.stages}
    units = {u.name: u for u in prof.units}
    heaviest = max(prof.units, key=lambda u: u.macs).name if prof.units else None
    c1, c2 = st.columns(2)
    # One widget per network (its stages and blocks are its own options): see option_widget.
    opened = c1.multiselect(t("network_explorer.graph_open"), list(stage_names), default=[],
                            key=f"nx_graph_open__{choice.name}", format_func=stage_names.get,
                            help=t("network_explorer.graph_open_help"))
    chosen = c2.selectbox(t("network_explorer.graph_block"), list(units), key=f"nx_graph_block__{choice.name}",
                          index=list(units).index(heaviest) if heaviest in units else 0,
                          format_func=lambda n: f"{stage_names.get(units[n].stage, units[n].stage)} · {n} · "
                                                f"{units[n].module}")
    text = {k: t(f"network_explorer.graph.{k}") for k in anatomy.NETWORK_TEXT}
    st.graphviz_chart(anatomy.network_dot(prof, opened, chosen, text, stage_names))
    labels = kind_labels()
    col = {k: t(f"network_explorer.col.{k}") for k in ("name", "kind", "module", "output", "params", "macs", "share")}
    rows = [{col["name"]: r.name, col["kind"]: labels[r.kind], col["module"]: r.module,
             col["output"]: "×".join(map(str, r.shape)), col["params"]: f"{r.params:,}", col["macs"]: f"{r.macs:,}",
             col["share"]: anatomy.percent(r.macs, prof.macs)} for r in prof.layers if r.unit == chosen]
    st.markdown(t("network_explorer.graph_rows", block=chosen, rows=len(rows)))
    if rows:
        table_with_csv(pd.DataFrame(rows).set_index(col["name"]), f"{choice.id}-{chosen}-layers")


def resolution_tab(choice: Choice, prof) -> None:
    st.caption(t("network_explorer.resolution_caption"))
    ref = networks.info(choice.name).input_size[1]
    with st.spinner(t("network_explorer.profiling", network=choice.label)):
        points = network_resolution_sweep(choice.name, choice.key, tuple(sorted({*SWEEP, choice.resolution, ref})))
    st.plotly_chart(figure(
        charts.resolution_chart, points, choice.resolution,
        (t("metric.macs"), t("metric.params"), t("network_explorer.res_reference"), t("network_explorer.res_axis")),
        reference=ref), key="nx_resolution_chart")


def zoo_tab(choice: Choice, prof) -> None:
    st.caption(t("network_explorer.zoo_caption"))
    with st.spinner(t("network_explorer.zoo_loading")):
        entries = network_zoo()

    def hover(e) -> str:
        p = e.published
        return t("network_explorer.zoo_hover", label=e.label, top1=p.top1, source=p.source,
                 params=charts.human(e.params), macs=charts.human(e.macs), res=e.input_size[1],
                 pparams=charts.human(p.params) if p.params else "—", pmacs=charts.human(p.macs) if p.macs else "—")

    origins = {o: t(f"network_explorer.origin.{o}") for o in ("effviz", "torchvision")}
    # entries: the process's zoo (network_zoo() is computed once); hover only translates (the language is keyed)
    st.plotly_chart(figure(charts.zoo_map, entries, choice.id, (t("network_explorer.zoo_x"),
                                                                t("network_explorer.zoo_y"), t("metric.params")),
                           origins, hover, data="zoo"), key="nx_zoo_map")
    if all(e.id != choice.id for e in entries):
        st.caption(t("network_explorer.zoo_missing", label=choice.label))


def compare_tab(choice: Choice, prof) -> None:
    st.selectbox(t("network_explorer.compare_with"), VARIANTS, key="nx_cmp",
                 format_func=label_variant)
    url.publish([COMPARE])  # here, where the widget is drawn: the tabs are a fragment (see tabs_section)
    other_name, other_options = networks.parse_variant(st.session_state["nx_cmp"])
    with st.spinner(t("network_explorer.profiling", network=networks.variant_label(other_name, **other_options))):
        other = network_profile(other_name, tuple(sorted(other_options.items())), choice.resolution)
    st.caption(t("network_explorer.compare_caption", res=choice.resolution))
    pairs = [(choice.label, prof, None if getattr(choice, "onnx", False) else
              networks.info(choice.name).published(**choice.options)),
             (networks.variant_label(other_name, **other_options), other,
              networks.info(other_name).published(**other_options))]
    labels = [p[0] if i == 0 or p[0] != pairs[0][0] else f"{p[0]} (2)" for i, p in enumerate(pairs)]
    rows = {
        t("network_explorer.row.params"): [f"{p.params:,}" for _, p, _ in pairs],
        t("network_explorer.row.macs"): [f"{p.macs:,}" for _, p, _ in pairs],
        t("network_explorer.row.flops"): [f"{p.flops:,}" for _, p, _ in pairs],
        t("network_explorer.row.weights"): [f"{p.weight_bytes() / 2**20:.1f}" for _, p, _ in pairs],
        t("network_explorer.row.peak"): [f"{p.peak_activation_bytes() / 2**20:.1f}" for _, p, _ in pairs],
        t("network_explorer.row.top1"): [f"{pub.top1}" if pub and pub.top1 else "—" for _, _, pub in pairs],
        t("network_explorer.row.layers"): [str(sum(1 for r in p.layers if r.params)) for _, p, _ in pairs],
    }
    table_with_csv(pd.DataFrame(rows, index=labels).T, "compare-networks")
    st.plotly_chart(figure(charts.compare_stage_bars, [(labels[0], prof), (labels[1], other)],
                           (t("metric.params"), t("metric.macs")), t("network_explorer.head"),
                           data=(choice.data, st.session_state["nx_cmp"])), key="nx_compare_chart")


def label_variant(text: str) -> str:
    name, options = networks.parse_variant(text)
    return networks.variant_label(name, **options)


TABS = (("treemap", treemap_tab), ("layers", layers_tab), ("graph", graph_tab), ("resolution", resolution_tab),
        ("zoo", zoo_tab), ("compare", compare_tab))


def own_network_choice(src: str):
    """(choice, profile) of a timm architecture or an uploaded ONNX file (app_support.own_network), or None."""
    if src == "onnx":
        picked = own_network.onnx_choice()
        own_network.publish(src)
        return picked
    choice = own_network.timm_choice()
    if choice is None:
        return None
    url.publish([p for p in PARAMS if p.key == "nx_cmp"])
    own_network.publish(src, choice)
    try:
        with st.spinner(t("own.timm_profiling", name=choice.label)):
            return choice, network_profile(choice.name, choice.key, choice.resolution)
    except ValueError as err:
        st.error(t("network_explorer.error", problem=err), icon="⚠️")
        return None


def main() -> None:
    st.title(t("network_explorer.title"))
    st.caption(t("network_explorer.intro"))
    src = own_network.source()
    url.restore(PARAMS)
    if src != "zoo":
        picked = own_network_choice(src)
        if picked is None:
            return
        choice, prof = picked
    else:
        choice = controls()
        own_network.publish(src, choice)
        # Options the network does not have are left out of the link rather than mirrored from another network.
        url.publish([p for p in PARAMS if p.key.removeprefix("nx_") not in ("width", "groups")
                     or p.key.removeprefix("nx_") in choice.options])
        try:
            with st.spinner(t("network_explorer.profiling", network=choice.label)):  # shown only if it takes long
                prof = network_profile(choice.name, choice.key, choice.resolution)
        except ValueError as err:
            st.error(t("network_explorer.error", problem=err), icon="⚠️")
            return
    st.caption(t("convention"))
    totals(choice, prof)
    structure(choice, prof)
    tabs_section(choice, prof)


@url.fragment
def tabs_section(choice: Choice, prof) -> None:
    """A fragment: switching tabs, comparing and filtering rerun this section only. Only the open tab is
    computed and drawn; an ONNX file has no resolution sweep (it is not rebuilt)."""
    shown = [(n, d) for n, d in TABS if not (n == "resolution" and getattr(choice, "onnx", False))]
    tabs = st.tabs([t(f"network_explorer.tab.{name}") for name, _ in shown], key="nx_tab", on_change="rerun")
    for tab, (_, draw) in zip(tabs, shown, strict=True):
        if tab.open:
            with tab:
                draw(choice, prof)


main()
