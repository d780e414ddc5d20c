"""Snippets for search hits, in linear time.

FTS5's ``snippet()`` scores a window at every phrase instance against every other instance
of the column, so its cost grows with the square of the matches in a document (a pasted
paragraph as a query, or a common word in a long article: seconds per hit); ``highlight()``
is linear but evaluates the query again for each hit (a prefix is expanded again each time).
Here the query's words are found in the stored text with one regular expression over its
folded form (:mod:`newsreader.search_matches`) and the best window by a sliding count, so a
snippet costs what the text's length does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsreader.search_matches import spans

OPEN = "\x02"
CLOSE = "\x03"
WINDOW = 24  # words in a snippet
ELLIPSIS = "…"
SOURCE_CHARS = 200_000  # of a column searched for a snippet
OPENING_WORDS = 30  # a snippet without matches: the text's opening


def snippet(columns: Sequence[str], pattern: re.Pattern[str] | None, mark: tuple[str, str]) -> str:
    """The best passage of the first column where ``pattern`` matches, marked; else the
    opening words of the first column."""
    if pattern is not None:
        for column in columns:
            text = column[:SOURCE_CHARS]
            found = spans(text, pattern)
            if found:
                parts: list[str] = []
                position = 0
                for start, end in found:
                    parts += [text[position:start], OPEN, text[start:end], CLOSE]
                    position = end
                parts.append(text[position:])
                return best_window("".join(parts), mark)
    words = (columns[0] if columns else "")[:SOURCE_CHARS].split()
    return " ".join(words[:OPENING_WORDS]) + (ELLIPSIS if len(words) > OPENING_WORDS else "")


def best_window(highlighted: str, mark: tuple[str, str], words: int = WINDOW) -> str:
    """The ``words``-word passage of ``highlighted`` with the most marked words.

    ``highlighted`` is a column as ``highlight(articles_fts, col, OPEN, CLOSE)`` returns it;
    the marks become ``mark``. '' when nothing in it is marked.
    """
    if OPEN not in highlighted:
        return ""
    tokens = highlighted.split()
    marked: list[int] = []  # 1 for each word inside a mark (a phrase spans several)
    inside = False
    for token in tokens:
        opened = OPEN in token
        marked.append(1 if inside or opened else 0)
        if opened:
            inside = True
        if CLOSE in token and token.rfind(CLOSE) > token.rfind(OPEN):
            inside = False
    count = sum(marked[:words])
    best, best_start = count, 0
    for start in range(1, max(1, len(tokens) - words + 1)):
        count += marked[start + words - 1] - marked[start - 1]
        if count > best:
            best, best_start = count, start
    # Begin a few words before the window's first match, keeping its last match inside.
    inside_window = [
        i for i in range(best_start, min(len(tokens), best_start + words)) if marked[i]
    ]
    start = max(0, inside_window[0] - 3, inside_window[-1] - words + 1) if inside_window else 0
    part = tokens[start : start + words]
    text = " ".join(part)
    # A match cut by the window's end still closes its mark.
    if text.count(OPEN) > text.count(CLOSE):
        text += CLOSE
    text = text.replace(OPEN, mark[0]).replace(CLOSE, mark[1])
    if start > 0:
        text = ELLIPSIS + text
    if start + words < len(tokens):
        text += ELLIPSIS
    return text
