"""effviz.redundancy.shown_maps without the app: which maps the Feature Redundancy page shows side by side."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from effviz.redundancy import shown_maps
from effviz.redundancy.similarity import Pair


def rebuild(map_error, intrinsic, source):
    return SimpleNamespace(map_error=np.asarray(map_error), source=np.asarray(source), intrinsic=np.asarray(intrinsic),
                           ghosts=np.setdiff1d(np.arange(len(source)), intrinsic))


def test_pair_rows_put_two_pairs_on_a_row():
    assert shown_maps.pair_rows([Pair(0, 5, 0.9), Pair(2, 3, 0.8), Pair(7, 1, 0.7)]) == [[0, 5, 2, 3], [7, 1]]
    assert shown_maps.pair_rows([]) == []


def test_neighbour_row_starts_with_the_channel():
    assert shown_maps.neighbour_row(4, [Pair(4, 9, 0.95), Pair(4, 2, 0.5)]) == [4, 9, 2]


def test_ghost_examples_are_the_two_best_and_two_worst_rebuilt_maps():
    # maps 0 and 1 intrinsic; ghosts 2..7 with errors 0.5, 0.1, 0.9, 0.3, 0.7, 0.2
    rec = rebuild([0, 0, 0.5, 0.1, 0.9, 0.3, 0.7, 0.2], [0, 1], [0, 1, 0, 1, 0, 1, 0, 1])
    assert shown_maps.ghost_examples(rec) == [3, 7, 6, 4]   # best (0.1, 0.2), then the worst two (0.7, 0.9)
    assert shown_maps.ghost_examples(rebuild([0, 0.4, 0.2], [0], [0, 0, 0])) == [2, 1]   # fewer: each once
    assert shown_maps.ghost_examples(rebuild([0, 0], [0, 1], [0, 1])) == []


def test_sweep_slices_follow_one_axis():
    points = [SimpleNamespace(ratio=s, dw_kernel=d, ghost_error=s * 10 + d) for s in (2, 3) for d in (1, 3)]
    vs_d, vs_s = shown_maps.sweep_slices({"a": points}, s=3, d=1)
    assert vs_d == {"a": [(1, 31), (3, 33)]} and vs_s == {"a": [(2, 21), (3, 31)]}
