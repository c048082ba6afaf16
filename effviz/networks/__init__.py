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

__all__ = ["NetworkInfo", "Published", "build", "info", "names", "options_key", "register"]


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
