"""The rows of a network's profile, and how they add up: the same for a torch module (effviz.networks.profiling)
and an ONNX file (effviz.networks.onnxfile.onnx_profiling), which both build them.

    Profile                 totals, and its layers, units (blocks) and stages, in execution order
    Layer, Unit, Stage      one row each; Share: params and MACs of one kind of layer
    stages_by_stride        each unit's stage: its output stride, and from global pooling on, the head
    stage_rows              units and layers added up per stage
    OnnxReport, NotCounted  what an ONNX file is and which of its ops are not counted (Profile.onnx)

Plain frozen dataclasses, named tuples and dicts: picklable, so caches can keep them. Imports no torch and nothing
of effviz."""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

KINDS = ("standard", "pointwise", "depthwise", "group", "se", "linear", "norm", "other")
HEAD = "head"


class Share(NamedTuple):
    """Params and MACs of one kind of layer within a unit, a stage or the network."""

    params: int
    macs: int


@dataclass(frozen=True)
class Layer:
    """One layer that holds parameters or does counted work."""

    name: str                      # qualified module name, e.g. "features.stage3.0.depthwise.conv"
    kind: str                      # one of KINDS
    module: str                    # class name, e.g. "Conv2d"
    unit: str                      # the block it belongs to
    stage: str                     # "s2", "s4", ... or "head"
    shape: tuple[int, ...]         # output shape without the batch dimension
    params: int
    macs: int
    kernel: tuple[int, int] | None = None
    groups: int = 1

    @property
    def flops(self) -> int:
        return 2 * self.macs

    @property
    def type(self) -> str:
        """The layer type of the design contract ("per-layer rows: name, type, ..."): the same as `kind`."""
        return self.kind

    @property
    def activation(self) -> int:
        """Elements of the output tensor."""
        return math.prod(self.shape)


@dataclass(frozen=True)
class Unit:
    """One block of the network (or a stem / head piece), in execution order."""

    name: str
    module: str
    stage: str
    in_shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    params: int
    macs: int
    kinds: dict[str, Share] = field(default_factory=dict)   # its layers' cost by kind

    @property
    def stride(self) -> int:
        """The unit's own spatial stride (1 where the size stays, 2 where it halves)."""
        if len(self.in_shape) != 3 or len(self.out_shape) != 3 or self.out_shape[1] < 1:
            return 1
        return power_of_two(self.in_shape[1] / self.out_shape[1])


@dataclass(frozen=True)
class Stage:
    key: str                      # "s2", "s4", ... "head"
    stride: int | None            # output stride (None for the head)
    out_shape: tuple[int, ...]    # output of its last unit
    params: int
    macs: int
    units: int
    kinds: dict[str, Share] = field(default_factory=dict)


@dataclass(frozen=True)
class Profile:
    input_size: tuple[int, int, int]
    params: int
    macs: int
    layers: tuple[Layer, ...]
    units: tuple[Unit, ...]
    stages: tuple[Stage, ...]
    peak_activation: int           # elements of the largest tensor a layer produces (or of the input)
    peak_activation_layer: str
    onnx: OnnxReport | None = None  # for a profile of an ONNX file (effviz.profile_onnx): what it is, what is
    #                                 not counted, whether BatchNorm was folded

    @property
    def flops(self) -> int:
        return 2 * self.macs

    def weight_bytes(self, bytes_per_param: int = 4) -> int:
        return self.params * bytes_per_param

    def peak_activation_bytes(self, bytes_per_value: int = 4) -> int:
        return self.peak_activation * bytes_per_value

    def kinds(self) -> dict[str, Share]:
        """Params and MACs by layer kind, over the whole network."""
        return by_kind(self.layers)

    def table(self) -> list[dict]:
        """The per-layer rows as plain dicts (for a DataFrame or CSV)."""
        return [{"name": r.name, "kind": r.kind, "module": r.module, "unit": r.unit, "stage": r.stage,
                 "output": "×".join(map(str, r.shape)), "params": r.params, "macs": r.macs,
                 "activation": r.activation} for r in self.layers]


