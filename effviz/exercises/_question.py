"""What a question is, how an answer is read and checked, and how option lists are laid out.

Questions carry codes and numbers, never sentences: the app's string catalogue turns `kind` and `values` into
words. Answers are numbers (checked within a stated relative tolerance; 0 means exact) or an index into
`options`."""
from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from effviz.blocks.formulas import Formula

NUMBER, OPTION = "number", "option"
# Typed answers larger than this are refused as a typo (no question has an answer above 1e13).
MAX_ANSWER = 1e15


@dataclass(frozen=True)
class Link:
    """A page of the app (`pages/<page>.py`) and the URL query that presets it to the question's example."""

    page: str
    query: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "query", MappingProxyType({k: str(v) for k, v in self.query.items()}))


@dataclass(frozen=True)
class Worked:
    """One worked formula of the reveal: `role` says which block it belongs to ("block", "baseline", "first",
    "second", "before", "after", "shuffle"), `formula` has the symbols, the numbers substituted and the total."""

    role: str
    formula: Formula


@dataclass(frozen=True)
class Need:
    """A number the answer waits for because it must be measured or counted with torch: ("profile", variant id)
    -> (params, MACs) of a zoo network; ("latency", network name) -> median seconds on this machine;
    ("redundancy", conv name) -> (share of near-copies, mean nearest-neighbour similarity, maps) of that
    convolution of EfficientNet-Lite0 (ImageNet) on the sample photo (see redundancy_compare);
    ("peak_memory", "<network>@<size>") -> the network's effviz.speed.liveness.PeakMemory (see peak_memory)."""

    what: str
    subject: str


@dataclass(frozen=True)
class Question:
    kind: str
    difficulty: str
    values: Mapping[str, Any]        # the numbers and codes the sentence is made of
    answer_type: str                 # NUMBER or OPTION
    answer: float | None             # the number, or the index of the right option; None until resolved
    tolerance: float                 # relative: 0.0 exact, 0.02 = ±2 %
    unit: str = ""                   # what the number counts: "params", "macs", "factor", "channel", "groups"
    options: tuple[Any, ...] = ()    # option codes or values (OPTION questions)
    worked: tuple[Worked, ...] = ()  # the formulas with the numbers, shown after the answer
    link: Link | None = None
    needs: tuple[Need, ...] = ()     # measurements the answer waits for (see resolve)
    figures: Mapping[str, Any] = field(default_factory=dict)  # reveal-only numbers (e.g. both blocks' MACs)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))
        object.__setattr__(self, "figures", MappingProxyType(dict(self.figures)))
        if self.answer_type not in (NUMBER, OPTION):
            raise ValueError(f"answer_type must be {NUMBER!r} or {OPTION!r}, got {self.answer_type!r}")
        if self.answer_type == OPTION and len(self.options) < 2:
            raise ValueError("an option question needs at least two options")

    @property
    def resolved(self) -> bool:
        return self.answer is not None

    def with_answer(self, answer: float, **figures: Any) -> Question:
        return replace(self, answer=answer, needs=(), figures={**self.figures, **figures})


# --- reading and checking an answer ---------------------------------------------------------------------------

_SUFFIX = {"k": 1e3, "m": 1e6, "g": 1e9, "b": 1e9}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?")


@dataclass(frozen=True)
class Parsed:
    """value, or a problem code: "empty", "not_a_number", "not_finite", "too_large", "not_an_option"."""

    value: float | None
    problem: str = ""


def parse_number(text: Any) -> Parsed:
    """A typed number: thousands separators (",", "_", spaces, "，") are ignored, a k/M/G suffix scales it, a
    trailing "×" or "x" is allowed (factors). NaN and infinities are refused, as is anything above MAX_ANSWER."""
    if text is None:
        return Parsed(None, "empty")
    raw = str(text)[:200].strip().lower()
    raw = re.sub(r"[\s,_，'’]", "", raw).replace("×", "").rstrip("x")
    if not raw:
        return Parsed(None, "empty")
    if raw.lstrip("+-") in ("nan", "inf", "infinity"):
        return Parsed(None, "not_finite")
    scale = 1.0
    if raw[-1] in _SUFFIX:
        scale, raw = _SUFFIX[raw[-1]], raw[:-1]
    if not _NUMBER.fullmatch(raw):
        return Parsed(None, "not_a_number")
    value = float(raw) * scale
    if not math.isfinite(value):
        return Parsed(None, "too_large")
    if abs(value) > MAX_ANSWER:
        return Parsed(None, "too_large")
    return Parsed(value)


@dataclass(frozen=True)
class Check:
    """status: "right", "wrong", or a problem code of Parsed (nothing was judged). off: relative distance of a
    number from the answer ((given - answer) / answer; None for options or problems)."""

    status: str
    given: float | None = None
    off: float | None = None

    @property
    def judged(self) -> bool:
        return self.status in ("right", "wrong")


def within(value: float, answer: float, tolerance: float) -> bool:
    """Right when |value - answer| <= tolerance * |answer| (tolerance 0: equal up to float rounding)."""
    return abs(value - answer) <= max(tolerance * abs(answer), 1e-9 * max(1.0, abs(answer)))


def check(question: Question, given: Any) -> Check:
    """Judge an answer: a typed text or number for NUMBER questions, an option index for OPTION questions."""
    if not question.resolved:
        raise ValueError(f"question {question.kind} waits for {', '.join(n.what for n in question.needs)}: "
                         "call exercises.resolve first")
    if question.answer_type == OPTION:
        if given is None or isinstance(given, bool) or not isinstance(given, int):
            return Check("empty" if given is None else "not_an_option")
        if not 0 <= given < len(question.options):
            return Check("not_an_option")
        return Check("right" if given == question.answer else "wrong", float(given))
    parsed = parse_number(given) if not isinstance(given, (int, float)) or isinstance(given, bool) \
        else parse_number(repr(given))
    if parsed.problem:
        return Check(parsed.problem)
    answer = float(question.answer)
    off = (parsed.value - answer) / answer if answer else None
    return Check("right" if within(parsed.value, answer, question.tolerance) else "wrong", parsed.value, off)


# --- options --------------------------------------------------------------------------------------------------


def ladder_options(rng: random.Random, answer: float, ladder: Sequence[float], count: int = 4) -> tuple[float, ...]:
    """`count` consecutive values of a sorted ladder that contain `answer`, the window placed at random so the
    answer's position among the options is uniform (it does not sit in the middle every time)."""
    values = sorted(set(ladder))
    if answer not in values:
        raise ValueError(f"the answer {answer} is not on the ladder")
    count = min(count, len(values))
    at = values.index(answer)
    low = max(0, at - count + 1)
    high = min(at, len(values) - count)
    start = rng.randint(low, high)
    return tuple(values[start:start + count])
