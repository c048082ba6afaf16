"""Which feature maps a viewer shows side by side: the most alike pairs two to a row, a channel beside its nearest
neighbours, the Ghost rebuild's best and worst examples, and the rebuild error along one axis of the (s, d)
sweep. Channel numbers only (pure Python and numpy): the app titles them in the reader's language, and
effviz.plots.redundancy_charts draws them."""
from __future__ import annotations

import numpy as np


def pair_rows(pairs) -> list[list[int]]:
    """Two pairs per row, [i, j, i', j'] (similarity.Pair's i and j)."""
    return [[ch for p in pairs[r:r + 2] for ch in (p.i, p.j)] for r in range(0, len(pairs), 2)]


def neighbour_row(channel: int, near) -> list[int]:
    """The channel, then its nearest neighbours (Pairs from the channel: their j)."""
    return [channel] + [p.j for p in near]


def ghost_examples(rec) -> list[int]:
    """The two best and the two worst rebuilt maps of a Ghost reconstruction (fewer when there are fewer ghosts,
    each once): best first, then the worst two in rising order of error."""
    ghosts = rec.ghosts
    if not len(ghosts):
        return []
    ranked = ghosts[np.argsort(rec.map_error[ghosts], kind="stable")]
    return [int(g) for g in dict.fromkeys([*ranked[:2], *ranked[-2:]])]


def sweep_slices(sweeps: dict[str, list], s: int, d: int) -> tuple[dict, dict]:
    """The rebuild error against d at ratio s, and against s at kernel d, per series: [(x, error), ...]."""
    vs_d = {n: [(p.dw_kernel, p.ghost_error) for p in pts if p.ratio == s] for n, pts in sweeps.items()}
    vs_s = {n: [(p.ratio, p.ghost_error) for p in pts if p.dw_kernel == d] for n, pts in sweeps.items()}
    return vs_d, vs_s
