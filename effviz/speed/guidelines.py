"""ShuffleNet v2's four practical guidelines (Ma et al., ECCV 2018, Sec. 2) as experiments you can run here.

Each experiment is a set of small networks with (nearly) the same MACs, built the way the paper's
controlled benchmarks are: a block stacked `repeat` (10) times on a `size` x `size` (56 x 56) input.

  G1  equal channel width minimises memory access: two 1x1 convs c1 -> c2 -> c1 with c1:c2 = 1:1, 1:2, 1:6,
      1:12 (the paper's Table 1 widths at c = 128: 128/128, 90/180, 52/312, 36/432).
  G2  excessive group convolution increases memory access: 1x1 group convs c -> c with g = 1, 2, 4, 8 and c
      widened so the MACs stay put (Table 2 at c = 128: 128, 180, 256, 360).
  G3  fragmentation reduces parallelism: one 1x1 conv against 2 or 4 smaller ones in series (widths c / sqrt(n))
      or in parallel (n branches of c / n outputs, concatenated), at the same MACs (Table 3's set-up).
  G4  element-wise operations are not free: a ResNet bottleneck (1x1 c -> c/4, 3x3, 1x1 c/4 -> c) with ReLU and
      the shortcut switched on and off; MACs do not change at all (Table 4).

    exps = guidelines.run_all(threads=1)            # or guidelines.run("g1", sizes=Sizes(size=28))
    exps[0].results[0].latency.median, exps[0].relative(), exps[0].verdict()

`setups()` is analytic (MACs, params and memory access without torch); `run()` builds and times them with
effviz.speed.latency. Nothing here assumes the paper is right on this CPU: `verdict()` says whether it was
("agrees", "disagrees", or "unclear" when the difference is within the measurement noise).

A set-up's block is written in a small combinator language (Series, Parallel, Residual around Conv and ReLU)
because G1, G3 and G4 compare arrangements that are not block families (two 1x1 convs in a row, fragments in
series or in parallel, a bottleneck with ReLU and shortcut toggled). It is not a second cost model: `Setup.graph()`
declares it on the block graph builder (effviz.blocks.graph), every Conv through the "group" family's own
declaration (a guideline conv is a group-family block: no bias, BN or activation), and MACs, params and memory
access are read off that graph with the same rules as every block's."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from effviz.blocks.spec import Builder, Graph, Tensor, check_int
from effviz.speed.memory_access import MemoryAccess

NAMES = ("g1", "g2", "g3", "g4")

TITLES = {
    "g1": "G1: equal channel width minimises memory access cost",
    "g2": "G2: excessive group convolution increases memory access cost",
    "g3": "G3: network fragmentation reduces the degree of parallelism",
    "g4": "G4: element-wise operations are non-negligible",
}

EXPECTATIONS = {
    "g1": "At equal MACs, c1:c2 = 1:1 needs the least memory access and should run fastest; the paper measured "
          "speed falling steadily as the ratio moved to 1:12.",
    "g2": "At equal MACs, more groups mean wider layers and more memory access; the paper measured speed falling "
          "as g went from 1 to 8.",
    "g3": "At equal MACs, one large operator should beat the same work split into 2 or 4 small ones, in series "
          "or in parallel; the paper measured fragmentation slowing GPUs most and ARM less.",
    "g4": "ReLU and the shortcut add no MACs but still read and write every element; the paper measured about "
          "20% speed-up on GPU and ARM with both removed.",
}


# --- A tiny structural description: enough to count MACs, params and memory access, and to build --------


@dataclass(frozen=True)
class Conv:
    c_in: int
    c_out: int
    kernel: int = 1
    groups: int = 1


@dataclass(frozen=True)
class ReLU:
    channels: int


@dataclass(frozen=True)
class Series:
    parts: tuple


@dataclass(frozen=True)
class Parallel:
    """Branches on the same input, outputs concatenated along the channels."""
    parts: tuple


@dataclass(frozen=True)
class Residual:
    """body(x) + x."""
    body: Node


Node = Conv | ReLU | Series | Parallel | Residual


def _declare(node: Node, b: Builder, x: Tensor, name: str) -> Tensor:
    """Declare `node` on the block graph builder; a Conv is the "group" family's block (groups=1: standard)."""
    from effviz import blocks

    if isinstance(node, Conv):
        spec = blocks.make("group", c_in=node.c_in, c_out=node.c_out, kernel=node.kernel, groups=node.groups)
        with b.scope(name):
            return spec._graph(b, x)
    if isinstance(node, ReLU):
        return b.act(x, name, "relu")
    if isinstance(node, Series):
        for i, part in enumerate(node.parts):
            x = _declare(part, b, x, f"{name}.{i}")
        return x
    if isinstance(node, Parallel):
        outs = [_declare(part, b, x, f"{name}.branch{i}") for i, part in enumerate(node.parts)]
        return b.concat(*outs, name=f"{name}.concat")
    return b.add(_declare(node.body, b, x, f"{name}.body"), x, f"{name}.add")


