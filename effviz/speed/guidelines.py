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
effviz.speed.latency, on one stated convolution backend if asked (`backend="onednn"` or `"native"`, see
effviz.speed.latency.BACKENDS: left to itself torch changes the code with the thread count). Nothing here
assumes the paper is right on this CPU: `verdict()` checks every step of the paper's sequence (STEPS), not only
its ends, and says "agrees", "partly", "mixed", "disagrees", "flat" (no difference: the MACs predicted the
time), "noisy" (the spread hides any difference) or "no_verdict" (sizes too small to judge, `unjudged()`).
`drift()` compares the rounds with each other: a machine whose rounds move more than the spread inside them is
not steady, whatever the verdict. The paper's own numbers are in effviz.speed.guideline_tables.

A set-up's block is written in a small combinator language (Series, Parallel, Residual around Conv and ReLU)
because G1, G3 and G4 compare arrangements that are not block families (two 1x1 convs in a row, fragments in
series or in parallel, a bottleneck with ReLU and shortcut toggled). It is not a second cost model: `Setup.graph()`
declares it on the block graph builder (effviz.blocks.graph), every Conv through the "group" family's own
declaration (a guideline conv is a group-family block: no bias, BN or activation), and MACs, params and memory
access are read off that graph with the same rules as every block's."""
from __future__ import annotations

import math
import statistics
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
    """The torch modules the description needs beyond nn.Conv2d / nn.ReLU / nn.Sequential (torch is imported
    only when an experiment is built)."""
    import torch
    from torch import nn

    class OneDNNConv2d(nn.Conv2d):
        """nn.Conv2d that always runs oneDNN's convolution (aten::mkldnn_convolution): torch's own dispatch
        sends a batch-1 1x1 conv to its native code at one thread, whatever the mkldnn flag says."""

        def forward(self, x):
            return torch.mkldnn_convolution(x, self.weight, self.bias, self.padding, self.stride, self.dilation,
                                            self.groups)

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

    return ParallelConcat, AddInput, OneDNNConv2d


def _build(node: Node, backend: str | None = None):
    from torch import nn

    parallel, add_input, onednn_conv = _torch_units()
    if isinstance(node, Conv):
        conv = onednn_conv if backend == "onednn" else nn.Conv2d
        return conv(node.c_in, node.c_out, node.kernel, padding=node.kernel // 2, groups=node.groups, bias=False)
    if isinstance(node, ReLU):
        return nn.ReLU(inplace=True)
    if isinstance(node, Series):
        return nn.Sequential(*(_build(p, backend) for p in node.parts))
    if isinstance(node, Parallel):
        return parallel([_build(p, backend) for p in node.parts])
    return add_input(_build(node.body, backend))


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


PAPER_SIZES = Sizes()  # 56 x 56, c = 128, 10 blocks
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

    def largest_step_bytes(self) -> int:
        """Bytes read and written by the set-up's largest single operation (input, weights, output): what a
        cache must hold for that operation's memory traffic to stay off main memory."""
        from effviz.blocks.graph import BYTES_PER_ELEMENT

        return max(a.elements for a in self.memory.layers) * BYTES_PER_ELEMENT

    def build(self, backend: str | None = None):
        """The torch module: plain nn.Conv2d convs (torch picks the code), or with backend="onednn" convs that
        always run oneDNN ("native" builds the plain module: the measurement switches oneDNN off)."""
        from torch import nn

        _check_backend(backend)
        return nn.Sequential(*(_build(self.block, backend) for _ in range(self.sizes.repeat)))


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


def _check_backend(backend: str | None) -> None:
    from effviz.speed.latency import BACKENDS

    if backend is not None and backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)} or None, got {backend!r}")


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

# The paper's claim, step by step: (a, b) means set-up b should be slower than set-up a. G1 and G2 are
# sequences (every ratio, every group count slower than the one before); G3 is two (more fragments in series,
# more in parallel); G4 says that removing ReLU, or the shortcut, or both, each makes the block faster.
STEPS: dict[str, tuple[tuple[int, int], ...]] = {
    "g1": ((0, 1), (1, 2), (2, 3)),
    "g2": ((0, 1), (1, 2), (2, 3)),
    "g3": ((0, 1), (1, 2), (0, 3), (3, 4)),
    "g4": ((1, 0), (2, 0), (3, 1), (3, 2)),
}
# The set-up whose time against the reference (the first) sums the claim up: 1:12, g = 8, 4-parallel, and
# ReLU and shortcut both off.
HEADLINE = {"g1": 3, "g2": 3, "g3": 4, "g4": 3}

