"""effviz: why efficient CNN building blocks are efficient, with every number computed.

Importing effviz (or effviz.blocks) does not import torch: analytic costs are pure Python. Measured counts,
networks, features and latency import torch when first used.

One package per subject (README, "Layout"): blocks (block costs and counting), networks (networks and profiling,
ONNX files included), shuffle, redundancy (feature redundancy), speed (latency and memory access), plots,
exercises. The old flat module names that DESIGN.md's contract uses (effviz.ghost, effviz.latency, ...: OLD_NAMES)
are small modules here that warn (DeprecationWarning) and forward to the new ones."""
from __future__ import annotations

import importlib

from effviz.cost import Cost

__version__ = "0.1.0"  # the same as pyproject.toml's (tests/test_shared_cache.py checks)

__all__ = ["Cost", "count", "profile", "profile_onnx", "redundancy_atlas", "blocks", "networks", "shuffle", "theory"]

# The old flat module names that DESIGN.md's contract still uses, each a file here (effviz/ghost.py, ...) that warns
# and forwards to its new module. Other old names (effviz.profiling, effviz.layers.ghost, effviz.plots.atlas, ...)
# are gone: tests/test_layout.py checks both.
OLD_NAMES = {
    "images": "effviz.redundancy.images",
    "weights": "effviz.redundancy.weights",
    "features": "effviz.redundancy.features",
    "similarity": "effviz.redundancy.similarity",
    "ghost": "effviz.redundancy.reconstruction",
    "atlas": "effviz.redundancy.atlas",
    "latency": "effviz.speed.latency",
    "memory_access": "effviz.speed.memory_access",
    "theory": "effviz.blocks.theory",
    "connectivity": "effviz.shuffle.connectivity",
    "onnxfile": "effviz.networks.onnxfile",
}

# Loaded on first use as effviz.<name>: the subject packages, and the old names.
_SUBMODULES = {"blocks", "networks", "shuffle", "redundancy", "speed", "plots", "exercises", *OLD_NAMES}


def count(module, input_size):
    """Measured Cost of `module` on a (C, H, W) input via torch's FlopCounterMode (see effviz.blocks.counting)."""
    from effviz.blocks.counting import count as _count

    return _count(module, input_size)


def profile(model, input_size, time_limit=None):
    """Per-layer, per-block and per-stage params and MACs of `model` on a (C, H, W) input (see
    effviz.networks.profiling)."""
    from effviz.networks.profiling import profile as _profile

    return _profile(model, input_size, time_limit)


def profile_onnx(source, input_size=None):
    """The same Profile from an ONNX file (path, bytes or binary file object): parsed with the onnx package and
    never executed; ValueError names what is wrong with a refused file (see effviz.networks.onnxfile). No torch
    needed."""
    from effviz.networks.onnxfile.onnx_profiling import profile_onnx as _profile_onnx

    return _profile_onnx(source, input_size)


def __getattr__(name):
    if name == "redundancy_atlas":  # effviz.redundancy.atlas.redundancy_atlas, imported (with torch) on first use
        from effviz.redundancy.atlas import redundancy_atlas

        return redundancy_atlas
    if name in _SUBMODULES:
        return importlib.import_module(f"effviz.{name}")
    raise AttributeError(f"module 'effviz' has no attribute {name!r}")
