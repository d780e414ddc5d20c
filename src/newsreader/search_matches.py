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


class _FoldTable(dict[int, str]):
    """``str.translate`` table folding case and accents, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        decomposed = unicodedata.normalize("NFKD", char.casefold())
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
        # One character for one, so offsets in the folded text are the original's.
        result = folded if len(folded) == 1 else (char.lower() if len(char.lower()) == 1 else char)
        if len(self) < 65_536:
            self[code] = result
        return result


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """``text`` lower-cased without accents, one character for each of ``text``'s."""
    if text.isascii():
        return text.lower()
    return text.translate(_TABLE)


@lru_cache(maxsize=64)
def match_pattern(match: str) -> re.Pattern[str] | None:
    """A regular expression over folded text for the positive phrases of an FTS5 ``match``
    expression as :func:`newsreader.search.compile_query` writes it, or None."""
    alternatives: list[str] = []
    for negated, phrase, star in _PHRASE.findall(match):
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


def query_pattern(query_text: str, *, prefix_last: bool = False) -> re.Pattern[str] | None:
    """:func:`match_pattern` for what a user typed (None if it cannot be read); with
    ``prefix_last`` a bare last word is a prefix, as in the search bar's results."""
    try:
        compiled = compile_query(query_text[:MAX_QUERY_CHARS], prefix_last=prefix_last)
    except QueryError:
        return None
    return match_pattern(compiled.match) if compiled.match else None


def spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Where ``pattern`` (from :func:`match_pattern`) matches ``text``."""
    return [match.span() for match in pattern.finditer(fold(text))]
