"""effviz.profile against the peer counters users reach for (ptflops, thop, fvcore, torchinfo) on every zoo network:
each tool's totals beside ours, and each tool's time beside ours, all measured in this run.

    pip install -r bench/requirements.txt        # the peers; not project dependencies
    python bench/bench_profilers.py [--quick] [--repeats 5] [--threads 1] [--networks ghostnet resnet50]

Every network at its default input size (effviz.networks.info(name).input_size), batch 1, eval mode. Each tool makes
the call its README shows for totals, on a model of its own built with the same seed:

    effviz     effviz.profile(model, input_size)                                     .params, .macs
    ptflops    get_model_complexity_info(model, input_size, as_strings=False, print_per_layer_stat=False)
    thop       thop.profile(model, inputs=(x,), verbose=False)
    fvcore     FlopCountAnalysis(model, x).total(), fvcore.nn.parameter_count(model)[""]
    torchinfo  summary(model, input_size=(1, *input_size), verbose=0).total_params, .total_mult_adds

Two timings per tool: on a CPU model with real (random) weights, where every tool runs a real forward pass, and on a
model built under torch.device("meta") (no weights, no arithmetic: effviz's documented way), where the tool runs at
all. Each is the median of --repeats calls after one untimed call; "x ours" is the tool's time over effviz.profile's
on the same device. A missing or broken peer is reported and skipped.

Where a peer's total differs from ours by more than 1%, the row points to a footnote that states what the tool
counts besides (or instead of) multiply-accumulates of convolutions and matrix products, and the script checks that
rule: it tallies the rule's terms (BatchNorm elements, activation and pooling elements, biases, functional calls,
layer classes the tool does not know) in one shape-only pass on the meta model and prints whether ours plus those
terms reproduces the tool's total exactly, or the residual."""
from __future__ import annotations

import argparse
import contextlib
import io
import logging
import math
import statistics
import sys
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from timing import timed  # noqa: E402 - bench/ is on sys.path when a script runs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUICK = ("mobilenet_v3_small", "shufflenet_v2", "efficientnet_lite0")
FOOTNOTE_OVER = 0.01  # a relative difference above this gets a footnote


# --------------------------------------------------------------------------------------------------------------
# The tools: one call each, as their documentation shows it.

@dataclass
class Tool:
    key: str
    label: str
    convention: str
    run: object = None          # (model, input_size, device) -> (params, macs)
    version: str = ""
    missing: str = ""           # why the tool is unavailable ("" when it is)


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def make_tools() -> list[Tool]:
    import torch

    import effviz

    def run_effviz(model, size, device):
        prof = effviz.profile(model, size)
        return prof.params, prof.macs

    tools = [Tool("effviz", "effviz.profile", "MACs of conv + linear (torch FlopCounterMode FLOPs / 2)", run_effviz,
                  _version("effviz") if _version("effviz") != "?" else "tree")]

    try:
        from ptflops import get_model_complexity_info

        def run_ptflops(model, size, device, backend=None):
            kwargs = {"backend": backend} if backend else {}
            macs, params = get_model_complexity_info(model, size, as_strings=False, print_per_layer_stat=False,
                                                     verbose=False, **kwargs)
            if macs is None:  # ptflops prints the exception and returns (None, None)
                raise RuntimeError("ptflops returned None (it printed the exception)")
            return params, macs

        version = _version("ptflops")
        tools.append(Tool("ptflops", "ptflops", "'MACs' (module hooks + patched torch.nn.functional calls)",
                          run_ptflops, version))
        tools.append(Tool("ptflops_aten", "ptflops[aten]", "'MACs', backend='aten' (counts aten ops)",
                          lambda m, s, d: run_ptflops(m, s, d, backend="aten"), version))
    except Exception as exc:  # noqa: BLE001 - any import failure means: skip the tool, say why
        tools.append(Tool("ptflops", "ptflops", "", missing=f"{type(exc).__name__}: {exc}"))

    try:
        import thop

        def run_thop(model, size, device):
            macs, params = thop.profile(model, inputs=(torch.zeros(1, *size, device=device),), verbose=False)
            return int(params), int(macs)

        tools.append(Tool("thop", "thop", "'MACs' (module hooks by exact class)", run_thop, _version("thop")))
    except Exception as exc:  # noqa: BLE001
        tools.append(Tool("thop", "thop", "", missing=f"{type(exc).__name__}: {exc}"))

    try:
        from fvcore.nn import FlopCountAnalysis, parameter_count

        logging.getLogger("fvcore").setLevel(logging.ERROR)

        def run_fvcore(model, size, device):
            analysis = FlopCountAnalysis(model, torch.zeros(1, *size, device=device))
            analysis.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
            return parameter_count(model)[""], analysis.total()

        tools.append(Tool("fvcore", "fvcore", "'flops' = one per fused multiply-add, i.e. MACs (jit trace)",
                          run_fvcore, _version("fvcore")))
    except Exception as exc:  # noqa: BLE001
        tools.append(Tool("fvcore", "fvcore", "", missing=f"{type(exc).__name__}: {exc}"))

    try:
        from torchinfo import summary

        def run_torchinfo(model, size, device):
            stats = summary(model, input_size=(1, *size), verbose=0, device=device)
            return stats.total_params, stats.total_mult_adds

        tools.append(Tool("torchinfo", "torchinfo", "'mult-adds' (from each layer's parameters)", run_torchinfo,
                          _version("torchinfo")))
    except Exception as exc:  # noqa: BLE001
        tools.append(Tool("torchinfo", "torchinfo", "", missing=f"{type(exc).__name__}: {exc}"))
    return tools


