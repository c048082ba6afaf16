"""The titles of the feature maps the Feature Redundancy page shows side by side, in the reader's language: the
most alike pairs, a channel beside its nearest neighbours, the Ghost rebuild's best and worst examples. Which maps
they are is effviz.redundancy.shown_maps; these return its rows with their titles."""
from __future__ import annotations

from app_support.shell.i18n import t
from app_support.shell.number_format import error
from effviz.redundancy import shown_maps


def pair_rows(pairs) -> tuple[list[list[int]], list[list[str]]]:
    """Two pairs per row, [i, j, i', j'], each pair titled once (over its first map)."""
    titles = [[txt for p in pairs[r:r + 2] for txt in
               (t("redundancy.pair_title", i=p.i, j=p.j, score=f"{p.score:.3f}"), "")]
              for r in range(0, len(pairs), 2)]
    return shown_maps.pair_rows(pairs), titles


def neighbour_row(channel: int, near) -> tuple[list[int], list[str]]:
    """The channel, then its nearest neighbours with their scores."""
    titles = [t("redundancy.channel_title", c=channel)] + [t("redundancy.neighbour_title", c=p.j,
                                                             score=f"{p.score:.3f}") for p in near]
    return shown_maps.neighbour_row(channel, near), titles


def ghost_examples(rec) -> tuple[list[int], list[tuple[str, str, str]]]:
    """The two best and two worst rebuilt maps (fewer when there are fewer), and per map the titles of its
    source, its rebuild and the actual map."""
    shown = shown_maps.ghost_examples(rec)
    if not shown:
        return [], []
    titles = [(t("redundancy.row.source", c=int(rec.source[g])),
               t("redundancy.row.rebuilt", src=int(rec.source[g]), err=error(float(rec.map_error[g]))),
               t("redundancy.row.actual", c=g)) for g in shown]
    return shown, titles
