"""A class's questions: a set from effviz.exercises (difficulty + seed), or the teacher's picks from it, and its key.

Only kinds the engine answers by formula are asked in class (no zoo-network counts or timings, no feature maps):
their answers are the same on every worker and machine and cost nothing to make, so the key is stored once when
the class starts and every worker judges alike. No streamlit here."""
from __future__ import annotations

import functools
import json
from typing import Any

from app_support.classroom.store import Key
from effviz import exercises
from effviz.blocks import comparison, formulas
from effviz.exercises import TOLERANCE, Link, Question, Worked, query_value

KINDS = ("block_cost", "ratio_to_standard", "cost_change", "which_cheaper", "shuffle_position", "groups_seen")
PUSHED = "pushed_block"  # a question pushed from a page: "predict this block's MACs"
PUSH_PAGES = ("playground", "latency_lab")  # the pages that push their block (their predict-first prompts)
POOL = 20          # the teacher picks from the set's first POOL questions
DEFAULT_SIZE = 10  # a class without picks gets the set's first ten


@functools.lru_cache(maxsize=64)
def pool(seed: int, difficulty: str) -> tuple[Question, ...]:
    """The set a class draws from (pure and deterministic: the same on every worker)."""
    return tuple(exercises.generate(seed, POOL, difficulty, kinds=KINDS))


def chosen(seed: int, difficulty: str, picks: tuple[int, ...]) -> list[Question]:
    """The class's questions in its order; picks are 1-based numbers in the pool."""
    questions = pool(seed, difficulty)
    if not picks or any(not 1 <= p <= len(questions) for p in picks):
        raise ValueError(f"picks must be numbers from 1 to {len(questions)}, got {list(picks)!r}")
    return [questions[p - 1] for p in picks]


def block_json(family: str, params: dict[str, Any], h: int, w: int, page: str = "playground") -> str:
    """The block a teacher has on the Conv Playground or the Latency Lab (`page`), as stored with a pushed
    question (no token, no person). The Playground's blocks carry no page (as stored before the Latency Lab
    pushed too)."""
    if page not in PUSH_PAGES:
        raise ValueError(f"page must be one of {PUSH_PAGES}, got {page!r}")
    data = {"family": family, "params": params, "h": int(h), "w": int(w)}
    return json.dumps(data if page == "playground" else {**data, "page": page}, sort_keys=True)


@functools.lru_cache(maxsize=256)
def block_question(block: str, difficulty: str) -> Question:
    """"Predict this block's MACs" for a stored block (block_json): the answer from the engine (spec.cost), the
    tolerance of the class's difficulty (as every number question of the set), the Playground's MACs formula as
    the worked answer and a link to the block on the Playground (where the formula is). ValueError for a block
    the engine refuses."""
    try:
        data = json.loads(block)
        family, params, h, w = data["family"], dict(data["params"]), int(data["h"]), int(data["w"])
        page = data.get("page", "playground")
        if page not in PUSH_PAGES:
            raise ValueError(page)
    except (ValueError, TypeError, KeyError) as err:
        raise ValueError(f"not a stored block: {block[:80]!r}") from err
    spec, problem = comparison.try_make(family, size=(h, w), **params)
    if spec is None:
        raise ValueError(f"the engine refuses this block: {problem}")
    formula = next(f for f in formulas.formulas(spec, h, w) if f.label == "MACs")
    link = Link("playground", {"family": family, **{k: query_value(v) for k, v in params.items()}, "h": h, "w": w})
    return Question(kind=PUSHED, difficulty=difficulty, answer_type=exercises.NUMBER, unit="macs",
                    answer=spec.cost(h, w).macs, tolerance=TOLERANCE[difficulty],
                    values={"metric": "macs", "family": family, "spec": params, "h": h, "w": w, "page": page},
                    worked=(Worked("block", formula),), link=link)


def key(questions: list[Question]) -> list[Key]:
    return [Key(q.answer_type, float(q.answer), q.tolerance, len(q.options)) for q in questions]


def read(q: Question, raw) -> tuple[str, float] | str:
    """A student's answer as (text kept, value stored), or the problem code of effviz.exercises (e.g. "empty",
    "not_a_number") when it cannot be judged."""
    if q.answer_type == exercises.OPTION:
        if raw is None or isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw < len(q.options):
            return "not_an_option" if raw is not None else "empty"
        return str(raw), float(raw)
    parsed = exercises.parse_number(raw)
    if parsed.problem:
        return parsed.problem
    return str(raw).strip(), parsed.value
