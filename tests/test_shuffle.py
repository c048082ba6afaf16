"""Channel shuffle: the permutation, the tensor op and the animation's stages against numpy/torch's own
reshape -> transpose -> flatten (computed here, independently of effviz.shuffle)."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from effviz import shuffle


@st.composite
def channels_and_groups(draw, max_channels: int = 96):
    """A valid (C, g) pair: g any divisor of C, so g = 1, g = C, C/g < g and C/g > g all get drawn."""
    channels = draw(st.integers(1, max_channels))
    groups = draw(st.sampled_from([d for d in range(1, channels + 1) if channels % d == 0]))
    return channels, groups


def numpy_shuffle_order(channels: int, groups: int) -> list[int]:
    return np.arange(channels).reshape(groups, channels // groups).T.flatten().tolist()


@given(channels_and_groups())
def test_permutation_is_reshape_transpose_flatten(cg):
    c, g = cg
    assert shuffle.permutation(c, g) == numpy_shuffle_order(c, g)


@given(channels_and_groups())
def test_permutation_is_a_permutation_and_inverted_by_the_transposed_shuffle(cg):
    c, g = cg
    perm = shuffle.permutation(c, g)
    assert sorted(perm) == list(range(c))
    back = shuffle.permutation(c, c // g)  # reshape (C/g, g) -> transpose undoes reshape (g, C/g) -> transpose
    assert [perm[back[i]] for i in range(c)] == list(range(c))


@settings(max_examples=40, deadline=None)
@given(channels_and_groups(48), st.integers(1, 3), st.integers(1, 4))
def test_channel_shuffle_moves_channels_as_the_permutation_says(cg, batch, size):
    c, g = cg
    x = torch.randn(batch, c, size, size + 1)
    y = shuffle.channel_shuffle(x, g)
    assert y.shape == x.shape
    torch.testing.assert_close(y, x[:, shuffle.permutation(c, g)], rtol=0, atol=0)


def test_textbook_example_12_channels_3_groups():
    # channels 0-3 are group 0, 4-7 group 1, 8-11 group 2; after the shuffle the groups take turns
    out = shuffle.channel_shuffle(torch.arange(12).reshape(1, 12, 1, 1), 3).flatten().tolist()
    assert out == numpy_shuffle_order(12, 3)
    assert [shuffle.source_group(ch, 12, 3) for ch in out] == [0, 1, 2] * 4


@given(channels_and_groups())
def test_stages_are_the_reshape_transpose_and_flatten(cg):
    c, g = cg
    stages = shuffle.stages(c, g)
    assert [s.name for s in stages] == list(shuffle.STAGE_NAMES)
    grid = np.arange(c).reshape(g, c // g)
    assert np.array_equal(np.array(stages[0].layout), np.arange(c)[None, :])
    assert np.array_equal(np.array(stages[1].layout), grid)
    assert np.array_equal(np.array(stages[2].layout), grid.T)
    assert (stages[1].rows, stages[1].cols, stages[2].rows, stages[2].cols) == (g, c // g, c // g, g)
    for s in stages:
        assert sorted(s.order()) == list(range(c)) and len(s.position()) == c


@settings(deadline=None)
@given(channels_and_groups())
def test_last_stage_equals_channel_shuffle_of_arange(cg):
    c, g = cg
    last = shuffle.stages(c, g)[-1]
    shuffled = shuffle.channel_shuffle(torch.arange(c).reshape(1, c), g)[0].tolist()
    assert last.rows == 1 and list(last.layout[0]) == shuffled


@pytest.mark.parametrize("channels, groups", [(12, 1), (12, 12), (1, 1)])
def test_one_group_and_one_channel_per_group_leave_the_order_alone(channels, groups):
    assert shuffle.permutation(channels, groups) == list(range(channels))


def test_source_group():
    assert [shuffle.source_group(ch, 6, 2) for ch in range(6)] == [0, 0, 0, 1, 1, 1]
    with pytest.raises(ValueError, match="channel must be 0..5"):
        shuffle.source_group(6, 6, 2)


@pytest.mark.parametrize("channels, groups, message", [
    (12, 5, r"groups=5 must divide channels=12; valid groups: \[1, 2, 3, 4, 6, 12\]"),
    (0, 1, "channels must be a positive integer"),
    (12, 0, "groups must be a positive integer"),
    (12, True, "groups must be a positive integer"),
    (12.0, 3, "channels must be a positive integer"),
])
def test_invalid_input_names_the_parameter(channels, groups, message):
    with pytest.raises(ValueError, match=message):
        shuffle.permutation(channels, groups)
    with pytest.raises(ValueError, match=message):
        shuffle.stages(channels, groups)


def test_channel_shuffle_refuses_groups_that_do_not_divide():
    with pytest.raises(ValueError, match="valid groups"):
        shuffle.channel_shuffle(torch.zeros(1, 10, 2, 2), 4)


def test_importing_shuffle_does_not_import_torch():
    code = "import sys, effviz.shuffle; effviz.shuffle.stages(12, 3); print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
