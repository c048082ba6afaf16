"""Channel Shuffle: the reshape -> transpose -> flatten animation, proof from real modules that a shuffle mixes
the groups of stacked group convs, and the ShuffleNet v1 / v2 units with their costs."""
from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from app_support.shell import urlstate as url
from app_support.shell.cache import shuffle_stack, shuffle_unit
from app_support.shell.figures import figure
from app_support.shell.i18n import problem_text, t, texts
from effviz import shuffle
from effviz.blocks.spec import divisors
from effviz.plots import shuffle_charts as charts
from effviz.shuffle.connectivity import Connectivity, Verdict
from effviz.shuffle.units import V1_STAGE2, V2_STAGE2, spec_key, units

MAX_CHANNELS = 48
SIZES = (56, 28, 14, 7)

PARAMS = [
    url.IntParam("shuffle_channels", 12, 2, MAX_CHANNELS),
    url.IntParam("shuffle_groups", 3, 1, MAX_CHANNELS),
    url.IntParam("shuffle_layers", 2, 1, 3),
    url.BoolParam("shuffle_on", True),
    url.IntParam("shuffle_output", 5, 0, MAX_CHANNELS - 1),
    url.ChoiceParam("shuffle_v1_groups", 3, tuple(V1_STAGE2)),
    url.ChoiceParam("shuffle_v2_width", 1.0, tuple(V2_STAGE2)),
    url.ChoiceParam("shuffle_stride", 1, (1, 2)),
    url.ChoiceParam("shuffle_size", 28, SIZES),
]
# Each section is a fragment (url.fragment): a widget reruns only the section it changes (the server pays for
# the section, not the page), and each section mirrors its own widgets into the URL.
STACK_PARAMS = PARAMS[:3]
PROOF_PARAMS = PARAMS[3:5]
UNIT_PARAMS = PARAMS[5:]


class StackChoice(NamedTuple):
    channels: int
    groups: int
    layers: int


class UnitChoice(NamedTuple):
    v1_groups: int
    v2_width: float
    stride: int
    size: int


def verdict_text(v: Verdict) -> str:
    if v.all:
        return t("shuffle.verdict.only" if v.groups == 1 else "shuffle.verdict.all", o=v.output, g=v.groups)
    which = t("shuffle.list_sep").join(str(g + 1) for g in v.seen)   # groups from 1, as a reader counts
    return t("shuffle.verdict.some", o=v.output, k=v.count, g=v.groups, which=which)


def stack_controls() -> StackChoice:
    c1, c2, c3 = st.columns(3, gap="medium")
    c1.slider(t("shuffle.channels"), 2, MAX_CHANNELS, key="shuffle_channels", help=t("shuffle.channels.help"))
    channels = st.session_state["shuffle_channels"]
    options = divisors(channels)
    with c2:
        url.ensure_choice("shuffle_groups", options, t("shuffle.groups_reason", c=channels))
        st.select_slider(t("shuffle.groups"), options, key="shuffle_groups", help=t("shuffle.groups.help"))
    c3.slider(t("shuffle.layers"), 1, 3, key="shuffle_layers", help=t("shuffle.layers.help"))
    return StackChoice(channels, st.session_state["shuffle_groups"], st.session_state["shuffle_layers"])


def animation_section(choice: StackChoice) -> None:
    st.header(t("shuffle.anim.header"))
    st.markdown(t("shuffle.anim.help"))
    keys = [*shuffle.STAGE_NAMES, *(f"label.{s}" for s in shuffle.STAGE_NAMES),
            "play", "pause", "step", "channel", "group", "position"]
    fig = figure(charts.shuffle_animation, choice.channels, choice.groups, texts("shuffle.anim", keys))
    st.plotly_chart(fig, key="shuffle_animation", config={"displayModeBar": False})
    order = shuffle.permutation(choice.channels, choice.groups)
    if order == list(range(choice.channels)):
        st.caption(t("shuffle.order_identity", g=choice.groups))
    else:
        st.markdown(t("shuffle.order", order=", ".join(map(str, order))))


def output_control(channels: int) -> int:
    url.ensure_choice("shuffle_output", list(range(channels)), t("shuffle.output_reason", c=channels))
    st.slider(t("shuffle.output"), 0, channels - 1, key="shuffle_output", help=t("shuffle.output.help"))
    return st.session_state["shuffle_output"]


@url.fragment
def proof_section(choice: StackChoice) -> None:
    """The output channel and the shuffle toggle change only this section (a fragment inside the stack's)."""
    try:
        proof(choice)
    except ValueError as problem:
        st.error(t("shuffle.invalid", problem=problem_text(problem)), icon="⚠️")
    url.publish(PROOF_PARAMS)


