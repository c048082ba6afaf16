"""Where a network's parameters and MACs live: per layer, per block, per stage.

    with torch.device("meta"):                      # no weights allocated
        model = networks.build("ghostnet", width=1.0)
    prof = effviz.profile(model, input_size=(3, 224, 224))
    prof.params, prof.macs, prof.flops              # totals (FLOPs = 2 x MACs)
    prof.layers                                     # every conv / linear / norm layer, in execution order
    prof.units, prof.stages                         # blocks, and blocks grouped by output stride

Counting convention (effviz.cost): MACs are multiply-accumulates, measured by torch's own FlopCounterMode (which
counts a multiply-add as 2 FLOPs, so MACs = its FLOPs / 2); only convolutions and matrix products count.
Parameters include biases and BatchNorm's affine weights (not its running statistics).

Blocks ("units") are found without knowing the network: starting at the root, plain containers (nn.Sequential,
ModuleList, ModuleDict) nested three or more deep are opened; anything else (a block class, a conv+BN+act
Sequential, a leaf) is a unit. A unit's stage is its output stride (input size / output size, to the nearest
power of two); everything from global pooling on (1x1 pooled maps, flattened vectors) is the "head".

The meta device saves memory (no weights, no activations), not always time: its kernels partly run in Python,
so for small networks one meta forward is slower than a real batch-1 CPU forward (bench/bench_profilers.py
measured 1.3-3.4x slower for 9 of 13 zoo networks, 0.2-0.45x for Xception and the ResNets). The totals are
identical either way (tested).
Results are plain frozen dataclasses, named tuples and dicts: picklable, so Streamlit's cache_data can keep them."""
from __future__ import annotations

import math

# The result types live in breakdown, shared with the ONNX profile; they are still importable from here.
from effviz.networks.breakdown import (  # noqa: F401
    HEAD,
    KINDS,
    Layer,
    Profile,
    Share,
    Stage,
    Unit,
    by_kind,
    power_of_two,
    root_unit,
    stage_rows,
    stages_by_stride,
)


def _is_container(module) -> bool:
    from torch import nn

    return type(module) in (nn.Sequential, nn.ModuleList, nn.ModuleDict)


def _depth(module) -> int:
    children = list(module.children())
    return 1 + max(map(_depth, children)) if children else 0


def _units(model) -> list[tuple[str, object]]:
    """Blocks in definition order: open plain containers three or more levels deep, keep the rest whole."""
    out: list[tuple[str, object]] = []

    def visit(prefix: str, module) -> None:
        for name, child in module.named_children():
            qual = f"{prefix}.{name}" if prefix else name
            if _is_container(child) and _depth(child) >= 3:
                visit(qual, child)
            else:
                out.append((qual, child))

    visit("", model)
    return out or [("", model)]


def _kind(name: str, module, ancestors: list) -> str:
    from torch import nn

    if any("Squeeze" in type(a).__name__ or "Excit" in type(a).__name__ for a in ancestors) \
            or ".se." in f".{name}.":
        return "se" if isinstance(module, (nn.Conv2d, nn.Linear)) else "norm" if _is_norm(module) else "other"
    if isinstance(module, nn.Linear):
        return "linear"
    if isinstance(module, nn.Conv2d):
        if module.groups > 1 and module.groups == module.in_channels:
            return "depthwise"
        if module.groups > 1:
            return "group"
        if module.kernel_size == (1, 1):
            return "pointwise"
        return "standard"
    if _is_norm(module):
        return "norm"
    return "other"


def _is_norm(module) -> bool:
    from torch import nn

    return isinstance(module, (nn.modules.batchnorm._NormBase, nn.GroupNorm, nn.LayerNorm))


def _shape(output) -> tuple[int, ...] | None:
    import torch

    if isinstance(output, torch.Tensor):
        return tuple(output.shape[1:])
    if isinstance(output, (tuple, list)) and output and isinstance(output[0], torch.Tensor):
        return tuple(output[0].shape[1:])
    return None


def _descendant_flops(flops_by_module, parent: str, name: str, child) -> int:
    """FLOPs counted inside `child`. A child the counter has no entry for was not called as a module (a
    ModuleList or ModuleDict, whose members the parent calls directly) or did no counted work: its own children's
    entries are summed instead, so the parent's own work is not over-counted (timm's GhostModuleV3)."""
    key = f"{parent}.{name}"
    if key in flops_by_module:
        return sum(flops_by_module[key].values())
    return sum(_descendant_flops(flops_by_module, key, n, c) for n, c in child.named_children())


