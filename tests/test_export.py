"""app_support.shell.export: every table's CSV holds the table's own cells."""
from __future__ import annotations

import io

import pandas as pd

from app_support.shell.export import csv_bytes, shared_frame


def test_csv_is_the_table():
    frame = pd.DataFrame({"Part": ["depthwise", "pointwise"], "MACs": ["200,704", "1,605,632"]}).set_index("Part")
    back = pd.read_csv(io.BytesIO(csv_bytes(frame)), index_col=0, dtype=str)
    assert back.index.tolist() == ["depthwise", "pointwise"]
    assert back["MACs"].tolist() == ["200,704", "1,605,632"]
    assert "Part" not in pd.read_csv(io.BytesIO(csv_bytes(frame, index=False))).columns


def test_shared_frame_is_made_once_per_content():
    rows = [{"Part": "depthwise", "MACs": "200,704"}, {"Part": "pointwise", "MACs": "1,605,632", "Note": "x"}]
    frame = shared_frame(rows, "Part")
    assert frame.index.tolist() == ["depthwise", "pointwise"]
    assert frame["Note"].tolist() == ["", "x"]  # a missing cell is empty, not NaN
    assert shared_frame([dict(r) for r in rows], "Part") is frame  # equal rows: the same shared frame
    changed = [rows[0], {**rows[1], "MACs": "1,605,633"}]
    assert shared_frame(changed, "Part")["MACs"].tolist() == ["200,704", "1,605,633"]
    assert shared_frame([{"n": 1}]) is not shared_frame([{"n": 1.0}])  # 1 and 1.0 print differently
    assert list(shared_frame(rows).columns) == ["Part", "MACs", "Note"]


def test_a_shared_frame_is_sent_as_st_table_sends_the_frame():
    # st.table gets a shared frame's Arrow table, made once: what it sends must be what it sends for the frame
    import gc

    from streamlit.testing.v1 import AppTest

    from app_support.shell import export

    def page(rows):
        import pandas as pd
        import streamlit as st

        from app_support.shell.export import shared_frame, table_with_csv

        for index in ("Family", None):
            st.table(pd.DataFrame(rows).set_index(index) if index else pd.DataFrame(rows))
            table_with_csv(shared_frame(rows, index), f"t-{index}")

    rows = [{"Family": "ghost", "Params": "1,024", "ms": 0.25}, {"Family": "standard", "Params": "2,048", "ms": 1.5}]
    at = AppTest.from_function(page, args=(rows,)).run()
    assert not at.exception
    sent = [(t.proto.arrow_data.data, t.proto.hide_index, t.proto.hide_header) for t in at.get("table")]
    assert len(sent) == 4 and sent[0] == sent[1] and sent[2] == sent[3]
    assert sent[1][1] is False and sent[3][1] is True   # an index shown, a range index hidden

    frame = shared_frame(rows, "Family")
    assert id(frame) in export._ARROW
    mixed = shared_frame([{"a": 1.5}, {"a": "x"}])          # pyarrow refuses it: st.table gets the frame itself
    assert id(mixed) not in export._ARROW
    key = id(frame)
    export._shared_frame.clear()
    del frame
    gc.collect()
    assert key not in export._ARROW                          # gone with its frame


def test_table_with_csv_draws_a_shared_frame_from_its_arrow_table(monkeypatch):
    from app_support.shell import export

    frame = shared_frame([{"Part": "pointwise", "MACs": "1,605,632"}], "Part")
    drawn = []
    monkeypatch.setattr(export.st, "table", lambda data, **kw: drawn.append(data))
    monkeypatch.setattr(export, "csv_button", lambda *a, **k: None)
    export.table_with_csv(frame, "t")
    export.table_with_csv(frame.copy(), "t")                # not shared: drawn from the frame, as before
    assert drawn[0] is export._ARROW[id(frame)] and isinstance(drawn[1], pd.DataFrame)
