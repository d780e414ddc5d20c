"""Where a query's words are in a text: spans to highlight in an opened article and to jump
between while a search is active.

Matching follows the index: case and accents do not matter (``cafe`` marks ``Café``), a
phrase matches its words in order with anything but letters and digits between them, and
``word*`` marks every word starting with ``word``. Excluded words (``-word``) and qualifiers
mark nothing. Linear in the text's length.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from newsreader.search import MAX_QUERY_CHARS, QueryError, compile_query

_PHRASE = re.compile(r'(NOT )?(?:\b\w+ : )?"([^"]*)"(\*?)')
_WORD_END = r"\b"
_WORD_REST = r"\w*"


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.casefold())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return folded if len(folded) == 1 else char.casefold()[:1] or char


@lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    return _fold_char(char) if ord(char) > 127 else char.lower()


def fold(text: str) -> str:
    """``text`` lower-cased without accents, one character for each of ``text``'s."""
    return "".join(_fold(char) for char in text)


@lru_cache(maxsize=64)
def query_pattern(query_text: str) -> re.Pattern[str] | None:
    """A regular expression over folded text for the positive words of a query, or None."""
    try:
        compiled = compile_query(query_text[:MAX_QUERY_CHARS])
    except QueryError:
        return None
    alternatives: list[str] = []
    for negated, phrase, star in _PHRASE.findall(compiled.match or ""):
        words = [fold(word) for word in phrase.split()]
        if negated or not words:
            continue
        body = r"\W+".join(re.escape(word) for word in words)
        alternatives.append(_WORD_END + body + (_WORD_REST if star else _WORD_END))
    if not alternatives:
        return None
    # Longer alternatives first, so a phrase wins over one of its words.
    alternatives.sort(key=len, reverse=True)
    return re.compile("|".join(alternatives))


def find_matches(text: str, query_text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets in ``text`` of what ``query_text`` searches for, in order."""
    pattern = query_pattern(query_text)
    if pattern is None or not text:
        return []
    return [match.span() for match in pattern.finditer(fold(text))]
