"""Sanitised HTML → Markdown with markdownify, a few conversions adjusted.

Links are made absolute and kept only for safe schemes, tracking pixels are dropped, empty
headings too, and code fences are longer than any backtick run inside; the result has its
whitespace put in order (:func:`tidy_markdown`). Heavy libraries are imported lazily.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag

from newsreader.ingest.html.policy import (
    MAX_INPUT_DEPTH,
    URL_SCHEMES,
    limit_depth,
    sanitise,
)
from newsreader.ingest.markdown_syntax import ATX_HEADING, LIST_ITEM, QUOTED_FENCE
from newsreader.ingest.sanitize import clean_text
from newsreader.ingest.urls import absolute_url, http_base, stated_base

if TYPE_CHECKING:
    from bs4 import Tag
    from markdownify import MarkdownConverter

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Blocks a Markdown link cannot hold: a link around them is unwrapped (see convert_a).
_BLOCK_TAGS = HEADING_TAGS | frozenset(
    ["p", "div", "ul", "ol", "dl", "blockquote", "pre", "table", "figure", "section", "article"]
)

_BACKTICKS = re.compile(r"`+")
_ALT_UNSAFE = re.compile(r"([\[\]\\])")
_ALT_ESCAPE = r"\\\1"
WHITESPACE = re.compile(r"\s+")
# Text that Markdown would read as markup: backticks, and "<" opening a tag or comment.
_INLINE_MARKUP = re.compile(r"(`|<(?=[A-Za-z/!?]))")
# A block marker at the start of a line: heading, quote, bullet, numbered item.
_BLOCK_MARKER = re.compile(r"(^[ \t]*)(#{1,6}(?=\s|$)|>|[-+*](?=\s)|\d{1,9}(?=[.)]\s))", re.M)


def _pixel_size(value: str | None) -> bool:
    """Whether a width/height attribute says 0 or 1 pixel (a tracking pixel)."""
    if value is None:
        return False
    value = value.strip().lower().removesuffix("px").strip()
    return value in ("0", "1")


def _escape_block_marker(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return f"{indent}{marker}\\"  # a numbered item is escaped before its dot
    return f"{indent}\\{marker}"


@lru_cache(maxsize=1)
def _converter_class() -> Callable[[str | None, str | None], MarkdownConverter]:
    """The markdownify converter with this application's conversions."""
    from markdownify import BACKSLASH, MarkdownConverter

    class Converter(MarkdownConverter):
        """ATX headings, '-' bullets, safe absolute URLs, no tracking pixels."""

        def __init__(self, base_url: str | None, page_url: str | None) -> None:
            super().__init__(
                heading_style="ATX",
                bullets="-",
                escape_misc=False,
                newline_style=BACKSLASH,
                strip_document="strip",
                autolinks=True,
                # Collapse all whitespace (newlines included) as a browser would, without
                # re-wrapping: pretty-printed inline markup must not split paragraphs.
                wrap=True,
                wrap_width=None,
            )
            self.base_url = base_url  # what relative URLs resolve against
            self.page_url = page_url  # the page the HTML is on (its own anchors go)

        def escape(self, text: str, parent_tags: set[str]) -> str:
            # Escape only what would turn text into markup (emphasis, code, raw HTML, a
            # block marker at the start of a line), so "C++" and "1.5" stay readable.
            text = str(_untyped(super()).escape(text, parent_tags))
            if "_noformat" in parent_tags or not text:
                return text
            text = _INLINE_MARKUP.sub(r"\\\1", text)
            return _BLOCK_MARKER.sub(_escape_block_marker, text)

        def convert_dt(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            # CommonMark has no definition lists: a term is a bold line of its own...
            text = text.strip()
            return f"\n\n**{text}**\n\n" if text else ""

        def convert_dd(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            # ...and each definition a paragraph, so definitions never run together.
            text = text.strip()
            return f"\n\n{text}\n\n" if text else ""

        def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            href = absolute_url(_attribute(el, "href"), self.base_url, URL_SCHEMES)
            if href is None:
                return text
            if not HEADING_TAGS.isdisjoint(parent_tags) and _same_page(
                _attribute(el, "href") or "", href, self.page_url
            ):
                return text  # a heading's anchor to itself: the heading's text alone
            if el.find(_BLOCK_TAGS) is not None:
                # <a href><h2>Title</h2></a> (anchored headings, linked cards): the blocks
                # stay blocks. A link to elsewhere moves onto the first heading's text; a
                # link to a place on the same page ("#id") is navigation and goes.
                if _same_page(_attribute(el, "href") or "", href, self.page_url):
                    return text
                return ATX_HEADING.sub(lambda m: f"{m[1]} [{m[2]}]({href})", text, count=1)
            el["href"] = href
            return str(_untyped(super()).convert_a(el, text, parent_tags))

        def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            if _pixel_size(_attribute(el, "width")) or _pixel_size(_attribute(el, "height")):
                return ""
            alt = WHITESPACE.sub(" ", _attribute(el, "alt") or "").strip()
            if "_inline" in parent_tags:
                return alt
            src = absolute_url(_attribute(el, "src"), self.base_url, frozenset({"http", "https"}))
            if src is None:
                return ""
            return f"![{_ALT_UNSAFE.sub(_ALT_ESCAPE, alt)}]({src})"

        def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
            if not text.strip():
                return ""
            return str(_untyped(super()).convert_hN(n, el, text, parent_tags))

        def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            # A "list" of cards with their own headings is layout, not a list: keep the
            # headings as headings rather than indenting them under a bullet.
            if el.find(HEADING_TAGS) is not None:
                text = text.strip()
                return f"\n\n{text}\n\n" if text else ""
            return str(_untyped(super()).convert_li(el, text, parent_tags))

        def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            text = text.strip("\n")
            if not text.strip():
                return ""
            longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
            fence = "`" * max(3, longest + 1)
            return f"\n\n{fence}\n{text}\n{fence}\n\n"

    return Converter


def _untyped(parent: object) -> Any:
    """markdownify's own conversions, which its type stubs leave out."""
    return parent


def _same_page(raw: str, href: str, base_url: str | None) -> bool:
    """Whether a link points into the page it is on ("#id", or the page's own URL + "#id")."""
    if raw.lstrip().startswith("#"):
        return True
    return base_url is not None and "#" in href and urldefrag(href).url == urldefrag(base_url).url


def _attribute(el: Tag, name: str) -> str | None:
    value = el.get(name)
    if value is None:
        return None
    if isinstance(value, list):
        return " ".join(value)
    return str(value)


# A line ending in an odd number of backslashes ends in a hard line break.
_HARD_BREAK = re.compile(r"(?<!\\)(?:\\\\)*\\$")
_INNER_SPACES = re.compile(r"(?<=\S) {2,}")


def tidy_markdown(markdown: str) -> str:
    """Whitespace put in order outside code blocks.

    Trailing spaces go; runs of spaces inside a line become one; lines indented without
    being part of a list lose the indent (it would turn them into code blocks); at most one
    blank line in a row (two inside code).
    """
    lines: list[str] = []
    fence: str | None = None
    blank = 0
    in_list = False
    source = markdown.split("\n")
    for index, line in enumerate(source):
        line = line.rstrip()
        marker = QUOTED_FENCE.match(line)
        if fence is None:
            if marker:
                fence = marker.group(1)
            else:
                if line.strip() == "\\":
                    line = ""  # a hard break alone on a line (<br><br>): a paragraph break
                elif line.endswith("\\") and _HARD_BREAK.search(line):
                    following = source[index + 1] if index + 1 < len(source) else ""
                    if following.strip() in ("", "\\"):
                        # A hard break before a blank line or the end: a stray backslash.
                        line = line[:-1].rstrip()
                if "  " in line:
                    line = _INNER_SPACES.sub(" ", line)
                if line[:1] in (" ", "\t"):
                    if not in_list:
                        line = line.lstrip()
                elif line:
                    in_list = LIST_ITEM.match(line) is not None
            if not line:
                blank += 1
                if blank > 1:
                    continue
            else:
                blank = 0
        else:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
            blank = blank + 1 if not line else 0
            if blank > 2:
                continue
        lines.append(line)
    text = "\n".join(lines).strip("\n")
    return text + "\n" if text else ""


def _plain_fallback(cleaned_html: str) -> str:
    """Text of ``cleaned_html`` as escaped paragraphs, for when conversion gives up."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(cleaned_html, "html.parser")
    text = soup.get_text("\n")
    paragraphs = [WHITESPACE.sub(" ", part).strip() for part in re.split(r"\n\s*\n", text)]
    from markdownify import MarkdownConverter

    plain: Any = MarkdownConverter(escape_misc=True)
    escape = plain.escape
    return "\n\n".join(escape(part, set()) for part in paragraphs if part)


def _convert(cleaned_html: str, base_url: str | None, page_url: str | None) -> str:
    converter = _converter_class()(base_url, page_url)
    try:
        return str(converter.convert(cleaned_html))
    except RecursionError:
        return _plain_fallback(cleaned_html)


def html_to_markdown(html: str, base_url: str | None = None) -> str:
    """Convert an HTML fragment (feed entry content) to sanitised Markdown.

    Headings become ATX headings, lists use ``-``; links are made absolute against
    ``base_url`` and kept only for http, https and mailto (otherwise only their text is
    kept); images become ``![alt](src)`` for http(s) sources, minus tracking pixels.
    Scripts, styles, frames, forms, comments and event handlers are removed, and the result
    carries no control characters or terminal escape sequences. Arbitrarily deep nesting
    is flattened rather than crashing.

    Args:
        html: the HTML fragment.
        base_url: the URL that relative links and image sources are resolved against.

    Returns:
        The Markdown, ending in a newline, or an empty string for empty input.
    """
    if not html or not html.strip():
        return ""
    html = limit_depth(clean_text(html), MAX_INPUT_DEPTH)
    page = http_base(base_url)
    # A feed entry may name the base its relative URLs resolve against (its xml:base or
    # the feed's URL); its own anchors are still those of the article's page.
    stated, html = stated_base(html)
    base = stated or page
    markdown = _convert(sanitise(html), base, page)
    if not markdown.strip() and "<form" in html.lower():
        # Some pages wrap everything in one <form>; keep the content rather than nothing.
        markdown = _convert(sanitise(html, drop_forms=False), base, page)
    return tidy_markdown(clean_text(markdown))
