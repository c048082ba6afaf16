"""The question kinds: one small module per kind, each registered once (a second kind of the same name is refused).

A kind lists its candidate examples per difficulty as plain, sorted data (so the number of distinct questions it
can ask is simply their count) and builds a Question from one of them."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

DIFFICULTIES = ("easy", "standard", "hard")


@dataclass(frozen=True)
class Kind:
    name: str
    difficulties: tuple[str, ...]
    candidates: Callable[[str], Sequence[Any]]         # difficulty -> examples (deterministic order)
    build: Callable[[Any, str, Any], Any]              # (example, difficulty, random.Random) -> Question
    measured: bool = False                             # the answer waits for a measurement (see Need)
    stratum: Callable[[Any], Any] | None = None        # examples are drawn evenly over these (e.g. family)
    resolve: Callable[[Any, Any], Any] | None = None   # (Question, {Need: value}) -> answered Question


KINDS: dict[str, Kind] = {}


def register(name: str, *, candidates: Callable[[str], Sequence[Any]], build: Callable[[Any, str, Any], Any],
             difficulties: Sequence[str] = DIFFICULTIES, stratum: Callable[[Any], Any] | None = None,
             resolve: Callable[[Any, Any], Any] | None = None) -> Kind:
    """Add a kind (one line at the bottom of its module); a second kind of the same name is refused."""
    if name in KINDS:
        raise ValueError(f"question kind {name!r} is already registered")
    for d in difficulties:
        if d not in DIFFICULTIES:
            raise ValueError(f"difficulty must be one of {', '.join(DIFFICULTIES)}, got {d!r}")
    kind = Kind(name, tuple(difficulties), candidates, build, resolve is not None, stratum, resolve)
    KINDS[name] = kind
    return kind
