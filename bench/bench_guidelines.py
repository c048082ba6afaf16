"""ShuffleNet v2's four guideline experiments on this machine, on each convolution backend and thread count:
every set-up's MACs, memory access and measured latency, its time against its experiment's reference set-up
(1:1, g=1, 1-fragment, ReLU+shortcut on) beside the paper's Tables 1-4, and how far three repeats of the same
measurement, separated in time, spread.

    python bench/bench_guidelines.py [--threads 1 2] [--backends onednn native] [--repeats 3]
                                     [--size 56 --channels 128 --repeat 10] [--min-run-time 0.2] [--only g1 g3]

A repeat times every set-up of every guideline at every thread count on every backend once; the repeats run one
after the other, so they are minutes apart. For each set-up and setting it prints the median of the three
repeats' medians, the spread between them ((max - min) / median), the median IQR inside one repeat (also
relative), the time against the reference in each repeat, and the paper's time against its reference (GPU and
ARM columns at the same reference width). Each experiment's verdict is given per repeat, with the drift check
(effviz.speed.guidelines.Experiment.drift) over the repeats. Timings are this CPU's at this load: read the
spreads before the ratios."""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    from effviz.speed import guideline_tables, guidelines, latency

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--backends", nargs="+", default=list(latency.BACKENDS), choices=latency.BACKENDS)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--size", type=int, default=guidelines.Sizes().size)
    parser.add_argument("--channels", type=int, default=guidelines.Sizes().channels)
    parser.add_argument("--repeat", type=int, default=guidelines.Sizes().repeat)
    parser.add_argument("--min-run-time", type=float, default=0.2, help="seconds of timing per set-up and repeat")
    parser.add_argument("--only", nargs="*", default=list(guidelines.NAMES), choices=guidelines.NAMES)
    args = parser.parse_args()

    sizes = guidelines.Sizes(args.size, args.channels, args.repeat)
    m = latency.machine()
    print(f"CPU {m.processor}, {m.cpu_count} logical cores; torch {m.torch_version} (default {m.torch_threads} "
          f"threads); caches {latency.cpu_caches()}")
    print(f"input {sizes.size}x{sizes.size}, reference width c={sizes.channels}, {sizes.repeat} blocks; "
          f"{args.min_run_time} s per set-up per repeat; {args.repeats} repeats; threads {args.threads}; "
          f"backends {args.backends}\n")
    settings = [(th, b) for th in args.threads for b in args.backends]
    runs: dict[tuple, list] = {}
    start = time.perf_counter()
    for rep in range(args.repeats):
        t0 = time.perf_counter()
        for threads, backend in settings:
            for name in args.only:
                exp = guidelines.run(name, sizes, threads=threads, backend=backend, rounds=1,
                                     min_run_time=args.min_run_time)
                runs.setdefault((name, threads, backend), []).append(exp)
        print(f"repeat {rep + 1}: {time.perf_counter() - t0:.0f} s")
    print()

    for name in args.only:
        table = guideline_tables.table(name)
        gpu, arm = (table.column(p, sizes.channels) for p in guideline_tables.PLATFORMS)
        print(guidelines.TITLES[name])
        print(f"  paper ({table.source}): GPU {gpu.header if gpu else '-'}, ARM {arm.header if arm else '-'} "
              f"at c={sizes.channels}")
        for threads, backend in settings:
            exps = runs[(name, threads, backend)]
            pooled = guidelines.experiment(name, [(r.setup, [e.results[i].latency for e in exps])
                                                  for i, r in enumerate(exps[0].results)])
            drift = pooled.drift()
            print(f"  {backend}, {threads} thread(s)")
            print(f"    {'set-up':<24}{'MMACs':>8}{'MACs ×':>8}{'mem MB':>8}{'median ms':>11}{'between':>9}"
                  f"{'within':>8}   {'time × per repeat':<22}{'GPU ×':>7}{'ARM ×':>7}")
            for i, r in enumerate(pooled.results):
                medians = [x.median for x in r.rounds]
                mid = statistics.median(medians)
                between = (max(medians) - min(medians)) / mid
                within = statistics.median(x.iqr / x.median for x in r.rounds)
                factors = " ".join(f"{e.relative()[i]:.2f}" for e in exps)
                print(f"    {r.setup.label:<24}{r.setup.macs / 1e6:>8.1f}{pooled.macs_ratio()[i]:>8.3f}"
                      f"{r.setup.memory.bytes / 1e6:>8.1f}{mid * 1e3:>11.2f}{between:>9.1%}{within:>8.1%}   "
                      f"{factors:<22}{gpu.relative_time()[i] if gpu else float('nan'):>7.2f}"
                      f"{arm.relative_time()[i] if arm else float('nan'):>7.2f}")
            verdicts = ", ".join(e.verdict() for e in exps)
            steady = "n/a" if drift is None else ("steady" if drift.steady else
                                                 f"NOT steady ({pooled.results[drift.index].setup.label} moved "
                                                 f"{drift.drift:.0%} between repeats, {drift.within:.1%} within)")
            print(f"    verdict per repeat: {verdicts}; repeats: {steady}\n")
    print(f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
