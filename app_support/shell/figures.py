"""Built Plotly figures, cached per input and shared read-only by every session of the process.

Building a go.Figure is most of a page's rerun: plotly validates every property as it is set (10 to 50 ms a
figure here, measured with py-spy in bench/bench_rerun_cpu.py), and a class moving sliders mostly asks for
figures the server has already built for someone. So pages ask `figure(builder, *args)` instead of calling
`builder(*args)`, and the first session to need a figure builds it for everyone after.

st.cache_resource hands every session the same object: nothing may change a figure taken from here.
st.plotly_chart only reads it (it serialises `fig.to_dict()`), and pages pass it straight there
(tests/test_figures.py checks both).

Serialising is the rest of the cost: on every rerun st.plotly_chart deep-copies the figure (`to_dict`, through
`plotly.tools.return_figure_from_figure_or_data`) and encodes it (`plotly.io.to_json`), 1-2 MB for the Feature
Redundancy page. A shared figure is therefore also serialised once, when it is built: for it, those two plotly
functions (which Streamlit calls as module attributes) answer with its JSON, made once, and a copy of its layout
(all Streamlit reads of the dict); every other call goes to plotly unchanged, and the figure's own `to_dict`
is plotly's. Only the JSON is kept beside the figure, not a second copy of its data."""
from __future__ import annotations

import numbers
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import plotly.io
import plotly.tools
import streamlit as st
from plotly.basedatatypes import BaseFigure

from app_support.shell.i18n import lang

MAX_FIGURES = 256  # most figures are 10-100 KB; the largest (240-channel heatmaps) about 1 MB


def _plain(value: Any) -> Hashable:
    """`value` as a hashable key if it is plain (text, a number, a flag, or a tuple/list/dict/set of them), else
    raise TypeError: data (arrays, profiles, callables) must be named by the caller's `data` key instead."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bool, numbers.Number)):
        return (type(value).__name__, value)  # 1, 1.0 and True hash alike but may draw differently
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(_plain(v) for v in value))
    if isinstance(value, Mapping):
        return ("dict", tuple((_plain(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted((_plain(v) for v in value), key=repr)))
    raise TypeError(type(value).__name__)


class _Serialised(dict):
    """What Streamlit gets for a shared figure in place of its deep copy: the layout (which it reads for a
    "content" width) and the JSON plotly makes of the whole figure, made once."""

    __slots__ = ("json",)


_SENT = "_effviz_sent"  # the attribute of a shared figure that holds its _Serialised
_plotly_to_json = plotly.io.to_json
_plotly_figure_or_data = plotly.tools.return_figure_from_figure_or_data


def _to_json(fig: Any, *args: Any, **kwargs: Any):
    """plotly.io.to_json, except that a shared figure's _Serialised answers with the JSON it carries."""
    if type(fig) is _Serialised and not args and kwargs.keys() <= {"validate"}:
        return fig.json
    return _plotly_to_json(fig, *args, **kwargs)


def _figure_or_data(figure_or_data: Any, validate_figure: bool):
    """plotly.tools.return_figure_from_figure_or_data, except for a shared figure: its _Serialised."""
    sent = figure_or_data.__dict__.get(_SENT) if isinstance(figure_or_data, BaseFigure) else None
    return sent if sent is not None else _plotly_figure_or_data(figure_or_data, validate_figure)


plotly.io.to_json = _to_json
plotly.tools.return_figure_from_figure_or_data = _figure_or_data


def _serialise_once(fig: Any) -> Any:
    """Marks a newly built shared figure with its _Serialised (its layout and JSON)."""
    if not isinstance(fig, BaseFigure):
        return fig
    data = fig.to_dict()
    sent = _Serialised(layout=data.get("layout", {}))
    sent.json = _plotly_to_json(data, validate=False)
    object.__setattr__(fig, _SENT, sent)  # plotly's own __setattr__ checks property names
    return fig


@st.cache_resource(max_entries=MAX_FIGURES, show_spinner=False)
def _built(signature: str, _build: Callable[[], Any]):
    return _serialise_once(_build())


def figure(builder: Callable[..., Any], *args: Any, data: Hashable = None, **kwargs: Any):
    """builder(*args, **kwargs), built once per process for each distinct input, then shared.

    Plain arguments (the translated labels, sizes, flags) are part of the cache key as they are. Any other
    argument (a Profile, a Connectivity, a hover callback) is data: `data` must name everything such arguments
    were computed from (e.g. `("ghostnet", (("width", 1.0),), 224)`), else TypeError. The session's language
    is always part of the key, since a callback argument may translate."""
    key_args, key_kwargs, opaque = [], [], []
    for i, value in enumerate(args):
        try:
            key_args.append(_plain(value))
        except TypeError:
            key_args.append(("data", i))
            opaque.append(str(i))
    for name, value in sorted(kwargs.items()):
        try:
            key_kwargs.append((name, _plain(value)))
        except TypeError:
            key_kwargs.append((name, "data"))
            opaque.append(name)
    if opaque and data is None:
        raise TypeError(f"{builder.__qualname__}: argument(s) {', '.join(opaque)} are not plain values; name "
                        "what they were computed from with data=...")
    signature = (builder.__module__, builder.__qualname__, lang(), _plain(data) if data is not None else None,
                 tuple(key_args), tuple(key_kwargs))
    # repr: one string for Streamlit to hash, instead of its recursive hashing of every label in the tuple
    return _built(repr(signature), lambda: builder(*args, **kwargs))
