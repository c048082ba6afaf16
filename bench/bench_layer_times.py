"""Where the time and the memory go, checked: for 4 zoo networks and one ONNX file, the per-layer profile against
the whole pass, the profiler's cost against a plain forward pass, and the predicted peak memory against the
measured one, all measured in this run.

    python bench/bench_layer_times.py [--networks mobilenet_v2 resnet50 shufflenet_v2 ghostnet] [--threads 1]

Per network (224 x 224, batch 1, float32, random weights, eval mode, --threads torch threads):
  forward     effviz.speed.latency.measure: median of plain forward passes (torch.utils.benchmark), the baseline
  whole       effviz.speed.layer_times at its defaults: one profiled pass (torch.profiler, every module marked)
  layers      the rows' sum (leaf modules and the blocks' own ops); "sum/whole" is the share of the pass they
              account for (issue: within 15 %), "(range)" its lowest and highest over the 5 calls below
  rest        the largest item of the remainder: Python between layers, by the class whose forward ran it
  prof/fwd    profiled pass over plain pass: the profiler's own cost per pass
  call/fwd    the whole layer_times call at its defaults (one counting warm-up pass, one profiled pass, reading
              the trace) over one plain pass: each of 5 calls right after 3 plain passes, over their median; the
              median of the 5 ratios (side by side, so that other processes' turns on a shared machine weigh on
              both); call5/fwd one call with repeats=5 (the median of 5 profiled passes)
  pred        effviz.speed.peak_memory (liveness over the torch.fx graph, each tensor freed after its last reader)
  e-pred      peak_memory(schedule="eager"): as eager PyTorch holds each block's inputs until it returns; its
              "err" is the measured activations ("acts" of eager) against it
  eager       effviz.speed.memory_measure.measure_network: torch.profiler's allocation record of the module's
              own forward in a fresh process, everything; "acts" the same record without the workspace (buffers
              freed inside the op that made them)
  graph       measure_network(graph=True): the torch.fx trace run with its input handed over, so each tensor is
              freed after its last reader (the prediction's schedule); "acts" without workspace; "ws max" the most
              workspace one op held
The ONNX row: MobileNetV2 exported by torch.onnx (TorchScript exporter, BatchNorm folded), timed by onnxruntime's
own per-node profiler (one run for call/fwd; onnxruntime builds its session first); its peak predicted from the
file's graph with activations and Clip in place (as onnxruntime runs them) and measured as onnxruntime's peak RSS
in a fresh process (arena off).
Finally effviz.speed.roofline.measure_peaks, with how long it took (issue: at most 5 s).

Timings depend on the machine and its load: on a shared machine the spread is large and sum/whole moves with
it (time between layers includes other processes' turns on the CPU).

Measured 2026-12-07 03:04 UTC on the idle 2-core development machine (load average 0.7-0.9), 1 thread:
layers / whole 89.7 % (MobileNetV2; 89.5-90.5 over 5 calls), 95.7 % (ResNet-50; 95.7-96.0), 88.5 % (ShuffleNet
v2; 86.7-88.5), 85.2 % (GhostNet; 85.1-86.4), 97.6 % (the ONNX file); the largest rest item is the Python of
InvertedResidual, Bottleneck, InvertedResidual and GhostModule (with the nn.Sequential loops inside them).
Profiled pass / plain pass 1.13x, 1.06x, 1.22x, 0.96x (GhostNet's plain median was a slow one). The whole call
at its defaults, side by side with plain passes: 2.8x, 2.2x, 3.2x, 3.3x (the ONNX file 11.9x: its session); with
repeats=5: 8.9x, 6.2x, 10.7x, 8.3x. Two runs before it, with nn.Sequential marked too (02:40 and 02:48): 89.3 /
95.8 / 87.5 / 84.8 % and 89.1 / 95.9 / 88.8 / 85.3 % (GhostNet 83.2-85.3 over their calls), the call 2.7-2.9x /
2.2x / 3.3-3.4x / 3.1-3.2x. Before the modules were marked by wrapping their forward with torch's
RecordFunctionFast (they had forward hooks opening torch.profiler.record_function, and blocks were not marked),
the same bench gave 88.9 / 93.9 / 80.8 / 79.1 %, profiled / plain 1.31x, 1.11x, 1.53x, 1.81x, and the call was
3.1x / 2.3x / 3.8x / 3.8x at repeats=1 and 9.5x / 6.9x / 12.2x / 13.4x at the default of 5 passes.
Peak memory, predicted 9.19 / 9.19 / 2.30 / 5.36 MiB. Measured, the module's own forward: 11.68 / 11.79 / 3.25 /
6.51 MiB (+27 %, +28 %, +42 %, +21 %); without workspace (buffers an op frees before it ends: oneDNN's copies of
its input, weights and output, up to 5.75 / 9.53 / 2.09 / 3.06 MiB in one op) 10.53 / 10.53 / 2.87 / 5.93 MiB
(+15 %, +15 %, +25 %, +11 %): eager PyTorch keeps a block's input and the caller's input referenced until they
return. The eager schedule's prediction (those references held) is 10.53 / 10.53 / 2.87 / 5.93 MiB: 0 % from the
measured activations, for all four. Run as the torch.fx trace with the input handed over (tensors freed after
their last reader, the graph schedule), the activations are 9.19 / 9.19 / 2.30 / 5.36 MiB: 0 % from the graph
prediction. The ONNX file: predicted 5.74 MiB, measured 6.23 MiB (+9 %; 5.55 and 6.14 MiB in the two runs
before: RSS in 4 KiB pages, and the caller's input array alive for the whole run; before its activations were run
in place in the prediction it predicted 9.24 MiB, 39 % above). Machine peaks took 2.3 s."""
from __future__ import annotations

