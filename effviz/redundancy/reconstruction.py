"""Ghost reconstruction: can a layer's feature maps be made from a few of them by cheap depthwise filters?

GhostNet (Han et al., CVPR 2020) observes that many maps of a trained CNN are near-copies of others, and
replaces a layer's C outputs by m = ceil(C / s) "intrinsic" maps plus (s - 1) "ghost" maps per intrinsic one,
each ghost made by a cheap d x d depthwise convolution. This module asks that question of real activations:

1. choose m = ceil(C / s) intrinsic maps: the first m (what a Ghost module's layout gives), or one
   representative per cluster of the similarity dendrogram (the map most similar to the rest of its cluster);
2. for every other map y, fit by least squares a d x d filter w (plus a bias, as the depthwise conv + BN of
   the Ghost module has) applied to each intrinsic map x_i with "same" zero padding, and keep the intrinsic
   map whose fit leaves the smallest residual;
3. report the error: per map and overall relative error |approx - y| / |y| (Frobenius), and PSNR in dB with
   the map's own dynamic range (max - min) as the peak.

All fits are solved at once. For intrinsic map i let P_i be its [K, HW] patch matrix (K = d*d, + 1 for the
bias). The normal equations of every (ghost g, intrinsic i) pair share G_i = P_i P_i^T; the right-hand sides
B[i, :, g] = P_i y_g for all pairs are one matrix product. With G_i = L_i L_i^T (Cholesky), the explained
energy of pair (i, g) is |L_i^-1 B[i, :, g]|^2, so ranking every pair is one matrix product (in bfloat16 where
the CPU has it natively, on mean-centred targets) and one batched product with the precomputed L_i^-1; the
best two candidates per ghost are re-ranked with exact float32 right-hand sides, and only the chosen pairs are
solved for their filters (float64 normal equations). On a 2-core CPU, s = 2, d = 3 on ResNet-50's layer1
(256 x 56 x 56) takes about 8 ms (bench/bench_redundancy.py)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from effviz.redundancy import similarity

CHOICES = ("first", "cluster")
RATIOS = (2, 3, 4)
DW_KERNELS = (1, 3, 5, 7)
MAX_DW_KERNEL = 15
_CHUNK = 4_000_000   # elements of the [m, K, ghosts] right-hand side computed at once
_RIDGE = 1e-6        # relative Tikhonov term: keeps G_i positive definite for flat (e.g. all-zero) maps
_RERANK = 2          # with bfloat16 ranking, the best 2 candidates per map are re-ranked exactly


@dataclass(frozen=True)
class Reconstruction:
    ratio: int
    dw_kernel: int
    choice: str
    intrinsic: np.ndarray      # [m] indices of the intrinsic maps, ascending
    source: np.ndarray         # [C] the intrinsic map each map is made from (itself for intrinsic maps)
    filters: np.ndarray        # [C, d, d] fitted depthwise filters (a centred 1 for intrinsic maps)
    bias: np.ndarray           # [C]
    approx: np.ndarray         # [C, H, W] the reconstructed layer
    map_error: np.ndarray      # [C] relative error per map (0 for intrinsic maps)
    map_psnr: np.ndarray       # [C] PSNR per map in dB (inf for exact maps)
    error: float               # overall relative error |approx - x|_F / |x|_F over all C maps
    ghost_error: float         # the same over the reconstructed (non-intrinsic) maps only
    psnr: float                # overall PSNR (peak = the layer's max - min) over all maps

    @property
    def m(self) -> int:
        return len(self.intrinsic)

    @property
    def ghosts(self) -> np.ndarray:
        mask = np.ones(len(self.source), dtype=bool)
        mask[self.intrinsic] = False
        return np.flatnonzero(mask)


@dataclass(frozen=True)
class SweepPoint:
    ratio: int
    dw_kernel: int
    choice: str
    error: float
    ghost_error: float
    psnr: float


def _check(c: int, ratio: int, dw_kernel: int, choice: str) -> None:
    if isinstance(ratio, bool) or not isinstance(ratio, (int, np.integer)) or not 1 <= ratio <= c:
        raise ValueError(f"ratio: s must be an integer between 1 and the number of maps ({c}), got {ratio!r}")
    if (isinstance(dw_kernel, bool) or not isinstance(dw_kernel, (int, np.integer)) or dw_kernel < 1
            or dw_kernel % 2 == 0 or dw_kernel > MAX_DW_KERNEL):
        raise ValueError(f"dw_kernel: d must be an odd integer between 1 and {MAX_DW_KERNEL}, got {dw_kernel!r}")
    if choice not in CHOICES:
        raise ValueError(f"choice: unknown intrinsic-map choice {choice!r}; allowed: {', '.join(CHOICES)}")


def choose_intrinsic(fmap, ratio: int, choice: str = "first", sim=None) -> np.ndarray:
    """The m = ceil(C / ratio) intrinsic map indices (ascending) for `choice` ("first" or "cluster")."""
    x = similarity._maps(fmap)
    _check(x.shape[0], ratio, 1, choice)
    return _choose(x, ratio, choice, sim)


def _choose(x, ratio: int, choice: str, sim) -> np.ndarray:
    from effviz.blocks.ghost_module import intrinsic_maps  # a Ghost module's m, stated there once

    c = x.shape[0]
    m = intrinsic_maps(c, int(ratio))
    if choice == "first" or m == c:
        return np.arange(m)
    sim = np.asarray(similarity.matrix(x, "pearson") if sim is None else sim, dtype=np.float64)
    if sim.shape != (c, c):
        raise ValueError(f"sim: expected a [{c}, {c}] similarity matrix, got shape {sim.shape}")
    labels = similarity.clusters(sim, m)
    chosen = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        # medoid: the member most similar, on average, to the rest of its cluster
        chosen.append(int(members[sim[np.ix_(members, members)].mean(axis=1).argmax()]))
    rest = np.setdiff1d(np.arange(c), chosen)
    while len(chosen) < m:  # ties can leave fewer clusters than asked: add the least-covered maps
        cover = sim[np.ix_(rest, chosen)].max(axis=1)
        pick = int(rest[cover.argmin()])
        chosen.append(pick)
        rest = rest[rest != pick]
    return np.sort(np.asarray(chosen, dtype=int))


def _bf16_matmul() -> bool:
    """oneDNN runs bfloat16 matrix products natively here (AVX512-BF16/AMX); elsewhere they are emulated, slowly."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def _shifts(src, d: int):
    """[m, d*d, HW]: the d*d zero-padded shifts of each map [m, H, W] (row a*d + b is the shift by
    (a - d//2, b - d//2), the layout of a conv2d weight). One strided copy from the padded maps, several times
    quicker than im2col here."""
    import torch
    import torch.nn.functional as F

    m, h, w = src.shape
    padded = F.pad(src, (d // 2,) * 4)
    s0, s1, s2 = padded.stride()
    out = torch.empty(m, d, d, h, w)
    out.copy_(padded.as_strided((m, d, d, h, w), (s0, s1, s2, s1, s2)))
    return out.view(m, d * d, h * w)


def _fit(x, intrinsic: np.ndarray, ghosts: np.ndarray, d: int, bias: bool, fast: bool = True):
    """Best intrinsic map and least-squares d x d filter (+ bias) for every ghost map, all at once."""
    import torch
    import torch.nn.functional as F

    c, h, w = x.shape
    hw = h * w
    src = x[torch.as_tensor(intrinsic)]                                     # [m, H, W]
    shifts = _shifts(src, d)                                                # [m, d*d, HW]
    m, rows = shifts.shape[:2]
    k = rows + (1 if bias else 0)
    # Gram matrix of each source's patch matrix [shifts; ones]: the ones row only adds row sums and HW
    gram = torch.empty(m, k, k, dtype=torch.float64)
    gram[:, :rows, :rows] = torch.bmm(shifts, shifts.transpose(1, 2))
    if bias:
        sums = shifts.sum(dim=2).double()
        gram[:, :rows, rows] = sums
        gram[:, rows, :rows] = sums
        gram[:, rows, rows] = hw
    scale = torch.diagonal(gram, dim1=1, dim2=2).mean(dim=1).clamp_min(1e-30)
    gram = gram + (_RIDGE * scale)[:, None, None] * torch.eye(k, dtype=torch.float64)
    chol, info = torch.linalg.cholesky_ex(gram)                             # [m, K, K]
    jitter = _RIDGE
    while bool((info > 0).any()):  # float32 Gram of a (nearly) flat map can be a hair from singular
        jitter *= 100
        gram = gram + (jitter * scale)[:, None, None] * torch.eye(k, dtype=torch.float64)
        chol, info = torch.linalg.cholesky_ex(gram)
    # explicit inverses (K x K, float64): the per-chunk work becomes batched matrix products, with no per-matrix
    # LAPACK calls. L^-1 whitens a source's patches; G^-1 = L^-T L^-1 gives its least-squares filter.
    linv = torch.linalg.solve_triangular(chol, torch.eye(k, dtype=torch.float64).expand(m, k, k), upper=False)
    ginv = linv.transpose(1, 2) @ linv
    # Ranking. The fit includes a constant (the ones row), so a target's explained energy is n * mean^2 plus the
    # explained energy of the mean-centred target y_c, whose right-hand side P y_c has a 0 bias entry. Centring
    # keeps the large DC of all-positive maps (ReLU6) from swamping the differences between candidates when the
    # products are rounded to bfloat16.
    rank_dtype = torch.bfloat16 if fast and _bf16_matmul() else torch.float32
    flat_rank = shifts.reshape(m * rows, hw).to(rank_dtype)
    del shifts
    padded_src = F.pad(src, (d // 2,) * 4)
    # fast: products in bfloat16 (or float32) and whitening in float32, so the best two candidates are re-ranked
    # exactly; otherwise float32 products whitened in float64 rank every pair once. A centred target's
    # right-hand side has a 0 bias entry, so only the first `rows` columns of L^-1 take part.
    top = min(_RERANK if fast else 1, m)
    whiten = linv[:, :, :rows].to(torch.float32 if fast else torch.float64).contiguous()   # [m, K, rows]
    best_parts, coef_parts = [], []
    step = max(1, min(_CHUNK // (m * k), _CHUNK // (top * (h + d) * (w + d))))  # ghosts per step, bounded memory
    for start in range(0, len(ghosts), step):
        idx = torch.as_tensor(ghosts[start:start + step])
        n = len(idx)
        targets = x[idx]                                                    # [g, H, W]
        centred = targets.reshape(n, hw) - targets.reshape(n, hw).mean(dim=1, keepdim=True)
        rhs = (flat_rank @ centred.to(rank_dtype).T).reshape(m, rows, n).to(whiten.dtype)
        z = torch.bmm(whiten, rhs)                                          # [m, K, g]
        cand = z.square_().sum(dim=1).topk(top, dim=0).indices.T          # [g, top] best candidates
        # exact re-rank of the candidates and exact right-hand sides P_i y for the chosen pair: float32
        # products as a grouped correlation of each padded source with its target, float64 normal equations
        flat_cand = cand.reshape(-1)
        exact = F.conv2d(padded_src[flat_cand].unsqueeze(0), targets.repeat_interleave(top, dim=0).unsqueeze(1),
                         groups=n * top)[0].reshape(n * top, rows)
        if bias:
            sums = targets.reshape(n, hw).sum(dim=1).repeat_interleave(top).unsqueeze(1)
            exact = torch.cat([exact, sums], dim=1)
        exact = exact.double()
        energy = (torch.bmm(linv[flat_cand], exact.unsqueeze(-1)) ** 2).sum(dim=(1, 2)).reshape(n, top)
        pick = energy.argmax(dim=1)
        best = cand[torch.arange(n), pick]                                 # [g] best source per ghost
        chosen = exact.reshape(n, top, k)[torch.arange(n), pick]            # [g, K]
        coef = torch.bmm(ginv[best], chosen.unsqueeze(-1))                  # [g, K, 1]
        best_parts.append(best)
        coef_parts.append(coef.squeeze(-1).float())
    best = torch.cat(best_parts)
    coef = torch.cat(coef_parts)                                            # [G, K]
    filters = coef[:, : d * d].reshape(-1, 1, d, d)
    offsets = coef[:, d * d] if bias else torch.zeros(len(ghosts))
    approx = F.conv2d(padded_src[best].unsqueeze(0), filters, offsets, groups=len(ghosts))[0]
    return best.numpy(), filters[:, 0].numpy(), offsets.numpy(), approx


def _psnr(mse: np.ndarray, peak: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 10.0 * np.log10(peak**2 / mse)
    out = np.where(mse <= 0, np.inf, out)
    return np.where((peak <= 0) & (mse > 0), -np.inf, out)


def reconstruct(fmap, ratio: int = 2, dw_kernel: int = 3, choice: str = "first", *, sim=None,
                bias: bool = True, fast: bool = True) -> Reconstruction:
    """Rebuild a layer's maps [C, H, W] from m = ceil(C / ratio) intrinsic maps with d x d depthwise filters.

    fast: rank the candidate intrinsic maps with bfloat16 products where the CPU does them natively (about 4x
    quicker than float32) whitened in float32, re-rank the best two exactly, and solve the chosen pair's filter
    exactly. A source can then differ from the exact ranking's only between near-equal fits (measured on real
    ResNet-50 and EfficientNet-Lite0 layers: ghost error within 0.05 %); fast=False ranks every pair with
    float32 products whitened in float64."""
    import torch

    x = similarity._maps(fmap)
    c, h, w = x.shape
    _check(c, ratio, dw_kernel, choice)
    d = int(dw_kernel)
    intrinsic = _choose(x, ratio, choice, sim)
    mask = np.ones(c, dtype=bool)
    mask[intrinsic] = False
    ghosts = np.flatnonzero(mask)

    approx = x.clone()
    source = np.arange(c)
    filters = np.zeros((c, d, d), dtype=np.float32)
    filters[:, d // 2, d // 2] = 1.0
    offsets = np.zeros(c, dtype=np.float32)
    sq_err = np.zeros(c)
    if len(ghosts):
        best, f, b, ghost_maps = _fit(x, intrinsic, ghosts, d, bias, fast)
        g = torch.as_tensor(ghosts)
        approx[g] = ghost_maps
        source[ghosts] = intrinsic[best]
        filters[ghosts], offsets[ghosts] = f, b
        diff = (ghost_maps - x[g]).reshape(len(ghosts), -1)
        sq_err[ghosts] = (diff * diff).sum(dim=1).double().numpy()

    flat = x.reshape(c, -1)
    sq_norm = (flat * flat).sum(dim=1).double().numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        map_error = np.where(sq_norm > 0, np.sqrt(sq_err / sq_norm), 0.0)
    peak = (flat.amax(dim=1) - flat.amin(dim=1)).double().numpy()
    map_psnr = _psnr(sq_err / (h * w), peak)
    total_norm = float(sq_norm.sum())
    error = math.sqrt(sq_err.sum() / total_norm) if total_norm > 0 else 0.0
    ghost_norm = float(sq_norm[ghosts].sum())
    ghost_error = math.sqrt(sq_err[ghosts].sum() / ghost_norm) if ghost_norm > 0 else 0.0
    layer_peak = float(flat.max() - flat.min())
    psnr = float(_psnr(np.asarray(sq_err.sum() / flat.numel()), np.asarray(layer_peak)))
    return Reconstruction(int(ratio), d, choice, intrinsic, source, filters, offsets,
                          approx.numpy(), map_error.astype(np.float32), map_psnr.astype(np.float32),
                          float(error), float(ghost_error), psnr)


def sweep(fmap, ratios=RATIOS, dw_kernels=DW_KERNELS, choice: str = "first", *, sim=None) -> list[SweepPoint]:
    """Errors for every (s, d) combination: the data of the 'error vs d' and 'error vs s' charts."""
    x = similarity._maps(fmap)
    if choice == "cluster" and sim is None:
        sim = similarity.matrix(x, "pearson")
    points = []
    for s in ratios:
        for d in dw_kernels:
            r = reconstruct(x, s, d, choice, sim=sim)
            points.append(SweepPoint(r.ratio, r.dw_kernel, choice, r.error, r.ghost_error, r.psnr))
    return points