def proof(choice: StackChoice) -> None:
    st.header(t("shuffle.proof.header"))
    st.markdown(t("shuffle.proof.how", layers=choice.layers, g=choice.groups))
    with st.expander(t("shuffle.proof.method")):
        st.markdown(t("shuffle.proof.method_text"))
    output = output_control(choice.channels)
    with st.spinner(t("shuffle.measuring")):  # shows only if it takes long: the first time a setting is asked
        without = shuffle_stack(choice.channels, choice.groups, choice.layers, False)
        with_ = shuffle_stack(choice.channels, choice.groups, choice.layers, True)
    for label, result in ((t("shuffle.without"), without), (t("shuffle.with"), with_)):
        line = t("shuffle.verdict.line", label=label, verdict=verdict_text(result.total.verdict(output)))
        good = result.total.verdict(output).all
        (st.success if good else st.info)(line, icon="✅" if good else "🚧")
    seen_with = with_.total.groups_seen()
    same = seen_with.min() == seen_with.max()
    st.markdown(t("shuffle.summary_same" if same else "shuffle.summary", c=choice.channels, g=choice.groups,
                  lo_without=int(without.total.groups_seen().max()),
                  min_with=int(seen_with.min()), max_with=int(seen_with.max())))
    n = choice.channels // choice.groups
    if choice.layers == 1:
        st.info(t("shuffle.single_layer"), icon="ℹ️")
    elif choice.groups == choice.channels and choice.groups > 1:
        st.info(t("shuffle.depthwise"), icon="ℹ️")
    elif not with_.total.mixes_all():
        st.info(t("shuffle.too_many_groups", n=n, g=choice.groups), icon="ℹ️")
    heat_text = texts("shuffle.heat", ("x", "y", "hover"))
    fig = figure(charts.connectivity_heatmaps, [without.total, with_.total], [t("shuffle.without"), t("shuffle.with")],
                 output=output, text=heat_text, data=(choice.channels, choice.groups, choice.layers))
    st.plotly_chart(fig, key="shuffle_heatmaps", config={"displayModeBar": False})
    st.caption(t("shuffle.heat.caption", o=output))

    st.subheader(t("shuffle.wiring.header"))
    shuffled = st.toggle(t("shuffle.on"), key="shuffle_on", help=t("shuffle.on.help"))
    shown = with_ if shuffled else without
    wiring_text = texts("shuffle.wiring", ("input", "gconv", "shuffle", "channel", "sees"))
    st.plotly_chart(figure(charts.wiring_diagram, shown, output=output, text=wiring_text,
                           data=(choice.channels, choice.groups, choice.layers, shuffled)),
                    key="shuffle_wiring", config={"displayModeBar": False})
    st.caption(t("shuffle.wiring.caption", c=choice.channels, o=output))


def unit_widths() -> tuple[object, object]:
    """The units' widths (v1 groups, v2 width multiplier); returns the two columns left for stride and size."""
    c1, c2, c3, c4 = st.columns(4)
    c1.select_slider(t("shuffle.units.v1_groups"), tuple(V1_STAGE2), key="shuffle_v1_groups",
                     help=t("shuffle.units.v1_groups.help"))
    c2.select_slider(t("shuffle.units.v2_width"), tuple(V2_STAGE2), key="shuffle_v2_width",
                     format_func=lambda w: f"{w:g}×", help=t("shuffle.units.v2_width.help"))
    return c3, c4


def unit_shape(c3, c4) -> tuple[int, int]:
    c3.radio(t("shuffle.units.stride"), (1, 2), key="shuffle_stride", horizontal=True,
             help=t("shuffle.units.stride.help"))
    c4.select_slider(t("shuffle.units.size"), SIZES, key="shuffle_size")
    return st.session_state["shuffle_stride"], st.session_state["shuffle_size"]


@url.fragment
def units_section() -> None:
    """The ShuffleNet units. v1 groups and v2 width change everything here (the connectivity heatmaps are the
    big part); stride and H = W only the diagrams and costs: those rerun in a fragment of their own."""
    st.header(t("shuffle.units.header"))
    st.markdown(t("shuffle.units.intro"))
    c3, c4 = unit_widths()
    unit_diagrams(st.session_state["shuffle_v1_groups"], st.session_state["shuffle_v2_width"], c3, c4)
    units_connectivity(UnitChoice(st.session_state["shuffle_v1_groups"], st.session_state["shuffle_v2_width"],
                                  st.session_state["shuffle_stride"], st.session_state["shuffle_size"]))
    url.publish(UNIT_PARAMS[:2])


