"""Tables with their CSV download, the same everywhere (every table of the app can be taken away)."""
from __future__ import annotations

import re
import weakref

import pandas as pd
import pyarrow as pa
import streamlit as st

from app_support.shell.i18n import t


def shared_frame(rows: list[dict], index: str | None = None) -> pd.DataFrame:
    """pd.DataFrame(rows), indexed by column `index` and with missing cells empty, made once per content and
    shared by every session: read only (st.table and the CSV button only read it). Rows are dicts of text and
    numbers, cheap to build on every rerun; the DataFrame and its index were the costly part (0.5-1 ms a table,
    a fifth of a Latency Lab rerun's CPU, measured with py-spy)."""
    return _shared_frame(repr((rows, index)), rows, index)


# Each live shared frame's Arrow table, made with it. Given a DataFrame, st.table converts it on every call (pyarrow's
# from_pandas: 0.8-1.3 ms a table, 12% of a Latency Lab rerun's CPU in py-spy); given the same data as an Arrow
# table it only writes it out. An entry goes when its frame does (so an id is never reused for another frame).
_ARROW: dict[int, pa.Table] = {}


@st.cache_resource(max_entries=512, show_spinner=False)
def _shared_frame(content: str, _rows: list[dict], index: str | None) -> pd.DataFrame:
    frame = pd.DataFrame(_rows)
    if index is not None:
        frame = frame.set_index(index)
    frame = frame.fillna("") if frame.isna().to_numpy().any() else frame
    try:
        arrow = pa.Table.from_pandas(frame)  # what st.table does with a DataFrame
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return frame  # mixed types in a column: left to st.table, which makes such a frame convertible first
    _ARROW[id(frame)] = arrow
    weakref.finalize(frame, _ARROW.pop, id(frame), None)
    return frame


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
    """st.table (static: cheap to redraw on every rerun) and a download button for the same data as CSV. A shared
    frame is drawn from its Arrow table, made once."""
    # the index and header settings st.table works out for a DataFrame (from an Arrow table it would convert the
    # table back to pandas to find them)
    st.table(_ARROW.get(id(frame), frame), hide_index=isinstance(frame.index, pd.RangeIndex), hide_header=False)
    csv_button(frame, name, index=index)
