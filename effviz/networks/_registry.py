"""The network registry: names, options with their allowed values, published figures, builders, and the
pretrained weights of those that have them (effviz.networks.pretrained.Weights), all in one `register(...)` call
in the network's own file. The registry is an effviz.registry.Registry, the shape the block families have too.

Kept free of torch so that listing the zoo and its published figures is cheap; builders import torch when
called. Published figures that need torchvision (its weights metadata) are read on first request."""
from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from effviz.networks.pretrained import Weights
from effviz.registry import Registry

OptionsKey = tuple[tuple[str, Any], ...]


def options_key(options: Mapping[str, Any]) -> OptionsKey:
    """A hashable, order-free key for one choice of options, e.g. (("groups", 3), ("width", 1.0))."""
    return tuple(sorted(options.items()))


@dataclass(frozen=True, eq=True)
class Published:
    """ImageNet-1k figures as published, with where they come from.

    `params` and `macs` are the published numbers as printed (e.g. 4.2e6 for "4.2M"); `params_unit` and
    `macs_unit` are the last digit printed (1e5 for "4.2M"), so a count agrees with a rounded figure when it is
    within half that unit. None where the source gives no figure."""

    top1: float | None
    params: float | None
    macs: float | None
    source: str
    params_unit: float = 1.0
    macs_unit: float = 1.0
    note: str = ""
    # Figures known not to follow effviz's counting convention: {"macs": "why"}. Tests check the gap is there
    # (and bounded) instead of checking agreement, so a fix to the architecture or the figure shows up.
    mismatch: dict[str, str] = field(default_factory=dict)

    def tolerance(self, what: str, relative: float) -> float:
        """Allowed |count - published| for `what` ("params" or "macs"): `relative` of the figure, or half of
        its last printed digit where the rounding is coarser than that."""
        value, unit = (self.params, self.params_unit) if what == "params" else (self.macs, self.macs_unit)
        if value is None:
            raise ValueError(f"no published {what} ({self.source})")
        return max(relative * value, unit / 2)


@dataclass(frozen=True)
class NetworkInfo:
    name: str
    label: str
    origin: str                               # "effviz" (composed from effviz.blocks) or "torchvision"
    input_size: tuple[int, int, int]          # default (C, H, W)
    options: Mapping[str, tuple]              # option -> its allowed values
    defaults: Mapping[str, Any]
    paper: str
    builder: Callable[..., Any] = field(repr=False)
    published_table: Callable[[], Mapping[OptionsKey, Published]] = field(repr=False)
    figures_convention: str = ""              # how the source counts (e.g. torchvision's "GFLOPS" are GMACs)
    weights: Weights | None = None            # its ImageNet weights (effviz.redundancy.weights loads them), if any

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", MappingProxyType({k: tuple(v) for k, v in self.options.items()}))
        object.__setattr__(self, "defaults", MappingProxyType(dict(self.defaults)))

    def resolve(self, **options: Any) -> dict[str, Any]:
        """Defaults filled in and every value checked; ValueError names the option and its allowed values."""
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            allowed = ", ".join(self.options) if self.options else "none"
            raise ValueError(f"{self.name} has no option {', '.join(unknown)}; allowed options: {allowed}")
        resolved = dict(self.defaults)
        for key, value in options.items():
            allowed = self.options[key]
            match = [a for a in allowed if _same(a, value)]
            if not match:
                raise ValueError(f"{key} must be one of {', '.join(map(str, allowed))} for {self.name}; "
                                 f"got {value!r}")
            resolved[key] = match[0]
        return resolved

    def variants(self) -> list[dict[str, Any]]:
        """Every combination of the allowed option values."""
        keys = list(self.options)
        return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*(self.options[k] for k in keys))]

    @cached_property
    def _published(self) -> Mapping[OptionsKey, Published]:
        return MappingProxyType(dict(self.published_table()))

    def published(self, **options: Any) -> Published | None:
        """The published figures for these options (defaults filled in), or None where none are published."""
        return self._published.get(options_key(self.resolve(**options)))

    def published_variants(self) -> list[tuple[dict[str, Any], Published]]:
        return [(dict(key), pub) for key, pub in self._published.items()]


def _same(allowed: Any, value: Any) -> bool:
    if isinstance(value, bool) != isinstance(allowed, bool):
        return False
    try:
        return allowed == value
    except Exception:  # noqa: BLE001 - a value that cannot even be compared is simply not allowed
        return False


REGISTRY: Registry[NetworkInfo] = Registry("network")


def register(name: str, *, label: str, origin: str, input_size: tuple[int, int, int], builder: Callable[..., Any],
             published: Callable[[], Mapping[OptionsKey, Published]], paper: str,
             options: Mapping[str, tuple] | None = None, defaults: Mapping[str, Any] | None = None,
             figures_convention: str = "", weights: Weights | None = None) -> NetworkInfo:
    """Add a network; a second network of the same name is refused (as torchvision's register_model does)."""
    if name in REGISTRY:
        raise ValueError(f"network {name!r} is already registered")
    options = dict(options or {})
    defaults = dict(defaults or {})
    if set(defaults) != set(options) or any(defaults[k] not in options[k] for k in options):
        raise ValueError(f"{name}: every option needs a default among its allowed values")
    return REGISTRY.register(name, NetworkInfo(name, label, origin, tuple(input_size), options, defaults, paper,
                                               builder, published, figures_convention, weights))
