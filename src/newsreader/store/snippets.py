"""Snippets for search hits, in linear time.

FTS5's ``snippet()`` scores a window at every phrase instance against every other instance
of the column, so its cost grows with the square of the matches in a document (a pasted
paragraph as a query, or a common word in a long article: seconds per hit); ``highlight()``
is linear but evaluates the query again for each hit (a prefix is expanded again each time).
Here the query's words are found in the stored text with one regular expression over its
folded form (:mod:`newsreader.search_matches`) and the window holding the most of them by two
pointers over the matches, so a snippet costs what the text's length does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsreader.search_matches import spans

WINDOW_CHARS = 200  # characters of text around the matches in a snippet
LEAD_CHARS = 40  # shown before the first match
ELLIPSIS = "…"
SOURCE_CHARS = 200_000  # of a column searched for a snippet
OPENING_WORDS = 30  # a snippet without matches: the text's opening


def snippet(columns: Sequence[str], pattern: re.Pattern[str] | None, mark: tuple[str, str]) -> str:
    """The passage of the first column where ``pattern`` matches that holds the most
    matches, the matches wrapped in ``mark``; else the opening words of the first column."""
    if pattern is not None:
        for column in columns:
            text = column[:SOURCE_CHARS]
            found = spans(text, pattern)
            if found:
                return passage(text, found, mark)
    words = (columns[0] if columns else "")[:SOURCE_CHARS].split()
    return " ".join(words[:OPENING_WORDS]) + (ELLIPSIS if len(words) > OPENING_WORDS else "")


def passage(text: str, found: Sequence[tuple[int, int]], mark: tuple[str, str]) -> str:
    """The ``WINDOW_CHARS`` of ``text`` holding the most of the ``found`` spans, marked.

    Two pointers over the spans pick the window (linear in their number); only the window's
    text is then copied.
    """
    best, best_count, last = 0, 0, 0
    for first, (start, _) in enumerate(found):
        last = max(last, first)
        while last < len(found) and found[last][1] <= start + WINDOW_CHARS:
            last += 1
        if last - first > best_count:
            best, best_count = first, last - first
    chosen = found[best : best + max(best_count, 1)]
    begin = max(0, chosen[0][0] - LEAD_CHARS)
    if begin > 0:  # start at a word
        space = text.find(" ", begin, chosen[0][0])
        begin = space + 1 if space != -1 else chosen[0][0]
    end = max(chosen[-1][1], min(len(text), begin + WINDOW_CHARS + LEAD_CHARS))
    space = text.find(" ", end)
    end = len(text) if space == -1 else space
    parts: list[str] = []
    position = begin
    for start, stop in found[best:]:
        if start >= end:
            break
        parts += [text[position:start], mark[0], text[start:stop], mark[1]]
        position = stop
    parts.append(text[position:end])
    result = " ".join("".join(parts).split())
    return (ELLIPSIS if begin > 0 else "") + result + (ELLIPSIS if end < len(text) else "")
