"""The floor for bench/bench_browser_floor.py: one of effviz's pages redrawn with no computation at all.

bench_browser_floor.py records the elements a page sends (its widgets, metrics, formulas, tables, alerts and
Plotly charts with their full specs) into EFFVIZ_FLOOR_DIR/<page>.json; this script, opened at
?floor=<page>&driver=<n> (n: which of the page's sliders and select sliders is moved),
draws the same kinds and number of elements in the same order. The slider the benchmark moves drives every
element: each metric, text and chart title shows its value, so a move redraws the whole page, as a page that
recomputes everything would; with &charts=static the charts stay the same (only text changes), the floor of a
page whose move changes no chart. Figures are parsed once per (chart, value) and shared, so the server's work
per rerun is Streamlit's own: what no page with these elements can avoid."""
from __future__ import annotations

import json
import os
from pathlib import Path

import plotly.io
import streamlit as st

FLOOR_DIR = Path(os.environ.get("EFFVIZ_FLOOR_DIR", "test-artifacts/floor"))


@st.cache_resource(show_spinner=False)
def elements(name: str) -> dict:
    return json.loads((FLOOR_DIR / f"{name}.json").read_text())


@st.cache_resource(max_entries=256, show_spinner=False)
def chart(name: str, index: int, value: float):
    spec = json.loads(elements(name)["elements"][index]["spec"])
    layout = spec.setdefault("layout", {})
    title = layout.get("title") if isinstance(layout.get("title"), dict) else {}
    layout["title"] = {**title, "text": f"{title.get('text', '')} {value:g}"}
    return plotly.io.from_json(json.dumps(spec), skip_invalid=True)


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
driver = int(st.query_params.get("driver", 0))  # which slider or select slider (in page order) drives the page
sliders = 0
value = 0.0
for i, el in enumerate(page["elements"]):
    kind = el["kind"]
    if kind == "slider":
        v = st.slider(el["label"], el["min"], el["max"], el["value"], step=el["step"], key=f"w{i}")
        if sliders == driver:
            value = float(v)
        sliders += 1
    elif kind == "select_slider":
        v = st.select_slider(el["label"], el["options"], el["value"], key=f"w{i}")
        if sliders == driver:
            value = float(el["options"].index(v))
        sliders += 1
    elif kind == "selectbox":
        st.selectbox(el["label"], el["options"], el["options"].index(el["value"]), key=f"w{i}")
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
        st.metric(el["label"], f"{el['body']} {value:g}")
    elif kind == "heading":
        st.subheader(f"{el['body']} {value:g}")
    elif kind == "latex":
        st.latex(f"{el['body']} \\quad {value:g}")
    elif kind == "caption":
        st.caption(f"{el['body']} {value:g}")
    elif kind == "code":
        st.code(f"{el['body']} {value:g}", language=None)
    elif kind == "divider":
        st.divider()
    elif kind == "alert":
        st.info(f"{el['body']} {value:g}")
    elif kind == "table":
        st.table([[f"{c} {value:g}" for c in row] for row in el["rows"]])
    elif kind == "plotly_chart":
        st.plotly_chart(chart(name, i, 0.0 if static_charts else value), key=f"w{i}")
    else:  # markdown and anything else that is text
        st.markdown(f"{el['body']} {value:g}")
