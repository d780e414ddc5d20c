"""What the views show of an article: its Markdown body, outline, links and pictures.

Feed articles keep their HTML as the feed gave it and get their Markdown, sanitised through
the one policy, on first display; this
module converts once and caches the result in the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsreader.ingest.markdown_syntax import (
    ATX_HEADING,
    FENCE,
    INLINE_IMAGE,
    LINK_OR_AUTOLINK,
    unescape,
)
from newsreader.ingest.sanitize import clean_line, safe_link
from newsreader.model import Article, ContentType, Enclosure
from newsreader.store import Store

WORDS_PER_MINUTE = 230


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading in an article body."""

    level: int
    text: str
    line: int  # 0-based line in the Markdown body


def article_markdown(store: Store | None, article: Article) -> str:
    """The article's body as Markdown, converting (and caching) it on first use."""
    if article.body is not None:
        return article.body
    if article.content_type is ContentType.HTML:
        from newsreader.ingest.html import html_to_markdown

        body = html_to_markdown(article.content, article.link or None)
    elif article.content_type is ContentType.TEXT:
        from newsreader.ingest.plaintext import plain_text_to_document

        body = plain_text_to_document(article.content).markdown
    else:
        body = article.content
    if store is not None and store.writable:  # a read-only or damaged cache: not cached
        store.set_body(article.id, body)
    return body


def headings(markdown: str) -> list[Heading]:
    """The ATX headings of a Markdown body, outside code blocks."""
    found: list[Heading] = []
    fenced = False
    for number, line in enumerate(markdown.splitlines()):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        match = ATX_HEADING.match(line)
        if match:
            text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!])", r"\1", match.group(2))
            found.append(Heading(level=len(match.group(1)), text=text, line=number))
    return found


def links(markdown: str) -> list[str]:
    """The http(s) link targets of a Markdown body, in order, without repeats."""
    seen: dict[str, None] = {}
    for match in LINK_OR_AUTOLINK.finditer(markdown):
        if match.group(1):
            continue  # an image
        target = match.group(3) or match.group(4) or ""
        if target.lower().startswith(("http://", "https://")):
            seen.setdefault(target, None)
    return list(seen)


def image_refs(markdown: str) -> list[tuple[str, str]]:
    """(alt, URL) of each http(s) image in ``markdown``, in order, each URL once."""
    seen: dict[str, str] = {}
    for match in INLINE_IMAGE.finditer(markdown):
        alt, url = unescape(match.group(1)), match.group(2).strip("<>")
        if url.lower().startswith(("http://", "https://")) and safe_link(url):
            seen.setdefault(url, alt)
    return [(alt, url) for url, alt in seen.items()]


def reading_minutes(word_count: int) -> int:
    """Minutes to read ``word_count`` words, at least one."""
    return max(1, round(word_count / WORDS_PER_MINUTE))


def describe_enclosure(enclosure: Enclosure) -> str:
    """``[audio/mpeg, 42.1 MB]``: an attachment's type and size, as far as the feed says."""
    parts = [clean_line(enclosure.type, 60) or "file"]
    if enclosure.length:
        size = float(enclosure.length)
        for unit in ("bytes", "KB", "MB", "GB"):
            if size < 1000 or unit == "GB":
                parts.append(f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}")
                break
            size /= 1000
    return f"[{', '.join(parts)}]"


def attachment_lines(article: Article) -> list[str]:
    """One line per attachment that can be opened (http/https): its description and URL."""
    return [
        f"{describe_enclosure(e)} {clean_line(e.url, 2000)}"
        for e in article.enclosures
        if safe_link(e.url)
    ]
