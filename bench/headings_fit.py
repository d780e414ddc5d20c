"""Fit the weights of the plain-text heading detector, and measure it on unseen articles.

Usage: ``python bench/headings_fit.py [--c 1.0] [--detail] [--cached]`` (needs numpy)

1. Every labelled article (``bench/headings_data.py``) is read in both shapes (saved and
   pasted); each candidate line gets its features (``newsreader.ingest.plaintext.features``)
   and a label: is it one of the article's headings?
2. Logistic regression (L2-regularised, fitted by Newton's method in numpy) is checked by
   leave-one-article-out cross-validation on the fitting groups: each article is scored
   with weights fitted on all the others, through the whole converter.
3. The weights fitted on all the fitting groups are scored on the ``holdout`` group, which
   no fitting ever sees, and on the public corpus sets.
4. The converter's hand-written rules are scored on every group, for comparison (they were
   written with the ``public`` and ``holdout`` articles in view, not the others).

Results are printed and written to ``bench/results/headings_fit.txt``.
"""

from __future__ import annotations

import argparse
import math
import pickle
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from headings_data import FIT_GROUPS, SHAPES, Article, articles  # noqa: E402
from headings_features import document_features, rule_classify, score  # noqa: E402

from heading_scores import Score, score_headings  # noqa: E402
from newsreader.ingest.plaintext import plain_text_to_document  # noqa: E402
from newsreader.ingest.plaintext.blocks import Kind, Unit  # noqa: E402
from newsreader.ingest.plaintext.contents import classify_contents  # noqa: E402
from newsreader.ingest.plaintext.document import prepare  # noqa: E402
from newsreader.ingest.plaintext.lines import BULLET  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "headings_fit.txt"

Sample = tuple[dict[str, float], int]


def mark_lines(units: list[Unit]) -> None:
    """Short lines and bulleted items marked as the rules mark them (in place)."""
    copies = [replace(unit) for unit in units]
    rule_classify(copies)
    for unit, copy in zip(units, copies, strict=True):
        unit.short, unit.title_like = copy.short, copy.title_like
        if unit.kind is Kind.PARAGRAPH and copy.kind is Kind.ITEM and BULLET.match(unit.text):
            unit.kind = Kind.ITEM


def blank_separated(units: list[Unit]) -> bool:
    """Whether the text has blank lines between its paragraphs (saved, not pasted)."""
    gaps = sum(1 for u in units[:-1] if u.blank_after)
    return gaps > 0 and gaps >= 0.3 * (len(units) - 1)


def fitted_classify(units: list[Unit], weights: dict[str, float]) -> None:
    """Classify ``units`` with the fitted detector: headings by score, then lists, contents."""
    mark_lines(units)
    for index, found in document_features(units, blank_separated(units)).items():
        if score(found, weights) > 0:
            units[index].kind = Kind.HEADING
    n = len(units)
    i = 0
    while i < n:
        if not (units[i].kind is Kind.PARAGRAPH and units[i].short):
            i += 1
            continue
        j = i
        while (
            j + 1 < n
            and units[j + 1].kind is Kind.PARAGRAPH
            and units[j + 1].short
            and not units[j].blank_after
        ):
            j += 1
        if j > i:
            for k in range(i, j + 1):
                units[k].kind = Kind.ITEM
        i = j + 1
    classify_contents(units)


def samples(article: Article, shape: str) -> list[Sample]:
    """The candidate lines of one article in one shape, with their features and labels."""
    _title, units, _published = prepare(article.shape(shape))
    mark_lines(units)
    headings = set(article.headings)
    found = document_features(units, blank_separated(units))
    return [
        (features, int(units[i].text in headings))
        for i, features in found.items()
        if units[i].text not in article.dont_care
    ]


def fit(data: list[Sample], c: float) -> dict[str, float]:
    """Logistic regression weights (with "bias"), L2 penalty 1/c on all but the bias."""
    names = sorted({name for features, _ in data for name in features})
    index = {name: k for k, name in enumerate(names)}
    x = np.zeros((len(data), len(names) + 1))
    x[:, 0] = 1.0
    y = np.array([label for _, label in data], dtype=float)
    for row, (features, _) in enumerate(data):
        for name, value in features.items():
            x[row, index[name] + 1] = value
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], 1.0 / c)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-6)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-6:
            break
    weights = {"bias": float(w[0])}
    weights.update({name: float(w[k + 1]) for name, k in index.items() if abs(w[k + 1]) > 1e-4})
    return weights


