"""Snapshot of what must not change when a family's numbers move between files (issue 24, part 2).

    python bench/snapshot_house.py OUT.json             # run on two checkouts (PYTHONPATH=<checkout>)
    python bench/snapshot_house.py --compare A.json B.json  # then: how many entries are identical

It writes: every exercise set `effviz.exercises.generate(seed, 50, difficulty)` for seeds 1-50 at every
difficulty (the questions as dataclass dicts), the DOT source of every block family's diagram at its defaults
(and a few shapes that exercise Ghost modules, SE and strides), and every family's formulas at its defaults.
Prints the number of sets and diagrams written. Pure library: no torch is needed for any of it."""
from __future__ import annotations

import dataclasses
import json
import sys


def _plain(x):
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {f.name: _plain(getattr(x, f.name)) for f in dataclasses.fields(x)}
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, (int, float, str, bool)) or x is None:
        return x
    return repr(x)


EXTRA = [("ghost_module", dict(c_in=16, c_out=33, ratio=3)), ("ghost_module", dict(ratio=1)),
         ("ghost_module", dict(ratio=8, stride=2)), ("ghost_bottleneck", dict(stride=2, c_out=80)),
         ("ghost_bottleneck", dict(se_ratio=0.0, ratio=3)), ("ghost_v2", dict(ratio=4, c_out=30)),
         ("shuffle_v1", dict(c_in=240, c_out=480, stride=2)), ("shuffle_v2", dict(c_in=116, c_out=232, stride=2)),
         ("mbconv", dict(activation="hswish")), ("uib", dict(dw_start=0, stride=2)),
         ("partial_conv", dict(n_div=1))]


def main(path: str) -> None:
    from effviz import blocks, exercises
    from effviz.blocks import formulas
    from effviz.plots import anatomy

    out: dict = {"exercises": {}, "diagrams": {}, "formulas": {}}
    for difficulty in exercises.DIFFICULTIES:
        for seed in range(1, 51):
            qs = exercises.generate(seed, 50, difficulty)
            out["exercises"][f"{difficulty}/{seed}"] = _plain(qs)
    specs = [(name, {}) for name in blocks.names()] + EXTRA
    for name, params in specs:
        spec = blocks.make(name, **params)
        key = f"{name}{sorted(params.items())}"
        out["diagrams"][key] = anatomy.block_dot(spec.graph(28, 28))
        out["formulas"][key] = _plain(formulas.formulas(spec, 28, 28))
    with open(path, "w") as f:
        json.dump(out, f, indent=0, sort_keys=True)
    print(f"{len(out['exercises'])} exercise sets, {len(out['diagrams'])} diagrams, "
          f"{len(out['formulas'])} formula lists -> {path}")


def compare(a_path: str, b_path: str) -> bool:
    with open(a_path) as f:
        a = json.load(f)
    with open(b_path) as f:
        b = json.load(f)
    for section in sorted(a):
        differ = sorted(k for k in a[section] if a[section][k] != b.get(section, {}).get(k))
        missing = sorted(set(b.get(section, {})) ^ set(a[section]))
        print(f"{section}: {len(a[section]) - len(differ)} of {len(a[section])} identical; differ: {differ[:5]}; "
              f"in one file only: {missing[:5]}")
    return a == b


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        sys.exit(0 if compare(sys.argv[2], sys.argv[3]) else 1)
    main(sys.argv[1])
