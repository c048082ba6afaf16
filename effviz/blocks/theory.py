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


def seed_checks(spec, h: int, w: int) -> tuple[dict, dict]:
    """The Playground's Theory tab at this block's shape: each paper's closed-form ratio beside the same ratio
    computed from the blocks' costs (MACs at h x w).

    ({"n", "k", "formula", "measured"}: depthwise-separable / standard at the block's c_in, c_out and kernel (3
    for a 1x1 block); {"c", "k", "s", "d", "formula", "measured", "divisible"}: standard / Ghost module at its
    c_in, c_out, ratio s (2 where the block has none), cheap kernel d (3) and primary kernel (the Ghost module's
    own, else 1); divisible: whether s divides c_out, the case the closed form assumes)."""
    from effviz import blocks

    k = getattr(spec, "kernel", 3) if getattr(spec, "kernel", 1) > 1 else 3
    n, c = spec.c_out, spec.c_in
    dws = blocks.make("depthwise_separable", c_in=c, c_out=n, kernel=k).cost(h, w).macs
    std = blocks.make("standard", c_in=c, c_out=n, kernel=k).cost(h, w).macs
    s = getattr(spec, "ratio", 2)
    d = getattr(spec, "dw_kernel", 3)
    kg = getattr(spec, "kernel", 1) if spec.family == "ghost_module" else 1
    ghost = blocks.make("ghost_module", c_in=c, c_out=n, kernel=kg, ratio=s, dw_kernel=d)
    std_g = blocks.make("standard", c_in=c, c_out=n, kernel=kg).cost(h, w).macs
    return ({"n": n, "k": k, "formula": float(depthwise_separable_ratio(n, k)), "measured": dws / std},
            {"c": c, "k": kg, "s": s, "d": d, "formula": float(ghost_speedup(c, kg, s, d)),
             "measured": std_g / ghost.cost(h, w).macs, "divisible": n % s == 0})
