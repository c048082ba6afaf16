"""The teacher's numbers, from the stored answers and the key (pure; no streamlit): how many answered, how many
are right at first and at last, and how many moved from wrong to right or back."""
from __future__ import annotations

from dataclasses import dataclass

from app_support.classroom.store import Answer, Key, right


@dataclass(frozen=True)
class QuestionSummary:
    answered: int
    right_first: int
    right_last: int
    wrong_to_right: int
    right_to_wrong: int

    @property
    def share_right(self) -> float | None:
        return self.right_last / self.answered if self.answered else None


def summarise(answers: list[Answer], key: Key) -> QuestionSummary:
    first = [right(a.first_value, key) for a in answers]
    last = [right(a.last_value, key) for a in answers]
    return QuestionSummary(len(answers), sum(first), sum(last),
                           sum(not f and la for f, la in zip(first, last, strict=True)),
                           sum(f and not la for f, la in zip(first, last, strict=True)))


def per_question(answers: list[Answer], key: list[Key]) -> list[QuestionSummary]:
    """One summary per question of the class, question 1 first (answers of every question)."""
    return [summarise([a for a in answers if a.question == i], k) for i, k in enumerate(key, start=1)]


def option_counts(answers: list[Answer], key: Key, last: bool = True) -> list[int]:
    counts = [0] * key.options
    for a in answers:
        value = int(a.last_value if last else a.first_value)
        if 0 <= value < key.options:
            counts[value] += 1
    return counts
