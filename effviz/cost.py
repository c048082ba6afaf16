"""The cost record every analytic formula and every measurement returns.

Convention (the same everywhere in effviz and in the UI):
  * MACs = multiply-accumulates. One fused multiply-add counts once.
  * FLOPs = 2 x MACs. (Papers' "FLOPs" are usually MACs; torch's counter reports 2 x MACs.)
  * Counted ops are convolutions and linear layers. BatchNorm, activations, pooling, channel shuffle,
    concatenation, element-wise additions and products are 0 MACs. Biases add parameters, not MACs.
  * Parameters include conv/linear biases and BatchNorm's affine weight and bias (2 per channel);
    BatchNorm running statistics are buffers, not parameters.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Cost:
    params: int = 0
    macs: int = 0
    parts: Mapping[str, Cost] = field(default_factory=dict)
    shape: tuple[int, int, int] | None = None  # output (C, H, W) of a single layer, where it is one

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", MappingProxyType(dict(self.parts)))

    @property
    def flops(self) -> int:
        return 2 * self.macs

    def leaves(self, prefix: str = "") -> list[tuple[str, Cost]]:
        """The innermost parts with dotted names (e.g. "ghost1.primary"), for per-part tables."""
        if not self.parts:
            return [(prefix, self)] if prefix else []
        rows: list[tuple[str, Cost]] = []
        for name, part in self.parts.items():
            rows.extend(part.leaves(f"{prefix}.{name}" if prefix else name))
        return rows

    @classmethod
    def of_parts(cls, **parts: Cost) -> Cost:
        """A total whose parts are the named sub-costs (they add up by construction)."""
        return cls(
            params=sum(p.params for p in parts.values()),
            macs=sum(p.macs for p in parts.values()),
            parts=parts,
        )


ZERO = Cost()


def conv_cost(c_in: int, c_out: int, kernel: int, h_out: int, w_out: int, groups: int = 1,
              bias: bool = False, norm: bool = False) -> Cost:
    """A 2-D convolution: params = k^2 * (c_in/g) * c_out (+ c_out bias, + 2 c_out BN affine);
    MACs = k^2 * (c_in/g) * c_out * H_out * W_out (the grouped-conv formula of AlexNet/ResNeXt)."""
    weights = kernel * kernel * (c_in // groups) * c_out
    params = weights + (c_out if bias else 0) + (2 * c_out if norm else 0)
    return Cost(params=params, macs=weights * h_out * w_out, shape=(c_out, h_out, w_out))


def norm_cost(channels: int) -> Cost:
    return Cost(params=2 * channels)
