"""How long effviz.count (torch's FlopCounterMode) takes per block family, against the analytic cost.

    python bench/bench_count.py [--repeats 20]

Prints, per family at 56x56: analytic cost() time, build-on-meta time, count() time, and the ratio of the
measured path to the analytic path, all measured in this run."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from timing import timed  # noqa: E402 - bench/ is on sys.path when a script runs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--size", type=int, default=56)
    args = parser.parse_args()

    t0 = time.perf_counter()
    import torch

    import effviz
    from effviz import blocks
    print(f"import torch + effviz: {time.perf_counter() - t0:.2f} s (once per process)")
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, input {args.size}x{args.size}\n")
    h = w = args.size
    print(f"{'family':<22}{'cost() µs':>12}{'build(meta) ms':>16}{'count() ms':>12}{'count/cost':>12}  equal")
    for name in blocks.names():
        spec = blocks.make(name)
        analytic = timed(lambda spec=spec: spec.cost(h, w), args.repeats * 10)

        def build(spec=spec):
            with torch.device("meta"):
                return spec.build()

        build_t = timed(build, args.repeats)
        module = build()
        count_t = timed(lambda module=module, spec=spec: effviz.count(module, (spec.c_in, h, w)), args.repeats)
        cost, counted = spec.cost(h, w), effviz.count(module, (spec.c_in, h, w))
        same = (cost.params, cost.macs) == (counted.params, counted.macs)
        print(f"{name:<22}{analytic * 1e6:>12.1f}{build_t * 1e3:>16.2f}{count_t * 1e3:>12.2f}"
              f"{count_t / analytic:>11.0f}×  {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
