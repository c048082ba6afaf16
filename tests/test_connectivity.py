"""Connectivity measured on real modules (autograd Jacobian sparsity) against the wiring derived here,
independently, from numpy: block masks for group convs, a reshape/transpose/flatten permutation matrix for the
shuffle, composed by boolean matrix products."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from effviz import blocks
from effviz.shuffle import connectivity

# --- the independent expectation ------------------------------------------------------------------------------


def group_mask(c_out: int, c_in: int, groups: int) -> np.ndarray:
    """A grouped conv's channel wiring: output o reads input i iff they are in the same group."""
    return (np.arange(c_out)[:, None] // (c_out // groups)) == (np.arange(c_in)[None, :] // (c_in // groups))


def shuffle_mask(channels: int, groups: int) -> np.ndarray:
    """Permutation matrix of reshape (g, C/g) -> transpose -> flatten: row o has its 1 at the source channel."""
    order = np.arange(channels).reshape(groups, channels // groups).T.flatten()
    return np.eye(channels, dtype=bool)[order]


def compose(*masks: np.ndarray) -> np.ndarray:
    """Masks listed first-applied first; result[o, i]: some path from input i to output o."""
    total = masks[0]
    for m in masks[1:]:
        total = (m.astype(np.int64) @ total.astype(np.int64)) > 0
    return total


def expected_stack(channels: int, groups: int, layers: int, shuffle: bool) -> np.ndarray:
    masks = []
    for k in range(layers):
        if k and shuffle:
            masks.append(shuffle_mask(channels, groups))
        masks.append(group_mask(channels, channels, groups))
    return compose(*masks)


def groups_seen(matrix: np.ndarray, groups: int) -> np.ndarray:
    owner = np.arange(matrix.shape[1]) // (matrix.shape[1] // groups)
    return np.array([len(set(owner[row])) for row in matrix])


@st.composite
def channels_and_groups(draw, max_channels: int = 36):
    channels = draw(st.integers(1, max_channels))
    groups = draw(st.sampled_from([d for d in range(1, channels + 1) if channels % d == 0]))
    return channels, groups


# --- group-conv stacks ----------------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(channels_and_groups(), st.integers(1, 3), st.booleans(), st.sampled_from([1, 3]))
def test_stack_matches_the_wiring_composed_in_numpy(cg, layers, shuffle, kernel):
    c, g = cg
    result = connectivity.stack(c, g, layers, shuffle, kernel)
    assert np.array_equal(result.total.matrix, expected_stack(c, g, layers, shuffle))
    assert np.array_equal(result.total.groups_seen(), groups_seen(expected_stack(c, g, layers, shuffle), g))


@settings(max_examples=30, deadline=None)
@given(channels_and_groups(), st.integers(1, 3))
def test_without_shuffle_the_connectivity_is_block_diagonal(cg, layers):
    c, g = cg
    total = connectivity.stack(c, g, layers, shuffle=False).total
    assert np.array_equal(total.matrix, np.kron(np.eye(g, dtype=bool), np.ones((c // g, c // g), dtype=bool)))
    assert total.is_block_diagonal()
    assert (total.groups_seen() == 1).all()


@settings(max_examples=30, deadline=None)
@given(channels_and_groups())
def test_with_a_shuffle_between_two_group_convs_each_output_sees_min_g_and_c_over_g_groups(cg):
    c, g = cg
    total = connectivity.stack(c, g, 2, shuffle=True).total
    assert (total.groups_seen() == min(g, c // g)).all()
    assert total.mixes_all() == (c // g >= g)


@pytest.mark.parametrize("channels, groups, seen", [
    (12, 1, 1),    # g = 1: a dense conv, the one group is all there is
    (12, 12, 1),   # g = C (depthwise): the shuffle is the identity, nothing mixes
    (8, 4, 2),     # C/g = 2 < g = 4: each output sees only 2 of the 4 groups
    (18, 6, 3),    # C/g = 3 < 6
    (16, 4, 4),    # C/g = g: exactly every group once
    (12, 3, 3),    # C/g = 4 > g: every group
    (2, 2, 1),
])
def test_edge_cases_two_layers_with_shuffle(channels, groups, seen):
    result = connectivity.stack(channels, groups, 2, shuffle=True)
    assert (result.total.groups_seen() == seen).all()
    assert seen == min(groups, channels // groups)


def test_a_third_layer_finishes_the_mixing_when_c_over_g_is_small():
    # 8 channels in 4 groups: two layers reach 2 groups each, the third reaches all 4 (computed by numpy too)
    two, three = (connectivity.stack(8, 4, n, shuffle=True).total for n in (2, 3))
    assert (two.groups_seen() == 2).all() and not two.mixes_all()
    assert three.mixes_all()
    assert np.array_equal(three.matrix, expected_stack(8, 4, 3, True))


@settings(max_examples=20, deadline=None)
@given(channels_and_groups(24), st.integers(1, 3), st.booleans())
def test_each_step_is_measured_alone_and_the_steps_compose_to_the_cut_stacks(cg, layers, shuffle):
    c, g = cg
    result = connectivity.stack(c, g, layers, shuffle)
    expected_names = []
    for k in range(1, layers + 1):
        if k > 1 and shuffle:
            expected_names.append(f"shuffle{k - 1}")
        expected_names.append(f"gconv{k}")
    assert result.steps == tuple(expected_names)
    for name, step in zip(result.steps, result.step_matrices, strict=True):
        want = shuffle_mask(c, g) if name.startswith("shuffle") else group_mask(c, c, g)
        assert np.array_equal(step, want), name
    for k, cut in enumerate(result.cumulative):
        assert np.array_equal(cut.matrix, compose(*result.step_matrices[:k + 1])), k


def test_stack_is_built_from_effviz_blocks_and_the_shuffle():
    model = connectivity.group_stack(12, 3, layers=3, shuffle=True, kernel=3)
    assert [name for name, _ in model.named_children()] == ["gconv1", "shuffle1", "gconv2", "shuffle2", "gconv3"]
    conv = model.gconv1.conv
    assert (conv.in_channels, conv.out_channels, conv.groups, conv.kernel_size) == (12, 12, 3, (3, 3))
    spec = blocks.make("group", c_in=12, c_out=12, groups=3, kernel=3, norm=True, activation="relu")
    assert sum(p.numel() for p in model.gconv1.parameters()) == spec.cost(4, 4).params
    x = torch.randn(1, 12, 1, 1)
    assert torch.equal(model.shuffle1(x), x[:, [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]])


def test_measuring_leaves_the_module_untouched():
    model = connectivity.group_stack(8, 2, layers=2)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    model.train()
    connectivity.measure(model, 8, groups=2)
    assert model.training
    after = model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_positive_probe_finds_links_a_signed_random_probe_can_miss():
    # A ReLU that is off hides a connection from a Jacobian with signed weights; the positive probe cannot miss it.
    from torch import nn

    module = nn.Sequential(nn.Conv2d(4, 4, 1, bias=True), nn.ReLU())
    with torch.no_grad():
        module[0].weight.fill_(-1.0)
        module[0].bias.fill_(-10.0)
    assert connectivity.measure(module, 4).matrix.all()


# --- verdicts -------------------------------------------------------------------------------------------------


def test_verdicts_name_the_groups_seen():
    without = connectivity.stack(12, 3, 2, shuffle=False).total
    with_ = connectivity.stack(12, 3, 2, shuffle=True).total
    v = connectivity.verdict(without, 5)
    assert (v.output, v.seen, v.groups, v.count, v.all) == (5, (1,), 3, 1, False)
    assert str(v) == "output channel 5 sees 1 of 3 groups (1)"
    v = with_.verdict(5)
    assert v.all and v.seen == (0, 1, 2) and str(v) == "output channel 5 sees all 3 groups"
    assert str(connectivity.stack(4, 1, 1).total.verdict(0)) == "output channel 0 sees the only group"
    partial = connectivity.stack(8, 4, 2, shuffle=True).total.verdict(7)
    assert partial.count == 2 and "2 of 4 groups" in str(partial)


@pytest.mark.parametrize("output", [-1, 12, 2.0, True])
def test_verdict_refuses_a_channel_that_does_not_exist(output):
    conn = connectivity.stack(12, 3, 1).total
    with pytest.raises(ValueError, match="output must be a channel index 0..11"):
        conn.verdict(output)


# --- ShuffleNet units -----------------------------------------------------------------------------------------


def expected_v1(c: int, groups: int, shuffle: bool) -> np.ndarray:
    mid = c // 4
    shuffled = shuffle_mask(mid, groups) if shuffle else np.eye(mid, dtype=bool)
    branch = compose(group_mask(mid, c, groups), shuffled, np.eye(mid, dtype=bool), group_mask(c, mid, groups))
    return branch | np.eye(c, dtype=bool)  # + identity shortcut


def expected_v2(c: int) -> np.ndarray:
    half = c // 2
    split = np.zeros((c, c), dtype=bool)
    split[:half, :half] = np.eye(half, dtype=bool)       # left half passes through
    split[half:, half:] = True                           # right half: 1x1 (dense) -> depthwise -> 1x1 (dense)
    return compose(split, shuffle_mask(c, 2))


@st.composite
def v1_stride1(draw):
    g = draw(st.sampled_from([1, 2, 3, 4, 8]))
    m = draw(st.integers(1, 4))
    return 4 * g * m, g


@settings(max_examples=15, deadline=None)
@given(v1_stride1(), st.booleans(), st.integers(1, 2))
def test_shufflenet_v1_unit_matches_its_wiring(cg, shuffle, units):
    c, g = cg
    conn = connectivity.unit("shuffle_v1", units=units, shuffle=shuffle, c_in=c, c_out=c, groups=g)
    one = expected_v1(c, g, shuffle)
    assert np.array_equal(conn.matrix, compose(*[one] * units))
    assert conn.groups == g


def test_shufflenet_v1_paper_unit_mixes_all_groups_only_with_its_shuffle():
    spec = dict(c_in=240, c_out=240, groups=3)  # stage 2 of ShuffleNet 1x (g = 3)
    assert connectivity.unit("shuffle_v1", **spec).mixes_all()
    without = connectivity.unit("shuffle_v1", shuffle=False, **spec)
    assert without.is_block_diagonal()


def test_unshuffled_v1_unit_keeps_every_conv_as_built():
    shuffled, plain = (connectivity.unit_stack("shuffle_v1", shuffle=s, c_in=48, c_out=48, groups=3)
                       for s in (True, False))
    assert plain.groups == 1 and shuffled.groups == 3
    assert [p.shape for p in plain.parameters()] == [p.shape for p in shuffled.parameters()]
    assert plain.gconv1.conv.groups == 3 and plain.gconv2.conv.groups == 3


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 24), st.integers(1, 3))
def test_shufflenet_v2_units_match_their_wiring(half, units):
    c = 2 * half
    conn = connectivity.unit("shuffle_v2", units=units, c_in=c, c_out=c)
    assert np.array_equal(conn.matrix, compose(*[expected_v2(c)] * units))
    assert conn.groups == 2


def test_shufflenet_v2_unit_facts():
    one = connectivity.unit("shuffle_v2", c_in=116, c_out=116)
    # one unit: every output comes from one half only (left: copied; right: computed from the right half)
    assert one.is_block_diagonal()
    two = connectivity.unit("shuffle_v2", units=2, c_in=116, c_out=116)
    assert set(two.groups_seen().tolist()) == {1, 2}
    # channel 0 is on the pass-through side in every unit and the 2-group shuffle keeps it in place
    assert two.matrix[0].sum() == 1 and two.matrix[0, 0]
    down = connectivity.unit("shuffle_v2", c_in=24, c_out=48, stride=2)
    assert down.matrix.shape == (48, 24) and down.matrix.all()


def test_v1_stride2_unit_concats_a_pooled_shortcut():
    conn = connectivity.unit("shuffle_v1", c_in=24, c_out=48, groups=3, stride=2)
    assert conn.matrix.shape == (48, 24)
    assert np.array_equal(conn.matrix[:24], np.eye(24, dtype=bool))   # the average-pooled input, channel by channel
    assert (conn.groups_seen()[24:] == 3).all()


# --- bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("call, message", [
    (lambda: connectivity.stack(12, 5), r"groups=5 must divide channels=12; valid groups: \[1, 2, 3, 4, 6, 12\]"),
    (lambda: connectivity.stack(12, 3, layers=4), "layers must be 1..3"),
    (lambda: connectivity.stack(0, 1), "channels must be 1..512"),
    (lambda: connectivity.stack(12, 3, kernel=2), "kernel must be odd"),
    (lambda: connectivity.unit("ghost_module"), "family must be one of shuffle_v1, shuffle_v2"),
    (lambda: connectivity.unit("shuffle_v2", units=2, c_in=24, c_out=48, stride=2), "units must be 1"),
    (lambda: connectivity.unit("shuffle_v2", shuffle=False), "shuffle can be turned off only for shuffle_v1"),
    (lambda: connectivity.unit("shuffle_v1", c_in=960, c_out=960), "at most 512"),
    (lambda: connectivity.unit("shuffle_v1", c_in=48, c_out=48, groups=5), "valid groups"),
])
def test_invalid_input_names_the_parameter(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_importing_connectivity_does_not_import_torch():
    code = ("import sys; from effviz.shuffle import connectivity; connectivity.Verdict(0, (0,), 1); "
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
