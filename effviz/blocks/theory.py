"""The closed-form ratios the seeds quote, as exact fractions. Tests check them against the block costs.

A block family's own closed form lives in its file (effviz.blocks.depthwise_separable, effviz.blocks.ghost_module)
and is named here too; MnasNet's kernel-size comparison, which is about a network's layers, is written here."""
from __future__ import annotations

from effviz.blocks.depthwise_separable import depthwise_separable_ratio
from effviz.blocks.ghost_module import ghost_speedup

__all__ = ["depthwise_separable_ratio", "ghost_speedup", "mnas_5x5_cost", "mnas_two_3x3_cost", "mnas_crossover"]


def mnas_5x5_cost(h: int, w: int, m: int, n: int) -> int:
    """MnasNet: MACs of one 5x5 depthwise-separable layer (H, W, M) -> (H, W, N): H W M (25 + N)."""
    return h * w * m * (25 + n)


def mnas_two_3x3_cost(h: int, w: int, m: int, n: int) -> int:
    """MnasNet's comparison: two 3x3 depthwise-separable layers, 2 H W M (9 + N)."""
    return 2 * h * w * m * (9 + n)


def mnas_crossover() -> int:
    """The 5x5 layer is cheaper exactly when N > 7: 25 + N < 18 + 2N."""
    return 7