def power_of_two(ratio: float) -> int:
    """A size ratio rounded to a power of two (the stride of a unit or a stage); 1 when it does not shrink."""
    return 2 ** max(0, round(math.log2(ratio))) if ratio > 0 else 1


def by_kind(layers) -> dict[str, Share]:
    """Params and MACs of `layers` added up per layer kind, in KINDS order (also used by the ONNX profile)."""
    out: dict[str, Share] = {}
    for r in layers:
        params, macs = out.get(r.kind, (0, 0))
        out[r.kind] = Share(params + r.params, macs + r.macs)
    return {k: out[k] for k in KINDS if k in out}



@dataclass(frozen=True)
class NotCounted:
    """Nodes whose MACs are not counted, grouped by (domain, op type) and reason."""

    op_type: str
    domain: str
    reason: str                     # custom_domain | unknown_op | shape_unknown | control_flow | recurrent_state
    #                                 | svm_kernel | training
    nodes: tuple[str, ...]          # node names (all of them)


@dataclass(frozen=True)
class OnnxReport:
    """What the file is and how it was read; codes and numbers, the app writes the sentences."""

    producer: str
    producer_version: str
    ir_version: int
    opsets: tuple[tuple[str, int], ...]
    input_name: str
    input_shape: tuple[int, ...]            # with the batch dimension
    defaulted: tuple[tuple[int, int], ...]  # (axis, value) assumed for dynamic input dims
    op_counts: tuple[tuple[str, int], ...]  # op type -> nodes, most frequent first
    not_counted: tuple[NotCounted, ...]
    folded_bn: int                          # convolutions that carry a folded BatchNorm
    folded_evidence: str                    # "rewriter" (the optimiser's own record), "names", or ""
    module_paths: bool                      # node -> module paths were found (layers are torch modules)
    nodes: int
    parameters: int                         # parameter tensors
    functions_inlined: int

    @property
    def batch(self) -> int:
        return self.input_shape[0]


def root_unit(layers, unit_names, root: str, input_size) -> list[Unit]:
    """The root module's own parameters and work (a ViT's position embedding and class token) belong to no block:
    they make one more unit, named "" like their rows' unit, so that units add up to the totals too."""
    rows = [r for r in layers if r.unit == ""]
    if not rows or "" in unit_names:
        return []
    return [Unit("", root, HEAD, tuple(input_size), (), sum(r.params for r in rows), sum(r.macs for r in rows),
                 by_kind(rows))]


def stages_by_stride(units: Iterable[tuple[str, tuple, tuple, bool]], h_in: int,
                     spatial: bool = True) -> dict[str, str]:
    """{unit: stage} for (name, input shape, output shape, has parameters) of each unit, in execution order:
    "s<output stride>" ("s8" where the output is an eighth of the input's height); from the first unit that pools
    a map to 1x1 without parameters (global pooling), or whose output is not a (C, H, W) map, on: the head. A graph
    without a spatial input (`spatial=False`) is all head."""
    stage_of_unit: dict[str, str] = {}
    in_head = False
    for name, inp, out, has_params in units:
        pooled = len(out) == 3 and out[1:] == (1, 1) and len(inp) == 3 and inp[1] * inp[2] > 1 and not has_params
        if in_head or len(out) != 3 or pooled or not spatial or not out[1]:
            in_head = True
            stage_of_unit[name] = HEAD
        else:
            stage_of_unit[name] = f"s{power_of_two(h_in / out[1])}"
    return stage_of_unit


def stage_rows(units: Iterable[Unit], layers: Iterable[Layer]) -> tuple[Stage, ...]:
    """One Stage per stage key, in the order the units first reach it: its layers' params and MACs (by kind too),
    how many units it has, and its last unit's output shape."""
    units, layers = list(units), list(layers)
    stages: list[Stage] = []
    for key in dict.fromkeys(u.stage for u in units):
        members = [u for u in units if u.stage == key]
        rows = [r for r in layers if r.stage == key]
        last = ([u.out_shape for u in members if u.out_shape] or [()])[-1]   # the root unit has none
        stages.append(Stage(key, None if key == HEAD else int(key[1:]), last, sum(r.params for r in rows),
                            sum(r.macs for r in rows), len(members), by_kind(rows)))
    return tuple(stages)
