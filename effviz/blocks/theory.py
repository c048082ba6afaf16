"""The closed-form ratios the seeds quote, as exact fractions. Tests check them against the block costs."""
from __future__ import annotations

from fractions import Fraction


def depthwise_separable_ratio(c_out: int, kernel: int) -> Fraction:
    """MobileNet v1 (eq. 5): depthwise-separable / standard cost = 1/N + 1/k^2 (same shape, no bias)."""
    return Fraction(1, c_out) + Fraction(1, kernel * kernel)


def ghost_speedup(c_in: int, kernel: int, ratio: int, dw_kernel: int) -> Fraction:
    """GhostNet (eq. 4): standard / Ghost-module MACs = c k^2 s / (c k^2 + (s - 1) d^2) when s divides n;
    it tends to s as c k^2 grows against d^2."""
    ck2 = c_in * kernel * kernel
    return Fraction(ck2 * ratio, ck2 + (ratio - 1) * dw_kernel * dw_kernel)


def mnas_5x5_cost(h: int, w: int, m: int, n: int) -> int:
    """MnasNet: MACs of one 5x5 depthwise-separable layer (H, W, M) -> (H, W, N): H W M (25 + N)."""
    return h * w * m * (25 + n)


def mnas_two_3x3_cost(h: int, w: int, m: int, n: int) -> int:
    """MnasNet's comparison: two 3x3 depthwise-separable layers, 2 H W M (9 + N)."""
    return 2 * h * w * m * (9 + n)


def mnas_crossover() -> int:
    """The 5x5 layer is cheaper exactly when N > 7: 25 + N < 18 + 2N."""
    return 7
