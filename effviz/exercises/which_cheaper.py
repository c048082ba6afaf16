"""Which of two blocks needs fewer MACs, and by how much (shown in the reveal):
  * MnasNet's choice: one 5x5 depthwise-separable layer against two 3x3 ones (equal at N = 7);
  * a Ghost module with s = 2 against s = 4 (s = 4 is not always cheaper: not when c k^2 < d^2);
  * (hard) a ShuffleNet v1 unit against a v2 unit of the same width; an MBConv block against a Ghost bottleneck.
Which block is shown first is drawn at random, so the right option's position varies."""
from __future__ import annotations

import functools

from effviz import blocks
from effviz.blocks import comparison
from effviz.blocks.formulas import Formula
from effviz.exercises import real_layers
from effviz.exercises._common import playground_link, worked
from effviz.exercises._question import OPTION, Question, Worked
from effviz.exercises._registry import register

MNAS_M = (16, 24, 32, 48, 64, 96)
MNAS_N = tuple(range(2, 33))
MNAS_H = (14, 28, 56)
CASES = {"easy": ("mnas", "ghost_ratio"), "standard": ("mnas", "ghost_ratio"),
         "hard": ("mnas", "ghost_ratio", "v1_vs_v2", "mbconv_vs_ghost")}


def _block(family: str, params: dict, h: int) -> dict:
    return {"family": family, "spec": dict(sorted(params.items())), "h": h}


@functools.cache
def candidates(difficulty: str):
    out = []
    cases = CASES[difficulty]
    if "mnas" in cases:
        out += [("mnas", m, n, h) for m in MNAS_M for n in MNAS_N for h in MNAS_H]
    for e in real_layers.of_family("ghost_module", "shuffle_v1", "ghost_bottleneck"):
        p = dict(e.params)
        if e.family == "ghost_module" and "ghost_ratio" in cases and p["ratio"] == 2:
            out.append(("ghost_ratio", _block(e.family, p, e.h), _block(e.family, {**p, "ratio": 4}, e.h)))
        if e.family == "shuffle_v1" and "v1_vs_v2" in cases and p["stride"] == 1 and p["c_in"] % 2 == 0:
            v2 = {"c_in": p["c_in"], "c_out": p["c_out"], "stride": 1, "kernel": p["kernel"]}
            out.append(("v1_vs_v2", _block(e.family, p, e.h), _block("shuffle_v2", v2, e.h)))
        if e.family == "ghost_bottleneck" and "mbconv_vs_ghost" in cases:
            mb = {k: p[k] for k in ("c_in", "c_out", "kernel", "stride", "expansion", "se_ratio")}
            out.append(("mbconv_vs_ghost", _block("mbconv", {**mb, "activation": "relu"}, e.h),
                        _block(e.family, p, e.h)))
    return tuple(out)


def _mnas(m: int, n: int, h: int) -> tuple[list[dict], list[int], list[Worked]]:
    point = comparison.kernel_crossover(m, h, h, [n])[0]
    five = blocks.make("depthwise_separable", c_in=m, c_out=n, kernel=5)
    three = blocks.make("depthwise_separable", c_in=m, c_out=n, kernel=3)
    one = worked(three, h, "macs").formula
    pair = Formula("MACs", rf"2 \times ({one.symbolic})", rf"2 \times ({one.numeric})", f"2 * ({one.expression})",
                   point.two_3x3)
    blocks_ = [{**_block("depthwise_separable", five.params_dict(), h), "layers": 1},
               {**_block("depthwise_separable", three.params_dict(), h), "layers": 2}]
    return blocks_, [point.one_5x5, point.two_3x3], [worked(five, h, "macs"), Worked("block", pair)]


def build(candidate, difficulty: str, rng) -> Question:
    case = candidate[0]
    if case == "mnas":
        pair, macs, formulas_ = _mnas(*candidate[1:])
    else:
        pair = [candidate[1], candidate[2]]
        specs = [blocks.make(b["family"], **b["spec"]) for b in pair]
        macs = [s.cost(b["h"], b["h"]).macs for s, b in zip(specs, pair, strict=True)]
        formulas_ = [worked(s, b["h"], "macs") for s, b in zip(specs, pair, strict=True)]
    order = [0, 1] if rng.random() < 0.5 else [1, 0]
    first, second = (pair[i] for i in order)
    m_first, m_second = (macs[i] for i in order)
    options = ("first", "second", "equal")  # equal happens: MnasNet at N = 7, a Ghost module with c k^2 = d^2
    answer = "equal" if m_first == m_second else ("first" if m_first < m_second else "second")
    shown = pair[0]  # the 5x5 layer, the s = 2 module, the v1 unit, the MBConv block
    return Question(
        kind="which_cheaper", difficulty=difficulty, answer_type=OPTION, answer=options.index(answer),
        tolerance=0.0, unit="macs", options=options,
        values={"case": case, "first": first, "second": second, "metric": "macs"},
        worked=tuple(Worked(role, formulas_[i].formula)
                     for role, i in zip(("first", "second"), order, strict=True)),
        link=playground_link(shown["family"], shown["spec"], shown["h"]),
        figures={"first": m_first, "second": m_second,
                 "factor": max(m_first, m_second) / min(m_first, m_second)},
    )



register("which_cheaper", candidates=candidates, build=build, stratum=lambda c: c[0])