def profile(model, input_size, time_limit: float | None = None) -> Profile:
    """Per-layer, per-block and per-stage params and MACs of `model` on one (C, H, W) input (batch 1).

    Params are read from the module; MACs from torch's FlopCounterMode (FLOPs / 2) on one eval-mode forward pass
    under no_grad. The model's train/eval mode is restored; hooks are removed; nothing else is changed.
    `time_limit` (seconds): the forward pass stops with TimeoutError at the first module called after it."""
    import time

    from effviz.blocks.counting import counted_forward, input_for

    x = input_for(model, input_size)
    units = _units(model)
    unit_of: dict[int, str] = {}
    for uname, umod in units:
        for m in umod.modules():
            unit_of.setdefault(id(m), uname)

    outputs: dict[str, tuple[int, ...]] = {}
    inputs: dict[str, tuple[int, ...]] = {}
    order: list[str] = []
    leaf_shapes: dict[str, tuple[int, ...]] = {}
    names = {id(m): n for n, m in model.named_modules()}

    def unit_hook(name):
        def hook(module, args, output):
            if name not in outputs:
                order.append(name)
                inputs[name] = _shape(args[0]) if args else ()
                outputs[name] = _shape(output) or ()
        return hook

    def leaf_hook(module, args, output):
        shape = _shape(output)
        if shape is not None:
            leaf_shapes.setdefault(names[id(module)], shape)

    handles = [umod.register_forward_hook(unit_hook(uname)) for uname, umod in units]
    handles += [m.register_forward_hook(leaf_hook) for m in model.modules() if not list(m.children())]
    if time_limit is not None:
        deadline = time.monotonic() + time_limit

        def check_time(module, args):
            if time.monotonic() > deadline:
                raise TimeoutError(f"profiling stopped after its time limit of {time_limit:g} s")

        handles += [m.register_forward_pre_hook(check_time) for m in model.modules()]
    try:
        counter = counted_forward(model, x)
    finally:
        for h in handles:
            h.remove()
    flops_by_module = counter.get_flop_counts()
    root = type(model).__name__

    # Stages: output stride of each unit in execution order; from global pooling on, the head.
    stage_of_unit = stages_by_stride(
        ((uname, inputs.get(uname, ()), outputs.get(uname, ()), any(True for _ in umod.parameters()))
         for uname, umod in sorted(units, key=lambda u: order.index(u[0]) if u[0] in order else len(order))),
        input_size[1])

    # Layers: every module holding parameters directly or doing counted work itself.
    layers: list[Layer] = []
    ancestors: list = []

    def walk(prefix: str, module) -> None:
        own_params = sum(p.numel() for p in module.parameters(recurse=False))
        children = list(module.named_children())
        if not children:
            own_macs = sum(flops_by_module.get(f"{root}.{prefix}" if prefix else root, {}).values()) // 2
        else:  # work done by the module's own forward (functional ops), not by any child
            total = sum(flops_by_module.get(f"{root}.{prefix}" if prefix else root, {}).values())
            in_children = sum(_descendant_flops(flops_by_module, f"{root}.{prefix}" if prefix else root, n, c)
                              for n, c in children)
            own_macs = max(total - in_children, 0) // 2
        if own_params or own_macs:
            unit = unit_of.get(id(module), "")
            kind = _kind(prefix, module, ancestors)
            kernel = tuple(module.kernel_size) if hasattr(module, "kernel_size") and \
                isinstance(module.kernel_size, tuple) else None
            layers.append(Layer(prefix or root, kind, type(module).__name__, unit,
                                stage_of_unit.get(unit, HEAD), leaf_shapes.get(prefix, outputs.get(unit, ())),
                                own_params, own_macs, kernel, getattr(module, "groups", 1)))
        ancestors.append(module)
        for n, child in children:
            walk(f"{prefix}.{n}" if prefix else n, child)
        ancestors.pop()

    walk("", model)
    executed = {n: i for i, n in enumerate(order)}
    layers.sort(key=lambda r: executed.get(r.unit, len(executed)))  # stable: definition order within a unit

    unit_rows = []
    for uname, umod in units:
        rows = [r for r in layers if r.unit == uname]
        unit_rows.append(Unit(uname, type(umod).__name__, stage_of_unit.get(uname, HEAD), inputs.get(uname, ()),
                              outputs.get(uname, ()), sum(r.params for r in rows), sum(r.macs for r in rows),
                              by_kind(rows)))
    unit_rows.sort(key=lambda u: executed.get(u.name, len(executed)))
    unit_rows += root_unit(layers, {u.name for u in unit_rows}, root, input_size)

    peak_name, peak = "input", math.prod(input_size)
    for name, shape in leaf_shapes.items():
        if math.prod(shape) > peak:
            peak_name, peak = name, math.prod(shape)

    return Profile(tuple(input_size), sum(p.numel() for p in model.parameters()),
                   counter.get_total_flops() // 2, tuple(layers), tuple(unit_rows), stage_rows(unit_rows, layers), peak,
                   peak_name)


def resolution_sweep(model, resolutions, channels: int = 3) -> list[tuple[int, int, int]]:
    """(r, params, MACs) of `model` on each r x r input, counted by torch's FLOP counter (effviz.count): MACs grow
    with r², parameters stay the same."""
    from effviz.blocks.counting import count

    out = []
    for r in resolutions:
        cost = count(model, (channels, int(r), int(r)))
        out.append((int(r), cost.params, cost.macs))
    return out
