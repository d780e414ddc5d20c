"""The words of a search query, found again in an article's drawn lines (to mark and jump to).

The query language (:mod:`newsreader.search`) finds articles; here only what a reader sees
matters: the words and phrases the query asks for (not the ones it excludes, nor qualifiers
such as ``feed:`` or ``is:unread``), matched case-insensitively, ``word*`` as a prefix.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s()"]+)')
_QUALIFIER = re.compile(r"^[A-Za-z]+:")
_WORD = re.compile(r"\w+", re.UNICODE)
OPERATORS = {"OR", "AND", "NOT"}


def query_pattern(query: str, *, prefix_last: bool = True) -> re.Pattern[str] | None:
    """A pattern matching the words and phrases ``query`` looks for; None when it has none.

    With ``prefix_last`` a bare last word matches as a prefix, as the search bar's results
    do (they follow typing).
    """
    alternatives: list[str] = []
    negate_next = False
    query = query[:1000]
    if prefix_last and query and _WORD.match(query[-1]):
        query += "*"
    for match in _TOKEN.finditer(query):
        negated_phrase, phrase, negated_word, word = match.groups()
        if word in OPERATORS:
            negate_next = word == "NOT"
            continue
        negated = bool(negated_phrase or negated_word) or negate_next
        negate_next = False
        if negated or (word is not None and _QUALIFIER.match(word)):
            continue
        text = phrase if phrase is not None else word or ""
        prefix = text.endswith("*")
        words = _WORD.findall(text)
        if not words:
            continue
        body = r"\W+".join(re.escape(w) for w in words)
        alternatives.append(rf"\b{body}\w*" if prefix else rf"\b{body}\b")
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def match_spans(strip: Strip, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """(start, end) cell offsets of each match of ``pattern`` in ``strip``'s text."""
    text = strip.text
    return [
        (cell_len(text[: m.start()]), cell_len(text[: m.end()]))
        for m in pattern.finditer(text)
        if m.end() > m.start()
    ]


def marked(strip: Strip, spans: list[tuple[int, int]], style: Style) -> Strip:
    """``strip`` with the cells of ``spans`` drawn in ``style`` on top of their own."""
    if not spans:
        return strip
    # Every cut, and the strip's end (what lies after the last cut is dropped otherwise).
    cuts = sorted({offset for span in spans for offset in span} | {strip.cell_length})
    parts = strip.divide(cuts)
    segments: list[Segment] = []
    position = 0
    for part in parts:
        inside = any(start <= position < end for start, end in spans)
        for segment in part:
            if inside and not segment.control:
                segments.append(Segment(segment.text, (segment.style or Style()) + style))
            else:
                segments.append(segment)
        position += part.cell_length
    return Strip(segments, strip.cell_length)
