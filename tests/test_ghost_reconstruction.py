"""effviz.redundancy.reconstruction: Ghost reconstruction of feature maps from intrinsic maps with least-squares
depthwise filters.

The batched Cholesky search is checked against plain numpy least squares, pair by pair."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from effviz.redundancy import reconstruction as ghost

BLUR = torch.tensor([[1.0, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16


def noise(c, h=20, w=20, seed=0):
    return torch.relu(torch.randn(c, h, w, generator=torch.Generator().manual_seed(seed)))


def blurred_copies(n=8, seed=0):
    """n independent maps, then n ghosts: ghost i = 0.7 * blur(map i) + 0.3."""
    base = noise(n, seed=seed)
    ghosts = 0.7 * F.conv2d(base.unsqueeze(1), BLUR[None, None], padding=1)[:, 0] + 0.3
    return torch.cat([base, ghosts])


def test_a_blurred_copy_reconstructs_almost_exactly():
    x = blurred_copies()
    rec = ghost.reconstruct(x, ratio=2, dw_kernel=3, choice="first")
    assert rec.intrinsic.tolist() == list(range(8))
    assert rec.source.tolist() == list(range(8)) * 2            # each ghost found its own original
    assert rec.error < 1e-4 and rec.ghost_error < 1e-4
    assert rec.psnr > 80
    for g in range(8, 16):
        assert np.allclose(rec.filters[g], 0.7 * BLUR.numpy(), atol=1e-4)
        assert rec.bias[g] == pytest.approx(0.3, abs=1e-4)
    assert np.allclose(rec.approx, x.numpy(), atol=1e-4)


def test_a_1x1_filter_cannot_undo_a_blur_but_a_3x3_can():
    x = blurred_copies()
    d1 = ghost.reconstruct(x, 2, 1)
    d3 = ghost.reconstruct(x, 2, 3)
    assert d1.ghost_error > 0.05 > 1e-4 > d3.ghost_error


def test_intrinsic_maps_are_kept_exactly_and_m_is_ceil_c_over_s():
    x = noise(11, seed=2)
    for s in (1, 2, 3, 4, 11):
        rec = ghost.reconstruct(x, s, 3)
        m = math.ceil(11 / s)
        assert rec.m == m and len(rec.ghosts) == 11 - m
        assert np.array_equal(rec.approx[rec.intrinsic], x[rec.intrinsic].numpy())
        assert np.all(rec.map_error[rec.intrinsic] == 0)
        assert np.all(np.isinf(rec.map_psnr[rec.intrinsic]))
        assert set(rec.source[rec.ghosts]) <= set(rec.intrinsic)
    assert ghost.reconstruct(x, 1, 3).error == 0


def lstsq_fit(src: np.ndarray, target: np.ndarray, d: int) -> tuple[np.ndarray, float]:
    """Reference: explicit design matrix of shifted copies (zero padding) + ones, numpy lstsq."""
    h, w = src.shape
    p = d // 2
    padded = np.pad(src, p)
    cols = [padded[a:a + h, b:b + w].ravel() for a in range(d) for b in range(d)] + [np.ones(h * w)]
    design = np.stack(cols, axis=1)
    coef, *_ = np.linalg.lstsq(design, target.ravel(), rcond=None)
    residual = float(np.sum((design @ coef - target.ravel()) ** 2))
    return coef, residual


@pytest.mark.parametrize("d", [1, 3, 5])
def test_best_source_and_filter_match_brute_force_least_squares(d):
    x = noise(7, 12, 12, seed=d).double().numpy()
    x[5] = 0.5 * x[1] + 0.2 * noise(1, 12, 12, seed=99)[0].numpy()     # make one choice clearly best
    rec = ghost.reconstruct(torch.as_tensor(x, dtype=torch.float32), ratio=2, dw_kernel=d, fast=False)
    for g in rec.ghosts:
        fits = {int(i): lstsq_fit(x[i], x[g], d) for i in rec.intrinsic}
        best = min(fits, key=lambda i: fits[i][1])
        assert rec.source[g] == best
        coef, residual = fits[best]
        assert np.allclose(rec.filters[g].ravel(), coef[:-1], atol=1e-3)
        assert rec.bias[g] == pytest.approx(coef[-1], abs=1e-3)
        rel = math.sqrt(residual / np.sum(x[g] ** 2))
        assert rec.map_error[g] == pytest.approx(rel, rel=1e-3, abs=1e-5)
    assert rec.source[5] == 1


@pytest.mark.parametrize("d", [1, 3, 7])
def test_fast_ranking_picks_a_source_as_good_as_the_best(d):
    # bfloat16 ranking may swap two sources whose fits are within ~0.4 % of explained energy; the filter of
    # the chosen pair is exact, so each map's residual is within a hair of the brute-force optimum.
    x = noise(24, 16, 16, seed=10 + d) + 3.0     # a large common offset, as ReLU6 maps have
    for j in range(12, 24, 3):
        x[j] = 0.8 * x[j - 12] + 0.3 * x[j]
    fast = ghost.reconstruct(x, 2, d, fast=True)
    exact = ghost.reconstruct(x, 2, d, fast=False)
    t = x.double().numpy()
    for g in exact.ghosts:
        _, best_residual = lstsq_fit(t[exact.source[g]], t[g], d)
        coef, fast_residual = lstsq_fit(t[fast.source[g]], t[g], d)
        assert fast_residual <= best_residual * 1.01 + 1e-9
        assert np.allclose(fast.filters[g].ravel(), coef[:-1], atol=1e-3)   # exact fit for the chosen pair
    assert fast.ghost_error == pytest.approx(exact.ghost_error, rel=5e-3)


def test_fast_ranking_agrees_with_exact_ranking_on_real_features():
    # EfficientNet-Lite0 (ImageNet) maps after ReLU6: all positive with a large mean, where products rounded to
    # bfloat16 without centring picked visibly worse sources (ghost error 0.29 instead of 0.24 at d = 3).
    from effviz.redundancy import features, images, weights

    model, info = weights.load("efficientnet_lite0")
    fmap = features.extract(model, images.load_sample("cat"), "features.stage2.1.expand", info=info)
    for d in (1, 3, 7):
        fast = ghost.reconstruct(fmap, 2, d, fast=True)
        exact = ghost.reconstruct(fmap, 2, d, fast=False)
        g = exact.ghosts
        assert np.all(fast.map_error[g] <= exact.map_error[g] * 1.01 + 1e-6)   # each map as good as the best
        assert fast.ghost_error == pytest.approx(exact.ghost_error, rel=2e-3)


def test_error_and_psnr_definitions():
    x = noise(6, seed=4)
    rec = ghost.reconstruct(x, 3, 3)
    a, t = rec.approx.astype(np.float64), x.double().numpy()
    overall = np.linalg.norm(a - t) / np.linalg.norm(t)
    assert rec.error == pytest.approx(overall, rel=1e-5)
    g = rec.ghosts
    assert rec.ghost_error == pytest.approx(np.linalg.norm(a[g] - t[g]) / np.linalg.norm(t[g]), rel=1e-5)
    mse = np.mean((a - t) ** 2)
    assert rec.psnr == pytest.approx(10 * np.log10((t.max() - t.min()) ** 2 / mse), rel=1e-5)
    k = g[0]
    peak = t[k].max() - t[k].min()
    assert rec.map_psnr[k] == pytest.approx(10 * np.log10(peak**2 / np.mean((a[k] - t[k]) ** 2)), rel=1e-4)


def test_cluster_representatives_beat_the_first_m_when_the_first_maps_are_copies():
    # Four groups of two (scaled copies, identical up to a 1x1 filter); the first four maps hold only
    # groups A and B, so "first m" must miss C and D, while one representative per cluster covers all.
    a, b, c, d = noise(4, seed=5)
    x = torch.stack([a, 2 * a, b, 3 * b, c, 0.5 * c, d, 2 * d])
    first = ghost.reconstruct(x, 2, 1, "first")
    cluster = ghost.reconstruct(x, 2, 1, "cluster")
    assert first.error > 0.3
    assert cluster.error < 1e-4
    assert sorted(cluster.intrinsic // 2) == [0, 1, 2, 3]      # one per group


def test_flat_maps_do_not_break_the_fit():
    x = noise(6, seed=6)
    x[0] = 0           # a dead ReLU channel as an intrinsic map
    x[4] = 0           # and as a ghost
    x[5] = 2.5         # a constant map: the bias alone makes it
    rec = ghost.reconstruct(x, 2, 3)
    assert np.isfinite(rec.error) and np.isfinite(rec.approx).all()
    assert rec.map_error[4] == 0 and rec.map_error[5] < 1e-5


@settings(max_examples=12, deadline=None)
@given(c=st.integers(3, 10), seed=st.integers(0, 1000))
def test_error_never_grows_with_d_nor_shrinks_with_s(c, seed):
    # Bigger d: the smaller filters are a special case. Bigger s with the first-m choice: fewer sources and
    # more maps to make.
    x = noise(c, 10, 10, seed)
    points = {(p.ratio, p.dw_kernel): p.error
              for p in ghost.sweep(x, ratios=(1, 2, 3), dw_kernels=(1, 3, 5))}
    for s in (1, 2, 3):
        assert points[(s, 1)] + 1e-4 >= points[(s, 3)] >= points[(s, 5)] - 1e-4
    for d in (1, 3, 5):
        assert points[(1, d)] <= points[(2, d)] + 1e-4 <= points[(3, d)] + 2e-4


def test_sweep_covers_every_combination():
    pts = ghost.sweep(noise(8, seed=7), choice="cluster")
    assert [(p.ratio, p.dw_kernel) for p in pts] == [(s, d) for s in ghost.RATIOS for d in ghost.DW_KERNELS]
    assert all(p.choice == "cluster" for p in pts)


@pytest.mark.parametrize("kwargs, match", [
    (dict(ratio=0), "ratio"), (dict(ratio=9), "ratio"), (dict(ratio=2.5), "ratio"),
    (dict(dw_kernel=2), "dw_kernel"), (dict(dw_kernel=0), "dw_kernel"), (dict(dw_kernel=17), "dw_kernel"),
    (dict(choice="random"), "choice.*first, cluster"),
])
def test_bad_parameters_name_themselves(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ghost.reconstruct(noise(8), **kwargs)


def test_accepts_numpy_and_rejects_bad_shapes():
    x = noise(4)
    assert ghost.reconstruct(x.numpy(), 2, 3).error == pytest.approx(ghost.reconstruct(x, 2, 3).error)
    with pytest.raises(ValueError, match="fmap"):
        ghost.reconstruct(torch.zeros(4, 5), 2, 3)