@url.fragment
def unit_diagrams(v1_groups: int, v2_width: float, c3, c4) -> None:
    """Stride and H = W: their widgets sit in the units' row of controls (columns c3, c4 of the enclosing
    section, which Streamlit lets a fragment write into when it does on every run of that section)."""
    choice = UnitChoice(v1_groups, v2_width, *unit_shape(c3, c4))
    v1, v2 = units(choice.v1_groups, choice.v2_width, choice.stride)
    unit_text = texts("shuffle.unit", charts.UNIT_TEXT)
    left, right = st.columns(2, gap="large")
    with left:
        st.plotly_chart(figure(charts.unit_diagram, v1, choice.size, choice.size, unit_text,
                               t("shuffle.units.v1_title", c_in=v1.c_in, c_out=v1.c_out, g=v1.groups),
                               data=spec_key(v1)), key="shuffle_v1_diagram", config={"displayModeBar": False})
    with right:
        st.plotly_chart(figure(charts.unit_diagram, v2, choice.size, choice.size, unit_text,
                               t("shuffle.units.v2_title", c_in=v2.c_in, c_out=v2.c_out, width=f"{choice.v2_width:g}"),
                               data=spec_key(v2)), key="shuffle_v2_diagram", config={"displayModeBar": False})
    a, b = v1.cost(choice.size, choice.size), v2.cost(choice.size, choice.size)
    st.caption(t("shuffle.units.compare", size=choice.size, v1_params=f"{a.params:,}", v1_macs=f"{a.macs:,}",
                 v2_params=f"{b.params:,}", v2_macs=f"{b.macs:,}"))
    url.publish(UNIT_PARAMS[2:])


def units_connectivity(choice: UnitChoice) -> None:
    st.subheader(t("shuffle.units.conn_header"))
    st.markdown(t("shuffle.units.conn_intro"))
    c1, c2 = V1_STAGE2[choice.v1_groups], V2_STAGE2[choice.v2_width]
    v1_params = (("c_in", c1), ("c_out", c1), ("groups", choice.v1_groups))
    v2_params = (("c_in", c2), ("c_out", c2))
    heat_text = texts("shuffle.heat", ("x", "y", "hover"))
    try:
        with st.spinner(t("shuffle.measuring")):
            v1_without = shuffle_unit("shuffle_v1", 1, False, v1_params)
            v1_with = shuffle_unit("shuffle_v1", 1, True, v1_params)
            v2_runs: list[Connectivity] = [shuffle_unit("shuffle_v2", n, True, v2_params) for n in (1, 2, 3)]
    except ValueError as problem:
        st.error(t("shuffle.units.unavailable", problem=problem_text(problem)), icon="⚠️")
        return
    st.plotly_chart(figure(charts.connectivity_heatmaps, [v1_without, v1_with],
                           [t("shuffle.units.v1_without"), t("shuffle.units.v1_with")], text=heat_text,
                           data=v1_params), key="shuffle_v1_heatmaps", config={"displayModeBar": False})
    st.markdown(t("shuffle.units.v1_verdict", c=c1, g=choice.v1_groups,
                  all_with=int((v1_with.groups_seen() == v1_with.groups).sum()),
                  all_without=int((v1_without.groups_seen() == v1_without.groups).sum())))
    st.plotly_chart(figure(charts.connectivity_heatmaps, v2_runs, [t("shuffle.units.v2_n", n=n) for n in (1, 2, 3)],
                           text=heat_text, height=380, data=v2_params), key="shuffle_v2_heatmaps",
                    config={"displayModeBar": False})
    counts = ", ".join(str(int((r.groups_seen() == 2).sum())) for r in v2_runs)
    st.markdown(t("shuffle.units.v2_verdict", counts=counts, c=c2))


@url.fragment
def stack_sections() -> None:
    """C, g and the number of layers change the animation and the proof, not the ShuffleNet units."""
    choice = stack_controls()
    try:
        animation_section(choice)
    except ValueError as problem:
        st.error(t("shuffle.invalid", problem=problem_text(problem)), icon="⚠️")
    else:
        proof_section(choice)
    url.publish(STACK_PARAMS)


def main() -> None:
    st.title(t("shuffle.title"))
    st.caption(t("convention"))
    st.markdown(t("shuffle.intro"))
    url.restore(PARAMS)
    stack_sections()
    units_section()


main()
