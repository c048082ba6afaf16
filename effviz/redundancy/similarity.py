"""How alike are a layer's feature maps? Pairwise similarity, clustering order, nearest neighbours, top pairs.

Three measures of two maps x, y (each a C-channel stack's H x W slice):

* cosine:  <x, y> / (|x| |y|)  (shape and sign; blind to a common scale)
* pearson: cosine of the mean-centred maps (also blind to a constant offset)
* ssim:    structural similarity (Wang et al., IEEE TIP 2004) of the maps min-max normalised to [0, 1],
           averaged over 7 x 7 Gaussian windows (sigma 1.5) on a grid of at most 16 x 16 window positions,
           with the usual constants C1 = (0.01)^2, C2 = (0.03)^2 for a data range of 1.

Every matrix is symmetric with a unit diagonal. A map with no variation (all zeros after a ReLU, say) has
cosine/pearson similarity 0 with every other map: there is no direction to compare.

The work is in torch (matrix products), results come back as numpy arrays."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

METRICS = ("cosine", "pearson", "ssim")
SSIM_WINDOW = 7
SSIM_SIGMA = 1.5
SSIM_MAX_POSITIONS = 16     # per axis
SSIM_C1 = 0.01 ** 2
SSIM_C2 = 0.03 ** 2


@dataclass(frozen=True)
class Pair:
    i: int
    j: int
    score: float


def _maps(fmap):
    """[C, H, W] torch tensor (float32) from a tensor or array, or ValueError."""
    import torch

    x = fmap if isinstance(fmap, torch.Tensor) else torch.as_tensor(np.asarray(fmap))
    if x.dim() != 3:
        raise ValueError(f"fmap: expected feature maps [C, H, W], got shape {tuple(x.shape)}")
    if x.shape[0] < 1 or x.shape[1] < 1 or x.shape[2] < 1:
        raise ValueError(f"fmap: empty feature maps, shape {tuple(x.shape)}")
    x = x.detach().to(dtype=torch.float32, device="cpu")
    # one reduction instead of an element-wise test: a NaN or infinity anywhere makes the sum non-finite (and
    # a finite sum is only re-checked element by element in the never-seen case of an overflow)
    if not math.isfinite(float(x.sum())) and not bool(torch.isfinite(x).all()):
        raise ValueError("fmap: contains NaN or infinity")
    return x


def _cosine_rows(x):
    import torch

    norms = x.norm(dim=1, keepdim=True)
    scale = torch.where(norms > 0, 1.0 / norms.clamp_min(1e-30), torch.zeros_like(norms))
    xn = x * scale
    return xn @ xn.T


def _gaussian(size: int, sigma: float):
    import torch

    r = torch.arange(size, dtype=torch.float32) - (size - 1) / 2
    g = torch.exp(-(r**2) / (2 * sigma**2))
    w = torch.outer(g, g)
    return w / w.sum()


def _ssim(x):
    """Mean SSIM over windows for all pairs at once: for each window position p the weighted moments
    E[x_c x_d] are one matrix product of the weighted patches."""
    import torch
    import torch.nn.functional as F

    c, h, w = x.shape
    lo = x.amin(dim=(1, 2), keepdim=True)
    span = x.amax(dim=(1, 2), keepdim=True) - lo
    x = torch.where(span > 0, (x - lo) / span.clamp_min(1e-30), torch.zeros_like(x))
    win = min(SSIM_WINDOW, h, w)
    stride = max(1, math.ceil((max(h, w) - win + 1) / SSIM_MAX_POSITIONS))
    weights = _gaussian(win, SSIM_SIGMA if win == SSIM_WINDOW else max(win / 4.67, 0.5)).reshape(-1)
    patches = F.unfold(x.unsqueeze(1), win, stride=stride)          # [C, win*win, P]
    patches = patches.permute(2, 0, 1).contiguous()                  # [P, C, win*win]
    total = torch.zeros(c, c, dtype=torch.float64)
    chunk = max(1, (16 * 2**20) // max(1, c * c))                     # positions per step (~64 MB of floats)
    n_pos = patches.shape[0]
    for start in range(0, n_pos, chunk):
        p = patches[start:start + chunk]                              # [p, C, K]
        mu = p @ weights                                              # [p, C]     E_w[x_c]
        cs = (p * weights) @ p.transpose(1, 2)                        # [p, C, C]  E_w[x_c x_d]
        var = torch.diagonal(cs, dim1=1, dim2=2) - mu**2              # [p, C]
        mu_c, mu_d = mu.unsqueeze(2), mu.unsqueeze(1)
        lum = mu_c * mu_d
        # contrast-structure term (2 cov + C2) / (var_c + var_d + C2), in place to keep memory traffic low
        cs.sub_(lum).mul_(2).add_(SSIM_C2)
        den = torch.add(var.unsqueeze(2), var.unsqueeze(1)).add_(SSIM_C2)
        cs.div_(den)
        # luminance term (2 mu_c mu_d + C1) / (mu_c^2 + mu_d^2 + C1)
        sq = mu**2
        torch.add(sq.unsqueeze(2), sq.unsqueeze(1), out=den).add_(SSIM_C1)
        lum.mul_(2).add_(SSIM_C1).div_(den)
        total += cs.mul_(lum).sum(dim=0).double()
    return (total / n_pos).float()


def matrix(fmap, metric: str = "cosine") -> np.ndarray:
    """[C, C] float32 similarity of every pair of maps (see the module docstring for the measures)."""
    import torch

    if metric not in METRICS:
        raise ValueError(f"metric: unknown similarity {metric!r}; allowed: {', '.join(METRICS)}")
    x = _maps(fmap)
    if metric == "ssim":
        s = _ssim(x)
    else:
        flat = x.reshape(x.shape[0], -1)
        if metric == "pearson":
            flat = flat - flat.mean(dim=1, keepdim=True)
        s = _cosine_rows(flat)
    # (s + s.T) / 2, with the transpose copied first: torch's transposing copy is blocked, while adding a
    # transposed view misses the cache on every element (at 2,048 maps, most of matrix()'s time). Same numbers.
    s = torch.add(s, s.T.contiguous()).mul_(0.5)
    s = s.clamp_(-1.0, 1.0)
    s.fill_diagonal_(1.0)
    return s.numpy()


def _check_square(sim) -> np.ndarray:
    sim = np.asarray(sim, dtype=np.float64)
    if sim.ndim != 2 or sim.shape[0] != sim.shape[1] or sim.shape[0] < 1:
        raise ValueError(f"sim: expected a square similarity matrix, got shape {sim.shape}")
    return sim


def linkage(sim, method: str = "average"):
    """scipy hierarchical clustering (distance 1 - similarity) of the channels."""
    from scipy.cluster import hierarchy
    from scipy.spatial.distance import squareform

    if method not in ("average", "complete", "single", "weighted"):
        raise ValueError(f"method: {method!r}; allowed: average, complete, single, weighted")
    sim = _check_square(sim)
    if sim.shape[0] < 2:
        raise ValueError("sim: clustering needs at least 2 channels")
    dist = np.clip(1.0 - (sim + sim.T) / 2, 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    # Optimal leaf ordering (Bar-Joseph et al. 2001) is cubic: worth it only for small layers.
    return hierarchy.linkage(squareform(dist, checks=False), method=method,
                             optimal_ordering=sim.shape[0] <= 96)


def order(sim, method: str = "average") -> np.ndarray:
    """Channel indices in dendrogram leaf order: similar maps end up next to each other, so a reordered
    heatmap shows redundancy as bright blocks on the diagonal."""
    from scipy.cluster import hierarchy

    sim = _check_square(sim)
    if sim.shape[0] == 1:
        return np.zeros(1, dtype=int)
    return hierarchy.leaves_list(linkage(sim, method)).astype(int)


def clusters(sim, n: int, method: str = "average") -> np.ndarray:
    """Cluster label (0..k-1, k <= n) of each channel, cutting the dendrogram into at most n clusters."""
    from scipy.cluster import hierarchy

    sim = _check_square(sim)
    c = sim.shape[0]
    if not 1 <= n <= c:
        raise ValueError(f"n: number of clusters must be between 1 and {c}, got {n}")
    if c == 1:
        return np.zeros(1, dtype=int)
    labels = hierarchy.fcluster(linkage(sim, method), t=n, criterion="maxclust")
    return (labels - 1).astype(int)


def nearest(sim) -> tuple[np.ndarray, np.ndarray]:
    """(index, similarity) of each channel's most similar *other* channel."""
    sim = np.asarray(sim)
    if sim.dtype != np.float32:  # float32 stays float32: converting 2,048 x 2,048 to float64 costs more than this
        sim = _check_square(sim)
    elif sim.ndim != 2 or sim.shape[0] != sim.shape[1] or sim.shape[0] < 1:
        raise ValueError(f"sim: expected a square similarity matrix, got shape {sim.shape}")
    if sim.shape[0] < 2:
        raise ValueError("sim: nearest neighbours need at least 2 channels")
    sim = sim.copy()
    np.fill_diagonal(sim, -np.inf)
    idx = sim.argmax(axis=1)
    return idx.astype(int), sim[np.arange(sim.shape[0]), idx].astype(np.float32)


