"""The Markdown syntax this program reads back: fences, ATX headings, links (one copy each).

Each pattern matches one line (or, with ``re.M``, each line) unless it says otherwise.
"""

from __future__ import annotations

import re

# A code fence: up to three spaces, then three or more backticks or tildes (group 1).
_FENCE_MARK = r"[ \t]{0,3}(`{3,}|~{3,})"
FENCE = re.compile("^" + _FENCE_MARK)
# A fence that may stand inside a block quote ("> ```").
QUOTED_FENCE = re.compile(r"^[ \t]*(?:>[ \t]?)*" + _FENCE_MARK)
# A whole fence line, from the newline before it (for text given a leading "\n").
FENCE_LINE_AFTER_NEWLINE = re.compile(r"\n" + _FENCE_MARK + r"[^\n]*")

# An ATX heading: its hashes (group 1) and text (group 2), without a closing sequence.
ATX_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.M)
# A list item's marker at the start of a line.
LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")

# An inline link or image: "!" for an image (group 1), the label (2) and the target (3),
# which may hold balanced parentheses and be followed by a "title".
LINK = re.compile(
    r"(!?)\[((?:\\.|[^\[\]\\])*)\]"
    r"\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
# An autolink such as <https://example.com/> (group 1: the URL, any scheme).
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*)>")
# Either, in document order: groups 1-3 as in LINK, group 4 as in AUTOLINK.
LINK_OR_AUTOLINK = re.compile(LINK.pattern + "|" + AUTOLINK.pattern)
# Link and image syntax as removed for plain text (no titles or nested brackets expected).
IMAGE_SIMPLE = re.compile(r"!\[([^\]\n]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")
INLINE_LINK_SIMPLE = re.compile(r"\[([^\]\n]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")
REFERENCE_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")

# Pieces of an inline link or image as the article view reads them. A character of the
# text: anything but a bracket, or an escaped character. The two never start alike (a
# backslash is only the escape's), so a run of backslashes cannot make a match backtrack
# exponentially.
LINK_TEXT_CHAR = r"(?:[^\[\]\\]|\\.)"
# The target (group: "<...>" or up to a space or ")"), and an optional "title".
LINK_TARGET = r"\((<[^>]*>|[^)\s]+)(?:\s+\"[^\"]*\")?\)"
# An image: its alt text (group 1; may hold balanced brackets, "Chart [2024]") and its
# target (group 2).
INLINE_IMAGE = re.compile(rf"!\[((?:{LINK_TEXT_CHAR}|\[{LINK_TEXT_CHAR}*\])*)\]{LINK_TARGET}")

_ESCAPE = re.compile(r"\\(.)")


def unescape(text: str) -> str:
    """``text`` with its Markdown backslash escapes taken out (``\\[`` reads ``[``)."""
    return _ESCAPE.sub(r"\1", text)