@lru_cache(maxsize=1)
def _torch_units():
    """The two torch modules the description needs beyond nn.Conv2d / nn.ReLU / nn.Sequential (torch is
    imported only when an experiment is built)."""
    import torch
    from torch import nn

    class ParallelConcat(nn.Module):
        def __init__(self, branches):
            super().__init__()
            self.branches = nn.ModuleList(branches)

        def forward(self, x):
            return torch.cat([b(x) for b in self.branches], dim=1)

    class AddInput(nn.Module):
        def __init__(self, body):
            super().__init__()
            self.body = body

        def forward(self, x):
            return self.body(x) + x

    return ParallelConcat, AddInput


def _build(node: Node):
    from torch import nn

    if isinstance(node, Conv):
        return nn.Conv2d(node.c_in, node.c_out, node.kernel, padding=node.kernel // 2, groups=node.groups,
                         bias=False)
    if isinstance(node, ReLU):
        return nn.ReLU(inplace=True)
    if isinstance(node, Series):
        return nn.Sequential(*(_build(p) for p in node.parts))
    parallel, add_input = _torch_units()
    if isinstance(node, Parallel):
        return parallel([_build(p) for p in node.parts])
    return add_input(_build(node.body))


# --- Set-ups -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    """size: input H = W; channels: the reference width c; repeat: blocks stacked. Defaults follow the paper
    (56 x 56, c = 128, 10 blocks) and take a few seconds per guideline on one core."""

    size: int = 56
    channels: int = 128
    repeat: int = 10

    def __post_init__(self) -> None:
        check_int("size", self.size, 1, 224)
        check_int("channels", self.channels, 8, 1024)
        check_int("repeat", self.repeat, 1, 20)


QUICK = Sizes(size=8, channels=16, repeat=2)  # for tests and smoke runs: milliseconds per set-up


# A set-up's name and widths as codes and numbers: case -> English template (the app words them from the same
# codes: latency_lab.setup.label.<case>, latency_lab.setup.detail.<case>).
LABELS = {"ratio": "1:{ratio}", "groups": "g={g}", "fragment": "1-fragment", "series": "{n}-series",
          "parallel": "{n}-parallel", "relu_on_shortcut_on": "ReLU on, shortcut on",
          "relu_on_shortcut_off": "ReLU on, shortcut off", "relu_off_shortcut_on": "ReLU off, shortcut on",
          "relu_off_shortcut_off": "ReLU off, shortcut off"}
DETAILS = {"ratio": "c1={c1}, c2={c2}", "groups": "c={c}", "fragment": "c={c}", "series": "{n}× c={width}",
           "parallel": "{n}× {c}→{branch}, concat", **{case: "c={c}, bottleneck {m}" for case in LABELS
                                                       if case.startswith("relu_")}}


@dataclass(frozen=True)
class Setup:
    """One network of an experiment: `block` stacked `repeat` times on a size x size input. `case` and
    `numbers` say what it is (a code of LABELS and its widths); `label` and `detail` are those in English."""

    guideline: str
    case: str
    numbers: tuple[tuple[str, int], ...]
    block: Node
    c_in: int
    sizes: Sizes

    @property
    def values(self) -> dict[str, int]:
        return dict(self.numbers)

    @property
    def label(self) -> str:
        """e.g. "1:2", "g=4", "2-series", "ReLU on, shortcut off"."""
        return LABELS[self.case].format(**self.values)

    @property
    def detail(self) -> str:
        """The widths, e.g. "c1=90, c2=180"."""
        return DETAILS[self.case].format(**self.values)

    @property
    def input_size(self) -> tuple[int, int, int]:
        return (self.c_in, self.sizes.size, self.sizes.size)

    def graph(self) -> Graph:
        """The whole set-up (`repeat` blocks) as a block graph: nodes with params, MACs and memory access.
        Declared once per set-up (a frozen record), however often its numbers are read."""
        return self._graph

    @cached_property
    def _graph(self) -> Graph:
        b = Builder(f"guideline.{self.guideline}", self.c_in, self.sizes.size, self.sizes.size)
        x = b.input
        for i in range(self.sizes.repeat):
            x = _declare(self.block, b, x, f"block{i}")
        return b.output(x)

    def __getstate__(self) -> dict:
        """Pickled (to a timing process) without the declared graph, which is declared again where needed."""
        state = dict(self.__dict__)
        state.pop("_graph", None)
        return state

    @property
    def macs(self) -> int:
        return self.graph().macs

    @property
    def params(self) -> int:
        return self.graph().params

    @property
    def memory(self) -> MemoryAccess:
        return MemoryAccess(self.graph().accesses())

    def build(self):
        from torch import nn

        return nn.Sequential(*(_build(self.block) for _ in range(self.sizes.repeat)))


def _g1(s: Sizes) -> list[Setup]:
    rows = []
    for ratio in (1, 2, 6, 12):
        c1 = max(1, int(s.channels / math.sqrt(ratio)))  # 128 -> 128, 90, 52, 36: the paper's widths
        c2 = ratio * c1
        rows.append(Setup("g1", "ratio", (("ratio", ratio), ("c1", c1), ("c2", c2)),
                          Series((Conv(c1, c2), Conv(c2, c1))), c1, s))
    return rows


def _g2(s: Sizes) -> list[Setup]:
    rows = []
    for g in (1, 2, 4, 8):
        c = max(g, int(s.channels * math.sqrt(g)) // g * g)  # a multiple of g: 128, 180, 256, 360 at c = 128
        rows.append(Setup("g2", "groups", (("g", g), ("c", c)), Conv(c, c, groups=g), c, s))
    return rows


def _g3(s: Sizes) -> list[Setup]:
    c = s.channels
    rows = [Setup("g3", "fragment", (("c", c),), Conv(c, c), c, s)]
    for n in (2, 4):
        width = max(1, round(c / math.sqrt(n)))
        rows.append(Setup("g3", "series", (("n", n), ("width", width)),
                          Series(tuple(Conv(width, width) for _ in range(n))), width, s))
    for n in (2, 4):
        branch = max(1, c // n)
        rows.append(Setup("g3", "parallel", (("n", n), ("c", c), ("branch", branch)),
                          Parallel(tuple(Conv(c, branch) for _ in range(n))), c, s))
    return rows


def _g4(s: Sizes) -> list[Setup]:
    c = s.channels
    m = max(1, c // 4)
    rows = []
    for relu, shortcut in ((True, True), (True, False), (False, True), (False, False)):
        act_m, act_c = ((ReLU(m),), (ReLU(c),)) if relu else ((), ())
        body = Series((Conv(c, m), *act_m, Conv(m, m, 3), *act_m, Conv(m, c)))
        block = Series((Residual(body), *act_c)) if shortcut else Series((body, *act_c))
        case = f"relu_{'on' if relu else 'off'}_shortcut_{'on' if shortcut else 'off'}"
        rows.append(Setup("g4", case, (("c", c), ("m", m)), block, c, s))
    return rows


_SETUPS: dict[str, Callable[[Sizes], list[Setup]]] = {"g1": _g1, "g2": _g2, "g3": _g3, "g4": _g4}


def _check_name(name: str) -> None:
    if name not in NAMES:
        raise ValueError(f"guideline must be one of {', '.join(NAMES)}, got {name!r}")


def setups(name: str, sizes: Sizes = Sizes()) -> tuple[Setup, ...]:
    """The networks of guideline `name`, in the paper's order (the first is the reference); no torch.
    The same (frozen) set-ups for the same arguments, so their graphs are declared once per process."""
    _check_name(name)
    return _setups(name, sizes)


@lru_cache(maxsize=64)
def _setups(name: str, sizes: Sizes) -> tuple[Setup, ...]:
    return tuple(_SETUPS[name](sizes))


# --- Running -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    setup: Setup
    latency: object  # effviz.speed.latency.Latency


@dataclass(frozen=True)
class Experiment:
    name: str
    results: tuple[Result, ...]
    title: str = field(init=False)
    expectation: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", TITLES[self.name])
        object.__setattr__(self, "expectation", EXPECTATIONS[self.name])

    def relative(self) -> list[float]:
        """Each set-up's median latency divided by the reference (first) set-up's."""
        base = self.results[0].latency.median
        return [r.latency.median / base for r in self.results]

    def _deciding_pair(self) -> tuple[int, int]:
        """The two set-ups whose comparison the paper's claim rests on: (the one it says is faster, the other).
        G1/G3: the reference against the fastest of the rest; G2: g = 1 against g = 8; G4: both off against
        both on."""
        t = [r.latency.median for r in self.results]
        if self.name in ("g1", "g3"):
            return 0, min(range(1, len(t)), key=t.__getitem__)
        if self.name == "g2":
            return 0, len(t) - 1
        return len(t) - 1, 0

    def agrees(self) -> bool:
        """Did this CPU behave as the paper says? G1/G3: the reference is the fastest; G2: g = 8 is slower than
        g = 1; G4: with ReLU and shortcut both off it is faster than with both on."""
        fast, slow = self._deciding_pair()
        return self.results[fast].latency.median < self.results[slow].latency.median

    def verdict(self, floor: float = 0.02) -> str:
        """"agrees" or "disagrees" with the paper, or "unclear" when the deciding difference is smaller than
        the noise: the larger IQR of the two set-ups, and at least `floor` (2%) of the faster one."""
        a, b = (self.results[i].latency for i in self._deciding_pair())
        noise = max(a.iqr, b.iqr, floor * min(a.median, b.median))
        if abs(a.median - b.median) <= noise:
            return "unclear"
        return "agrees" if self.agrees() else "disagrees"


def measure_setup(setup: Setup, *, threads: int | None = None, **measure_kw):
    """Latency of one set-up (built fresh, weights random: speed does not depend on their values)."""
    from effviz.speed import latency

    return latency.measure(setup.build(), setup.input_size, threads=threads, **measure_kw)


def run(name: str, sizes: Sizes = Sizes(), *, threads: int | None = None, rounds: int = 3,
        min_run_time: float = 0.2, progress: Callable[[int, int], None] | None = None,
        **measure_kw) -> Experiment:
    """Measure every set-up of guideline `name`, in `rounds` interleaved rounds (set-up 1, 2, ..., then again)
    so that a change in background load hits all set-ups alike; each round times each set-up for
    min_run_time / rounds seconds and the rounds' times are pooled. progress(done, total) after each timing."""
    from effviz.speed import latency

    check_int("rounds", rounds, 1, 20)
    rows = setups(name, sizes)
    modules = [s.build() for s in rows]
    parts: list[list] = [[] for _ in rows]
    total, done = rounds * len(rows), 0
    min_repeats = measure_kw.pop("min_repeats", 3)
    warmup = measure_kw.pop("warmup", latency.DEFAULT_WARMUP)
    for r in range(rounds):
        for i, (setup, module) in enumerate(zip(rows, modules, strict=True)):
            parts[i].append(latency.measure(module, setup.input_size, threads=threads,
                                            min_run_time=min_run_time / rounds, min_repeats=min_repeats,
                                            warmup=warmup if r == 0 else min(warmup, 1), **measure_kw))
            done += 1
            if progress:
                progress(done, total)
    return Experiment(name, tuple(Result(s, latency.combine(p)) for s, p in zip(rows, parts, strict=True)))


def run_all(sizes: Sizes = Sizes(), *, threads: int | None = None, names: Sequence[str] = NAMES,
            **measure_kw) -> list[Experiment]:
    return [run(name, sizes, threads=threads, **measure_kw) for name in names]


def experiment(name: str, measured: Sequence[tuple[Setup, object]]) -> Experiment:
    """An Experiment from latencies measured elsewhere (e.g. one cached call per set-up in the app)."""
    _check_name(name)
    return Experiment(name, tuple(Result(s, lat) for s, lat in measured))