NOISE_FLOOR = 0.02         # a step closer than 2 % of the faster time is no difference (timer, turbo, caches)
DRIFT_FLOOR = 0.05         # rounds whose medians move less than 5 % count as steady, whatever their IQR
MIN_JUDGED_SECONDS = 1e-3  # a reference set-up faster than this measures per-operation overhead, not MACs
SMALLEST_PAPER = Sizes(size=56, channels=32)  # the smallest set-up the paper timed (Table 4, c = 32 at 56 x 56)
MAX_MACS_SPREAD = 1.06     # set-ups whose MACs differ more than this are not a controlled experiment


@dataclass(frozen=True)
class Result:
    setup: Setup
    latency: object  # effviz.speed.latency.Latency: all rounds pooled
    rounds: tuple = ()  # each round's own Latency, in the order they were measured


@dataclass(frozen=True)
class Step:
    """One step of the paper's claim: set-up `slower` should take longer than set-up `faster`.

    outcome: "agrees" (it does, by more than the noise), "disagrees" (the other way, by more than the noise),
    "flat" (within NOISE_FLOOR and the timings are tight: the MACs, equal by design, predicted the time) or
    "noise" (within the spread of the timings, which is larger than NOISE_FLOOR: the measurement cannot tell)."""

    faster: int
    slower: int
    ratio: float     # time of `slower` / time of `faster`
    outcome: str


@dataclass(frozen=True)
class Drift:
    """How much the rounds moved: for the set-up that moved most against its own spread, the range of its
    round medians and the median spread (IQR) inside a round, both relative to its pooled median."""

    index: int
    drift: float
    within: float
    steady: bool


@dataclass(frozen=True)
class Experiment:
    name: str
    results: tuple[Result, ...]
    title: str = field(init=False)
    expectation: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", TITLES[self.name])
        object.__setattr__(self, "expectation", EXPECTATIONS[self.name])

    @property
    def backend(self) -> str:
        """The convolution backend every set-up ran on ("" where torch chose)."""
        return self.results[0].latency.backend

    def relative(self) -> list[float]:
        """Each set-up's median latency divided by the reference (first) set-up's."""
        base = self.results[0].latency.median
        return [r.latency.median / base for r in self.results]

    def macs_ratio(self) -> list[float]:
        """Each set-up's MACs divided by the reference's (the paper holds them fixed; at small sizes they drift)."""
        base = self.results[0].setup.macs
        return [r.setup.macs / base for r in self.results]

    def time_per_mac(self) -> list[float]:
        """Each set-up's time per MAC relative to the reference's: how much slower a MAC is in that set-up."""
        return [t / m for t, m in zip(self.relative(), self.macs_ratio(), strict=True)]

    @property
    def headline(self) -> int:
        return HEADLINE[self.name]

    def steps(self, floor: float = NOISE_FLOOR) -> list[Step]:
        """Every step of the paper's claim (STEPS), judged against the noise: the larger IQR of the two set-ups,
        and at least `floor` of the faster one's time."""
        out = []
        for a, b in STEPS[self.name]:
            fa, fb = self.results[a].latency, self.results[b].latency
            tolerance = floor * min(fa.median, fb.median)
            spread = max(fa.iqr, fb.iqr)
            gap = fb.median - fa.median
            if gap > max(spread, tolerance):
                outcome = "agrees"
            elif -gap > max(spread, tolerance):
                outcome = "disagrees"
            else:
                outcome = "noise" if spread > tolerance else "flat"
            out.append(Step(a, b, fb.median / fa.median, outcome))
        return out

    def unjudged(self) -> str | None:
        """Why no verdict can be given at these sizes, as a code, or None: "macs" when the set-ups' MACs differ by
        more than MAX_MACS_SPREAD (rounded widths at small sizes), "small" when the input or the width is smaller
        than any the paper timed (SMALLEST_PAPER), "overhead" when the reference runs faster than
        MIN_JUDGED_SECONDS (the timing measures per-operation overhead, not the work the paper compares)."""
        macs = [r.setup.macs for r in self.results]
        if max(macs) / min(macs) > MAX_MACS_SPREAD:
            return "macs"
        sizes = self.results[0].setup.sizes
        if sizes.size < SMALLEST_PAPER.size or sizes.channels < SMALLEST_PAPER.channels:
            return "small"
        if self.results[0].latency.median < MIN_JUDGED_SECONDS:
            return "overhead"
        return None

    def verdict(self, floor: float = NOISE_FLOOR) -> str:
        """"agrees": every step goes the paper's way; "partly": some do, the others show no difference;
        "mixed": some steps go the paper's way and some the other way; "disagrees": none goes the paper's way
        and at least one goes the other way; "flat": no step shows a difference and the timings are tight (the
        MACs predicted the time); "noisy": no step could be decided because the spread is too large;
        "no_verdict": the sizes are too small to judge (`unjudged()`)."""
        if self.unjudged():
            return "no_verdict"
        outcomes = [s.outcome for s in self.steps(floor)]
        agree, disagree = outcomes.count("agrees"), outcomes.count("disagrees")
        if agree == len(outcomes):
            return "agrees"
        if agree and disagree:
            return "mixed"
        if agree:
            return "partly"
        if disagree:
            return "disagrees"
        return "noisy" if "noise" in outcomes else "flat"

    def drift(self, floor: float = DRIFT_FLOOR) -> Drift | None:
        """Did the rounds agree with each other? None with fewer than two rounds. Not steady when some set-up's
        round medians span more than both the spread inside its rounds and `floor` of its median: the machine's
        load changed while it was measured, and no verdict from this run is worth much."""
        rows = []
        for i, r in enumerate(self.results):
            if len(r.rounds) < 2:
                return None
            medians = [x.median for x in r.rounds]
            drift = (max(medians) - min(medians)) / r.latency.median
            within = statistics.median(x.iqr / x.median for x in r.rounds)
            rows.append((drift / max(within, floor), i, drift, within))
        _, i, drift, within = max(rows)
        return Drift(i, drift, within, drift <= max(within, floor))


