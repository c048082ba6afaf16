"""A block graph (effviz.blocks.graph) as torch: a module that executes it, and the layer structure of any module
in the same terms as `Graph.structure()`, so that a hand-written module can be checked against its declaration."""
from __future__ import annotations

import torch
from torch import nn

from effviz.blocks.layers.conv import Conv2dTFSame, activation
from effviz.shuffle import channel_shuffle

_ACT_NAMES = {nn.ReLU: "relu", nn.ReLU6: "relu6", nn.Hardswish: "hswish", nn.SiLU: "swish"}
_GATE_NAMES = {nn.Sigmoid: "sigmoid", nn.Hardsigmoid: "hard_sigmoid"}


def structure_of(module: nn.Module) -> tuple[tuple, ...]:
    """The module's layers in definition order, as Graph.structure() lists them: ("conv", c_in, c_out, kernel,
    stride, groups, bias), ("norm", channels), ("act", fn), ("gate", fn), ("pool", kind, kernel, stride).
    Containers and identities are skipped; any other leaf appears as ("unknown", class name)."""
    rows: list[tuple] = []
    for m in module.modules():
        if isinstance(m, nn.Conv2d):
            k, s = m.kernel_size, m.stride
            rows.append(("conv", m.in_channels, m.out_channels, k[0] if k[0] == k[1] else k, s[0] if s[0] == s[1]
                         else s, m.groups, m.bias is not None))
        elif isinstance(m, nn.BatchNorm2d):
            rows.append(("norm", m.num_features))
        elif type(m) in _ACT_NAMES:
            rows.append(("act", _ACT_NAMES[type(m)]))
        elif type(m) in _GATE_NAMES:
            rows.append(("gate", _GATE_NAMES[type(m)]))
        elif isinstance(m, nn.AdaptiveAvgPool2d) and m.output_size in (1, (1, 1)):
            rows.append(("pool", "avg", None, 1))
        elif isinstance(m, nn.AvgPool2d):
            rows.append(("pool", "avg", m.kernel_size, m.stride))
        elif isinstance(m, nn.MaxPool2d):
            rows.append(("pool", "max", m.kernel_size, m.stride))
        elif not list(m.children()) and not isinstance(m, nn.Identity):
            rows.append(("unknown", type(m).__name__))
    return tuple(rows)


def _layer(node) -> nn.Module | None:
    a = node.attrs
    if node.op == "conv":
        c_in = a["c_in"]
        if a["padding"] == "tf_same":
            return Conv2dTFSame(c_in, node.shape[0], a["kernel"], a["stride"], groups=a["groups"], bias=a["bias"])
        k = a["kernel"]
        pad = (k[0] // 2, k[1] // 2) if isinstance(k, tuple) else k // 2
        return nn.Conv2d(c_in, node.shape[0], k, a["stride"], pad, groups=a["groups"], bias=a["bias"])
    if node.op == "norm":
        return nn.BatchNorm2d(node.shape[0])
    if node.op == "act":
        return activation(a["fn"])
    if node.op == "gate":
        return nn.Hardsigmoid() if a["fn"] == "hard_sigmoid" else nn.Sigmoid()
    if node.op == "pool":
        if a["kernel"] is None:
            return nn.AdaptiveAvgPool2d(1)
        pool = nn.AvgPool2d if a["kind"] == "avg" else nn.MaxPool2d
        return pool(a["kernel"], a["stride"], a.get("padding", a["kernel"] // 2))
    return None


class GraphModule(nn.Module):
    """Runs a block graph: one torch layer per conv / norm / act / gate / pool node (in node order, so its
    parameters come in the graph's order), tensor operations for the rest. Works on any input size: the graph
    fixes the structure, not the shapes (a "tf_same" conv pads for each input, as Conv2dTFSame does)."""

    def __init__(self, graph) -> None:
        super().__init__()
        self.graph = graph
        self.layers = nn.ModuleDict()
        self._key: dict[str, str] = {}
        for i, node in enumerate(graph.nodes):
            layer = _layer(node)
            if layer is not None:
                key = f"{i}_{node.name.replace('.', '_')}"
                self.layers[key] = layer
                self._key[node.name] = key

    def forward(self, x):
        values: dict[str, list] = {}
        for node in self.graph.nodes:
            args = [values[src][i] for src, i in node.inputs]
            op = node.op
            if op == "input":
                out = [x]
            elif node.name in self._key:
                out = [self.layers[self._key[node.name]](args[0])]
            elif op in ("pad", "output"):
                out = [args[0]]  # a tf_same conv pads for itself
            elif op == "add":
                out = [args[0] + args[1]]
            elif op == "mul":
                out = [args[0] * args[1]]
            elif op == "concat":
                out = [torch.cat(args, dim=1)]
            elif op == "split":
                out = list(torch.split(args[0], list(node.attrs["sizes"]), dim=1))
            elif op == "shuffle":
                out = [channel_shuffle(args[0], node.attrs["groups"])]
            elif op == "upsample":
                out = [nn.functional.interpolate(args[0], size=tuple(args[1].shape[-2:]), mode="nearest")]
            elif op == "slice":
                out = [args[0][:, : node.attrs["channels"]]]
            else:
                raise ValueError(f"GraphModule cannot run op {op!r} (node {node.name!r})")
            values[node.name] = out
        return values["output"][0]
