"""Which feature maps the Feature Redundancy page shows side by side, and their titles: the most alike pairs, a
channel beside its nearest neighbours, the Ghost rebuild's best and worst examples, and the rebuild error along
one axis of the (s, d) sweep. Rows of channel numbers, for effviz.plots.redundancy_charts.map_rows and friends."""
from __future__ import annotations

import numpy as np

from app_support.shell.i18n import t
from app_support.shell.number_format import error


def pair_rows(pairs) -> tuple[list[list[int]], list[list[str]]]:
    """Two pairs per row, [i, j, i', j'], each pair titled once (over its first map)."""
    rows, titles = [], []
    for r in range(0, len(pairs), 2):
        chunk = pairs[r:r + 2]
        rows.append([ch for p in chunk for ch in (p.i, p.j)])
        titles.append([txt for p in chunk for txt in
                       (t("redundancy.pair_title", i=p.i, j=p.j, score=f"{p.score:.3f}"), "")])
    return rows, titles


def neighbour_row(channel: int, near) -> tuple[list[int], list[str]]:
    """The channel, then its nearest neighbours with their scores."""
    row = [channel] + [p.j for p in near]
    titles = [t("redundancy.channel_title", c=channel)] + [t("redundancy.neighbour_title", c=p.j,
                                                             score=f"{p.score:.3f}") for p in near]
    return row, titles


def ghost_examples(rec) -> tuple[list[int], list[tuple[str, str, str]]]:
    """The two best and two worst rebuilt maps (fewer when there are fewer), and per map the titles of its
    source, its rebuild and the actual map."""
    ghosts = rec.ghosts
    if not len(ghosts):
        return [], []
    ranked = ghosts[np.argsort(rec.map_error[ghosts], kind="stable")]
    shown = [int(g) for g in dict.fromkeys([*ranked[:2], *ranked[-2:]])]
    titles = [(t("redundancy.row.source", c=int(rec.source[g])),
               t("redundancy.row.rebuilt", src=int(rec.source[g]), err=error(float(rec.map_error[g]))),
               t("redundancy.row.actual", c=g)) for g in shown]
    return shown, titles


def sweep_slices(sweeps: dict[str, list], s: int, d: int) -> tuple[dict, dict]:
    """The rebuild error against d at ratio s, and against s at kernel d, per series: [(x, error), ...]."""
    vs_d = {n: [(p.dw_kernel, p.ghost_error) for p in pts if p.ratio == s] for n, pts in sweeps.items()}
    vs_s = {n: [(p.ratio, p.ghost_error) for p in pts if p.dw_kernel == d] for n, pts in sweeps.items()}
    return vs_d, vs_s
