"""Turning what a user types into a safe FTS5 query.

Words are matched as whole tokens (the last one as a prefix, so results follow typing),
``"quoted phrases"`` as phrases. Every token is quoted, so FTS5 operators and punctuation
in the input can never make a query invalid.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


def to_fts_query(text: str, prefix_last: bool = True) -> str:
    """An FTS5 MATCH expression for ``text``; empty when there is nothing to search for."""
    parts: list[str] = []
    for match in _TOKEN.finditer(text):
        phrase, word = match.group(1), match.group(2)
        words = _WORD.findall(phrase if phrase is not None else word)
        if not words:
            continue
        parts.append('"' + " ".join(words) + '"')
    if not parts:
        return ""
    if prefix_last and text and _WORD.match(text[-1]):
        parts[-1] += "*"
    return " AND ".join(parts)
