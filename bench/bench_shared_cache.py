"""What the shared disk cache saves a second worker: each expensive result computed by a fresh process (an empty
cache directory, as the first worker sees it), then fetched by another fresh process from that directory (as
every later worker sees it), through the same app_support.shell.cache functions the pages call.

    python bench/bench_shared_cache.py [--repeats 3]

Each row: median seconds of the call in the computing process, in the reading process, and their ratio; imports
(torch, effviz, streamlit) are done before the clock starts in both. The last rows time a disk hit of a
timing (what a Latency Lab click costs when the value is on disk) against st.cache_data's in-memory hit."""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent("""
    import json, sys, time
    sys.path.insert(0, {root!r})
    import logging
    logging.disable(logging.WARNING)  # st.cache_data outside a server warns about the missing runtime
    import numpy, torch, streamlit
    from app_support.shell import cache
    from effviz.redundancy import features, images, weights
    from effviz.speed import latency

    def timed(fn):
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    model, info = weights.load("resnet50", "untrained", download=False)
    image = images.load(open({photo!r}, "rb").read())
    fmap = features.extract(features.extractor(model, "layer1"), image, "layer1", info=info).numpy()
    machine = latency.machine().key()
    out = {{
        "zoo profile (network_zoo)": timed(cache.network_zoo),
        "GhostNet profile (network_profile)": timed(lambda: cache.network_profile("ghostnet", (), 224)),
        "resolution sweep (network_resolution_sweep)": timed(
            lambda: cache.network_resolution_sweep("efficientnet_lite0", (), (128, 160, 192, 224, 256, 288))),
        "Ghost sweep, ResNet-50 layer1 (redundancy_sweep)": timed(
            lambda: cache.redundancy_sweep("bench-photo", info.key, "layer1", "first", fmap)),
        "timing, ShuffleNet v2 (latency_network)": timed(
            lambda: cache.latency_network(machine, 1, "shufflenet_v2", (3, 224, 224), (0.2, 3, 5))),
    }}
    if sys.argv[1] == "warm":
        hit = timed(lambda: cache.latency_network(machine, 1, "shufflenet_v2", (3, 224, 224), (0.2, 3, 5)))
        memory = timed(lambda: cache.network_profile("ghostnet", (), 224))
        out["(a timing's disk hit)"] = hit
        out["(a profile's st.cache_data hit)"] = memory
    print(json.dumps(out))
""")


def child(mode: str, cache_dir: str) -> dict[str, float]:
    photo = next((ROOT / "assets").rglob("*.jpg"))
    script = CHILD.format(root=str(ROOT), photo=str(photo))
    out = subprocess.run([sys.executable, "-c", script, mode], capture_output=True, text=True, timeout=900,
                         env={**os.environ, "EFFVIZ_CACHE_DIR": cache_dir}, check=False)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    cold: dict[str, list[float]] = {}
    warm: dict[str, list[float]] = {}
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory(prefix="effviz-bench-cache-") as cache_dir:
            for name, s in child("cold", cache_dir).items():
                cold.setdefault(name, []).append(s)
            for name, s in child("warm", cache_dir).items():
                warm.setdefault(name, []).append(s)
    print(f"{'result':<50} {'computing':>10} {'from disk':>10} {'ratio':>8}   (median of {args.repeats}, seconds)")
    for name, values in warm.items():
        w = statistics.median(values)
        if name in cold:
            c = statistics.median(cold[name])
            print(f"{name:<50} {c:>10.4f} {w:>10.4f} {c / w:>7.0f}×")
        else:
            print(f"{name:<50} {'':>10} {w:>10.5f}")


if __name__ == "__main__":
    main()
