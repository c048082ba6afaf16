"""The floor for bench/bench_browser_floor.py: one of effviz's pages redrawn with no computation at all.

bench_browser_floor.py records the elements a page sends (its widgets, metrics, formulas, tables, alerts,
Plotly charts with their full specs and Graphviz diagrams) into EFFVIZ_FLOOR_DIR/<page>.json; this script,
opened at ?floor=<page>, draws the same elements in the same order, with no computation. Two modes:

- replay (the recording has "moved": the page recorded again after its widget was moved one step): the page's
  own output at the setting the moved widget now has, word for word, charts included. What the page costs
  the browser and Streamlit when nothing is computed: the floor bench_browser_floor.py compares with.
- value (a single recording): ?drive=<slider|selectbox>&driver=<n> names which of the page's sliders and select
  sliders, or of its selectboxes, drives every element after it: each metric, text and chart title shows its
  value, so a move redraws the whole page, as a page that recomputes everything would (bench_rerun_cpu.py's
  floors move the sidebar's selectbox instead).

With &charts=static the charts stay as first recorded (only text changes), the floor of a page whose move
changes no chart. Figures are parsed once per (chart, setting) and shared, so the server's work per rerun is
Streamlit's own: what no page with these elements can avoid."""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import plotly.io
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from app_support.shell.nodelay import no_delay  # noqa: E402

FLOOR_DIR = Path(os.environ.get("EFFVIZ_FLOOR_DIR", "test-artifacts/floor"))


@st.cache_resource(show_spinner=False)
def transport() -> int:
    """The app's own transport setting (app_support/shell/nodelay.py), so that the floor differs from the page in what
    it computes only."""
    return no_delay()


@st.cache_resource(show_spinner=False)
def elements(name: str) -> dict:
    return json.loads((FLOOR_DIR / f"{name}.json").read_text())


@st.cache_resource(max_entries=256, show_spinner=False)
def chart(name: str, state: str, index: int, value: float | None):
    spec = json.loads(elements(name)[state][index]["spec"])
    if value is not None:
        layout = spec.setdefault("layout", {})
        title = layout.get("title") if isinstance(layout.get("title"), dict) else {}
        layout["title"] = {**title, "text": f"{title.get('text', '')} {value:g}"}
    return plotly.io.from_json(json.dumps(spec), skip_invalid=True)


transport()
name = st.query_params.get("floor", "playground")
page = elements(name)
with st.sidebar:  # the same kinds of element as app.py's sidebar (language, about, share link)
    st.selectbox("Language / 语言", ("English", "简体中文"), key="lang")
    st.divider()
    st.markdown("**effviz** " + "about " * 30)
    st.caption("MACs = multiply-accumulates; FLOPs = 2 × MACs " * 2)
    with st.expander("Share this view"):
        st.code(f"http://127.0.0.1/{name}?floor={name}", language=None, wrap_lines=True)
        st.caption("share " * 20)
static_charts = st.query_params.get("charts") == "static"  # the cheaper floor: charts never change
# what drives the page: the driver-th slider or select slider (drive=slider), or selectbox (drive=selectbox)
drive = st.query_params.get("drive", "slider")
driver = int(st.query_params.get("driver", 0))
sliders = selects = 0
value = 0.0
# Replay (the page was recorded at both settings of the moved widget: "elements" and "moved"): draw the page's
# own output at the setting the widget now has, word for word; the widget itself always as first recorded.
replay = "moved" in page
state = "elements"
if replay:
    first = page["elements"][page["driver"]]
    if st.session_state.get(f"w{page['driver']}", first["value"]) != first["value"]:
        state = "moved"
WIDGETS = {"slider", "select_slider", "selectbox", "radio", "checkbox", "toggle", "number_input"}
for i, el in enumerate(page[state]):
    unmoved = page["elements"][i] if i < len(page["elements"]) and page["elements"][i]["kind"] == el["kind"] else el
    if replay and el["kind"] in WIDGETS:  # the controls as first drawn (a widget's recorded value after a rerun
        el = unmoved                      # is its default, not what it shows): what a move changes is output
    kind = el["kind"]
    sfx = "" if replay else f" {value:g}"
    if kind == "slider":
        v = st.slider(el["label"], el["min"], el["max"], el["value"], step=el["step"], key=f"w{i}")
        if drive == "slider" and sliders == driver:
            value = float(v)
        sliders += 1
    elif kind == "select_slider":
        v = st.select_slider(el["label"], el["options"], el["value"], key=f"w{i}")
        if drive == "slider" and sliders == driver:
            value = float(el["options"].index(v))
        sliders += 1
    elif kind == "selectbox":
        v = st.selectbox(el["label"], el["options"], el["options"].index(el["value"]), key=f"w{i}")
        if drive == "selectbox" and selects == driver:
            value = float(el["options"].index(v))
        selects += 1
    elif kind == "radio":
        st.radio(el["label"], el["options"], el["options"].index(el["value"]), key=f"w{i}", horizontal=True)
    elif kind in ("checkbox", "toggle"):
        (st.toggle if kind == "toggle" else st.checkbox)(el["label"], el["value"], key=f"w{i}")
    elif kind == "number_input":
        st.number_input(el["label"], value=el["value"], key=f"w{i}")
    elif kind == "button":
        st.button(el["label"], key=f"w{i}")
    elif kind == "download_button":
        st.download_button(el["label"], el["body"].encode(), key=f"w{i}")
    elif kind == "page_link":
        st.page_link("https://example.invalid/", label=el["label"])
    elif kind == "metric":
        st.metric(el["label"], f"{el['body']}{sfx}")
    elif kind == "heading":
        st.subheader(f"{el['body']}{sfx}")
    elif kind == "latex":
        st.latex(el["body"] if replay else f"{el['body']} \\quad {value:g}")
    elif kind == "caption":
        st.caption(f"{el['body']}{sfx}")
    elif kind == "code":
        st.code(f"{el['body']}{sfx}", language=None)
    elif kind == "divider":
        st.divider()
    elif kind == "alert":
        st.info(f"{el['body']}{sfx}")
    elif kind == "table":
        st.table([[f"{c}{sfx}" for c in row] for row in el["rows"]])
    elif kind == "graphviz_chart":  # the browser lays it out again on every change: the value goes into a label
        spec = el["spec"] if static_charts or replay else re.sub('label="', f'label="{value:g} ', el["spec"], count=1)
        st.graphviz_chart(unmoved["spec"] if static_charts and replay else spec)
    elif kind == "plotly_chart":
        if replay:
            static = static_charts and unmoved is not el
            st.plotly_chart(chart(name, "elements" if static else state, i, None), key=f"w{i}")
        else:
            st.plotly_chart(chart(name, "elements", i, 0.0 if static_charts else value), key=f"w{i}")
    else:  # markdown and anything else that is text
        st.markdown(f"{el['body']}{sfx}")
