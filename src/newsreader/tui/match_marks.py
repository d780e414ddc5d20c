"""The words of a search query, found again in an article's drawn lines (to mark and jump to).

The query language (:mod:`newsreader.search`) finds articles; here only what a reader sees
matters: the words and phrases the query asks for (not the ones it excludes, nor qualifiers
such as ``feed:`` or ``is:unread``), found as the index finds them (case and accents folded,
``word*`` as a prefix) by :mod:`newsreader.search_matches`. Its patterns read folded text,
which has a character for each of the drawn text's, so offsets carry over.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from newsreader.search_matches import fold
from newsreader.search_matches import query_pattern as _query_pattern


def query_pattern(query: str) -> re.Pattern[str] | None:
    """A pattern (over folded text) for what the search bar's ``query`` looks for, its bare
    last word a prefix as in the bar's results; None when it looks for no words."""
    return _query_pattern(query, prefix_last=True)


def has_match(strip: Strip, pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` (from :func:`query_pattern`) matches in ``strip``'s text."""
    return pattern.search(fold(strip.text)) is not None


def match_spans(strip: Strip, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """(start, end) cell offsets of each match of ``pattern`` in ``strip``'s text."""
    text = strip.text
    return [
        (cell_len(text[: m.start()]), cell_len(text[: m.end()]))
        for m in pattern.finditer(fold(text))
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
