"""Fit the weights of the plain-text heading detector, and measure it on unseen articles.

Usage: ``python bench/headings_fit.py [--c 1.0] [--detail GROUPS] [--cached] [--write]``
(needs numpy, which the program itself never imports)

1. Every labelled article (``bench/headings_data.py``) is read in both shapes (saved and
   pasted); each candidate line gets its features (:mod:`newsreader.ingest.plaintext.features`)
   and a label: is it one of the article's headings? ("don't care" lines are left out.)
2. Logistic regression (L2-regularised, fitted by Newton's method) is checked by
   leave-one-site-out cross-validation on the fitting groups: each article is judged
   through the whole converter with weights fitted on every other site (feed, book or case),
   so never on its own siblings.
3. The weights fitted on all the fitting groups are scored on the ``holdout`` group, which
   no fitting ever sees.
4. The hand-written rules (:mod:`newsreader.ingest.plaintext.headings`) are scored on every
   group, for comparison.

With ``--write`` the weights fitted on all the fitting groups are written to
``src/newsreader/ingest/plaintext/heading_weights.py``, where the converter reads them.
Results are printed and written to ``bench/results/headings_fit.txt``.
"""

from __future__ import annotations

import argparse
import math
import pickle
import sys
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from headings_data import FIT_GROUPS, SHAPES, Article, articles  # noqa: E402

from heading_scores import Score, score_headings  # noqa: E402
from newsreader.ingest.plaintext import detector  # noqa: E402
from newsreader.ingest.plaintext.blocks import Kind, Unit  # noqa: E402
from newsreader.ingest.plaintext.document import prepare  # noqa: E402
from newsreader.ingest.plaintext.features import score  # noqa: E402
from newsreader.ingest.plaintext.headings import classify as rules_classify  # noqa: E402
from newsreader.ingest.plaintext.headings import classify_marked, is_blank_separated  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "headings_fit.txt"
WEIGHTS_MODULE = ROOT / "src" / "newsreader" / "ingest" / "plaintext" / "heading_weights.py"
REPORTED = ("public", "extra", "feeds", "plain", "docs")

Sample = tuple[dict[str, float], int]
Result = tuple[Score, list[str], list[str]]

_UNITS: dict[tuple[str, str], list[Unit]] = {}


def units_of(article: Article, shape: str) -> list[Unit]:
    """A fresh copy of the article's body units in one shape (prepared once)."""
    key = (article.name, shape)
    if key not in _UNITS:
        _UNITS[key] = prepare(article.shape(shape))[1]
    return [replace(unit) for unit in _UNITS[key]]


def samples(article: Article, shape: str) -> list[Sample]:
    """The candidate lines of one article in one shape, with their features and labels."""
    units = units_of(article, shape)
    headings = set(article.headings)
    found = detector.candidate_features(units)
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
    weights = {"bias": round(float(w[0]), 4)}
    weights.update(
        {name: round(float(w[k + 1]), 4) for name, k in index.items() if abs(w[k + 1]) > 1e-3}
    )
    return weights


def fit_shifted(data: list[Sample], c: float, pasted_shift: float) -> dict[str, float]:
    """Weights fitted on ``data``, with ``pasted_shift`` added to pasted text's bias."""
    weights = fit(data, c)
    weights["pasted"] = round(weights.get("pasted", 0.0) + pasted_shift, 4)
    return weights


Prepared = tuple[list[Unit], dict[int, dict[str, float]], set[int], bool]
_PREPARED: dict[tuple[str, str], Prepared] = {}


def prepared(article: Article, shape: str) -> Prepared:
    """The article's units with short lines marked, the candidates' features, the rules'
    headings and whether the text is blank-separated (computed once)."""
    key = (article.name, shape)
    if key not in _PREPARED:
        units = units_of(article, shape)
        found = detector.candidate_features(units)
        copies = [replace(unit) for unit in units]
        classify_marked(copies, contents=False)  # as detector.classify does
        ruled = {i for i, unit in enumerate(copies) if unit.kind is Kind.HEADING}
        _PREPARED[key] = (units, found, ruled, is_blank_separated(units))
    return _PREPARED[key]


def judge(
    article: Article,
    shape: str,
    weights: Mapping[str, float] | None,
    policies: Mapping[bool, detector.Policy] = detector.POLICIES,
) -> Result:
    """Heading detection on one article through the converter's steps after ``prepare``
    (``weights`` None: the hand-written rules alone)."""
    if weights is None:
        units = units_of(article, shape)
        rules_classify(units)
    else:
        marked, found, ruled, blank = prepared(article, shape)
        units = [replace(unit) for unit in marked]
        scores = {i: score(f, weights) for i, f in found.items()}
        detector.decide(units, scores, ruled, policies[blank])
    headings = [u.text for u in units if u.kind is Kind.HEADING]
    return score_headings(article.headings, article.dont_care, headings)


