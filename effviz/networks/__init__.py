"""The network zoo: torchvision's efficient networks and our own, composed from effviz.blocks.

    networks.names()                                  # every registered network
    networks.info("ghostnet")                         # default input size, options, published figures
    model = networks.build("ghostnet", width=1.3)     # an nn.Module with random weights (none are loaded)

Build under `torch.device("meta")` to profile without allocating weights:

    with torch.device("meta"):
        model = networks.build("xception")
    effviz.profile(model, (3, 299, 299))

Any timm architecture is a network too, as "timm/<name>" (effviz.networks.timm_models): resolved on first use,
not listed by names(); `build_meta` builds any network without weights (meta device, CPU where it must).

Importing this package imports neither torch nor timm; `build` does. Adding a network: one file that calls
`register(...)` (with its `weights=` where it has pretrained ones, effviz.networks.pretrained), and one import
line below. The registry is an effviz.registry.Registry, as the block families' is.
"""
from __future__ import annotations  # noqa: I001 - the registry imports below are in display order

from typing import Any

from effviz.networks._registry import REGISTRY, NetworkInfo, Published, options_key, register
from effviz.networks.pretrained import Weights, WeightsInfo

# The registry lines: one import per architecture file, in the order the app lists them.
from effviz.networks import mobilenet_v1, shufflenet_v1, ghostnet, efficientnet_lite0, xception  # noqa: E402,F401
from effviz.networks import torchvision_zoo  # noqa: E402,F401
from effviz.networks import timm_zoo  # noqa: E402,F401

__all__ = ["NetworkInfo", "Published", "Weights", "WeightsInfo", "build", "build_meta", "info", "names", "options_key",
           "register", "variant_id", "variant_label", "parse_variant", "variants", "with_weights"]


def names() -> list[str]:
    return list(REGISTRY)


def with_weights() -> list[str]:
    """The registered networks that have ImageNet weights effviz can load (NetworkInfo.weights)."""
    return [name for name, entry in REGISTRY.items() if entry.weights is not None]


def info(name: str) -> NetworkInfo:
    """A zoo network's entry, or any timm architecture's as "timm/<name>" (made on first request)."""
    if name in REGISTRY:
        return REGISTRY[name]
    if isinstance(name, str) and name.startswith("timm/"):
        from effviz.networks import timm_models

        return timm_models.info(name)
    raise ValueError(f"unknown network {name!r}; allowed: {', '.join(REGISTRY)}, or timm/<name> for any timm "
                     "architecture")


def build(name: str, **options: Any):
    """The network `name` with these options (defaults for the rest), randomly initialised, in train mode as
    torch builds it. Invalid names or options raise ValueError naming the allowed values."""
    entry = info(name)
    return entry.builder(**entry.resolve(**options))


def build_meta(name: str, **options: Any):
    """(model, device): the network built without allocating weights, on the meta device, or on the CPU where its
    initialisation reads values out of a tensor, which meta tensors do not have (torchvision's RegNets and some
    timm networks: "Cannot copy out of meta tensor; no data!"). Profiles are the same on either device."""
    import torch

    try:
        with torch.device("meta"):
            return build(name, **options), "meta"
    except ValueError:
        raise
    except (NotImplementedError, RuntimeError) as err:
        if "meta" not in str(err).lower():
            raise
    return build(name, **options), "cpu"


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
