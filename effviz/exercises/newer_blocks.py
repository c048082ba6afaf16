"""After GhostNet: how many times fewer MACs FasterNet's partial conv needs than the full k x k conv it replaces
(r = 1/n of the channels: n^2), and how many parameters a RepVGG block has once its three branches are folded
into one k x k conv (k^2 C^2 / g + C). Answers from the blocks' graphs (effviz.blocks.partial_conv,
effviz.blocks.reparam)."""
from __future__ import annotations

from effviz import blocks
from effviz.blocks.formulas import formula_of, number
from effviz.blocks.reparam import RepSpec
from effviz.exercises._common import TOLERANCE, playground_link
from effviz.exercises._question import NUMBER, Link, Question, Worked
from effviz.exercises._registry import register

PCONV = tuple(("pconv", c, n, k) for c in (32, 48, 64, 96, 128, 160, 192, 256) for n in (2, 4, 8, 16)
              for k in (3, 5))
REP = tuple(("rep", c, k, s, dw) for c in (4, 8, 16, 32, 64, 128) for k in (3, 5, 7) for s in (1, 2)
            for dw in (False, True))
SIZE = 56       # PConv questions: a 56 x 56 map (FasterNet's first stage)
REP_SIZE = 28   # RepVGG questions: the Playground section's default map


def candidates(difficulty: str):
    if difficulty == "easy":
        return PCONV
    if difficulty == "standard":
        return PCONV + tuple(r for r in REP if not r[4])
    return PCONV + REP


def _pconv(example, difficulty: str) -> Question:
    _, c, n, k = example
    spec = blocks.make("partial_conv", c_in=c, c_out=c, kernel=k, n_div=n)
    cp = spec.partial
    ours = spec.graph(SIZE, SIZE).node("pconv").macs
    full = blocks.make("standard", c_in=c, c_out=c, kernel=k).graph(SIZE, SIZE).node("conv").macs
    h = SIZE
    worked = (
        Worked("block", formula_of("MACs", r"H W k^2 c_p^2", [(rf"{h} \cdot {h} \cdot {k}^2 \cdot {cp}^2",
                                                                f"{h}*{h}*{k}**2*{cp}**2")], ours)),
        Worked("baseline", formula_of("MACs", r"H W k^2 C^2", [(rf"{h} \cdot {h} \cdot {k}^2 \cdot {c}^2",
                                                                 f"{h}*{h}*{k}**2*{c}**2")], full)),
    )
    return Question(kind="newer_blocks", difficulty=difficulty, answer_type=NUMBER, unit="factor",
                    answer=full / ours, tolerance=TOLERANCE[difficulty],
                    values={"case": "pconv", "c": c, "n": n, "k": k, "h": h, "cp": cp}, worked=worked,
                    link=playground_link("partial_conv", {"c_in": c, "c_out": c, "kernel": k, "n_div": n,
                                                          "expansion": 2.0}, h),
                    figures={"ours": ours, "theirs": full})


def _rep(example, difficulty: str) -> Question:
    _, c, k, s, dw = example
    g = c if dw else 1
    spec = RepSpec(c_in=c, c_out=c, kernel=k, stride=s, groups=g)
    train = spec.train_graph(REP_SIZE, REP_SIZE).cost().params
    deploy = spec.deploy_graph(REP_SIZE, REP_SIZE).cost().params
    per = c // g
    bn = 3 if spec.identity else 2
    worked = (
        Worked("before", formula_of("params", r"k^2 \tfrac{C}{g} C + \tfrac{C}{g} C + 2C \cdot (\text{BNs})",
                                    [(rf"{k}^2 \cdot {per} \cdot {c}", f"{k}**2*{per}*{c}"),
                                     (rf"{per} \cdot {c}", f"{per}*{c}"), (rf"2 \cdot {c} \cdot {bn}", f"2*{c}*{bn}")],
                                    train)),
        Worked("after", formula_of("params", r"k^2 \tfrac{C}{g} C + C",
                                   [(rf"{k}^2 \cdot {per} \cdot {c}", f"{k}**2*{per}*{c}"), (number(c), f"{c}")],
                                   deploy)),
    )
    return Question(kind="newer_blocks", difficulty=difficulty, answer_type=NUMBER, unit="params", answer=deploy,
                    tolerance=TOLERANCE[difficulty],
                    values={"case": "rep", "c": c, "k": k, "stride": s, "dw": dw, "identity": spec.identity,
                            "train": train},
                    worked=worked,
                    link=Link("playground", {"rep_c": c, "rep_k": k, "rep_stride": s, "rep_dw": "1" if dw else "0",
                                             "rep_hw": REP_SIZE}),
                    figures={"ours": deploy, "theirs": train})


def build(example, difficulty: str, rng) -> Question:
    return _pconv(example, difficulty) if example[0] == "pconv" else _rep(example, difficulty)


register("newer_blocks", candidates=candidates, build=build, stratum=lambda e: e[0])