import argparse
import io
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as `python bench/...` from anywhere

CALLS = 5   # repeats=1 calls per network, each right after plain passes: the median of the 5 ratios


def mib(n: float) -> str:
    return f"{n / 2**20:.2f}"


def network_row(name: str, threads: int) -> dict:
    import torch

    from effviz import networks
    from effviz.speed import latency, layer_profile, liveness, memory_measure

    model = networks.build(name).eval()
    forward = latency.measure(model, (3, 224, 224), threads=threads, min_run_time=0.5).median
    x = torch.randn(1, 3, 224, 224)
    torch.set_num_threads(threads)
    ratios, calls = [], []
    for _ in range(CALLS):     # side by side: plain passes (3 timed, the median), then one call at the defaults
        passes = []
        with torch.inference_mode():
            for _ in range(3):
                t0 = time.perf_counter()
                model(x)
                passes.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        one = layer_profile.layer_times(model, (3, 224, 224), threads=threads)
        ratios.append((time.perf_counter() - t0) / sorted(passes)[1])
        calls.append(one)
    k = sorted(range(CALLS), key=ratios.__getitem__)[CALLS // 2]
    call = ratios[k] * forward     # printed as call / forward: the median pair's ratio
    lt = calls[k]
    shares = sorted(c.layer_sum / c.whole for c in calls)
    t0 = time.perf_counter()
    layer_profile.layer_times(model, (3, 224, 224), threads=threads, repeats=5)
    call5 = time.perf_counter() - t0
    predicted = liveness.of_module(model, (3, 224, 224))
    eager = liveness.of_module(model, (3, 224, 224), schedule="eager")
    measured = memory_measure.measure_network(name, (3, 224, 224))
    graph = memory_measure.measure_network(name, (3, 224, 224), graph=True)
    return dict(name=name, forward=forward, lt=lt, call=call, call5=call5, shares=shares, predicted=predicted,
                eager=eager, measured=measured, graph=graph)


def onnx_row(threads: int) -> dict:
    import torch

    from effviz import networks
    from effviz.speed import latency, layer_profile, liveness, memory_measure

    model = networks.build("mobilenet_v2").eval()
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.zeros(1, 3, 224, 224),), buf, dynamo=False)
    data = buf.getvalue()
    from effviz.speed import onnx_timing

    forward = onnx_timing.measure(data, threads=threads, min_run_time=0.5).median
    t0 = time.perf_counter()
    lt = layer_profile.layer_times(data, threads=threads, repeats=1)
    call = time.perf_counter() - t0
    del latency
    t0 = time.perf_counter()
    layer_profile.layer_times(data, threads=threads, repeats=5)
    call5 = time.perf_counter() - t0
    return dict(name="mobilenet_v2.onnx", forward=forward, lt=lt, call=call, call5=call5,
                shares=[lt.layer_sum / lt.whole], eager=None,
                predicted=liveness.of_onnx(data), measured=memory_measure.measure_onnx(data), graph=None)