Rows = dict[str, dict[str, Result]]


def table(title: str, rows: Rows, detail: bool) -> tuple[str, dict[str, Score]]:
    out = [title]
    totals = {}
    for shape in SHAPES:
        total = Score()
        for name, by_shape in rows.items():
            score, wrong, missed = by_shape[shape]
            total.add(score)
            if detail and (wrong or missed):
                out.append(
                    f"    {shape:<6} {name:<44} tp {score.tp:>3} fp {score.fp:>3} fn {score.fn:>3}"
                )
                out.extend(f"        false positive: {h}" for h in wrong)
                out.extend(f"        missed:         {h}" for h in missed)
        out.append(
            f"    OVERALL {shape:<7} P {total.precision:.3f} R {total.recall:.3f} F1 {total.f1:.3f}"
            f"  (tp {total.tp}, fp {total.fp}, fn {total.fn})"
        )
        totals[shape] = total
    return "\n".join(out), totals


def write_weights(weights: dict[str, float], summary: str) -> None:
    ranked = sorted(weights.items(), key=lambda item: (item[0] != "bias", -abs(item[1])))
    body = "\n".join(f'    "{name}": {value!r},' for name, value in ranked)
    WEIGHTS_MODULE.write_text(
        '"""Weights of the heading detector\'s features, written by ``bench/headings_fit.py``.\n\n'
        f"{summary}\n"
        '"""\n\n'
        "WEIGHTS: dict[str, float] = {\n"
        f"{body}\n"
        "}\n",
        encoding="utf-8",
    )