def neighbours(sim, channel: int, k: int = 5) -> list[Pair]:
    """The k channels most similar to `channel`, best first."""
    sim = _check_square(sim)
    c = sim.shape[0]
    if not 0 <= channel < c:
        raise ValueError(f"channel: must be between 0 and {c - 1}, got {channel}")
    if not 1 <= k <= c - 1:
        raise ValueError(f"k: must be between 1 and {c - 1}, got {k}")
    row = sim[channel].copy()
    row[channel] = -np.inf
    idx = np.argsort(-row, kind="stable")[:k]
    return [Pair(channel, int(j), float(row[j])) for j in idx]


def top_pairs(sim, k: int = 10) -> list[Pair]:
    """The k most similar pairs (i < j), best first."""
    sim = _check_square(sim)
    c = sim.shape[0]
    n_pairs = c * (c - 1) // 2
    if not 1 <= k <= max(n_pairs, 1) or n_pairs == 0:
        raise ValueError(f"k: must be between 1 and {n_pairs} (pairs of {c} channels), got {k}")
    iu, ju = np.triu_indices(c, k=1)
    vals = sim[iu, ju]
    top = np.argpartition(-vals, k - 1)[:k] if k < n_pairs else np.arange(n_pairs)
    top = top[np.lexsort((iu[top], -vals[top]))]
    return [Pair(int(iu[t]), int(ju[t]), float(vals[t])) for t in top]
