"""ShuffleNet v2's four guideline experiments on this machine: MACs, memory access and measured latency of every
set-up, and each one's ratio to its experiment's reference set-up (1:1, g=1, 1-fragment, ReLU+shortcut on),
all measured in this run (set-ups interleaved round by round, so background load hits them alike).

    python bench/bench_guidelines.py [--threads 1] [--size 56 --channels 128 --repeat 10] [--min-run-time 0.2]
                                     [--rounds 3] [--only g1 g3]

Timings are this CPU's, at this load: on a shared machine, read the IQR column before the ratios."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    from effviz.speed import guidelines, latency

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--size", type=int, default=guidelines.Sizes().size)
    parser.add_argument("--channels", type=int, default=guidelines.Sizes().channels)
    parser.add_argument("--repeat", type=int, default=guidelines.Sizes().repeat)
    parser.add_argument("--min-run-time", type=float, default=0.2, help="seconds of timing per set-up")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=list(guidelines.NAMES), choices=guidelines.NAMES)
    args = parser.parse_args()

    sizes = guidelines.Sizes(args.size, args.channels, args.repeat)
    m = latency.machine()
    print(f"CPU {m.processor}, {m.cpu_count} logical cores; torch {m.torch_version} (default {m.torch_threads} "
          f"threads); measuring with {args.threads} thread(s)")
    print(f"input {sizes.size}x{sizes.size}, reference width c={sizes.channels}, {sizes.repeat} blocks; "
          f"{args.min_run_time} s per set-up in {args.rounds} interleaved round(s)\n")
    start = time.perf_counter()
    for name in args.only:
        t0 = time.perf_counter()
        exp = guidelines.run(name, sizes, threads=args.threads, rounds=args.rounds, min_run_time=args.min_run_time)
        base = exp.results[0]
        print(exp.title)
        print(f"  paper: {exp.expectation}")
        print(f"  {'set-up':<24}{'channels':<24}{'MMACs':>9}{'mem MB':>9}{'mem ×':>7}"
              f"{'median ms':>11}{'IQR ms':>9}{'time ×':>8}{'GMAC/s':>8}")
        for r, rel in zip(exp.results, exp.relative(), strict=True):
            s, lat = r.setup, r.latency
            print(f"  {s.label:<24}{s.detail:<24}{s.macs / 1e6:>9.1f}{s.memory.bytes / 1e6:>9.1f}"
                  f"{s.memory.elements / base.setup.memory.elements:>7.2f}{lat.median_ms:>11.2f}{lat.iqr_ms:>9.2f}"
                  f"{rel:>8.2f}{lat.throughput(s.macs) / 1e9:>8.2f}")
        verdict = {"agrees": "yes", "disagrees": "NO", "unclear": "unclear (within the noise)"}[exp.verdict()]
        print(f"  same trend as the paper: {verdict}   ({time.perf_counter() - t0:.1f} s)\n")
    print(f"total {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