# --------------------------------------------------------------------------------------------------------------
# Measuring

@dataclass
class Measured:
    params: int | None = None
    macs: int | None = None
    seconds: float | None = None
    error: str = ""


@dataclass
class Row:
    tool: Tool
    cpu: Measured
    meta: Measured
    check: str = ""             # footnote marker + rule check, where the difference is over 1%
    explained: bool | None = None


@dataclass
class NetworkResult:
    name: str
    input_size: tuple[int, int, int]
    build_meta_s: float
    build_cpu_s: float
    linear_macs: int = 0
    rows: list[Row] = field(default_factory=list)


def build(name: str, device: str):
    import torch

    from effviz import networks

    torch.manual_seed(0)
    with torch.device(device):
        model = networks.build(name)
    return model.eval()


def measure(tool: Tool, name: str, size, device: str, repeats: int) -> Measured:
    """One untimed call (its totals are the tool's answer), then the median of `repeats` timed calls, each on the
    same model (every tool removes its hooks; ptflops leaves a few bound methods, which change nothing)."""
    try:
        model = build(name, device)
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            params, macs = tool.run(model, size, device)
            samples = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                tool.run(model, size, device)
                samples.append(time.perf_counter() - t0)
        return Measured(int(params), int(macs), statistics.median(samples))
    except Exception as exc:  # noqa: BLE001 - a tool that fails on a network is reported, not fatal
        text = f"{type(exc).__name__}: {exc}".splitlines()[0]
        return Measured(error=text[:90])


# --------------------------------------------------------------------------------------------------------------
# The rules: what each peer counts besides ours, tallied in one shape-only pass on the meta model.

