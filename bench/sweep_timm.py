"""Coverage of timm: every timm.list_models() architecture built without weights (networks.build_meta) and
profiled by effviz.profile at its default input size, one worker process, a time limit per architecture.

    python bench/sweep_timm.py [--limit-s 120] [--out /tmp/timm-sweep.jsonl] [--only REGEX] [--retry-failed]
    python bench/sweep_timm.py --summary --out /tmp/timm-sweep.jsonl

Prints one line per architecture as it goes (status, device, seconds, params, MACs) and a summary: how many
build and profile, how many fail and why (grouped by the first words of the error), how many needed the CPU
fallback or ran out of time. Resumable: architectures already in --out are skipped."""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _worker(jobs, results):
    import warnings

    warnings.filterwarnings("ignore")
    import torch  # noqa: F401

    import effviz
    from effviz import networks

    for arch in iter(jobs.get, None):
        name = "timm/" + arch
        t0 = time.perf_counter()
        row = {"arch": arch}
        try:
            entry = networks.info(name)
            model, device = networks.build_meta(name)
            t1 = time.perf_counter()
            prof = effviz.profile(model, entry.input_size)
            row.update(status="ok", device=device, build_s=round(t1 - t0, 3),
                       profile_s=round(time.perf_counter() - t1, 3), params=prof.params, macs=prof.macs,
                       input=entry.input_size[1], layers=len(prof.layers), stages=[s.key for s in prof.stages])
        except Exception as err:  # noqa: BLE001 - the sweep records every failure
            first = str(err).splitlines()[0][:200] if str(err) else ""
            row.update(status="error", error=f"{type(err).__name__}: {first}",
                       seconds=round(time.perf_counter() - t0, 3))
        results.put(row)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit-s", type=float, default=120)
    ap.add_argument("--out", default="/tmp/timm-sweep.jsonl")
    ap.add_argument("--only", default="")
    ap.add_argument("--retry-failed", action="store_true", help="run again the architectures that failed before")
    ap.add_argument("--summary", action="store_true", help="only print the summary of --out")
    args = ap.parse_args()
    out = Path(args.out)
    if args.summary:
        summary(out)
        return
    if args.retry_failed and out.exists():
        kept = [line for line in out.read_text().splitlines() if json.loads(line)["status"] == "ok"]
        out.write_text("".join(line + "\n" for line in kept))
    import timm

    archs = [a for a in timm.list_models() if re.search(args.only, a)]
    done = {json.loads(line)["arch"] for line in out.read_text().splitlines()} if out.exists() else set()
    todo = [a for a in archs if a not in done]
    print(f"timm {timm.__version__}: {len(archs)} architectures, {len(todo)} to run", flush=True)
    ctx = mp.get_context("spawn")
    jobs = results = proc = None

    def start():
        nonlocal jobs, results, proc
        jobs, results = ctx.Queue(), ctx.Queue()
        proc = ctx.Process(target=_worker, args=(jobs, results), daemon=True)
        proc.start()

    start()
    with out.open("a") as f:
        for arch in todo:
            jobs.put(arch)
            try:
                row = results.get(timeout=args.limit_s + 60)  # the first job also pays for importing torch/timm
            except Exception:  # noqa: BLE001 - queue.Empty: over the time limit
                proc.kill()
                proc.join()
                row = {"arch": arch, "status": "timeout", "seconds": args.limit_s}
                start()
            print(json.dumps(row), flush=True)
            f.write(json.dumps(row) + "\n")
            f.flush()
    jobs.put(None)
    proc.join(timeout=10)
    summary(out)


def summary(out: Path) -> None:
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    status = Counter(r["status"] for r in rows)
    print(f"\n{len(rows)} architectures: {dict(status)}")
    ok = [r for r in rows if r["status"] == "ok"]
    print(f"built on the CPU (meta refused): {sum(r['device'] == 'cpu' for r in ok)}")
    slow = sorted(ok, key=lambda r: -(r["build_s"] + r["profile_s"]))[:10]
    print("slowest:", ", ".join(f"{r['arch']} {r['build_s'] + r['profile_s']:.1f}s" for r in slow))
    times = sorted(r["build_s"] + r["profile_s"] for r in ok)
    if times:
        print(f"build+profile seconds: median {times[len(times) // 2]:.2f}, p95 {times[int(len(times) * .95)]:.2f}, "
              f"max {times[-1]:.2f}")
    reasons = Counter(re.sub(r"[0-9]+", "N", r["error"])[:90] for r in rows if r["status"] == "error")
    for reason, n in reasons.most_common():
        print(f"  {n:4d}  {reason}")


if __name__ == "__main__":
    main()