def size_versus_paper(measured: float, paper: float, close: float = 2.0) -> str:
    """How a measured time factor (set-up / reference) compares with the paper's, by the size of the effect
    (factor - 1): "opposite" (other direction), "smaller" (less than 1/close of the paper's), "larger" (more
    than close times), else "similar"."""
    ours, theirs = measured - 1, paper - 1
    if theirs == 0 or ours == 0:
        return "similar" if ours == theirs else ("opposite" if theirs == 0 else "smaller")
    share = ours / theirs
    if share < 0:
        return "opposite"
    if share < 1 / close:
        return "smaller"
    if share > close:
        return "larger"
    return "similar"


def measure_setup(setup: Setup, *, threads: int | None = None, backend: str | None = None, **measure_kw):
    """Latency of one set-up (built fresh, weights random: speed does not depend on their values), on `backend`
    (effviz.speed.latency.BACKENDS; None: torch's choice)."""
    from effviz.speed import latency

    return latency.measure(setup.build(backend), setup.input_size, threads=threads, backend=backend, **measure_kw)


def run(name: str, sizes: Sizes = Sizes(), *, threads: int | None = None, rounds: int = 3,
        min_run_time: float = 0.2, backend: str | None = None,
        progress: Callable[[int, int], None] | None = None, **measure_kw) -> Experiment:
    """Measure every set-up of guideline `name`, in `rounds` interleaved rounds (set-up 1, 2, ..., then again)
    so that a change in background load hits all set-ups alike; each round times each set-up for
    min_run_time / rounds seconds. The rounds are kept (Result.rounds, for `drift()`) and pooled.
    progress(done, total) after each timing."""
    from effviz.speed import latency

    check_int("rounds", rounds, 1, 20)
    _check_backend(backend)
    rows = setups(name, sizes)
    modules = [s.build(backend) for s in rows]
    parts: list[list] = [[] for _ in rows]
    total, done = rounds * len(rows), 0
    min_repeats = measure_kw.pop("min_repeats", 3)
    warmup = measure_kw.pop("warmup", latency.DEFAULT_WARMUP)
    for r in range(rounds):
        for i, (setup, module) in enumerate(zip(rows, modules, strict=True)):
            parts[i].append(latency.measure(module, setup.input_size, threads=threads, backend=backend,
                                            min_run_time=min_run_time / rounds, min_repeats=min_repeats,
                                            warmup=warmup if r == 0 else min(warmup, 1), **measure_kw))
            done += 1
            if progress:
                progress(done, total)
    return experiment(name, list(zip(rows, parts, strict=True)))


def run_all(sizes: Sizes = Sizes(), *, threads: int | None = None, names: Sequence[str] = NAMES,
            **measure_kw) -> list[Experiment]:
    return [run(name, sizes, threads=threads, **measure_kw) for name in names]


def experiment(name: str, measured: Sequence[tuple[Setup, object]]) -> Experiment:
    """An Experiment from latencies measured elsewhere (e.g. one cached call per set-up and round in the app):
    each set-up with one Latency, or with the sequence of its rounds' Latencies (pooled here, and kept)."""
    from effviz.speed import latency

    _check_name(name)
    results = []
    for setup, lat in measured:
        if isinstance(lat, (list, tuple)):
            results.append(Result(setup, latency.combine(lat), tuple(lat)))
        else:
            results.append(Result(setup, lat))
    return Experiment(name, tuple(results))
