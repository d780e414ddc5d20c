"""Headings found by fitted weights: each candidate line is scored from its features.

The candidates are the short lines (:mod:`.features`); a weighted sum of their features
above zero makes a heading. The weights (:mod:`.heading_weights`) are fitted on labelled
articles by ``bench/headings_fit.py`` and checked there on articles no fitting saw. What is
left of the short lines is a list when two or more stand together, and a table of contents
still turns the lines it lists into headings (:mod:`.contents`).
"""

from __future__ import annotations

from collections.abc import Mapping

from newsreader.ingest.plaintext.blocks import Kind, Unit
from newsreader.ingest.plaintext.contents import classify_contents
from newsreader.ingest.plaintext.features import document_features, score
from newsreader.ingest.plaintext.heading_weights import WEIGHTS
from newsreader.ingest.plaintext.headings import is_blank_separated, mark, title_like_numbered
from newsreader.ingest.plaintext.lines import is_numbered


USE_RULES = False


def classify(units: list[Unit], weights: Mapping[str, float] = WEIGHTS) -> None:
    """Mark each unit as paragraph, heading, list item or code (in place)."""
    found = candidate_features(units)
    for index, features in found.items():
        if score(features, weights) > 0:
            units[index].kind = Kind.HEADING
    _lists(units)
    classify_contents(units)


def candidate_features(units: list[Unit]) -> dict[int, dict[str, float]]:
    """Mark the short and title-like lines of ``units``; the features of each candidate."""
    for unit in units:
        mark(unit)
        if unit.kind is Kind.PARAGRAPH and is_numbered(unit.text) and title_like_numbered(unit.text):
            unit.title_like = unit.short = True
    found = document_features(units, is_blank_separated(units))
    if USE_RULES:
        from dataclasses import replace

        from newsreader.ingest.plaintext.headings import classify as rules

        copies = [replace(u) for u in units]
        rules(copies)
        for i, f in found.items():
            if copies[i].kind is Kind.HEADING:
                f["rules"] = 1.0
                if not is_blank_separated(units):
                    f["pasted_rules"] = 1.0
    return found


def _lists(units: list[Unit]) -> None:
    """Runs of two or more short lines that are not headings are list items."""
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
