"""Scoring heading detection: precision, recall and F1 over expected heading lists."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass


@dataclass
class Score:
    """True positives, false positives and false negatives, with the usual ratios."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_headings(
    expected: Sequence[str], dont_care: Collection[str], found: Sequence[str]
) -> tuple[Score, list[str], list[str]]:
    """Found headings against expected ones, as multisets; ``dont_care`` lines are ignored.

    Returns the score, the wrongly found headings and the missed ones.
    """
    predicted = [h for h in found if h not in dont_care]
    score = Score()
    missed = []
    for heading in expected:
        if heading in predicted:
            predicted.remove(heading)
            score.tp += 1
        else:
            missed.append(heading)
            score.fn += 1
    score.fp = len(predicted)
    return score, predicted, missed
