"""Channel shuffle of C channels in g groups (reshape (g, C/g) -> transpose -> flatten): which input channel
lands at output position i, or (standard and hard) where input channel j ends up. Answers from
effviz.shuffle.permutation; sizes are those the Channel Shuffle page animates (C <= 48)."""
from __future__ import annotations

import functools

from effviz import shuffle
from effviz.blocks.formulas import Formula
from effviz.exercises._common import shuffle_shapes
from effviz.exercises._question import NUMBER, Link, Question, Worked
from effviz.exercises._registry import register

MAX_CHANNELS = {"easy": 12, "standard": 24, "hard": 48}
DIRECTIONS = {"easy": ("to",), "standard": ("to", "from"), "hard": ("to", "from")}


@functools.cache
def candidates(difficulty: str):
    # positions 0 and C - 1 never move: leave them out, they teach nothing
    return tuple((c, g, direction, i) for c, g in shuffle_shapes(MAX_CHANNELS[difficulty])
                 for direction in DIRECTIONS[difficulty] for i in range(1, c - 1))


def _formula(c: int, g: int, direction: str, i: int, answer: int) -> Formula:
    n = c // g
    if direction == "to":  # output i comes from input (i mod g) * C/g + floor(i / g)
        return Formula("channel", r"(i \bmod g)\,\tfrac{C}{g} + \lfloor i / g \rfloor",
                       rf"({i} \bmod {g}) \cdot {n} + \lfloor {i} / {g} \rfloor = {answer}",
                       f"({i} % {g}) * {n} + {i} // {g}", answer)
    # input j = a * C/g + b (group a, slot b) lands at output b * g + a
    return Formula("channel", r"(j \bmod \tfrac{C}{g})\,g + \lfloor j / \tfrac{C}{g} \rfloor",
                   rf"({i} \bmod {n}) \cdot {g} + \lfloor {i} / {n} \rfloor = {answer}",
                   f"({i} % {n}) * {g} + {i} // {n}", answer)


def build(candidate, difficulty: str, rng) -> Question:
    c, g, direction, i = candidate
    perm = shuffle.permutation(c, g)
    answer = perm[i] if direction == "to" else perm.index(i)
    return Question(
        kind="shuffle_position", difficulty=difficulty, answer_type=NUMBER, answer=answer, tolerance=0.0,
        unit="channel", values={"channels": c, "groups": g, "direction": direction, "position": i},
        worked=(Worked("shuffle", _formula(c, g, direction, i, answer)),),
        link=Link("channel_shuffle", {"shuffle_channels": c, "shuffle_groups": g}),
    )


register("shuffle_position", candidates=candidates, build=build, stratum=lambda c: c[2])
