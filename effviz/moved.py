"""Old module names, kept importable: effviz was flat until its modules were grouped by subject (issue 12).

`MOVED` maps each old dotted name to its new one. `install()` (called by `import effviz`) puts a finder first on
sys.meta_path that answers an old name with the new module itself, so that

    import effviz.ghost                       from effviz.ghost import reconstruct
    effviz.ghost.reconstruct                  python -m effviz.weights fetch resnet50

all reach `effviz.redundancy.reconstruction` (the same module object, not a copy), and pickles naming an old
class path still load. A name below a moved package follows it (`effviz.onnxfile.reading` ->
`effviz.networks.onnxfile.reading`) unless it has an entry of its own. Nothing is imported until an old name is
asked for; this module imports no torch. New code uses the new names (tests/test_layout.py checks the code base).
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

MOVED: dict[str, str] = {
    # block costs and counting
    "effviz.comparison": "effviz.blocks.comparison",
    "effviz.counting": "effviz.blocks.counting",
    "effviz.formulas": "effviz.blocks.formulas",
    "effviz.theory": "effviz.blocks.theory",
    "effviz.blocks._spec": "effviz.blocks.spec",
    "effviz.layers": "effviz.blocks.layers",
    "effviz.layers.ghost": "effviz.blocks.layers.ghost_layers",
    "effviz.layers.graph": "effviz.blocks.layers.graph_module",
    "effviz.layers.mbconv": "effviz.blocks.layers.mbconv_layers",
    "effviz.layers.shuffle_units": "effviz.blocks.layers.shuffle_layers",
    # networks and profiling
    "effviz.profiling": "effviz.networks.profiling",
    "effviz.onnxfile": "effviz.networks.onnxfile",
    "effviz.onnxfile.profiling": "effviz.networks.onnxfile.onnx_profiling",
    "effviz.onnxfile.features": "effviz.networks.onnxfile.onnx_features",
    # channel shuffle
    "effviz.connectivity": "effviz.shuffle.connectivity",
    # feature redundancy
    "effviz.images": "effviz.redundancy.images",
    "effviz.weights": "effviz.redundancy.weights",
    "effviz.features": "effviz.redundancy.features",
    "effviz.similarity": "effviz.redundancy.similarity",
    "effviz.ghost": "effviz.redundancy.reconstruction",
    "effviz.atlas": "effviz.redundancy.atlas",
    # speed and memory access
    "effviz.latency": "effviz.speed.latency",
    "effviz.memory_access": "effviz.speed.memory_access",
    "effviz.guidelines": "effviz.speed.guidelines",
    # exercises: the real layers questions are drawn from (was private; old branches import it)
    "effviz.exercises._layers": "effviz.exercises.real_layers",
    # plots: each subject's charts
    "effviz.plots.atlas": "effviz.plots.atlas_charts",
    "effviz.plots.latency": "effviz.plots.latency_charts",
    "effviz.plots.networks": "effviz.plots.network_charts",
    "effviz.plots.playground": "effviz.plots.playground_charts",
    "effviz.plots.redundancy": "effviz.plots.redundancy_charts",
    "effviz.plots.shuffle": "effviz.plots.shuffle_charts",
}


def new_name(name: str) -> str | None:
    """The new dotted name of an old one (itself an entry, or below a moved package); None if it did not move."""
    if name in MOVED:
        return MOVED[name]
    head, _, tail = name.rpartition(".")
    while head:
        if head in MOVED:
            return f"{MOVED[head]}.{name[len(head) + 1:]}"
        head, _, _ = head.rpartition(".")
    return None


class _Alias(importlib.abc.Loader):
    """Loads an old name as the module of its new name (imported first if need be)."""

    def __init__(self, target: str):
        self.target = target

    def create_module(self, spec):
        return importlib.import_module(self.target)

    def exec_module(self, module):
        pass  # the target ran when it was imported; an alias runs nothing twice

    def get_code(self, fullname):  # `python -m <old name>` (runpy) runs the new module's code
        spec = importlib.util.find_spec(self.target)
        return spec.loader.get_code(self.target)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith("effviz."):
            return None
        new = new_name(fullname)
        if new is None:
            return None
        spec = importlib.util.find_spec(new)
        if spec is None:
            return None
        return importlib.util.spec_from_loader(fullname, _Alias(new), origin=spec.origin,
                                               is_package=spec.submodule_search_locations is not None)


_FINDER = _Finder()


def install() -> None:
    """Puts the finder first on sys.meta_path (once)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _FINDER)
