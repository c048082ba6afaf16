"""A block's structure as data: the one declaration each family makes, and everything derived from it.

Each family's spec declares its block once, in `_graph(b, x)`, as operations on a `Builder`:

    def _graph(self, b, x):
        y = b.conv_bn_act(x, "depthwise", self.c_in, self.kernel, self.stride, groups=self.c_in, act="relu")
        return b.conv_bn_act(y, "pointwise", self.c_out, 1, act="relu")

The builder tracks the shapes flowing between the operations, and gives each node its params, MACs and memory
access by the rules of effviz.cost and effviz.speed.memory_access. From the resulting `Graph` come: the analytic cost
with its named parts (`Graph.cost()`, which is `spec.cost()`), the memory access (`Graph.accesses()`, which
`memory_access.of()` wraps), the layer structure the torch module must have (`Graph.structure()`, checked against
`spec.build()` in the tests and by `effviz.blocks.layers.graph_module.structure_of`), a generic torch module when a
family has no
hand-written one (`effviz.blocks.layers.graph_module.GraphModule`), and the diagrams (effviz.plots.anatomy).

Operations (`Node.op`): input, output, conv, norm, act, gate, pool, pad, mul, add, concat, split, shuffle, slice,
upsample. A conv's kernel is an int (k x k) or a pair (kh, kw) for the 1 x k and k x 1 convs of DFC attention.
A node's `part` is the dotted name of the cost part it counts towards ("right.pw1"); nodes of no part must cost
nothing. Parts are declared in order with `Builder.parts()` (a declared part with no node costs zero: MBConv's
"expand" when C_mid == C_in). Pure Python: no torch.
"""
from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from effviz.cost import Cost, conv_cost, norm_cost

OPS = ("input", "output", "conv", "norm", "act", "gate", "pool", "pad", "mul", "add", "concat", "split", "shuffle",
       "slice", "upsample")
FREE_OPS = tuple(op for op in OPS if op not in ("conv", "norm"))  # never params, never MACs
ACTIVATION_FNS = ("relu", "relu6", "hswish", "swish")
GATE_FNS = ("sigmoid", "hard_sigmoid")
BYTES_PER_ELEMENT = 4  # float32


class Access(NamedTuple):
    """One operation's memory traffic, in elements (see effviz.speed.memory_access for the rules)."""

    name: str
    kind: str      # conv, norm, act, add, mul, concat, shuffle, pool, gate, pad
    inputs: int    # activation elements read
    weights: int   # parameter and buffer elements read
    outputs: int   # elements written

    @property
    def elements(self) -> int:
        return self.inputs + self.weights + self.outputs

    @property
    def bytes(self) -> int:
        return self.elements * BYTES_PER_ELEMENT


class Tensor(NamedTuple):
    """A value flowing between nodes while a graph is declared: output `index` of node `node`."""

    node: str
    index: int
    shape: tuple[int, int, int]


class Node(NamedTuple):
    """One operation: a named tuple, cheap to make (a graph is declared for every new spec and size)."""

    name: str                          # unique, dotted: "right.pw1", "right.pw1.bn", "se.pool"
    op: str                            # one of OPS
    shape: tuple[int, int, int]        # output (C, H, W); for a split, its input's (the edges carry each piece)
    params: int = 0
    macs: int = 0
    access: Access | None = None       # memory traffic; None where no data moves (a view: split, slice, ...)
    inputs: tuple[tuple[str, int], ...] = ()   # (node, output index) read, in argument order
    attrs: Mapping[str, Any] = MappingProxyType({})  # conv: c_in, kernel, stride, groups, bias, padding; ...
    part: str = ""                     # dotted cost part it counts towards ("" = none)
    scope: str = ""                    # dotted name of the enclosing scopes ("ghost1", "se")

    @property
    def memory(self) -> int:
        """Elements read and written (0 for a view)."""
        return self.access.elements if self.access else 0

    def output_shape(self, index: int = 0) -> tuple[int, int, int]:
        if self.op == "split":
            return (self.attrs["sizes"][index], *self.shape[1:])
        return self.shape


class Edge(NamedTuple):
    src: str
    dst: str
    shape: tuple[int, int, int]   # the tensor on the edge
    index: int = 0                # which output of src (a split has several)


