"""effviz.profile_onnx per zoo network against effviz.profile of the same network, and against the peers that read
the same thing (bench_profilers.py's torch counters on the module, onnx-tool on the file), all in this run.

    pip install -r bench/requirements.txt        # the peers (ptflops, thop, fvcore, torchinfo, onnx-tool)
    python bench/bench_onnx.py [--quick] [--repeats 5] [--networks ghostnet resnet50]

Each network is built on the CPU with seed 0 (tests/onnx_exports.prepared: BatchNorm statistics and biases moved
off their initial values) and exported once by torch.onnx.export twice over: unoptimised (optimize=False,
BatchNorm kept, the exporter's shape arithmetic left in) and with the exporter's default optimisation (BatchNorm
folded). The exports are cached with the tests' (.pytest_cache/d/onnx-exports); exporting is not timed. Every
tool counts the same 1 x 3 x 64 x 64 input (the resolution of the exports).

Timed, median of --repeats calls after one untimed call, each from the file's bytes or the built module:
    onnx      effviz.profile_onnx(bytes of the unoptimised file)   parse + checks + shape inference + table
    onnx-opt  effviz.profile_onnx(bytes of the optimised file)
    child     effviz.networks.onnxfile.isolated.profile_onnx(bytes of the unoptimised file): the app's path, a fresh
              process per file (median of --repeats // 2)
    meta      effviz.profile(module built on the meta device)       the Network Explorer's path; the baseline
    cpu       effviz.profile(module with real weights, CPU)
    peers     each bench_profilers.py tool on the CPU module; onnx-tool (Model -> shape_infer -> profile) on
              each file
"x meta" is a time over the meta baseline's for the same network. The totals columns check that profile_onnx of
the unoptimised file equals effviz.profile (params and MACs) and show each peer's totals next to ours."""
from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUICK = ("mobilenet_v3_small", "ghostnet", "resnet50")


def median_time(fn, repeats: int):
    """(first call's result, median seconds of `repeats` further calls), output silenced."""
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = fn()
        samples = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - t0)
    return result, statistics.median(samples)


