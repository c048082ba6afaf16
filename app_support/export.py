"""Tables with their CSV download, the same everywhere (every table of the app can be taken away)."""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from app_support.i18n import t


def shared_frame(rows: list[dict], index: str | None = None) -> pd.DataFrame:
    """pd.DataFrame(rows), indexed by column `index` and with missing cells empty, made once per content and
    shared by every session: read only (st.table and the CSV button only read it). Rows are dicts of text and
    numbers, cheap to build on every rerun; the DataFrame and its index were the costly part (0.5-1 ms a table,
    a fifth of a Latency Lab rerun's CPU, measured with py-spy)."""
    return _shared_frame(repr((rows, index)), rows, index)


@st.cache_resource(max_entries=512, show_spinner=False)
def _shared_frame(content: str, _rows: list[dict], index: str | None) -> pd.DataFrame:
    frame = pd.DataFrame(_rows)
    if index is not None:
        frame = frame.set_index(index)
    return frame.fillna("") if frame.isna().to_numpy().any() else frame


def csv_bytes(frame: pd.DataFrame, index: bool = True) -> bytes:
    return frame.to_csv(index=index).encode("utf-8")


def csv_button(frame: pd.DataFrame, name: str, *, index: bool = True, label: str | None = None) -> None:
    """A download button for `frame` as CSV (UTF-8). `name` is a stable slug: the widget key and the file name.
    The CSV is written when the button is clicked (pandas' to_csv was a tenth of a Playground rerun's CPU when
    written on every rerun)."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-")
    st.download_button(label or t("export.csv"), lambda: csv_bytes(frame, index), file_name=f"effviz-{slug}.csv",
                       mime="text/csv", key=f"csv_{slug}", on_click="ignore")


def table_with_csv(frame: pd.DataFrame, name: str, *, index: bool = True) -> None:
    """st.table (static: cheap to redraw on every rerun) and a download button for the same data as CSV."""
    st.table(frame)
    csv_button(frame, name, index=index)
