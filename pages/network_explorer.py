"""Network Explorer: pick a network, its width and the input resolution; see where params and MACs go, stage by
stage and layer by layer, beside the rest of the zoo."""
from __future__ import annotations

from typing import Any

import streamlit as st

from app_support.network_explorer import choice as network_choice
from app_support.network_explorer import overlay, own_network, tables
from app_support.network_explorer import text as network_text
from app_support.network_explorer.choice import DEFAULT, Choice, on_network_change, option_widget, variant_label
from app_support.network_explorer.tables import kind_labels
from app_support.shell import urlstate as url
from app_support.shell.cache import network_profile, network_resolution_sweep, network_zoo
from app_support.shell.export import table_with_csv
from app_support.shell.figures import figure
from app_support.shell.i18n import problem_text, t, texts
from app_support.shell.number_format import mebibytes, three_digits
from effviz import networks
from effviz.networks.profiling import KINDS
from effviz.plots import anatomy
from effviz.plots import network_charts as charts

NAMES = tuple(networks.names())
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


def controls() -> Choice:
    c1, c2, c3, c4 = st.columns([1.4, 1, 1, 1.6])
    c1.selectbox(t("network_explorer.network"), NAMES, key="nx_net", format_func=network_choice.network_label,
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
    m[0].metric(t("metric.macs"), three_digits(prof.macs), help=f"{prof.macs:,}")
    m[1].metric(t("metric.flops"), three_digits(prof.flops), help=f"{prof.flops:,}")
    m[2].metric(t("metric.params"), three_digits(prof.params), help=f"{prof.params:,}")
    m[3].metric(t("network_explorer.weights"), mebibytes(prof.weight_bytes()),
                help=t("network_explorer.weights_help", params=f"{prof.params:,}", bytes=f"{prof.weight_bytes():,}"))
    m[4].metric(t("network_explorer.peak"), mebibytes(prof.peak_activation_bytes()),
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
        st.markdown(network_text.published(pub))
        if choice.resolution == ref:
            st.caption(network_text.counted_vs_published(prof, pub))
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
    stage_names = tables.stage_names(prof)
    rows = [r for r in prof.layers if r.kind in chosen and needle in r.name.lower()]
    table = tables.layer_table(prof, rows, stage_names)
    col = tables.columns("params", "macs", "activation")
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
    stage_names = tables.stage_names(prof)
    units = {u.name: u for u in prof.units}
    heaviest = max(prof.units, key=lambda u: u.macs).name if prof.units else None
    c1, c2 = st.columns(2)
    # One widget per network (its stages and blocks are its own options): see option_widget.
    opened = c1.multiselect(t("network_explorer.graph_open"), list(stage_names), default=[],
                            key=f"nx_graph_open__{choice.name}", format_func=stage_names.get,
                            help=t("network_explorer.graph_open_help"))
    chosen = network_choice.block_picker(c2, choice.name, units, heaviest, t("network_explorer.graph_block"),
                          format_func=lambda n: f"{stage_names.get(units[n].stage, units[n].stage)} · {n} · "
                                                f"{units[n].module}")
    colour = overlay.graph_overlay(choice, prof)   # colour by measured time etc., once measured
    st.graphviz_chart(anatomy.network_dot(prof, opened, chosen, texts("network_explorer.graph", anatomy.NETWORK_TEXT),
                                          stage_names, **colour))
    table = tables.block_layers(prof, chosen)
    st.markdown(t("network_explorer.graph_rows", block=chosen, rows=0 if table is None else len(table)))
    if table is not None:
        table_with_csv(table, f"{choice.id}-{chosen}-layers")


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
    origins = {o: t(f"network_explorer.origin.{o}") for o in ("effviz", "torchvision", "timm")}
    # entries: the process's zoo (network_zoo() is computed once); hover only translates (the language is keyed)
    st.plotly_chart(figure(charts.zoo_map, entries, choice.id, (t("network_explorer.zoo_x"),
                                                                t("network_explorer.zoo_y"), t("metric.params")),
                           origins, network_text.zoo_hover, data="zoo"), key="nx_zoo_map")
    if all(e.id != choice.id for e in entries):
        st.caption(t("network_explorer.zoo_missing", label=choice.label))


def compare_tab(choice: Choice, prof) -> None:
    st.selectbox(t("network_explorer.compare_with"), VARIANTS, key="nx_cmp",
                 format_func=variant_label)
    url.publish([COMPARE])  # here, where the widget is drawn: the tabs are a fragment (see tabs_section)
    other_name, other_options = networks.parse_variant(st.session_state["nx_cmp"])
    with st.spinner(t("network_explorer.profiling", network=networks.variant_label(other_name, **other_options))):
        other = network_profile(other_name, tuple(sorted(other_options.items())), choice.resolution)
    st.caption(t("network_explorer.compare_caption", res=choice.resolution))
    table = tables.compare_table(choice, prof, st.session_state["nx_cmp"], other)
    table_with_csv(table, "compare-networks")
    labels = list(table.columns)
    st.plotly_chart(figure(charts.compare_stage_bars, [(labels[0], prof), (labels[1], other)],
                           (t("metric.params"), t("metric.macs")), t("network_explorer.head"),
                           data=(choice.data, st.session_state["nx_cmp"])), key="nx_compare_chart")


TABS = (("treemap", treemap_tab), ("layers", layers_tab), ("graph", graph_tab), ("resolution", resolution_tab),
        ("zoo", zoo_tab), ("compare", compare_tab))


def main() -> None:
    st.title(t("network_explorer.title"))
    st.caption(t("network_explorer.intro"))
    src = own_network.source()
    url.restore(PARAMS)
    if src != "zoo":
        picked = own_network.picked(src, COMPARE)
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
            st.error(t("network_explorer.error", problem=problem_text(err)), icon="⚠️")
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
    tabs = url.tabs("nx_tab", [name for name, _ in shown], lambda name: t(f"network_explorer.tab.{name}"))
    for tab, (name, draw) in zip(tabs, shown, strict=True):
        if tab.open:
            with tab:
                draw(choice, prof)
        elif name == "graph" and "nx_block" in st.query_params:  # the block is on screen in the Graph tab only
            del st.query_params["nx_block"]


main()
