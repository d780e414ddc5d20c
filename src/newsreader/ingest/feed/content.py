"""Entry content: the HTML an article keeps, and cheap plain text of it.

Articles keep an entry's HTML as ``content``, as the feed gave it less escape sequences and
control characters (:func:`stored_html`): it is sanitised with the one policy when the
Markdown is made, on first display (:func:`newsreader.render.article_markdown`). ``text`` is
a cheap plain-text rendering for the search index, without what never shows.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from newsreader.ingest.feed.entry import SUMMARY_CHARS
from newsreader.ingest.html.policy import clean_html
from newsreader.ingest.sanitize import clean_line, clean_text
from newsreader.ingest.urls import with_base

# A URL attribute whose value is not obviously absolute: only then is resolving needed.
# Found from its "=" (a literal that the regex engine finds fast), then the attribute's name
# is checked just before it: one regex that starts with the names tries them at every
# position and cost ~0.2 ms per kilobyte.
# (Possessive: a backtrack past the quote would read the quote itself as the value.)
_VALUE_NOT_ABSOLUTE = re.compile(r"""=\s*+["']?+\s*+(?!https?:|#|mailto:)""", re.IGNORECASE)
# The name is looked for where the whitespace before the "=" ends, in its last 9 characters
# (the longest name and the one before it); searching the whole window for a name followed
# by whitespace tried every position in it, 12 µs a time, for every attribute of the entry.
_URL_ATTRIBUTE_NAME = re.compile(r"(?<!\w)(?:href|src|cite|longdesc|poster)\Z", re.IGNORECASE)
_NAME_WINDOW = 256  # characters before "=" searched for the attribute's name


def has_relative_url(fragment: str) -> bool:
    """Whether a URL attribute (href, src, cite, longdesc, poster) of ``fragment`` may hold a
    relative URL (a value not starting with http(s):, # or mailto:)."""
    for found in _VALUE_NOT_ABSOLUTE.finditer(fragment):
        start = found.start()
        window = max(0, start - _NAME_WINDOW)
        end = window + len(fragment[window:start].rstrip())  # (rstrip: re's whitespace)
        if _URL_ATTRIBUTE_NAME.search(fragment, max(window, end - 9), end):
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


_FORM = re.compile(r"<form\b", re.IGNORECASE)


def stored_html(fragment: str, base: str | None = None) -> str:
    """An entry's HTML as an article keeps it: as the feed gave it, minus escape sequences
    and control characters. It is sanitised on display, where
    :func:`newsreader.render.article_markdown` converts it through the one policy, so a
    refresh spends nothing on sanitising what may never be read.

    A fragment with a URL attribute that is not plainly absolute starts with
    ``<base href="...">`` naming ``base`` (the entry's ``xml:base`` or the feed's URL, which
    display does not know): display resolves its relative URLs against that, as a browser
    would. One with a <form> is sanitised now, keeping the form's content, as
    :func:`sanitize_html` does (display drops forms).
    """
    if not fragment:
        return ""
    cleaned = clean_text(fragment)
    relative = bool(base) and has_relative_url(cleaned)
    if _FORM.search(cleaned):
        return clean_html(cleaned, drop_forms=False, base=base if relative else None)
    return with_base(cleaned, base) if base and relative else cleaned


# A blank line: the paragraph break of anyone writing plain text (HTML has none).
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def written_as_text(value: str) -> bool:
    """Whether ``value``, typed HTML, was written as plain text: paragraphs parted by blank
    lines and not a single tag. Feeds send such text as HTML (YouTube's and podcasts'
    descriptions, many a CMS's): read as HTML, its paragraphs and line breaks would run
    into one."""
    if "\n" not in value:
        return False
    value = value.strip()
    return _BLANK_LINE.search(value) is not None and _TAG.search(value) is None


def html_fragment(value: str, kind: str, base: str | None = None) -> str:
    """Content of any type as an HTML fragment to keep (see :func:`stored_html`); HTML
    :func:`written_as_text` is kept as the text it is (its entities read)."""
    if not value:
        return ""
    if "html" in kind:
        if not written_as_text(value):
            return stored_html(value, base)
        value = html.unescape(value)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", clean_text(value)) if p.strip()]
    return "".join("<p>" + _text_html(paragraph) + "</p>" for paragraph in paragraphs)


# A web address in plain text, less the punctuation that ends a sentence or a bracket after it.
_WEB_ADDRESS = re.compile(r"\bhttps?://[^\s<>\"]*[^\s<>\"'.,;:!?)\]}]", re.IGNORECASE)


def _text_html(text: str) -> str:
    """One paragraph of plain text as HTML: escaped, its web addresses made links (so that
    they are numbered and can be opened), its line breaks kept."""
    parts: list[str] = []
    start = 0
    for found in _WEB_ADDRESS.finditer(text):
        address = html.escape(found.group())
        parts += html.escape(text[start : found.start()]), f'<a href="{address}">{address}</a>'
        start = found.end()
    parts.append(html.escape(text[start:]))
    return "".join(parts).replace("\n", "<br>")


_BLOCK = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|figure|figcaption|"
    r"section|article|header|footer|dt|dd|hr)\b[^>]*>",
    re.IGNORECASE,
)
# A tag: "<" then a letter, "/", "!" or "?" (a "<" before anything else is text, as in HTML).
_TAG = re.compile(r"<[A-Za-z/!?][^>]*>")


# What never shows, dropped with its content: comments, and elements whose content is code,
# markup or controls rather than text (the raw-text ones run to the end when left open).
_RAW_TEXT = "script|style|textarea|title|xmp|noscript|noembed|noframes|iframe"
_CONTAINERS = "svg|template|object|select|canvas|audio|video|head|math|button"
_HIDDEN = re.compile(
    rf"<!--.*?(?:-->|\Z)|<({_RAW_TEXT})\b.*?(?:</\1\s*>|\Z)|<({_CONTAINERS})\b.*?</\2\s*>",
    re.IGNORECASE | re.DOTALL,
)
# Whether there may be any: searched in the lower-cased fragment, case-sensitively (twice as
# fast as the search above, which runs only when this finds something).
_MAY_HIDE = re.compile(rf"<(?:!--|(?:{_RAW_TEXT}|{_CONTAINERS})\b)")


def html_to_text(fragment: str) -> str:
    """Cheap plain text of an HTML fragment, for the search index: words only, whitespace
    collapsed (the readable rendering is made from the HTML on display). What never shows
    (comments, scripts, styles, frames...) is left out."""
    if not fragment:
        return ""
    if _MAY_HIDE.search(fragment.lower()):
        fragment = _HIDDEN.sub(" ", fragment)
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
