"""app_support.export: every table's CSV holds the table's own cells."""
from __future__ import annotations

import io

import pandas as pd

from app_support.export import csv_bytes, shared_frame


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
