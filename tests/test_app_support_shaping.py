"""The helpers pages moved out of themselves (issue 12: pages are layout): number formats, the rows of maps the
Feature Redundancy page shows side by side, the Latency Lab's ranks and block rows, the ShuffleNet units, and the
Playground's block defaults that the Latency Lab times. Pages are covered end to end by their AppTests; these pin
the pieces on their own."""
from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from app_support.feature_redundancy import map_rows
from app_support.latency_lab.tables import block_rows, blocks_table, ranks
from app_support.playground import block as playground_block
from app_support.shell import block_choice, number_format
from effviz import blocks
from effviz.redundancy.similarity import Pair
from effviz.shuffle import units as shufflenet_units
from effviz.speed import latency


def test_number_formats():
    assert number_format.exact(1234567) == "1,234,567"
    assert number_format.tile(9_999) == "9,999" and number_format.tile(12_345_678) == "12.35 M"
    assert number_format.tile(25_000_000_000) == "25.00 G"
    assert number_format.three_digits(4_234_567) == "4.23 M"
    assert number_format.mebibytes(3 * 2**20) == "3.0 MB"
    assert number_format.milliseconds(0.0012) == "1.200" and number_format.milliseconds(0.0123) == "12.30"
    assert [number_format.megabytes(b) for b in (123_456, 12_345_678, 123_456_789)] == ["0.123", "12.35", "123.5"]
    assert number_format.decibels(math.inf) == "∞" and number_format.decibels(31.26) == "31.3 dB"


def test_pair_rows_put_two_pairs_on_a_row_and_title_each_once():
    pairs = [Pair(0, 5, 0.9), Pair(2, 3, 0.8), Pair(7, 1, 0.7)]
    rows, titles = map_rows.pair_rows(pairs)
    assert rows == [[0, 5, 2, 3], [7, 1]]
    assert [len(r) for r in titles] == [4, 2]
    assert titles[0][1] == titles[0][3] == titles[1][1] == ""
    assert "0.900" in titles[0][0] and "0.800" in titles[0][2] and "0.700" in titles[1][0]


def test_neighbour_row_starts_with_the_channel():
    row, titles = map_rows.neighbour_row(4, [Pair(4, 9, 0.95), Pair(4, 2, 0.5)])
    assert row == [4, 9, 2] and len(titles) == 3 and "0.950" in titles[1]


def rebuild(map_error, intrinsic, source):
    return SimpleNamespace(map_error=np.asarray(map_error), source=np.asarray(source), intrinsic=np.asarray(intrinsic),
                           ghosts=np.setdiff1d(np.arange(len(source)), intrinsic))


def test_ghost_examples_are_the_two_best_and_two_worst_rebuilt_maps():
    # maps 0 and 1 intrinsic; ghosts 2..7 with errors 0.5, 0.1, 0.9, 0.3, 0.7, 0.2
    rec = rebuild([0, 0, 0.5, 0.1, 0.9, 0.3, 0.7, 0.2], [0, 1], [0, 1, 0, 1, 0, 1, 0, 1])
    shown, titles = map_rows.ghost_examples(rec)
    assert shown == [3, 7, 6, 4]           # best (0.1, 0.2), then worst two in rising order (0.7, 0.9)
    assert len(titles) == 4 and all(len(t3) == 3 for t3 in titles)
    few, _ = map_rows.ghost_examples(rebuild([0, 0.4, 0.2], [0], [0, 0, 0]))
    assert few == [2, 1]                   # fewer than four ghosts: each once
    assert map_rows.ghost_examples(rebuild([0, 0], [0, 1], [0, 1])) == ([], [])


def lat(median: float) -> latency.Latency:
    return latency.Latency(median, median, median, (median,) * 3, number=1, threads=1, input_size=(1,))


def test_ranks_by_macs_and_by_time_break_ties_by_name():
    points = [latency.Point("b", 100, lat(0.3)), latency.Point("a", 100, lat(0.1)), latency.Point("c", 50, lat(0.3))]
    by_macs, by_time = ranks(points)
    assert by_macs == {"c": 1, "a": 2, "b": 3}
    assert by_time == {"a": 1, "b": 2, "c": 3}


def test_block_rows_cover_every_family_with_a_cost_or_a_reason():
    block = playground_block.DEFAULTS
    params = {k: v for k, v in block.items() if k in block_choice.TIMED and k not in ("family", "h", "w")}
    rows = block_rows(params, block["h"], block["w"])
    assert [r.family for r in rows] == list(blocks.names())
    for r in rows:
        if r.spec is None:
            assert r.note                   # why it cannot be built at these parameters
        else:
            assert r.macs == r.spec.cost(block["h"], block["w"]).macs and r.memory_bytes > 0
    # issue 21, item 1: the ShuffleNet units are not holes at the default 64 -> 128, stride 1; they are timed at
    # c_out = c_in, and the table's label says so
    shuffle = {r.family: r for r in rows if r.family.startswith("shuffle")}
    assert all(r.spec is not None and r.spec.c_out == r.spec.c_in == 64 for r in shuffle.values())
    table = blocks_table(rows, {})
    assert any("C_out 128 → 64" in label for label in table.index)


def test_the_playground_defaults_build_their_family():
    d = playground_block.DEFAULTS
    fields = blocks.field_names(d["family"])
    spec = blocks.make(d["family"], **{k: d[k] for k in playground_block.SHAPE_FIELDS if k in fields})
    assert spec.c_in == d["c_in"] and spec.c_out == d["c_out"]
    assert set(block_choice.TIMED) <= set(d)
    assert d["kernel"] in playground_block.KERNELS and d["se_ratio"] in playground_block.SE_RATIOS


@pytest.mark.parametrize("stride", [1, 2])
def test_shufflenet_units_keep_or_double_the_papers_stage2_width(stride):
    for g, c in shufflenet_units.V1_STAGE2.items():
        for w, c2 in shufflenet_units.V2_STAGE2.items():
            v1, v2 = shufflenet_units.units(g, w, stride)
            assert (v1.c_in, v1.c_out, v1.groups) == (c, c * stride, g)
            assert (v2.c_in, v2.c_out) == (c2, c2 * stride)
            assert shufflenet_units.spec_key(v1)[0] == "shuffle_v1"