def tally(name: str, size) -> Counter:
    """Terms of the peers' counting rules for one network (batch 1), from module hooks and a TorchFunctionMode that
    sees every torch.nn.functional call, inside a module's forward or not."""
    import torch
    import torch.nn.functional as F
    from torch import nn
    from torch.overrides import TorchFunctionMode

    import effviz

    model = build(name, "meta")
    ours = {layer.name: layer.macs for layer in effviz.profile(model, size).layers}
    t: Counter = Counter()
    std = lambda m: type(m).__module__.startswith("torch.nn")  # noqa: E731 - a class torch.nn defines itself
    relu_family = (nn.ReLU, nn.ReLU6, nn.PReLU, nn.ELU, nn.LeakyReLU, nn.GELU)   # ptflops: output elements
    pools = (nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d, nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d,
             nn.AdaptiveMaxPool1d, nn.AdaptiveMaxPool2d, nn.AdaptiveMaxPool3d,
             nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d, nn.AdaptiveAvgPool3d)
    # The functions ptflops 0.7 patches while it counts (pytorch backend, count_functional=True): each call adds
    # its input's elements; torch.add / torch.mul (not the + and * operators) add their output's.
    ptflops_fns = {F.relu, F.prelu, F.elu, F.relu6, F.gelu, F.silu, F.softmax, F.avg_pool1d, F.avg_pool2d,
                   F.avg_pool3d, F.max_pool1d, F.max_pool2d, F.max_pool3d, F.adaptive_avg_pool1d,
                   F.adaptive_avg_pool2d, F.adaptive_avg_pool3d, F.adaptive_max_pool1d, F.adaptive_max_pool2d,
                   F.adaptive_max_pool3d}
    stack: list = []
    names = {id(m): n for n, m in model.named_modules()}

    def pre(mod, args):
        stack.append(mod)

    def post(mod, args, out):
        stack.pop()
        x = args[0] if args and isinstance(args[0], torch.Tensor) else None
        if x is None or not isinstance(out, torch.Tensor):
            return
        own = sum(p.numel() for p in mod.parameters(recurse=False))
        if isinstance(mod, nn.modules.conv._ConvNd) and mod.bias is not None:
            t["conv_bias_out" if std(mod) else "custom_conv_bias_out"] += out.numel()
        if not std(mod):
            t["custom_params"] += own
            t["custom_macs"] += ours.get(names[id(mod)], 0)
            return
        if isinstance(mod, nn.modules.batchnorm._BatchNorm):
            t["bn_affine" if mod.affine else "bn_plain"] += x.numel()
            t["bn_params"] += own
        elif isinstance(mod, relu_family):
            t["relu_out"] += out.numel()
        elif isinstance(mod, pools):
            t["pool_in"] += x.numel()
            if isinstance(mod, (nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d)):
                t["thop_pool"] += out.numel()
            elif isinstance(mod, (nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d, nn.AdaptiveAvgPool3d)):
                window = math.prod(i / o for i, o in zip(x.shape[2:], out.shape[2:], strict=True))
                t["thop_pool"] += int((window + 1) * out.numel())
        elif isinstance(mod, nn.Linear):
            t["linear_macs"] += x.numel() * mod.out_features
            if mod.bias is not None:
                t["linear_bias"] += out.numel()

    class Calls(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            result = func(*args, **kwargs)
            x = args[0] if args and isinstance(args[0], torch.Tensor) else None
            if func in ptflops_fns and x is not None:
                inside = stack[-1] if stack else None
                again = inside is not None and std(inside) and isinstance(inside, relu_family + pools)
                t["fn_again" if again else "fn_own"] += x.numel()  # "again": a module ptflops hooked as well
            elif func in (torch.add, torch.mul) and isinstance(result, torch.Tensor):
                t["fn_own"] += result.numel()
            if func is F.adaptive_avg_pool2d and x is not None:
                t["aten_adaptive_avg_in"] += x.numel()
            return result

    handles = [m.register_forward_pre_hook(pre) for m in model.modules()]
    handles += [m.register_forward_hook(post) for m in model.modules()]
    try:
        with torch.no_grad(), Calls():
            model(torch.zeros(1, *size, device="meta"))
    finally:
        for h in handles:
            h.remove()
    return t


# Each rule: the footnote text, and (extra params, extra MACs) over ours from the tally's terms.
RULES = {
    "ptflops": (
        "ptflops (default pytorch backend) adds, besides conv + linear MACs: every BatchNorm element x2 (affine), "
        "the output elements of ReLU/ReLU6/PReLU/ELU/LeakyReLU/GELU modules, the input elements of pooling modules, "
        "conv and linear biases; and, since it also patches torch.nn.functional (F.relu, F.*pool*, F.silu, ...), "
        "the same elements again for every nn.ReLU and pooling module (their forward calls the patched function: "
        "counted twice); an nn.SiLU counts once, through F.silu. It hooks modules by exact class, so a Conv2d "
        "subclass counts 0 MACs (params are still read from model.parameters()). It does not see the + and * "
        "operators, x.mean(), Hardswish, Hardsigmoid or Sigmoid.",
        lambda t: (0, 2 * t["bn_affine"] + t["bn_plain"] + t["relu_out"] + t["pool_in"] + t["conv_bias_out"]
                   + t["linear_bias"] + t["fn_again"] + t["fn_own"] - t["custom_macs"])),
    "ptflops_aten": (
        "ptflops backend='aten' counts aten convolution and matrix products, plus their biases.",
        lambda t: (0, t["conv_bias_out"] + t["custom_conv_bias_out"] + t["linear_bias"])),
    "thop": (
        "thop adds 4 per BatchNorm element (2 for normalising, x2 again when affine), (window + 1) per output "
        "element of AdaptiveAvgPool2d and 1 per output element of AvgPool2d; ReLU, max pooling and functional "
        "calls count 0, conv bias counts 0. It hooks modules by exact class, so a subclass of Conv2d loses both "
        "its MACs and its parameters.",
        lambda t: (-t["custom_params"], 4 * t["bn_affine"] + 2 * t["bn_plain"] + t["thop_pool"]
                   - t["custom_macs"])),
    "fvcore": (
        "fvcore traces aten ops: besides conv and matmul (one 'flop' per multiply-add, i.e. MACs) it counts 2 per "
        "BatchNorm element in eval mode (1 without affine) and 1 per input element of adaptive_avg_pool2d (module or "
        "functional); aten::mean (x.mean((2, 3)), the pooling in shufflenet_v2 and mnasnet), activations and "
        "element-wise ops count 0.",
        lambda t: (0, 2 * t["bn_affine"] + t["bn_plain"] + t["aten_adaptive_avg_in"])),
    "torchinfo": (
        "torchinfo's mult-adds come from each layer's parameters: conv weight and bias x output positions, and "
        "every other parameter once (BatchNorm's weight and bias, linear weight and bias).",
        lambda t: (0, t["conv_bias_out"] + t["custom_conv_bias_out"] + t["bn_params"] + t["linear_bias"])),
}


def relative(value: int | None, ours: int | None) -> float | None:
    if value is None or not ours:
        return None
    return (value - ours) / ours


# --------------------------------------------------------------------------------------------------------------
# Printing

def fmt_ms(s: float | None) -> str:
    return "—" if s is None else f"{s * 1e3:.1f}"


def fmt_ratio(s: float | None, ref: float | None) -> str:
    return "—" if s is None or not ref else f"{s / ref:.2f}"


def fmt_rel(r: float | None) -> str:
    if r is None:
        return "—"
    return "0" if r == 0 else f"{r * 100:+.3f}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK)}, 3 repeats")
    parser.add_argument("--networks", nargs="*", help="these networks (default: every one in the zoo)")
    parser.add_argument("--repeats", type=int, default=None, help="timed calls per tool and device (default 5)")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads (default 1: shared CPU)")
    args = parser.parse_args()
    repeats = args.repeats or (3 if args.quick else 5)
    if repeats < 1 or args.threads < 1:
        parser.error("--repeats and --threads must be at least 1")

    warnings.filterwarnings("ignore")
    started = time.perf_counter()
    import torch

    from effviz import networks
    from effviz.speed import latency

    torch.set_num_threads(args.threads)
    with contextlib.suppress(RuntimeError):
        torch.set_num_interop_threads(1)
    names = args.networks or (list(QUICK) if args.quick else networks.names())
    for n in names:
        try:
            networks.info(n)
        except ValueError as exc:
            parser.error(str(exc))
    tools = make_tools()
    available = [t for t in tools if not t.missing]

    m = latency.machine()
    print(f"CPU {m.processor}, {m.cpu_count} logical cores; torch {torch.__version__}, {args.threads} thread(s); "
          f"median of {repeats} calls after one untimed call")
    print("Tools and what their totals count (all compared as multiply-accumulates; ours: FLOPs = 2 x MACs):")
    for t in tools:
        if t.missing:
            print(f"  {t.label:<15} NOT AVAILABLE: {t.missing}")
        else:
            print(f"  {t.label:<15} {t.version:<22} {t.convention}")
    print("Params: every tool reads model parameters (BatchNorm affine included, running statistics not).")
    print("Times: 'cpu' = model with real random weights (every tool runs a real forward pass); 'meta' = built under "
          "torch.device('meta'),\n  no weights and no arithmetic (effviz's documented path); x ours = time / "
          "effviz.profile's on the same device.\n")

    results: list[NetworkResult] = []
    header = (f"{'network':<20}{'tool':<15}{'params':>11}{'Δparams':>10}{'MMACs':>12}{'ΔMACs':>10}"
              f"{'cpu ms':>9}{'×ours':>7}{'meta ms':>9}{'×ours':>7}  note")
    print(header)
    print("-" * len(header))
    for name in names:
        size = networks.info(name).input_size
        res = NetworkResult(name, size, timed(lambda name=name: build(name, "meta")),
                            timed(lambda name=name: build(name, "cpu"), 1))
        terms = tally(name, size)
        res.linear_macs = terms["linear_macs"]
        for tool in available:
            res.rows.append(Row(tool, measure(tool, name, size, "cpu", repeats),
                                measure(tool, name, size, "meta", repeats)))
        ours = res.rows[0]
        for row in res.rows[1:]:
            rp, rm = relative(row.cpu.params, ours.cpu.params), relative(row.cpu.macs, ours.cpu.macs)
            big = any(r is not None and abs(r) > FOOTNOTE_OVER for r in (rp, rm))
            rule = RULES.get(row.tool.key)
            if row.cpu.error or rule is None:
                continue
            extra_p, extra_m = rule[1](terms)
            residual_p = row.cpu.params - (ours.cpu.params + extra_p)
            residual_m = row.cpu.macs - (ours.cpu.macs + extra_m)
            row.explained = residual_p == 0 and residual_m == 0
            mark = f"[{row.tool.key}]" if big else "rule"
            row.check = f"{mark} " + ("reproduced exactly" if row.explained else
                                      f"rule residual params {residual_p:+,} MACs {residual_m:+,}")
        results.append(res)
        print_network(res)
        print()

    print_footnotes(results)
    print_summary(results, available)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


