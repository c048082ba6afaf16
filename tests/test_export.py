"""app_support.export: every table's CSV holds the table's own cells."""
from __future__ import annotations

import io

import pandas as pd

from app_support.export import csv_bytes


def test_csv_is_the_table():
    frame = pd.DataFrame({"Part": ["depthwise", "pointwise"], "MACs": ["200,704", "1,605,632"]}).set_index("Part")
    back = pd.read_csv(io.BytesIO(csv_bytes(frame)), index_col=0, dtype=str)
    assert back.index.tolist() == ["depthwise", "pointwise"]
    assert back["MACs"].tolist() == ["200,704", "1,605,632"]
    assert "Part" not in pd.read_csv(io.BytesIO(csv_bytes(frame, index=False))).columns
