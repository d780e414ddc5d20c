"""Entry content: sanitised HTML (with the one policy), and cheap plain text of it.

Articles keep their sanitised HTML as ``content``: the Markdown is made on first display
(:func:`newsreader.render.article_markdown`). ``text`` is a cheap plain-text rendering for
the search index.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from newsreader.ingest.feed.entry import SUMMARY_CHARS
from newsreader.ingest.html.policy import clean_html
from newsreader.ingest.sanitize import clean_line, clean_text

# A URL attribute whose value is not obviously absolute: only then is resolving needed.
# Found from its "=" (a literal that the regex engine finds fast), then the attribute's name
# is checked just before it: one regex that starts with the names tries them at every
# position and cost ~0.2 ms per kilobyte.
_VALUE_NOT_ABSOLUTE = re.compile(r"""=\s*["']?\s*(?!https?:|#|mailto:)""", re.IGNORECASE)
_URL_ATTRIBUTE_BEFORE = re.compile(r"(?<!\w)(?:href|src|cite|longdesc|poster)\s*\Z", re.IGNORECASE)
_NAME_WINDOW = 256  # characters before "=" searched for the attribute's name


def has_relative_url(fragment: str) -> bool:
    """Whether a URL attribute (href, src, cite, longdesc, poster) of ``fragment`` may hold a
    relative URL (a value not starting with http(s):, # or mailto:)."""
    for found in _VALUE_NOT_ABSOLUTE.finditer(fragment):
        start = found.start()
        if _URL_ATTRIBUTE_BEFORE.search(fragment, max(0, start - _NAME_WINDOW), start):
            return True
    return False


def sanitize_html(fragment: str, base: str | None = None) -> str:
    """Sanitise an HTML fragment (the one policy), resolving relative URLs against ``base``.

    Scripts, styles, event handlers, frames and non-http(s)/mailto URLs go (a <form> loses
    its tag, not its content); escape sequences and control characters are removed.
    """
    if not fragment:
        return ""
    resolve = base if base and has_relative_url(fragment) else None
    return clean_html(clean_text(fragment), drop_forms=False, base=resolve)


def html_fragment(value: str, kind: str, base: str | None = None) -> str:
    """Content of any type as a sanitised HTML fragment."""
    if not value:
        return ""
    if "html" in kind:
        return sanitize_html(value, base)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", clean_text(value)) if p.strip()]
    return "".join(
        "<p>" + html.escape(paragraph).replace("\n", "<br>") + "</p>" for paragraph in paragraphs
    )


_BLOCK = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|figure|figcaption|"
    r"section|article|header|footer|dt|dd|hr)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")


def html_to_text(fragment: str) -> str:
    """Cheap plain text of a (sanitised) HTML fragment, for the search index: words only,
    whitespace collapsed (the readable rendering is made from the HTML on display)."""
    if not fragment:
        return ""
    text = html.unescape(_TAG.sub("", _BLOCK.sub(" ", fragment)))
    return " ".join(clean_text(text).split())


_SCRIPT_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def summary_text(value: str, kind: str) -> str:
    """Plain text of a summary, cheaply (it is shown as one line, never as HTML)."""
    if "html" not in kind:
        return clean_line(value, limit=SUMMARY_CHARS * 2)
    return html_to_text(_SCRIPT_STYLE.sub(" ", value[: SUMMARY_CHARS * 20]))


def plain_title(value: str, detail: Mapping[str, Any] | None = None) -> str:
    """A title as one line of plain text (an HTML title loses its tags)."""
    if not value:
        return ""
    kind = ((detail or {}).get("type", "") or "").lower()
    if "html" in kind:
        value = html.unescape(_TAG.sub("", value))
    return clean_line(value, limit=500)
