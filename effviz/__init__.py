"""effviz: why efficient CNN building blocks are efficient, with every number computed.

Importing effviz (or effviz.blocks) does not import torch: analytic costs are pure Python. Measured counts,
networks, features and latency import torch when first used."""
from __future__ import annotations

import importlib

from effviz.cost import Cost

__all__ = ["Cost", "count", "profile", "redundancy_atlas", "blocks", "networks", "shuffle", "theory"]

_SUBMODULES = {"blocks", "networks", "shuffle", "theory", "plots", "images", "weights", "features", "exercises",
               "similarity", "ghost", "latency", "connectivity", "atlas"}


def count(module, input_size):
    """Measured Cost of `module` on a (C, H, W) input via torch's FlopCounterMode (see effviz.counting)."""
    from effviz.counting import count as _count

    return _count(module, input_size)


def profile(model, input_size):
    """Per-layer, per-block and per-stage params and MACs of `model` on a (C, H, W) input (see effviz.profiling;
    the module is not called effviz.profile because importing it would shadow this function)."""
    from effviz.profiling import profile as _profile

    return _profile(model, input_size)


def __getattr__(name):
    if name == "redundancy_atlas":  # effviz.atlas.redundancy_atlas, imported (with torch) on first use
        from effviz.atlas import redundancy_atlas

        return redundancy_atlas
    if name in _SUBMODULES:
        return importlib.import_module(f"effviz.{name}")
    raise AttributeError(f"module 'effviz' has no attribute {name!r}")
