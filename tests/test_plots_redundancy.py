"""effviz.plots.redundancy_charts.feature_grid: one heatmap per chosen map, each tile labelled with its channel."""
from __future__ import annotations

import numpy as np
import pytest

from effviz.plots import redundancy_charts as charts


@pytest.mark.parametrize("cols", [1, 3, 8])
def test_feature_grid_labels_every_tile_with_its_channel_at_its_corner(cols):
    maps = np.random.default_rng(0).random((12, 10, 10)).astype(np.float32)
    channels = [7, 2, 11, 0, 5]
    fig = charts.feature_grid(maps, channels, cols=cols)
    labels = fig.layout.annotations
    assert [a.text for a in labels] == [str(c) for c in channels]
    step = 10 + charts.GAP  # tiles of 10x10 (no pooling below MAX_TILE) and the gap between them
    for k, a in enumerate(labels):
        r, q = divmod(k, min(cols, len(channels)))
        assert (a.x, a.y) == (q * step + 1, r * step + 1)
    heat = fig.data[0]  # the first tile is channel 7: its raw values, coloured over its own range
    assert np.array_equal(np.asarray(heat.z), maps[7])
    assert (heat.zmin, heat.zmax) == (float(maps[7].min()), float(maps[7].max()))
    assert heat.hovertemplate.startswith("channel 7<br>")
    assert heat.customdata is None  # the map is sent once, not again beside a rescaled copy