def print_network(res: NetworkResult) -> None:
    ours = res.rows[0]
    label = f"{res.name}"
    size = "×".join(map(str, res.input_size))
    for i, row in enumerate(res.rows):
        c, mt = row.cpu, row.meta
        if c.error:
            print(f"{label if i == 0 else size if i == 1 else '':<20}{row.tool.label:<15}  cpu: {c.error}")
            continue
        rp = "" if i == 0 else fmt_rel(relative(c.params, ours.cpu.params))
        rm = "" if i == 0 else fmt_rel(relative(c.macs, ours.cpu.macs))
        meta_ms, meta_ratio = fmt_ms(mt.seconds), fmt_ratio(mt.seconds, ours.meta.seconds)
        notes = [row.check] if row.check else []
        if i == 0:
            notes.append(f"builds on meta: {res.build_meta_s * 1e3:.0f} ms (cpu, random init: "
                         f"{res.build_cpu_s * 1e3:.0f} ms)")
        if mt.error:
            meta_ms, meta_ratio = "fails", ""
            notes.append(f"meta: {mt.error[:48]}")
        elif (mt.params, mt.macs) != (c.params, c.macs):
            diff = "meta: " + (f"params {fmt_rel(relative(mt.params, c.params))}, " if mt.params != c.params else "")
            diff += f"MACs {fmt_rel(relative(mt.macs, c.macs))}"
            if row.tool.key == "ptflops" and mt.params == c.params:
                twice = mt.macs - c.macs == res.linear_macs
                diff += " = every Linear counted twice" if twice else " (not the Linear MACs)"
            notes.append(diff)
        note = "; ".join(notes)
        first = label if i == 0 else size if i == 1 else ""
        print(f"{first:<20}{row.tool.label:<15}{c.params:>11,}{rp:>10}{c.macs / 1e6:>12.3f}{rm:>10}"
              f"{fmt_ms(c.seconds):>9}{fmt_ratio(c.seconds, ours.cpu.seconds):>7}{meta_ms:>9}{meta_ratio:>7}  {note}")


