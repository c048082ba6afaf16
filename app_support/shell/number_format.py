"""How the pages write numbers in metric tiles, tables and sentences: one place for the formats, so two pages
never show the same quantity in two ways."""
from __future__ import annotations

import math

from effviz.plots.network_charts import human


def exact(n: int) -> str:
    """1234567 -> "1,234,567": the exact count (formulas, tables, a tile's help)."""
    return f"{n:,}"


def tile(n: int) -> str:
    """A compact count for a metric tile ("12.35 M"), exact below 10 K; the exact number is in its help."""
    for unit, size in (("G", 10**9), ("M", 10**6), ("K", 10**3)):
        if abs(n) >= 10 * size:
            return f"{n / size:.2f} {unit}"
    return f"{n:,}"


def three_digits(n: float) -> str:
    """Three significant digits ("4.23 M"), as the network charts write them."""
    return human(n)


def mebibytes(n_bytes: int) -> str:
    return f"{n_bytes / 2**20:.1f} MB"


def milliseconds(seconds: float) -> str:
    """A timing in ms: three decimals below 10 ms, two above."""
    return f"{seconds * 1e3:.3f}" if seconds < 0.01 else f"{seconds * 1e3:.2f}"


def megabytes(n_bytes: int) -> str:
    """Decimal MB for memory traffic: three significant digits below 1 MB, fewer decimals as it grows."""
    mb = n_bytes / 1e6
    return f"{mb:.3g}" if mb < 1 else f"{mb:.2f}" if mb < 100 else f"{mb:.1f}"


def error(x: float) -> str:
    return f"{x:.3f}"


def decibels(x: float) -> str:
    return "∞" if math.isinf(x) else f"{x:.1f} dB"
