"""Exercises a teacher can hand a class: generated from real layer shapes, answered by the engine.

    from effviz import exercises
    qs = exercises.generate(seed=42, n=10, difficulty="standard")   # the same list for the same arguments
    q = qs[0]
    q.kind, q.values, q.options      # codes and numbers; the app's string catalogue makes the sentences
    exercises.check(q, "1.2M")       # Check(status="right" | "wrong" | a problem code, given, off)
    q.worked                         # the Playground's formulas with this question's numbers
    q.link                           # Link(page, query): the page preset to this very example

Some answers must be counted with torch or measured on the machine (which zoo network has more MACs, which is
faster here, which layer of EfficientNet-Lite0 has more near-copies for the sample photo, how many MiB of
activations a network holds at its peak): those questions come
back unanswered with `needs`; `resolve(q, {need: value})` answers them (the app passes values from its caches;
`measure(need)` computes one directly). Generating never imports torch.

Pure Python and deterministic: random.Random seeded from a string (never hash()), candidate lists in a fixed
order. A set depends on the seed, n, the difficulty and this module's version."""
from __future__ import annotations  # noqa: I001 - the kinds register in import order

import random
from collections.abc import Iterable, Mapping
from typing import Any

from effviz.exercises._question import NUMBER, OPTION, Check, Link, Need, Parsed, Question, Worked, check, \
    ladder_options, parse_number
from effviz.exercises._registry import DIFFICULTIES, KINDS, Kind, register
from effviz.exercises._common import TOLERANCE, query_value  # a number's tolerance per difficulty; URL values

# The registry lines: one import per kind, in the order the app lists them.
from effviz.exercises import block_cost, ratio_to_standard, cost_change, which_cheaper  # noqa: F401,E402
from effviz.exercises import shuffle_position, groups_seen, network_compare  # noqa: F401,E402
from effviz.exercises import redundancy_compare  # noqa: F401,E402
from effviz.exercises import newer_blocks  # noqa: F401,E402
from effviz.exercises import peak_memory  # noqa: F401,E402

__all__ = ["DIFFICULTIES", "NUMBER", "OPTION", "TOLERANCE", "Check", "Kind", "Link", "Need", "Parsed", "Question",
           "Worked", "check", "count", "generate", "kinds", "ladder_options", "measure", "parse_number", "query_value",
           "register", "resolve"]

MAX_QUESTIONS = 50
MAX_SEED = 2**63 - 1


def kinds(difficulty: str | None = None) -> list[str]:
    """Registered kinds (those asked at `difficulty`, if given), in registry order."""
    if difficulty is not None:
        _check_difficulty(difficulty)
    return [k.name for k in KINDS.values() if difficulty is None or difficulty in k.difficulties]


def count(kind: str, difficulty: str) -> int:
    """How many distinct questions `kind` can ask at `difficulty` (its candidate examples; the option order,
    drawn per question, is not counted)."""
    return len(_kind(kind).candidates(difficulty)) if difficulty in _kind(kind).difficulties else 0


def generate(seed: int, n: int = 10, difficulty: str = "standard", kinds: Iterable[str] | None = None
             ) -> list[Question]:
    """n questions for this seed and difficulty: the kinds in turn (shuffled by the seed), each kind's examples
    drawn evenly over its strata (e.g. block families), no question twice in a set."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an integer from 0 to {MAX_SEED}, got {seed!r}")
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_QUESTIONS:
        raise ValueError(f"n must be an integer from 1 to {MAX_QUESTIONS}, got {n!r}")
    _check_difficulty(difficulty)
    pool = [_kind(k) for k in (kinds if kinds is not None else globals()["kinds"](difficulty))]
    pool = [k for k in pool if difficulty in k.difficulties]
    if not pool:
        raise ValueError(f"no question kind is asked at difficulty {difficulty!r}")
    rng = random.Random(f"effviz.exercises:{difficulty}:{seed}")
    questions, asked, order = [], set(), []
    while len(questions) < n:
        if not order:
            order = list(pool)
            rng.shuffle(order)
        kind = order.pop(0)
        for _ in range(50):  # a repeat is redrawn; the spaces are large, so this ends at once in practice
            index = _draw(kind, difficulty, rng)
            if (kind.name, index) not in asked:
                break
        asked.add((kind.name, index))
        questions.append(kind.build(kind.candidates(difficulty)[index], difficulty, rng))
    return questions


def _draw(kind: Kind, difficulty: str, rng: random.Random) -> int:
    """The index of one example of the kind."""
    if kind.stratum is None:
        return rng.randrange(len(kind.candidates(difficulty)))
    strata = _strata(kind, difficulty)
    members = strata[rng.randrange(len(strata))]
    return members[rng.randrange(len(members))]


_STRATA: dict[tuple[str, str], tuple[tuple[int, ...], ...]] = {}


def _strata(kind: Kind, difficulty: str) -> tuple[tuple[int, ...], ...]:
    key = (kind.name, difficulty)
    if key not in _STRATA:  # pure data derived from the candidate lists; first-seen order keeps it deterministic
        groups: dict[Any, list[int]] = {}
        for i, example in enumerate(kind.candidates(difficulty)):
            groups.setdefault(kind.stratum(example), []).append(i)
        _STRATA[key] = tuple(tuple(v) for v in groups.values())
    return _STRATA[key]


def resolve(question: Question, measured: Mapping[Need, Any]) -> Question:
    """The question with its answer, from the measured values of its needs (a question without needs is
    returned as it is). KeyError names a missing need."""
    if question.resolved:
        return question
    missing = [n for n in question.needs if n not in measured]
    if missing:
        raise KeyError(f"missing measurements: {', '.join(f'{n.what} of {n.subject}' for n in missing)}")
    return _kind(question.kind).resolve(question, measured)


def measure(need: Need) -> Any:
    """One need's value computed here (imports torch): a zoo network's (params, MACs) counted on the meta device
    at its default input size, its median latency in seconds on this machine (batch 1, random weights), or a
    Lite0 convolution's (share of near-copies, mean nearest-neighbour similarity, maps) on the sample photo, or a
    zoo network's PeakMemory at "<network>@<size>" (liveness over its graph traced on the meta device)."""
    if need.what == "peak_memory":
        return peak_memory.predicted(*peak_memory.parse_subject(need.subject))
    if need.what == "redundancy":
        rows = redundancy_compare.profile()
        if need.subject not in rows:
            raise ValueError(f"need: {need.subject!r} is not a convolution of {redundancy_compare.NETWORK}")
        return rows[need.subject]
    import effviz
    from effviz import networks
    from effviz.speed import latency

    name, options = networks.parse_variant(need.subject)
    input_size = networks.info(name).input_size
    if need.what == "profile":
        import torch

        with torch.device("meta"):
            model = networks.build(name, **options)
        cost = effviz.count(model, input_size)
        return cost.params, cost.macs
    if need.what == "latency":
        return latency.measure(networks.build(name, **options), input_size).median
    raise ValueError(f"need must be 'profile', 'latency', 'redundancy' or 'peak_memory', got {need.what!r}")


def _kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown question kind {name!r}; allowed: {', '.join(KINDS)}") from None


def _check_difficulty(difficulty: str) -> None:
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty must be one of {', '.join(DIFFICULTIES)}, got {difficulty!r}")
