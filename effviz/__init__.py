"""effviz: why efficient CNN building blocks are efficient, with every number computed.

Importing effviz (or effviz.blocks) does not import torch: analytic costs are pure Python. Measured counts,
networks, features and latency import torch when first used.

One package per subject (README, "Layout"): blocks (block costs and counting), networks (networks and profiling,
ONNX files included), shuffle, redundancy (feature redundancy), speed (latency and memory access), plots,
exercises. The old flat module names (effviz.ghost, effviz.latency, ...) still import: see effviz.moved."""
from __future__ import annotations

import importlib

from effviz import moved
from effviz.cost import Cost

moved.install()  # the old flat module names (effviz.ghost, effviz.latency, ...) keep working: see effviz.moved

__version__ = "0.1.0"  # the same as pyproject.toml's (tests/test_shared_cache.py checks)

__all__ = ["Cost", "count", "profile", "profile_onnx", "redundancy_atlas", "blocks", "networks", "shuffle", "theory"]

# The subject packages, and the old flat module names (effviz.moved.MOVED) that reach their new modules.
_SUBMODULES = {"blocks", "networks", "shuffle", "redundancy", "speed", "plots", "exercises",
               *(old.split(".")[1] for old in moved.MOVED if old.count(".") == 1)}


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