def show(rows: list[dict]) -> None:
    head = (f"{'network':<20}{'forward ms':>11}{'whole ms':>10}{'layers ms':>10}{'sum/whole':>10}{'(range)':>14}  "
            f"{'largest rest item':<30}{'prof/fwd':>9}{'call/fwd':>9}{'call5/fwd':>10}")
    print(head)
    print("-" * len(head))
    for r in rows:
        lt = r["lt"]
        rest = lt.outside[0] if lt.outside else ("-", 0.0)
        where = rest[0].split(": ", 1)[-1][:20]
        low, high = r["shares"][0] * 100, r["shares"][-1] * 100
        print(f"{r['name']:<20}{r['forward'] * 1e3:>11.2f}{lt.whole * 1e3:>10.2f}{lt.layer_sum * 1e3:>10.2f}"
              f"{lt.layer_sum / lt.whole * 100:>9.1f}%{f'{low:.1f}-{high:.1f}%':>14}  {where:<20}"
              f"{rest[1] * 1e3:>7.2f} ms {lt.whole / r['forward']:>8.2f}x{r['call'] / r['forward']:>8.1f}x"
              f"{r['call5'] / r['forward']:>9.1f}x")
    print()
    head = (f"{'network':<20}{'pred MiB':>9}{'eager':>8}{'err':>6}{'acts':>7}{'err':>6}{'e-pred':>8}{'err':>6}"
            f"{'graph':>7}{'err':>6}{'acts':>7}{'err':>6}{'ws max':>8}  peak at (predicted / measured eager)")
    print(head)
    print("-" * len(head))
    for r in rows:
        pm, mm, gm = r["predicted"], r["measured"], r["graph"]

        def err(n: int, pm=pm) -> str:
            return f"{(n - pm.peak_bytes) / pm.peak_bytes * 100:>+5.0f}%"

        line = f"{r['name']:<20}{mib(pm.peak_bytes):>9}{mib(mm.peak_bytes):>8}{err(mm.peak_bytes)}"
        if mm.separated:
            line += f"{mib(mm.activation_bytes):>7}{err(mm.activation_bytes)}"
        else:
            line += f"{'-':>7}{'':>6}"
        if r["eager"] is not None and mm.separated:     # the eager schedule's prediction, against the activations
            ep = r["eager"].peak_bytes
            line += f"{mib(ep):>8}{(mm.activation_bytes - ep) / ep * 100:>+5.0f}%"
        else:
            line += f"{'-':>8}{'':>6}"
        if gm is not None:
            line += (f"{mib(gm.peak_bytes):>7}{err(gm.peak_bytes)}{mib(gm.activation_bytes):>7}"
                     f"{err(gm.activation_bytes)}{mib(gm.workspace_bytes):>8}")
        else:
            line += f"{'-':>7}{'':>6}{'-':>7}{'':>6}{'-':>8}"
        print(line + f"  {pm.peak_step} / {mm.at or mm.method}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", nargs="+", default=["mobilenet_v2", "resnet50", "shufflenet_v2", "ghostnet"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--no-onnx", action="store_true")
    args = parser.parse_args()

    from effviz.speed import latency, roofline

    print(f"machine: {latency.cpu_model()}, threads {args.threads}")
    rows = [network_row(n, args.threads) for n in args.networks]
    if not args.no_onnx:
        rows.append(onnx_row(args.threads))
    show(rows)
    t0 = time.perf_counter()
    p = roofline.measure_peaks(args.threads)
    print(f"\nmachine peaks: {p.gmacs:.1f} GMAC/s (IQR {p.gmacs_iqr:.1f}, best {p.gmacs_best:.1f}), "
          f"{p.gbs:.1f} GB/s (IQR {p.gbs_iqr:.1f}, best {p.gbs_best:.1f}), ridge {p.ridge:.2f} MACs/byte; "
          f"measured in {p.seconds:.1f} s ({time.perf_counter() - t0:.1f} s with setup)")


if __name__ == "__main__":
    main()
