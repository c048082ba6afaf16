"""Re-parameterisation: latency of each training form against its folded form, measured in the same run
(effviz.speed.reparam_timing.measure_block_forms / measure_network_forms: the two timings follow each other, on the
same input, with the same threads). The baseline is the training form; the ratio is training / folded.

    python bench/bench_reparam.py [--threads 1] [--min-run-time 0.3] [--networks]

Blocks: RepVGG blocks (k x k + 1 x 1 + identity, BN each) at stage sizes of RepVGG-A0, and MobileOne-style
depthwise ones. Networks (--networks): timm's repvgg_a0, mobileone_s0, repghostnet_100 before and after
timm's reparameterize_model, at 224 x 224, batch 1, random weights."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from effviz.blocks import reparam  # noqa: E402
from effviz.speed import latency, reparam_timing  # noqa: E402

BLOCKS = [  # (label, spec, H = W)
    ("RepVGG 48ch 3x3 @56", reparam.RepSpec(c_in=48, c_out=48), 56),
    ("RepVGG 96ch 3x3 @28", reparam.RepSpec(c_in=96, c_out=96), 28),
    ("RepVGG 192ch 3x3 @14", reparam.RepSpec(c_in=192, c_out=192), 14),
    ("RepVGG 48->96 s2 @56", reparam.RepSpec(c_in=48, c_out=96, stride=2), 56),
    ("MobileOne dw 64ch 3x3 @56", reparam.RepSpec(c_in=64, c_out=64, groups=64), 56),
    ("MobileOne dw 256ch 3x3 @14", reparam.RepSpec(c_in=256, c_out=256, groups=256), 14),
]


def row(label: str, before: latency.Latency, after: latency.Latency) -> str:
    return (f"{label:<30} training {before.median * 1e3:9.3f} ms (IQR {before.iqr * 1e3:.3f})   "
            f"folded {after.median * 1e3:9.3f} ms (IQR {after.iqr * 1e3:.3f})   "
            f"ratio {before.median / after.median:5.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--min-run-time", type=float, default=0.3)
    ap.add_argument("--networks", action="store_true", help="also the three timm networks (slower)")
    args = ap.parse_args()
    kw = dict(threads=args.threads, min_run_time=args.min_run_time, warmup=3, min_repeats=7)
    m = latency.machine()
    print(f"# {m.processor}, {m.cpu_count} logical cores, torch {m.torch_version}, {args.threads} thread(s)")
    print("# baseline: the training form; ratio = training / folded (above 1: folding is faster)")
    for label, spec, hw in BLOCKS:
        print(row(label, *reparam_timing.measure_block_forms(spec, (spec.c_in, hw, hw), **kw)), flush=True)
    if args.networks:
        for arch in reparam.NETWORKS:
            print(row(arch, *reparam_timing.measure_network_forms(arch, (3, 224, 224), **kw)), flush=True)


if __name__ == "__main__":
    main()