def print_footnotes(results: list[NetworkResult]) -> None:
    print("Footnotes: why a peer differs from ours (rule stated, then checked against its totals above)")
    for key, (text, _) in RULES.items():
        rows = [(res.name, row) for res in results for row in res.rows if row.tool.key == key and row.check]
        if not rows:
            continue
        big = [(n, r) for n, r in rows if r.check.startswith("[")]
        exact = sum(1 for _, r in rows if r.explained)
        print(f"[{key}] {text}")
        verdict = f"    rule reproduces the total exactly on {exact} of {len(rows)} networks"
        off = [n for n, r in rows if not r.explained]
        print(verdict + (f"; not on: {', '.join(off)}" if off else "") +
              f"; over 1% off ours on {len(big)} of {len(rows)}.")
    present = {row.tool.key for res in results for row in res.rows}
    if "ptflops" in present:
        print("[ptflops meta] on meta tensors aten::addmm's meta kernel is a Python decomposition that calls torch.mm, "
              "which ptflops has\n    patched: each nn.Linear is counted twice (checked per row against the Linear "
              "layers' MACs).")
    if "fvcore" in present:
        print("[fvcore meta] fvcore traces with torch.jit.trace, which cannot run a model on meta tensors.")


def print_summary(results: list[NetworkResult], tools: list[Tool]) -> None:
    print("\nSummary: each tool's time / effviz.profile's, geometric mean over networks "
          f"({len(results)} networks)")
    print(f"  {'tool':<15}{'cpu ×ours':>10}{'meta ×ours':>11}{'cpu ×ours(meta)':>17}   (last: tool on cpu / effviz on "
          "meta, the path each documents)")
    for tool in tools:
        cpu, meta, cross = [], [], []
        for res in results:
            ours = res.rows[0]
            row = next((r for r in res.rows if r.tool.key == tool.key), None)
            if row is None:
                continue
            if row.cpu.seconds and ours.cpu.seconds:
                cpu.append(row.cpu.seconds / ours.cpu.seconds)
            if row.meta.seconds and ours.meta.seconds and not row.meta.error:
                meta.append(row.meta.seconds / ours.meta.seconds)
            if row.cpu.seconds and ours.meta.seconds:
                cross.append(row.cpu.seconds / ours.meta.seconds)
        gm = lambda xs: f"{statistics.geometric_mean(xs):.2f}" if xs else "—"  # noqa: E731
        print(f"  {tool.label:<15}{gm(cpu):>10}{gm(meta):>11}{gm(cross):>17}")
    print("\neffviz.profile on meta vs on cpu (profile alone, and build + profile):")
    for res in results:
        ours = res.rows[0]
        if ours.cpu.seconds and ours.meta.seconds:
            alone = ours.meta.seconds / ours.cpu.seconds
            both = (res.build_meta_s + ours.meta.seconds) / (res.build_cpu_s + ours.cpu.seconds)
            print(f"  {res.name:<20} meta/cpu {alone:5.2f}   build+profile meta/cpu {both:5.2f}   "
                  f"({'meta' if both < 1 else 'cpu'} is quicker end to end)")


if __name__ == "__main__":
    main()
