"""Tables of contents: the lines they list are headings, wherever they stand."""

from __future__ import annotations

import re
from bisect import bisect_left

from newsreader.ingest.plaintext.blocks import Kind, Unit
from newsreader.ingest.plaintext.lines import (
    NUMBERED,
    QUOTES,
    SMALL_WORDS,
    capitalised_ratio,
    words_of,
)

# Permalink marks that documentation pages put after a heading ("Setting up¶").
_ANCHOR_MARKS = "¶§#🔗 "
# A table of contents lists at least this many of the headings that follow it.
_MIN_CONTENTS = 3


# A section's number before its title, as tables of contents list them ("3.1 Firefox").
_SECTION_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*[.)]?\s+(?=\S)")


def _anchorless(text: str) -> str:
    """``text`` as compared with the entries of a table of contents: without its section
    number or a permalink mark, in one case."""
    if text[:1].isdigit():
        text = _SECTION_NUMBER.sub("", text, count=1)
    return text.rstrip(_ANCHOR_MARKS).casefold()


def _first_from(indices: list[int], start: int) -> int | None:
    """The first of the ascending ``indices`` at or after ``start``."""
    position = bisect_left(indices, start)
    return indices[position] if position < len(indices) else None


def classify_contents(units: list[Unit]) -> None:
    """Find a table of contents and make the lines it lists into headings (in place).

    A table of contents is a run of short lines, most of which come back later as lines of
    their own: those later lines are the headings, the run is a list, and a short line just
    before the run ("Contents") is its label rather than a section heading.
    """
    n = len(units)
    later: dict[str, list[int]] = {}
    # Each short line's text as compared (other lines are never compared).
    keys: list[str] = [""] * n
    for index, unit in enumerate(units):
        if unit.short:
            keys[index] = key = _anchorless(unit.text)
            if unit.kind is not Kind.CODE:
                later.setdefault(key, []).append(index)
    contents: set[int] = set()
    i = 0
    while i < n:
        if not (units[i].short and units[i].kind in (Kind.PARAGRAPH, Kind.HEADING, Kind.ITEM)):
            i += 1
            continue
        # The run, up to a line that repeats its first entry (the body has begun; the first
        # line may be a label, so the second counts as well).
        opening: set[str] = set()
        j = i
        while j < n and units[j].short and units[j].kind is not Kind.CODE:
            key = keys[j]
            if key in opening:
                break
            if j - i < 2:
                opening.add(key)
            if units[j].blank_after and not (j == i and i + 1 < n and units[i + 1].short):
                j += 1
                break
            j += 1
        matches = {k: _first_from(later.get(keys[k], []), j) for k in range(i, j)}
        found = {k: m for k, m in matches.items() if m is not None}
        # Headings are apart from each other; lines repeated together are a repeated block.
        targets = set(found.values())
        found = {k: m for k, m in found.items() if not {m - 1, m + 1} & targets}
        if len(found) < _MIN_CONTENTS or len(found) * 2 < j - i:
            i = max(j, i + 1)
            continue
        for k in range(i, j):
            units[k].kind = Kind.ITEM
        label = i if i not in found else i - 1
        if 0 <= label < n and units[label].kind is not Kind.CODE and label not in found:
            units[label].kind = Kind.PARAGRAPH
        for m in found.values():
            units[m].kind = Kind.HEADING
            contents.add(m)
        i = j
    _consistent_style(units, contents)


# A document whose headings are nearly all in Title Case ...
_TITLE_CASE_SHARE = 0.9
# ... judged on at least this many headings of two words or more ...
_MIN_STYLED = 6


def _title_case(text: str) -> bool | None:
    """Whether ``text`` is in Title Case; ``None`` for a single word, which could be either."""
    words = words_of(NUMBERED.sub("", text, count=1))
    counted = [w for w in words if w.lower().strip(QUOTES + "()[],:") not in SMALL_WORDS]
    if len(counted) < 2:
        return None
    return capitalised_ratio(words) >= 0.75


def _consistent_style(units: list[Unit], contents: set[int]) -> None:
    """Headings of one document share one style: drop sentence-case ones among Title Case.

    The style is that of the headings a table of contents confirmed. When nearly all of them
    are in Title Case, a heading in sentence case that the contents do not list is more likely
    a caption or a line of prose. (Without a table of contents the headings found are not a
    reliable enough reference: the sentence-case ones are the first to be missed.)
    """
    styles = [_title_case(units[i].text) for i in contents]
    styled = [style for style in styles if style is not None]
    if len(styled) < _MIN_STYLED or sum(styled) < _TITLE_CASE_SHARE * len(styled):
        return
    for index, unit in enumerate(units):
        if unit.kind is Kind.HEADING and index not in contents and _title_case(unit.text) is False:
            unit.kind = Kind.PARAGRAPH