def onnx_tool_totals(path: Path):
    import onnx_tool

    model = onnx_tool.Model(str(path), {"verbose": False})
    g = model.graph
    g.graph_reorder_nodes()
    g.shape_infer()
    g.profile()
    return int(g.params), int(g.macs[0])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--networks", nargs="*")
    args = ap.parse_args()

    import torch

    import effviz
    from effviz import networks
    from effviz.networks.onnxfile import isolated
    from tests import onnx_exports

    torch.set_num_threads(1)
    names = args.networks or (QUICK if args.quick else networks.names())
    cache = Path(__file__).resolve().parents[1] / ".pytest_cache" / "d" / "onnx-exports"
    cache.mkdir(parents=True, exist_ok=True)
    size = (3, onnx_exports.RESOLUTION, onnx_exports.RESOLUTION)
    try:
        import bench_profilers
        peers = [t for t in bench_profilers.make_tools() if t.key != "effviz"]
    except Exception as exc:  # noqa: BLE001
        print(f"(bench_profilers' peers unavailable: {exc})")
        peers = []
    try:
        import onnx_tool  # noqa: F401
        have_onnx_tool = True
    except ImportError:
        have_onnx_tool = False
    print(f"torch {torch.__version__}, 1 thread; input 1x3x{size[1]}x{size[2]}; median of {args.repeats}; "
          f"times in ms; 'x meta' = time / effviz.profile on the meta device\n")

    rows, peer_rows = [], []
    for name in names:
        model, plain, folded = onnx_exports.dynamo(name, cache)
        data, fdata = plain.read_bytes(), folded.read_bytes()
        with torch.device("meta"):
            torch.manual_seed(0)
            meta_model = networks.build(name).eval()
        ours_onnx, t_onnx = median_time(lambda d=data: effviz.profile_onnx(d), args.repeats)
        ours_opt, t_opt = median_time(lambda d=fdata: effviz.profile_onnx(d), args.repeats)
        _, t_iso = median_time(lambda d=data: isolated.profile_onnx(d), max(1, args.repeats // 2))
        ours_meta, t_meta = median_time(lambda m=meta_model: effviz.profile(m, size), args.repeats)
        ours_cpu, t_cpu = median_time(lambda m=model: effviz.profile(m, size), args.repeats)
        same = (ours_onnx.params, ours_onnx.macs) == (ours_cpu.params, ours_cpu.macs) == \
            (ours_meta.params, ours_meta.macs)
        rows.append((name, ours_onnx.onnx.nodes, ours_opt.onnx.nodes, len(data) / 2**20, t_onnx, t_opt, t_meta,
                     t_cpu, same, t_iso))
        for tool in peers:
            try:
                (params, macs), t = median_time(lambda tool=tool, m=model: tool.run(m, size, "cpu"), args.repeats)
                peer_rows.append((name, tool.label, "module (CPU)", t, t_meta, params, macs, ours_cpu))
            except Exception as exc:  # noqa: BLE001
                peer_rows.append((name, tool.label, f"failed: {str(exc).splitlines()[0][:60]}", None, t_meta,
                                  None, None, ours_cpu))
        if have_onnx_tool:
            for label, path, ours in (("onnx-tool", plain, ours_onnx), ("onnx-tool", folded, ours_opt)):
                kind = "file (optimised)" if path == folded else "file (unoptimised)"
                try:
                    (params, macs), t = median_time(lambda p=path: onnx_tool_totals(p), args.repeats)
                    peer_rows.append((name, label, kind, t, t_meta, params, macs, ours))
                except Exception as exc:  # noqa: BLE001
                    peer_rows.append((name, label, f"{kind} failed: {type(exc).__name__}", None, t_meta, None, None,
                                      ours))
        r = rows[-1]
        print(f"{name:20s} onnx {r[4] * 1e3:7.1f} ms ({r[4] / r[6]:.2f} x meta)  onnx-opt {r[5] * 1e3:7.1f} ms  "
              f"meta {r[6] * 1e3:7.1f} ms  cpu {r[7] * 1e3:7.1f} ms  equal={same}", flush=True)

    print("\n## effviz.profile_onnx against effviz.profile\n")
    print("| network | nodes (unopt / opt) | file MiB | profile_onnx unopt ms | x meta | profile_onnx opt ms | "
          "x meta | profile meta ms | profile cpu ms | x meta | in a child process (the app's path) ms | "
          "totals equal |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (name, n1, n2, mib, t_onnx, t_opt, t_meta, t_cpu, same, t_iso) in rows:
        print(f"| {name} | {n1:,} / {n2:,} | {mib:.1f} | {t_onnx * 1e3:.1f} | {t_onnx / t_meta:.2f} | "
              f"{t_opt * 1e3:.1f} | {t_opt / t_meta:.2f} | {t_meta * 1e3:.1f} | {t_cpu * 1e3:.1f} | "
              f"{t_cpu / t_meta:.2f} | {t_iso * 1e3:.0f} | {'yes' if same else 'NO'} |")
    ratios = [r[4] / r[6] for r in rows]
    print(f"\nprofile_onnx (unoptimised file) / profile (meta): median {statistics.median(ratios):.2f}, "
          f"range {min(ratios):.2f}-{max(ratios):.2f} over {len(rows)} networks")
    if peer_rows:
        print("\n## The peers, same networks, same input\n")
        print("| network | tool | reads | ms | x meta | params | MACs | ours (params / MACs) |")
        print("|---|---|---|---|---|---|---|---|")
        for name, label, reads, t, t_meta, params, macs, ours in peer_rows:
            timing = f"{t * 1e3:.1f} | {t / t_meta:.2f}" if t is not None else "— | —"
            totals = f"{params:,} | {macs:,}" if params is not None else "— | —"
            print(f"| {name} | {label} | {reads} | {timing} | {totals} | {ours.params:,} / {ours.macs:,} |")


if __name__ == "__main__":
    main()