def grid(
    fitting: list[Article],
    held: list[Article],
    site_weights: dict[str, dict[str, float]],
    data: dict[tuple[str, str], list[Sample]],
    args: argparse.Namespace,
) -> None:
    """F1 of each policy: cross-validated, and with the final weights on the sets the
    tests check (public, holdout)."""
    final = fit_shifted([s for v in data.values() for s in v], args.c, args.pasted_shift)
    inf = math.inf
    policies = [
        (t, m)
        for t in (-1.0, -0.5, 0.0, 0.5, 1.0, 2.0, inf)
        for m in (0.0, 0.5, 1.0, 2.0, 4.0, inf)
    ]
    judged = [a for a in fitting if a.group in ("public", "extra", "feeds", "docs")]
    print(
        f"{'threshold':>9} {'margin':>6}  {'cv saved':>8} {'pasted':>6}  {'p+e+f cv':>13} "
        f"{'plain fp':>9}  {'public':>13} {'holdout':>13}"
    )
    plain = [a for a in fitting if a.group == "plain"]
    for threshold, margin in policies:
        both = {
            shape: replace(policy, threshold=threshold, margin=margin)
            for shape, policy in detector.POLICIES.items()
        }
        cv = {s: Score() for s in SHAPES}
        articles_cv = {s: Score() for s in SHAPES}
        false_found = {s: Score() for s in SHAPES}
        public = {s: Score() for s in SHAPES}
        holdout = {s: Score() for s in SHAPES}
        for shape in SHAPES:
            for article in plain:
                false_found[shape].add(judge(article, shape, site_weights[article.site], both)[0])
            for article in judged:
                result = judge(article, shape, site_weights[article.site], both)[0]
                cv[shape].add(result)
                if article.group != "docs":
                    articles_cv[shape].add(result)
                if article.group == "public":
                    public[shape].add(judge(article, shape, final, both)[0])
            for article in held:
                holdout[shape].add(judge(article, shape, final, both)[0])
        print(
            f"{threshold:>9} {margin:>6}  {cv['saved'].f1:>8.3f} "
            f"{cv['pasted'].f1:>6.3f}  {articles_cv['saved'].f1:.3f}/{articles_cv['pasted'].f1:.3f} "
            f"{false_found['saved'].fp:>4}/{false_found['pasted'].fp:<4}"
            f"  {public['saved'].f1:.3f}/{public['pasted'].f1:.3f}"
            f"   {holdout['saved'].f1:.3f}/{holdout['pasted'].f1:.3f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 penalty")
    parser.add_argument("--detail", default="", help="groups whose errors are listed (a,b)")
    parser.add_argument("--cached", action="store_true", help="reuse the last run's articles")
    parser.add_argument("--write", action="store_true", help="write the final weights")
    parser.add_argument("--no-rules", action="store_true", help="skip the rules' scores")
    parser.add_argument(
        "--pasted-shift",
        type=float,
        default=0.5,
        help="added to the weight of pasted text's candidates (F1 wants more recall there "
        "than the fit's log-loss gives)",
    )
    parser.add_argument("--grid", action="store_true", help="try policies, then stop")
    args = parser.parse_args()
    detail = set(args.detail.split(","))
    started = time.perf_counter()
    cache = RESULTS.with_name("headings_articles.pickle")
    if args.cached and cache.is_file():
        everything: list[Article] = pickle.loads(cache.read_bytes())
    else:
        everything = articles()
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(everything))
    fitting = [a for a in everything if a.group in FIT_GROUPS]
    held = [a for a in everything if a.group not in FIT_GROUPS]
    data = {(a.name, s): samples(a, s) for a in fitting for s in SHAPES}
    sites = sorted({a.site for a in fitting})
    report = [
        f"articles: {len(fitting)} for fitting from {len(sites)} sites "
        f"({', '.join(f'{g} {sum(a.group == g for a in fitting)}' for g in FIT_GROUPS)}), "
        f"{len(held)} held out",
        f"candidate lines: {sum(len(v) for v in data.values())}, "
        f"headings among them: {sum(y for v in data.values() for _, y in v)}",
    ]
    site_of = {a.name: a.site for a in fitting}
    site_weights = {
        site: fit_shifted(
            [s for (name, _), v in data.items() if site_of[name] != site for s in v],
            args.c,
            args.pasted_shift,
        )
        for site in sites
    }
    cross: dict[str, Rows] = {g: {} for g in FIT_GROUPS}
    for article in fitting:
        weights = site_weights[article.site]
        cross[article.group][article.name] = {s: judge(article, s, weights) for s in SHAPES}
    if args.grid:
        grid(fitting, held, site_weights, data, args)
        return
    summary: dict[str, dict[str, Score]] = {}
    for group in FIT_GROUPS:
        text, totals = table(
            f"{group}: leave-one-site-out cross-validation", cross[group], group in detail
        )
        report.append(text)
        summary[f"{group} cv"] = totals
    articles_rows = {k: v for g in ("public", "extra", "feeds") for k, v in cross[g].items()}
    text, summary["public+extra+feeds cv"] = table(
        "public + extra + feeds: leave-one-site-out cross-validation", articles_rows, False
    )
    report.append(text)
    all_rows = {k: v for g in FIT_GROUPS for k, v in cross[g].items()}
    text, summary["all fitting groups cv"] = table(
        "all fitting groups: leave-one-site-out cross-validation", all_rows, False
    )
    report.append(text)
    final = fit_shifted([s for v in data.values() for s in v], args.c, args.pasted_shift)
    held_rows = {a.name: {s: judge(a, s, final) for s in SHAPES} for a in held}
    text, summary["holdout, final weights"] = table(
        "holdout (readability + trafilatura), never fitted: final weights",
        held_rows,
        "holdout" in detail,
    )
    report.append(text)
    for group in ("public", "extra"):
        rows = {
            a.name: {s: judge(a, s, final) for s in SHAPES} for a in fitting if a.group == group
        }
        text, summary[f"{group}, final weights"] = table(
            f"{group}: final weights (fitted on it too)", rows, False
        )
        report.append(text)
    if not args.no_rules:
        for group in (*REPORTED, "holdout"):
            rows = {
                a.name: {s: judge(a, s, None) for s in SHAPES}
                for a in everything
                if a.group == group
            }
            text, summary[f"{group}, rules"] = table(
                f"{group}: the hand-written rules", rows, f"rules-{group}" in detail
            )
            report.append(text)
    lines = [f"{'set':<28} {'saved F1 (P/R)':>22} {'pasted F1 (P/R)':>22}"]
    for name, totals in summary.items():
        cells = [
            f"{t.f1:.3f} ({t.precision:.3f}/{t.recall:.3f})"
            for t in (totals["saved"], totals["pasted"])
        ]
        lines.append(f"{name:<28} {cells[0]:>22} {cells[1]:>22}")
    report.append("\n".join(lines))
    ranked = sorted(final.items(), key=lambda item: -abs(item[1]))
    report.append("weights: " + ", ".join(f"{k} {v:+.2f}" for k, v in ranked))
    report.append(f"time: {time.perf_counter() - started:.1f} s")
    text = "\n".join(report)
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text + "\n", encoding="utf-8")
    assert all(math.isfinite(v) for v in final.values())
    if args.write:
        cv = summary["public+extra+feeds cv"]
        ho = summary["holdout, final weights"]
        write_weights(
            final,
            f"Fitted on {len(fitting)} articles from {len(sites)} sites (C = {args.c}, "
            f"pasted shift {args.pasted_shift}).\n"
            f"Leave-one-site-out F1 on public + extra + feeds articles: saved {cv['saved'].f1:.3f},"
            f" pasted {cv['pasted'].f1:.3f};\non the held-out articles: saved "
            f"{ho['saved'].f1:.3f}, pasted {ho['pasted'].f1:.3f}.",
        )


if __name__ == "__main__":
    main()
