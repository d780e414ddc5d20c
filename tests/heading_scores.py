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


Row = tuple[str, Score, list[str], list[str]]


def report(results: dict[str, tuple[Score, list[Row]]], title: str = "") -> str:
    """A per-case and overall table for each text shape, with the wrong and missed headings."""
    out = [title] if title else []
    for shape, (total, rows) in results.items():
        out.append(f"shape: {shape}")
        out.append(f"{'case':<22} {'tp':>3} {'fp':>3} {'fn':>3} {'P':>6} {'R':>6} {'F1':>6}")
        for name, s, wrong, missed in [*rows, ("OVERALL (micro)", total, [], [])]:
            out.append(
                f"{name:<22} {s.tp:>3} {s.fp:>3} {s.fn:>3} "
                f"{s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}"
            )
            out.extend(f"    false positive: {h}" for h in wrong)
            out.extend(f"    missed:         {h}" for h in missed)
        out.append("")
    return "\n".join(out)