def evaluate(
    article: Article, shape: str, weights: dict[str, float]
) -> tuple[Score, list[str], list[str]]:
    """Heading detection on one article through the whole converter."""
    _title, units, _published = prepare(article.shape(shape))
    fitted_classify(units, weights)
    found = [u.text for u in units if u.kind is Kind.HEADING]
    return score_headings(article.headings, article.dont_care, found)


def evaluate_rules(article: Article, shape: str) -> tuple[Score, list[str], list[str]]:
    """Heading detection on one article by the converter as it is (hand-written rules)."""
    found = plain_text_to_document(article.shape(shape)).headings
    return score_headings(article.headings, article.dont_care, found)


def table(
    title: str, rows: dict[str, dict[str, tuple[Score, list[str], list[str]]]], detail: bool
) -> str:
    out = [title]
    for shape in SHAPES:
        total = Score()
        out.append(f"  shape: {shape}")
        for name, by_shape in rows.items():
            score, wrong, missed = by_shape[shape]
            total.add(score)
            if detail:
                out.append(
                    f"    {name:<34} tp {score.tp:>3} fp {score.fp:>3} fn {score.fn:>3} F1 {score.f1:.3f}"
                )
                out.extend(f"        false positive: {h}" for h in wrong)
                out.extend(f"        missed:         {h}" for h in missed)
        out.append(
            f"    OVERALL {shape:<7} P {total.precision:.3f} R {total.recall:.3f} F1 {total.f1:.3f}"
            f"  (tp {total.tp}, fp {total.fp}, fn {total.fn})"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 penalty")
    parser.add_argument("--detail", action="store_true", help="list every article's errors")
    parser.add_argument(
        "--cached", action="store_true", help="reuse the articles built by the last run"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    cache = RESULTS.with_name("headings_articles.pickle")
    if args.cached and cache.is_file():
        everything = pickle.loads(cache.read_bytes())
    else:
        everything = articles()
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(everything))
    fitting = [a for a in everything if a.group in FIT_GROUPS]
    held = [a for a in everything if a.group not in FIT_GROUPS]
    data = {(a.name, s): samples(a, s) for a in fitting for s in SHAPES}
    report = [
        f"articles: {len(fitting)} for fitting ({', '.join(FIT_GROUPS)}), {len(held)} held out",
        f"candidate lines: {sum(len(v) for v in data.values())}, "
        f"headings among them: {sum(y for v in data.values() for _, y in v)}",
    ]
    # Leave one article out.
    cross: dict[str, dict[str, tuple[Score, list[str], list[str]]]] = {}
    for article in fitting:
        train = [s for (name, _), v in data.items() if name != article.name for s in v]
        weights = fit(train, args.c)
        cross[article.name] = {s: evaluate(article, s, weights) for s in SHAPES}
    report.append(
        table("leave-one-article-out cross-validation (fitting groups)", cross, args.detail)
    )
    final = fit([s for v in data.values() for s in v], args.c)
    held_rows = {a.name: {s: evaluate(a, s, final) for s in SHAPES} for a in held}
    report.append(
        table("held out of all fitting (readability + trafilatura)", held_rows, args.detail)
    )
    for group in ("public", "extra"):
        rows = {
            a.name: {s: evaluate(a, s, final) for s in SHAPES} for a in fitting if a.group == group
        }
        report.append(
            table(f"{group} set, final weights (fitted on it: not a test)", rows, args.detail)
        )
    for group in ("public", "extra", "feeds", "holdout"):
        rows = {
            a.name: {s: evaluate_rules(a, s) for s in SHAPES}
            for a in everything
            if a.group == group
        }
        report.append(table(f"{group} set, the converter's rules", rows, args.detail))
    ranked = sorted(final.items(), key=lambda item: -abs(item[1]))
    report.append("weights: " + ", ".join(f"{k} {v:+.2f}" for k, v in ranked))
    report.append(f"time: {time.perf_counter() - started:.1f} s")
    text = "\n".join(report)
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text + "\n", encoding="utf-8")
    assert all(math.isfinite(v) for v in final.values())


if __name__ == "__main__":
    main()