class Scope(NamedTuple):
    """A named group of nodes. `params` are the numbers the family derived for it (a Ghost module's ratio s and
    intrinsic maps m, a ShuffleNet unit's groups and widths), declared once in the family's file, so that the
    diagram, the exercises and the connectivity probe read them instead of working them out again."""

    name: str    # dotted, as in Node.scope ("" for the whole block)
    kind: str    # what it is, for the drawing: "se", "ghost_module", "branch", ...
    params: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Graph:
    family: str
    nodes: tuple[Node, ...]
    parts: tuple[str, ...] = ()     # declared cost parts (dotted), in order
    scopes: tuple[Scope, ...] = ()
    # the block's own derived numbers (Builder.block_params)
    block_params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def scope(self, name: str) -> Scope:
        for s in self.scopes:
            if s.name == name:
                return s
        raise KeyError(name)

    def scope_input(self, name: str) -> tuple[int, int, int]:
        """The shape of the first tensor that enters scope `name` from outside it."""
        at = {n.name: n for n in self.nodes}
        inside = {n.name for n in self.nodes if n.scope == name or n.scope.startswith(f"{name}.")}
        for n in self.nodes:
            if n.name in inside:
                for src, i in n.inputs:
                    if src not in inside:
                        return at[src].output_shape(i)
        raise KeyError(name)

    def node_input(self, name: str, index: int = 0) -> tuple[int, int, int]:
        """The shape of node `name`'s input number `index`."""
        src, i = self.node(name).inputs[index]
        return self.node(src).output_shape(i)

    def node(self, name: str) -> Node:
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(name)

    @property
    def edges(self) -> tuple[Edge, ...]:
        at = {n.name: n for n in self.nodes}
        return tuple(Edge(src, n.name, at[src].output_shape(i), i) for n in self.nodes for src, i in n.inputs)

    @property
    def input_shape(self) -> tuple[int, int, int]:
        return self.nodes[0].shape

    @property
    def output_shape(self) -> tuple[int, int, int]:
        return self.nodes[-1].shape

    @property
    def params(self) -> int:
        return sum(n.params for n in self.nodes)

    @property
    def macs(self) -> int:
        return sum(n.macs for n in self.nodes)

    def consumers(self, name: str) -> list[str]:
        return [n.name for n in self.nodes if any(src == name for src, _ in n.inputs)]

    def accesses(self) -> tuple[Access, ...]:
        """Every operation that moves data, in execution order."""
        return tuple(n.access for n in self.nodes if n.access is not None)

    def cost(self) -> Cost:
        """The block's Cost: a tree of parts from the nodes' dotted `part` names, in declaration order; a leaf
        part's shape is the output shape of its one convolution (as effviz.cost.conv_cost gives it)."""
        sums: dict[str, list] = {p: [0, 0, []] for p in self.parts}  # part -> [params, macs, conv shapes]
        for n in self.nodes:
            if n.part:
                row = sums.get(n.part) or sums.setdefault(n.part, [0, 0, []])
                row[0] += n.params
                row[1] += n.macs
                if n.op == "conv":
                    row[2].append(n.shape)
        tree: dict = {}
        for path in sums:
            level = tree
            for piece in path.split("."):
                level = level.setdefault(piece, {})

        def build(path: str, children: dict) -> Cost:
            params, macs, shapes = sums.get(path, (0, 0, ()))
            if children:
                if params or macs:
                    raise ValueError(f"part {path!r} has sub-parts and costly nodes of its own")
                return Cost.of_parts(**{k: build(f"{path}.{k}", v) for k, v in children.items()})
            return Cost(params=params, macs=macs, shape=shapes[0] if len(shapes) == 1 else None)

        return Cost.of_parts(**{k: build(k, v) for k, v in tree.items()})

    def structure(self) -> tuple[tuple, ...]:
        """The layers the torch module must have, in order: ("conv", c_in, c_out, kernel, stride, groups, bias),
        ("norm", channels), ("act", fn), ("gate", fn), ("pool", kind, kernel, stride)."""
        rows: list[tuple] = []
        for n in self.nodes:
            a = n.attrs
            if n.op == "conv":
                rows.append(("conv", a["c_in"], n.shape[0], a["kernel"], a["stride"], a["groups"], a["bias"]))
            elif n.op == "norm":
                rows.append(("norm", n.shape[0]))
            elif n.op in ("act", "gate"):
                rows.append((n.op, a["fn"]))
            elif n.op == "pool":
                rows.append(("pool", a["kind"], a["kernel"], a["stride"]))
        return tuple(rows)


def out_size(size: int, stride: int) -> int:
    """Spatial size after a k x k conv with padding k // 2 (odd k): ceil(size / stride)."""
    return (size + stride - 1) // stride


