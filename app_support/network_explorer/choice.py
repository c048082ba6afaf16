"""The Network Explorer's choice of a zoo network: its record (name, options, resolution), its labels, the option
widgets that belong to one network each, and the resolution that follows the network's own input size."""
from __future__ import annotations

from typing import Any, NamedTuple

import streamlit as st

from app_support.shell import urlstate as url
from app_support.shell.i18n import t
from effviz import networks

DEFAULT = "mobilenet_v1"


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


def variant_label(text: str) -> str:
    """"mobilenet_v2:width=0.5" -> its label, as the comparison's selectbox shows it."""
    name, options = networks.parse_variant(text)
    return networks.variant_label(name, **options)


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


def block_picker(column, name: str, units: dict, heaviest: str | None, label: str, **widget) -> str:
    """The Graph tab's chosen block: one widget per network (its blocks are its own options: see option_widget)
    under one URL key, nx_block (the heaviest block, the default, is left out of the link)."""
    param = url.ChoiceParam("nx_block", heaviest if heaviest in units else next(iter(units), ""), tuple(units))
    widget_key = f"nx_graph_block__{name}"
    url.follow_into(param, widget_key)
    if st.session_state.get(widget_key) not in units:
        st.session_state[widget_key] = param.default
    chosen = column.selectbox(label, list(units), key=widget_key, **widget)
    url.publish_value(param, chosen)
    return chosen
