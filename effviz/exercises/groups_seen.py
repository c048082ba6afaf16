"""After k stacked group convs (C -> C, g groups), with or without a channel shuffle between them, how many of
the input's g groups does output channel o depend on? The Channel Shuffle page measures the same stack on real
torch modules (effviz.shuffle.connectivity.stack); here it is followed through the shuffle permutation, group by
group."""
from __future__ import annotations

import functools

from effviz import shuffle
from effviz.blocks.formulas import Formula
from effviz.exercises._common import shuffle_shapes
from effviz.exercises._question import NUMBER, Link, Question, Worked
from effviz.exercises._registry import register

MAX_CHANNELS = {"easy": 12, "standard": 24, "hard": 48}
LAYERS = {"easy": (2,), "standard": (2, 3), "hard": (2, 3)}


def groups_after(channels: int, groups: int, layers: int, shuffle_on: bool) -> list[list[set[int]]]:
    """For each layer, the set of input groups each output channel depends on."""
    per_group = channels // groups
    seen = [{c // per_group} for c in range(channels)]
    history = []
    for layer in range(layers):
        if layer and shuffle_on:
            perm = shuffle.permutation(channels, groups)
            seen = [seen[perm[i]] for i in range(channels)]
        union = [set().union(*seen[a * per_group:(a + 1) * per_group]) for a in range(groups)]
        seen = [union[c // per_group] for c in range(channels)]
        history.append(seen)
    return history


@functools.cache
def candidates(difficulty: str):
    return tuple((c, g, layers, shuffle_on, o) for c, g in shuffle_shapes(MAX_CHANNELS[difficulty])
                 for layers in LAYERS[difficulty] for shuffle_on in (True, False) for o in range(c))


def build(candidate, difficulty: str, rng) -> Question:
    c, g, layers, shuffle_on, o = candidate
    history = groups_after(c, g, layers, shuffle_on)
    counts = [len(step[o]) for step in history]
    chain = r" \to ".join(map(str, counts))
    formula = Formula("groups", r"|G_1| \to " + r" \to ".join(f"|G_{k}|" for k in range(2, layers + 1)),
                      chain, str(counts[-1]), counts[-1])
    return Question(
        kind="groups_seen", difficulty=difficulty, answer_type=NUMBER, answer=counts[-1], tolerance=0.0,
        unit="groups", values={"channels": c, "groups": g, "layers": layers, "shuffle": shuffle_on, "output": o},
        worked=(Worked("stack", formula),),
        figures={"seen": sorted(history[-1][o])},
        link=Link("channel_shuffle", {"shuffle_channels": c, "shuffle_groups": g, "shuffle_layers": layers,
                                      "shuffle_on": "1" if shuffle_on else "0", "shuffle_output": o}),
    )


register("groups_seen", candidates=candidates, build=build, stratum=lambda c: (c[2], c[3]))