class Builder:
    """Declares a graph: each method adds a node (with its params, MACs and memory access) and returns the
    tensor it makes. Names are relative to the open scopes; parts to the open part scopes."""

    def __init__(self, family: str, c_in: int, h: int, w: int) -> None:
        self.family = family
        self._nodes: list[Node] = []
        self._at: dict[str, Node] = {}
        self._names: list[str] = []
        self._parts: list[str] = []
        self._declared: list[str] = []
        self._scopes: list[Scope] = []
        self._scope = ""
        self._params: dict[str, Any] = {}
        self.input = self._add(Node("input", "input", (c_in, h, w)))

    # --- naming ---------------------------------------------------------------------------------------------

    def _full(self, name: str) -> str:
        return f"{self._scope}.{name}" if self._scope else name

    def _part(self, part: str | None) -> str:
        base = ".".join(self._parts)
        if part is None:
            return base
        return f"{base}.{part}" if base and part else (part or base)

    @contextmanager
    def scope(self, name: str, kind: str = "", part: bool = True,
              params: Mapping[str, Any] | None = None) -> Iterator[None]:
        """Names inside start with `name.`; with part=True so do their cost parts. `kind` marks the scope for
        the drawing (e.g. "se" is drawn as one box, "ghost_module" as a cluster); `params` are the numbers the
        family derived for it (Scope.params)."""
        self._names.append(name)
        self._scope = ".".join(self._names)
        if part:
            self._parts.append(name)
        if kind:
            self._scopes.append(Scope(self._scope, kind, MappingProxyType(dict(params or {}))))
        elif params:
            raise ValueError(f"scope {name!r}: params need a kind")
        try:
            yield
        finally:
            self._names.pop()
            self._scope = ".".join(self._names)
            if part:
                self._parts.pop()

    def block_params(self, **params: Any) -> None:
        """The block's own derived numbers (Graph.block_params), e.g. a ShuffleNet unit's groups and widths."""
        self._params.update(params)

    def parts(self, *names: str) -> None:
        """Declare cost parts in order (relative to the open part scope); one left without nodes costs 0."""
        self._declared.extend(self._part(n) for n in names)

    def _add(self, node: Node) -> Tensor:
        if node.name in self._at:
            raise ValueError(f"node {node.name!r} declared twice")
        if node.op not in OPS:
            raise ValueError(f"unknown op {node.op!r}; allowed: {', '.join(OPS)}")
        if node.op in FREE_OPS and (node.params or node.macs):
            raise ValueError(f"{node.op} node {node.name!r} cannot have params or MACs")
        if (node.params or node.macs) and not node.part:
            raise ValueError(f"node {node.name!r} has a cost but no part")
        # Graphs are cached and shared (BlockSpec.graph), so a node's attributes are made read-only here.
        node = node._replace(scope=self._scope, attrs=MappingProxyType(dict(node.attrs)))
        self._nodes.append(node)
        self._at[node.name] = node
        return Tensor(node.name, 0, node.shape)

    # --- operations -----------------------------------------------------------------------------------------

    def conv(self, x: Tensor, name: str, c_out: int, kernel: int | tuple[int, int] = 1, stride: int = 1,
             groups: int = 1, *, bias: bool = False, padding: str = "same", part: str | None = None) -> Tensor:
        """k x k conv, 'same' padding (output ceil(H / stride)); "tf_same" pads explicitly first (TensorFlow's
        SAME: a copy into a larger tensor, where any padding is needed). Costs as effviz.cost.conv_cost. A pair
        (kh, kw) of odd sizes is a kh x kw conv with padding (kh // 2, kw // 2) ("same" padding only)."""
        if isinstance(kernel, tuple):
            return self._rect_conv(x, name, c_out, kernel, stride, groups, bias=bias, padding=padding, part=part)
        c_in, h, w = x.shape
        if c_in % groups or c_out % groups or c_out < 1:
            raise ValueError(f"conv {name!r}: groups={groups} must divide c_in={c_in} and c_out={c_out}")
        ho, wo = out_size(h, stride), out_size(w, stride)
        full = self._full(name)
        if padding == "tf_same":
            hp = h + max((ho - 1) * stride + kernel - h, 0)
            wp = w + max((wo - 1) * stride + kernel - w, 0)
            if (hp, wp) != (h, w):
                x = self._add(Node(f"{full}.pad", "pad", (c_in, hp, wp), access=Access(
                    f"{full}.pad", "pad", c_in * h * w, 0, c_in * hp * wp), inputs=((x.node, x.index),),
                    attrs={"to": (hp, wp)}, part=self._part(None)))
        elif padding != "same":
            raise ValueError(f"padding must be same or tf_same, got {padding!r}")
        cost = conv_cost(c_in, c_out, kernel, ho, wo, groups, bias=bias)
        part = self._part(part if part is not None else (None if self._parts else name))
        return self._add(Node(full, "conv", cost.shape, cost.params, cost.macs,
                              Access(full, "conv", math.prod(x.shape), cost.params, math.prod(cost.shape)),
                              ((x.node, x.index),),
                              {"c_in": c_in, "kernel": kernel, "stride": stride, "groups": groups, "bias": bias,
                               "padding": padding}, part))

    def _rect_conv(self, x: Tensor, name: str, c_out: int, kernel: tuple[int, int], stride: int, groups: int, *,
                   bias: bool, padding: str, part: str | None) -> Tensor:
        kh, kw = kernel
        c_in, h, w = x.shape
        if padding != "same" or kh % 2 == 0 or kw % 2 == 0:
            raise ValueError(f"conv {name!r}: a ({kh}, {kw}) kernel needs odd sizes and 'same' padding")
        if c_in % groups or c_out % groups or c_out < 1:
            raise ValueError(f"conv {name!r}: groups={groups} must divide c_in={c_in} and c_out={c_out}")
        shape = (c_out, out_size(h, stride), out_size(w, stride))
        weights = kh * kw * (c_in // groups) * c_out
        params = weights + (c_out if bias else 0)
        full = self._full(name)
        part = self._part(part if part is not None else (None if self._parts else name))
        return self._add(Node(full, "conv", shape, params, weights * shape[1] * shape[2],
                              Access(full, "conv", math.prod(x.shape), params, math.prod(shape)),
                              ((x.node, x.index),),
                              {"c_in": c_in, "kernel": (kh, kw), "stride": stride, "groups": groups, "bias": bias,
                               "padding": padding}, part))

    def norm(self, x: Tensor, name: str, part: str | None = None) -> Tensor:
        """BatchNorm (eval): 2 C params (affine); reads its input and 4 C (weight, bias, running stats)."""
        c, h, w = x.shape
        full = self._full(name)
        n = c * h * w
        part = self._part(part if part is not None else (None if self._parts else name))
        return self._add(Node(full, "norm", x.shape, norm_cost(c).params, 0, Access(full, "norm", n, 4 * c, n),
                              ((x.node, x.index),), {"kind": "batch"}, part))

    def act(self, x: Tensor, name: str, fn: str, part: str | None = None) -> Tensor:
        """An activation (reads and writes every element, in place or not); fn "none" adds nothing."""
        if fn == "none":
            return x
        if fn not in ACTIVATION_FNS:
            raise ValueError(f"activation must be one of {', '.join(ACTIVATION_FNS)}, got {fn!r}")
        return self._unary(x, name, "act", {"fn": fn}, part)

    def _unary(self, x: Tensor, name: str, op: str, attrs: dict, part: str | None = None,
               shape: tuple[int, int, int] | None = None, moves: bool = True) -> Tensor:
        full = self._full(name)
        shape = shape or x.shape
        access = Access(full, op, math.prod(x.shape), 0, math.prod(shape)) if moves else None
        return self._add(Node(full, op, shape, access=access, inputs=((x.node, x.index),), attrs=attrs,
                              part=self._part(part)))

    def conv_bn_act(self, x: Tensor, name: str, c_out: int, kernel: int = 1, stride: int = 1, groups: int = 1, *,
                    bias: bool = False, norm: bool = True, act: str = "none", padding: str = "same",
                    part: str | None = None) -> Tensor:
        """conv -> [BatchNorm] -> [activation] (effviz.blocks.layers.conv.conv_norm_act): nodes `name`, `name.bn`,
        `name.act`, all in cost part `part` (default: `name`)."""
        part = name if part is None else part
        y = self.conv(x, name, c_out, kernel, stride, groups, bias=bias, padding=padding, part=part)
        if norm:
            y = self.norm(y, f"{name}.bn", part=part)
        return self.act(y, f"{name}.act", act, part=part)

    def pool(self, x: Tensor, name: str, kernel: int = 3, stride: int = 2, kind: str = "avg",
             padding: int | None = None) -> Tensor:
        """k x k pooling with padding k // 2 (or `padding`: GhostNetV2's 2 x 2 average pool pads 0, so an odd
        size rounds down); kernel=None pools globally to 1 x 1."""
        c, h, w = x.shape
        attrs = {"kind": kind, "kernel": kernel, "stride": stride}
        if kernel is None:
            shape = (c, 1, 1)
        elif padding is None:
            shape = (c, out_size(h, stride), out_size(w, stride))
        else:
            if min(h, w) + 2 * padding < kernel:
                raise ValueError(f"pool {name!r}: a {kernel}x{kernel} pool does not fit a {h}x{w} input")
            shape = (c, (h + 2 * padding - kernel) // stride + 1, (w + 2 * padding - kernel) // stride + 1)
            attrs["padding"] = padding
        return self._unary(x, name, "pool", attrs, shape=shape)

    def upsample(self, x: Tensor, like: Tensor, name: str) -> Tensor:
        """Nearest-neighbour resize of x to the spatial size of `like` (read for its size only): reads x, writes
        the larger map."""
        full = self._full(name)
        shape = (x.shape[0], *like.shape[1:])
        return self._add(Node(full, "upsample", shape, access=Access(full, "upsample", math.prod(x.shape), 0,
                                                                     math.prod(shape)),
                              inputs=((x.node, x.index), (like.node, like.index)), attrs={"mode": "nearest"},
                              part=self._part(None)))

    def gate(self, x: Tensor, name: str, fn: str) -> Tensor:
        if fn not in GATE_FNS:
            raise ValueError(f"gate must be one of {', '.join(GATE_FNS)}, got {fn!r}")
        return self._unary(x, name, "gate", {"fn": fn})

    def shuffle(self, x: Tensor, name: str, groups: int) -> Tensor:
        """Channel shuffle: reshape -> transpose -> reshape; a copy unless groups is 1 or the channel count
        (then it stays a view)."""
        return self._unary(x, name, "shuffle", {"groups": groups}, moves=1 < groups < x.shape[0])

    def slice(self, x: Tensor, name: str, channels: int) -> Tensor:
        """Keep the first `channels` channels (a view)."""
        return self._unary(x, name, "slice", {"channels": channels}, shape=(channels, *x.shape[1:]), moves=False)

    def split(self, x: Tensor, name: str, sizes: tuple[int, ...]) -> tuple[Tensor, ...]:
        """Channel split into pieces of `sizes` channels (views)."""
        if sum(sizes) != x.shape[0]:
            raise ValueError(f"split {name!r}: sizes {sizes} do not add up to {x.shape[0]} channels")
        t = self._unary(x, name, "split", {"sizes": tuple(sizes)}, moves=False)
        return tuple(Tensor(t.node, i, (c, *x.shape[1:])) for i, c in enumerate(sizes))

    def _merge(self, xs: tuple[Tensor, ...], name: str, op: str, shape: tuple[int, int, int]) -> Tensor:
        full = self._full(name)
        access = Access(full, op, sum(math.prod(x.shape) for x in xs), 0, math.prod(shape))
        return self._add(Node(full, op, shape, access=access, inputs=tuple((x.node, x.index) for x in xs),
                              part=self._part(None)))

    def add(self, a: Tensor, b: Tensor, name: str) -> Tensor:
        if a.shape != b.shape:
            raise ValueError(f"add {name!r}: shapes {a.shape} and {b.shape} differ")
        return self._merge((a, b), name, "add", a.shape)

    def mul(self, x: Tensor, s: Tensor, name: str) -> Tensor:
        """x * s with s broadcast (SE's scale: s is C x 1 x 1)."""
        return self._merge((x, s), name, "mul", x.shape)

    def concat(self, *xs: Tensor, name: str) -> Tensor:
        if len({x.shape[1:] for x in xs}) != 1:
            raise ValueError(f"concat {name!r}: spatial sizes differ: {[x.shape for x in xs]}")
        return self._merge(xs, name, "concat", (sum(x.shape[0] for x in xs), *xs[0].shape[1:]))

    def se(self, x: Tensor, name: str, reduced: int, act: str = "relu", gate: str = "sigmoid") -> Tensor:
        """Squeeze-and-excitation (Hu et al. 2018): global pool -> 1x1 reduce (bias) -> act -> 1x1 expand (bias)
        -> gate -> x * s. Cost parts `name.reduce` and `name.expand`."""
        with self.scope(name, kind="se", params={"reduced": reduced, "act": act, "gate": gate}):
            s = self.pool(x, "pool", kernel=None, stride=1)
            s = self.conv_bn_act(s, "reduce", reduced, 1, bias=True, norm=False, act=act)
            s = self.conv_bn_act(s, "expand", x.shape[0], 1, bias=True, norm=False)
            s = self.gate(s, "gate", gate)
            return self.mul(x, s, "scale")

    def output(self, x: Tensor) -> Graph:
        self._add(Node("output", "output", x.shape, inputs=((x.node, x.index),)))
        return Graph(self.family, tuple(self._nodes), tuple(dict.fromkeys(self._declared)), tuple(self._scopes),
                     MappingProxyType(dict(self._params)))
