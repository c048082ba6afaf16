"""What the Network Explorer says about a network's published figures: the paper's line, our count against it,
and the zoo map's hover text (three significant digits, "—" where the paper gives no figure)."""
from __future__ import annotations

from app_support.shell.i18n import t
from app_support.shell.number_format import three_digits


def _or_dash(n: float | None) -> str:
    return three_digits(n) if n else "—"


def published(pub) -> str:
    return t("network_explorer.published", source=pub.source, top1=pub.top1, params=_or_dash(pub.params),
             macs=_or_dash(pub.macs))


def _off_by(count: int, figure: float | None) -> str:
    return t("network_explorer.percent", x=f"{(count - figure) / figure * 100:+.1f}") if figure else "—"


def counted_vs_published(prof, pub) -> str:
    """Our exact count and how far it is from the published one, in per cent."""
    return t("network_explorer.counted_vs", params=f"{prof.params:,}", dparams=_off_by(prof.params, pub.params),
             macs=f"{prof.macs:,}", dmacs=_off_by(prof.macs, pub.macs))


def zoo_hover(entry) -> str:
    p = entry.published
    return t("network_explorer.zoo_hover", label=entry.label, top1=p.top1, source=p.source,
             params=three_digits(entry.params), macs=three_digits(entry.macs), res=entry.input_size[1],
             pparams=_or_dash(p.params), pmacs=_or_dash(p.macs))
