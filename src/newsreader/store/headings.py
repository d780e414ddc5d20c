"""An article's section headings, for their own column in the search index.

Headings are taken from the Markdown body's ``#`` lines (plain-text and Markdown articles,
and HTML already converted), else from the HTML content's ``<h1>``…``<h6>`` elements (HTML
converted on first display). Deriving them here, from what the store is given anyway, costs
one regular-expression pass per stored article and leaves ingest untouched.
"""

from __future__ import annotations

import html
import re

_MARKDOWN = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_HTML = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1", re.MULTILINE | re.DOTALL)
MAX_CHARS = 4000  # headings of one article kept in the index


def headings_of(body: str | None, content: str, content_type: str) -> str:
    """The headings of an article, one per line ('' when it has none)."""
    found: list[str]
    if body is None and content_type == "html":
        found = [
            " ".join(html.unescape(_TAG.sub(" ", part)).split()) for part in _HTML.findall(content)
        ]
    else:
        markdown = content if body is None else body
        if "#" not in markdown:
            return ""
        if "```" in markdown or "~~~" in markdown:
            markdown = _FENCE.sub("", markdown)  # a shell comment in code is no heading
        found = [line.strip() for line in _MARKDOWN.findall(markdown)]
    return "\n".join(part for part in found if part)[:MAX_CHARS]
