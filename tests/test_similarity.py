"""effviz.redundancy.similarity: matrices are symmetric with a unit diagonal; planted pairs are found; SSIM matches a
direct per-pair computation; clustering order, nearest neighbours and top pairs agree with brute force."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from effviz.redundancy import similarity


def noise(c, h=16, w=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(c, h, w, generator=g)


@settings(max_examples=25, deadline=None)
@given(c=st.integers(1, 12), h=st.integers(1, 20), w=st.integers(1, 20), seed=st.integers(0, 10_000),
       metric=st.sampled_from(similarity.METRICS))
def test_symmetric_unit_diagonal_bounded(c, h, w, seed, metric):
    s = similarity.matrix(noise(c, h, w, seed), metric)
    assert s.shape == (c, c) and s.dtype == np.float32
    assert np.array_equal(s, s.T)
    assert np.all(np.diag(s) == 1.0)
    assert np.all(s <= 1.0) and np.all(s >= -1.0)


def test_cosine_and_pearson_against_numpy():
    x = noise(6, 8, 8).numpy().reshape(6, -1).astype(np.float64)
    norm = x / np.linalg.norm(x, axis=1, keepdims=True)
    assert np.allclose(similarity.matrix(x.reshape(6, 8, 8), "cosine"), norm @ norm.T, atol=1e-5)
    assert np.allclose(similarity.matrix(x.reshape(6, 8, 8), "pearson"), np.corrcoef(x), atol=1e-5)


def test_known_pairs():
    a, b = noise(2, seed=1)
    maps = torch.stack([a, 3 * a, -a, a + 5, b])
    cos = similarity.matrix(maps, "cosine")
    pear = similarity.matrix(maps, "pearson")
    ssim = similarity.matrix(maps, "ssim")
    assert cos[0, 1] == pytest.approx(1, abs=1e-5)          # scaled copy
    assert cos[0, 2] == pytest.approx(-1, abs=1e-5)         # negated
    assert cos[0, 3] < 0.9                                  # an offset changes the direction...
    assert pear[0, 3] == pytest.approx(1, abs=1e-5)         # ...but not the correlation
    assert pear[0, 2] == pytest.approx(-1, abs=1e-5)
    assert abs(pear[0, 4]) < 0.25                           # independent noise
    assert ssim[0, 1] == pytest.approx(1, abs=1e-5)         # min-max normalisation removes scale...
    assert ssim[0, 3] == pytest.approx(1, abs=1e-5)         # ...and offset
    assert ssim[0, 2] < 0.2 and ssim[0, 4] < 0.3


def test_flat_maps_have_no_direction():
    maps = torch.stack([torch.zeros(8, 8), noise(1, 8, 8)[0], torch.full((8, 8), 2.0)])
    for metric in ("cosine", "pearson"):
        s = similarity.matrix(maps, metric)
        assert s[0, 1] == 0 and s[0, 0] == 1
    assert similarity.matrix(maps, "pearson")[2, 1] == 0


def ssim_reference(a: torch.Tensor, b: torch.Tensor) -> float:
    """SSIM of two maps the textbook way: normalise, Gaussian-filter the moments, average the SSIM map."""
    def norm(x):
        return (x - x.min()) / (x.max() - x.min())

    a, b = norm(a)[None, None].double(), norm(b)[None, None].double()
    h = a.shape[-1]
    win = min(7, h)
    stride = max(1, -(-(h - win + 1) // similarity.SSIM_MAX_POSITIONS))
    r = torch.arange(win, dtype=torch.float64) - (win - 1) / 2
    g = torch.exp(-r**2 / (2 * 1.5**2))
    k = (torch.outer(g, g) / torch.outer(g, g).sum())[None, None]

    def filt(x):
        return F.conv2d(x, k, stride=stride)

    mu_a, mu_b = filt(a), filt(b)
    va, vb = filt(a * a) - mu_a**2, filt(b * b) - mu_b**2
    cov = filt(a * b) - mu_a * mu_b
    c1, c2 = 0.01**2, 0.03**2
    m = (2 * mu_a * mu_b + c1) * (2 * cov + c2) / ((mu_a**2 + mu_b**2 + c1) * (va + vb + c2))
    return m.mean().item()


@pytest.mark.parametrize("size", [7, 20, 56])
def test_ssim_matches_a_direct_computation(size):
    maps = torch.relu(noise(4, size, size, seed=size))
    maps[1] = F.avg_pool2d(maps[0][None, None], 3, 1, 1)[0, 0] + 0.1 * maps[1]   # a related pair
    s = similarity.matrix(maps, "ssim")
    for i, j in itertools.combinations(range(4), 2):
        assert s[i, j] == pytest.approx(ssim_reference(maps[i], maps[j]), abs=1e-4)
    assert s[0, 1] > s[0, 2]


def test_unknown_metric_and_bad_shapes():
    with pytest.raises(ValueError, match="metric.*cosine, pearson, ssim"):
        similarity.matrix(noise(3), "euclid")
    with pytest.raises(ValueError, match=r"fmap.*\[C, H, W\]"):
        similarity.matrix(torch.zeros(3, 4))
    with pytest.raises(ValueError, match="NaN"):
        similarity.matrix(torch.full((2, 3, 3), float("nan")))


def planted(seed=0):
    """12 maps: pairs (0, 7), (3, 9), (5, 11) are noisy copies; the rest is independent noise."""
    x = noise(12, 12, 12, seed)
    for i, j, eps in ((0, 7, 0.05), (3, 9, 0.1), (5, 11, 0.2)):
        x[j] = x[i] + eps * x[j]
    return x


def test_top_pairs_finds_the_planted_pairs_in_order():
    s = similarity.matrix(planted(), "pearson")
    top = similarity.top_pairs(s, 3)
    assert [(p.i, p.j) for p in top] == [(0, 7), (3, 9), (5, 11)]
    # and agrees with brute force over all pairs
    brute = sorted(((s[i, j], i, j) for i, j in itertools.combinations(range(12), 2)), key=lambda t: -t[0])
    assert [(p.i, p.j) for p in similarity.top_pairs(s, 10)] == [(i, j) for _, i, j in brute[:10]]
    assert top[0].score == pytest.approx(float(s[0, 7]))


def test_nearest_and_neighbours():
    s = similarity.matrix(planted(), "cosine")
    idx, val = similarity.nearest(s)
    for i, j in ((0, 7), (3, 9), (5, 11)):
        assert idx[i] == j and idx[j] == i
    off = s.copy()
    np.fill_diagonal(off, -np.inf)
    assert np.allclose(val, off.max(axis=1))
    nb = similarity.neighbours(s, 0, k=3)
    assert nb[0].j == 7 and len(nb) == 3 and nb[0].score >= nb[1].score >= nb[2].score
    assert all(p.j != 0 for p in nb)
    with pytest.raises(ValueError, match="channel"):
        similarity.neighbours(s, 12)
    with pytest.raises(ValueError, match="k"):
        similarity.top_pairs(s, 0)


def test_order_puts_planted_groups_next_to_each_other():
    x = noise(12, 10, 10, seed=3)
    groups = [[0, 4, 8], [1, 5, 9], [2, 6, 10, 3, 7, 11]]
    for g in groups:
        for j in g[1:]:
            x[j] = x[g[0]] + 0.1 * x[j]
    order = similarity.order(similarity.matrix(x, "pearson"))
    assert sorted(order.tolist()) == list(range(12))
    pos = {ch: k for k, ch in enumerate(order)}
    for g in groups:
        span = max(pos[c] for c in g) - min(pos[c] for c in g)
        assert span == len(g) - 1  # contiguous


def test_clusters_cut_into_at_most_n():
    s = similarity.matrix(planted(), "pearson")
    labels = similarity.clusters(s, 9)
    assert labels.shape == (12,) and len(set(labels)) <= 9
    for i, j in ((0, 7), (3, 9), (5, 11)):
        assert labels[i] == labels[j]
    with pytest.raises(ValueError, match="clusters"):
        similarity.clusters(s, 13)
