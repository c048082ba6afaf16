"""The network zoo: torchvision's efficient networks and our own, composed from effviz.blocks.

    networks.names()                                  # every registered network
    networks.info("ghostnet")                         # default input size, options, published figures
    model = networks.build("ghostnet", width=1.3)     # an nn.Module with random weights (none are loaded)

Build under `torch.device("meta")` to profile without allocating weights:

    with torch.device("meta"):
        model = networks.build("xception")
    effviz.profile(model, (3, 299, 299))

Importing this package does not import torch; `build` does. Adding a network: one file that calls
`register(...)`, and one import line below.
"""
from __future__ import annotations  # noqa: I001 - the registry imports below are in display order

from typing import Any

from effviz.networks._registry import REGISTRY, NetworkInfo, Published, options_key, register

# The registry lines: one import per architecture file, in the order the app lists them.
from effviz.networks import mobilenet_v1, shufflenet_v1, ghostnet, efficientnet_lite0, xception  # noqa: E402,F401
from effviz.networks import torchvision_zoo  # noqa: E402,F401

__all__ = ["NetworkInfo", "Published", "build", "info", "names", "options_key", "register", "variant_id",
           "variant_label", "parse_variant", "variants"]


def names() -> list[str]:
    return list(REGISTRY)


def info(name: str) -> NetworkInfo:
    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown network {name!r}; allowed: {', '.join(REGISTRY)}") from None


def build(name: str, **options: Any):
    """The network `name` with these options (defaults for the rest), randomly initialised, in train mode as
    torch builds it. Invalid names or options raise ValueError naming the allowed values."""
    entry = info(name)
    return entry.builder(**entry.resolve(**options))


def variant_id(name: str, **options: Any) -> str:
    """A stable text id of one network with its options (defaults filled in), e.g. "shufflenet_v1:groups=3,width=1.0",
    or just the name for a network without options. Round-trips through `parse_variant`."""
    resolved = info(name).resolve(**options)
    return name + (":" + ",".join(f"{k}={v}" for k, v in sorted(resolved.items())) if resolved else "")


def parse_variant(text: str) -> tuple[str, dict[str, Any]]:
    """(name, options) of a `variant_id`; ValueError naming the allowed values for anything else."""
    name, _, rest = str(text).partition(":")
    entry = info(name)
    options: dict[str, Any] = {}
    for item in filter(None, rest.split(",")):
        key, _, raw = item.partition("=")
        allowed = entry.options.get(key)
        if allowed is None:
            raise ValueError(f"{name} has no option {key!r}; allowed options: {', '.join(entry.options) or 'none'}")
        match = [a for a in allowed if str(a) == raw]
        if not match:
            raise ValueError(f"{key} must be one of {', '.join(map(str, allowed))} for {name}; got {raw!r}")
        options[key] = match[0]
    return name, entry.resolve(**options)


def variant_label(name: str, **options: Any) -> str:
    """A short human label, e.g. "GhostNet 1.3×", "ShuffleNet v1 1× g=3", "ResNet-50"."""
    entry = info(name)
    resolved = entry.resolve(**options)
    parts = [entry.label]
    if "width" in resolved:
        parts.append(f"{resolved['width']:g}×")
    if "groups" in resolved:
        parts.append(f"g={resolved['groups']}")
    return " ".join(parts)


def variants() -> list[tuple[str, dict[str, Any]]]:
    """Every (name, options) the zoo can build, network by network."""
    return [(name, options) for name in names() for options in info(name).variants()]
