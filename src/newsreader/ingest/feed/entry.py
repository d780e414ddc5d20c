"""What a feed document held, and the one place where an entry becomes an article.

Both readers (XML through feedparser or the fast RSS path, and JSON Feed) gather an entry's
fields and hand them to :func:`build_article`, which settles its key, date, title and
summary the same way for every format.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from newsreader.ingest.sanitize import capped, clean_line
from newsreader.model import ContentType, Enclosure, NewArticle

TITLE_FROM_TEXT_CHARS = 80
SUMMARY_CHARS = 300


@dataclass(slots=True)
class ParsedFeed:
    """What one feed document held."""

    title: str = ""
    link: str = ""
    articles: list[NewArticle] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)  # keys whose date was made up
    format: str = ""  # feedparser's version ("rss20", "atom10"...) or "json1.1"
    encoding: str = ""
    warning: str = ""  # a problem, though articles were still read (malformed XML...)
    error: str = ""  # nothing could be read: the cached articles should stay as they are
    # Keys of entries skipped unparsed: stored already with the same source hash.
    unchanged: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EntryFields:
    """An entry's fields as a reader found them, before they are settled into an article.

    Attributes:
        entry_id: the entry's own id (guid, atom:id, JSON ``id``), maybe empty.
        link: its safe absolute link, maybe empty.
        title: its plain-text title, maybe empty.
        content: its HTML as kept (:func:`~.content.stored_html`), sanitised on display.
        text: the plain text of ``content``, as :func:`~.content.html_to_text` gives it (one
            clean line).
        summary: the plain text of its summary, maybe empty (``text`` itself when the
            summary is the content).
        author: its authors' names.
        published: when it was published, if it says.
        updated: when it was last updated, if it says.
        undated_at: the date to give it if it states none.
        enclosures: its media files.
        fingerprint: what identifies it when it has neither id nor link.
    """

    entry_id: str
    link: str
    title: str
    content: str
    text: str
    summary: str
    author: str
    published: datetime | None
    updated: datetime | None
    undated_at: datetime
    enclosures: tuple[Enclosure, ...]
    fingerprint: tuple[str, ...]


def build_article(fields: EntryFields, result: ParsedFeed) -> NewArticle:
    """The article for one entry; an entry without a date is noted in ``result.undated``."""
    key = clean_line(fields.entry_id, limit=2000) or fields.link
    if not key:
        key = "sha1:" + digest(*fields.fingerprint)
    published = fields.published or fields.updated
    if published is None:
        published = fields.undated_at
        result.undated.append(key)
    text = fields.text  # a clean line already: capped, not cleaned again
    if fields.summary and fields.summary != text:
        summary = clean_line(fields.summary, limit=SUMMARY_CHARS)
    else:
        summary = capped(text, SUMMARY_CHARS)
    return NewArticle(
        key=key,
        title=fields.title
        or (
            capped(text, TITLE_FROM_TEXT_CHARS)
            if text
            else clean_line(fields.summary, limit=TITLE_FROM_TEXT_CHARS)
        )
        or "Untitled",
        published=published,
        updated=fields.updated if fields.updated != published else None,
        content=fields.content,
        content_type=ContentType.HTML,
        body=None,
        text=fields.text,
        author=fields.author,
        link=fields.link,
        summary=summary,
        enclosures=fields.enclosures,
    )


# Part of every source hash: a change to how entries are read or sanitised changes it, so
# that articles stored by an older version are read again.
INGEST_VERSION = "2"


def source_hash(url: str, entry: object, *context: object) -> str:
    """A hash of an entry as the parser gave it (before sanitising), with what else shapes
    its article (the feed's URL, ``context``)."""
    hashed = hashlib.blake2b(digest_size=16)
    hashed.update(repr((INGEST_VERSION, url, entry, context)).encode("utf-8", "surrogatepass"))
    return "src:" + hashed.hexdigest()


def parts_hash(url: str, small: object, texts: Iterable[str]) -> str:
    """A source hash of the values an entry's article is made of (see :func:`source_hash`),
    cheaper than hashing the whole entry: ``small`` (short values) by its ``repr`` with the
    length of each of ``texts`` (long ones, such as the content), then the texts as they
    are, so that no two different sets of values hash alike by shifting a boundary."""
    data = [text.encode("utf-8", "surrogatepass") for text in texts]
    head = repr((INGEST_VERSION, url, small, [len(chunk) for chunk in data]))
    # SHA-1, not BLAKE2: twice as fast here (the CPU computes it), and enough to notice a
    # change in one's own feed.
    hashed = hashlib.sha1(head.encode("utf-8", "surrogatepass"), usedforsecurity=False)
    for chunk in data:
        hashed.update(chunk)
    return "src:" + hashed.hexdigest()


def skippable(known: Mapping[str, str], keys: list[str]) -> list[str]:
    """Per entry, its key when it may be skipped if known: keys that appear once (a shared
    key gets a content hash added, so those entries are always read)."""
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return [key if key and counts[key] == 1 and key in known else "" for key in keys]


def unique_keys(result: ParsedFeed) -> None:
    """Give entries that share an id (a publisher's mistake) keys of their own.

    The first keeps the id; the others add a hash of their content, which stays the same
    from one refresh to the next whatever the order of the entries.
    """
    seen: set[str] = set()
    for article in result.articles:
        if article.key in seen:
            old = article.key
            article.key = f"{old}#sha1:{digest(article.title, article.text, article.link)}"
            if old in result.undated:
                result.undated.append(article.key)
        seen.add(article.key)


def digest(*parts: str) -> str:
    """A SHA-1 of ``parts``, kept apart from each other."""
    hashed = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        hashed.update(part.encode("utf-8", "surrogatepass"))
        hashed.update(b"\x00")
    return hashed.hexdigest()


def non_negative_int(value: object) -> int | None:
    """``value`` read as a whole number of at least 0 (an enclosure's length), else None."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None
