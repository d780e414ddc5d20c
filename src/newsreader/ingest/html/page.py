"""Saved web pages → their main article as Markdown, with its title, author and date.

readability-lxml finds the article; it is converted like any HTML fragment
(:func:`newsreader.ingest.html.convert.html_to_markdown`); then the page's trailer
("Leave a Reply", "Related posts"...) and an h1 that repeats the title are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from newsreader.ingest.html.convert import HEADING_TAGS, WHITESPACE, html_to_markdown, tidy_markdown
from newsreader.ingest.html.metadata import (
    author_name,
    json_ld,
    normalise,
    page_title,
    published_date,
)
from newsreader.ingest.html.policy import limit_depth
from newsreader.ingest.markdown_syntax import ATX_HEADING
from newsreader.ingest.markdown_text import markdown_to_text
from newsreader.ingest.sanitize import clean_line, clean_text
from newsreader.ingest.trailers import is_trailer_heading
from newsreader.ingest.urls import http_base

_LIST_TAGS = frozenset({"ul", "ol"})
_LIST_LINK_DENSITY = 0.9  # a list with more of its text in links than this is a menu

if TYPE_CHECKING:
    from lxml.html import HtmlElement


@dataclass(frozen=True, slots=True)
class HtmlDocument:
    """The article found in an HTML page."""

    title: str | None
    markdown: str
    author: str | None
    published: datetime | None  # timezone-aware


_DOCUMENT_MARKERS = re.compile(r"<(?:html|body|head)[\s>]|<!doctype\s", re.IGNORECASE)


def _heading_text(markdown_heading: str) -> str:
    """Plain text of a Markdown heading's content, whitespace collapsed."""
    return WHITESPACE.sub(" ", markdown_to_text(markdown_heading)).strip()


def _drop_trailer(markdown: str) -> str:
    """``markdown`` cut before the first comment/share/related-posts heading."""
    for match in ATX_HEADING.finditer(markdown):
        if match.start() == 0:
            continue
        text = _heading_text(match.group(2))
        if is_trailer_heading(text):
            return markdown[: match.start()].rstrip() + "\n"
    return markdown


def _drop_title_heading(markdown: str, title: str | None) -> str:
    """``markdown`` without the h1 (or first heading) that only repeats ``title``."""
    if not title:
        return markdown
    wanted = normalise(title)
    for match in ATX_HEADING.finditer(markdown):
        level = len(match.group(1))
        text = normalise(_heading_text(match.group(2)))
        if text and (text == wanted or (level == 1 and len(text) > 8 and text in wanted)):
            before = markdown[: match.start()]
            if level == 1 or not before.strip():
                return tidy_markdown(before + markdown[match.end() :])
        if level == 1 or match.start() > 0:
            break
    return markdown


def _parse_page(html: str) -> HtmlElement | None:
    import lxml.html
    from lxml.etree import ParserError

    try:
        return lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return None


def _main_content(html: str, url: str | None) -> str:
    """The HTML of the page's main content, as readability-lxml finds it."""
    from readability import Document
    from readability.readability import Unparseable

    class ArticleDocument(Document):  # type: ignore[misc]
        """readability-lxml's Document, keeping more of the article's own headings.

        readability-lxml drops every heading whose link density is above a third, which
        loses the section headings of most documentation and blog engines (permalinks,
        "¶" anchors, linked section titles).
        """

        def class_weight(self, e: HtmlElement) -> float:
            # Heading ids are slugs of the heading text ("use-median", "metadata"), not
            # page furniture: judging them by readability's "media|meta|related" patterns
            # drops real sections.
            if e.tag in HEADING_TAGS and e.get("id") is not None:
                ident = e.attrib.pop("id")
                try:
                    return float(super().class_weight(e))
                finally:
                    e.set("id", ident)
            return float(super().class_weight(e))

        def get_link_density(self, elem: HtmlElement) -> float:
            if elem.tag in HEADING_TAGS:
                return 0.0
            density = float(super().get_link_density(elem))
            if self._cleaning and elem.tag in _LIST_TAGS and density < _LIST_LINK_DENSITY:
                # As Readability.js does, a list in the article is not dropped for its links
                # (changelogs, credits, "bug 123 fixed" items), unless it is nothing but links
                # (menus, share bars) or the page marks it as furniture.
                return min(density, 0.2)
            return density

        _cleaning = False

        def sanitize(self, *args: Any, **kwargs: Any) -> Any:
            self._cleaning = True
            try:
                return super().sanitize(*args, **kwargs)
            finally:
                self._cleaning = False

    base = http_base(url)
    try:
        return str(ArticleDocument(html, url=base).summary(html_partial=True))
    except (Unparseable, ValueError):
        return ""


def extract_article(html: str, url: str | None = None) -> HtmlDocument:
    """A saved web page → its main article as sanitised Markdown, with metadata.

    Navigation, sidebars, comment sections, share bars and "Leave a Reply" forms are left
    out; the article's own h2-h6 headings keep their levels, and an h1 that repeats the
    title is dropped. An HTML fragment (no html/head/body markup) is converted whole.

    Args:
        html: the page's HTML.
        url: the page's address, for resolving relative links (only http(s) are used).

    Returns:
        The title (og:title, <title> or the first h1), Markdown body, author and
        publication date (timezone-aware) when the page states them.
    """
    html = clean_text(html or "")
    if not html.strip():
        return HtmlDocument(title=None, markdown="", author=None, published=None)
    html = limit_depth(html, 200)
    is_document = bool(_DOCUMENT_MARKERS.search(html[:20000]))
    doc = _parse_page(html)
    title = author = None
    published = None
    if doc is not None:
        ld = json_ld(doc)
        title = page_title(doc, ld)
        author = author_name(doc, ld)
        published = published_date(doc, ld)
    markdown = ""
    if is_document:
        content = _main_content(html, url)
        if content.strip():
            markdown = html_to_markdown(content, url)
    if not markdown.strip():
        markdown = html_to_markdown(html, url)
    markdown = _drop_trailer(markdown)
    markdown = _drop_title_heading(markdown, title)
    if title is None:
        first = ATX_HEADING.search(markdown)
        if first and len(first.group(1)) == 1:
            title = _heading_text(first.group(2)) or None
            markdown = _drop_title_heading(markdown, title)
    return HtmlDocument(
        title=clean_line(title) if title else None,
        markdown=markdown,
        author=author,
        published=published,
    )
