"""Rows become model objects here, read by column name; the SELECT lists that go with them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from newsreader.model import (
    Article,
    ArticleSummary,
    ContentType,
    Enclosure,
    Feed,
    FeedKind,
    FetchStatus,
)

TAG_SEPARATOR = "\x1f"

# Every list query selects these names (``a`` is articles, ``f`` feeds).
SUMMARY_COLUMNS = (
    "a.id AS id, a.feed_id AS feed_id, f.title AS feed_title, a.title AS title, "
    "a.link AS link, a.author AS author, a.published AS published, a.read AS read, "
    "a.starred AS starred"
)

FEED_COLUMNS = (
    "f.id AS id, f.url AS url, f.title AS title, f.kind AS kind, f.tags AS tags, "
    "f.site_link AS site_link, f.etag AS etag, f.last_modified AS last_modified, "
    "f.last_status AS last_status, f.last_error AS last_error, "
    "f.last_fetched AS last_fetched, f.next_fetch AS next_fetch, f.failures AS failures, "
    "f.active AS active"
)

ARTICLE_COLUMNS = (
    "a.id AS id, a.feed_id AS feed_id, f.title AS feed_title, a.key AS key, a.title AS title, "
    "a.link AS link, a.author AS author, a.published AS published, a.updated AS updated, "
    "a.summary AS summary, a.content AS content, a.content_type AS content_type, "
    "a.body AS body, a.word_count AS word_count, a.read AS read, a.starred AS starred, "
    "a.read_at AS read_at, a.starred_at AS starred_at, a.enclosures AS enclosures"
)


def to_timestamp(value: datetime | None) -> float | None:
    return None if value is None else value.timestamp()


def to_datetime(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def join_tags(tags: Sequence[str]) -> str:
    return TAG_SEPARATOR.join(tags)


def enclosures_json(enclosures: Sequence[Enclosure]) -> str:
    if not enclosures:
        return ""
    return json.dumps([{"url": e.url, "type": e.type, "length": e.length} for e in enclosures])


def enclosures_from_json(text: str) -> tuple[Enclosure, ...]:
    if not text:
        return ()
    return tuple(
        Enclosure(url=e["url"], type=e.get("type", ""), length=e.get("length"))
        for e in json.loads(text)
    )


def summary_from_row(row: sqlite3.Row) -> ArticleSummary:
    """An :class:`ArticleSummary` from a row selected with :data:`SUMMARY_COLUMNS`."""
    return ArticleSummary(
        id=row["id"],
        feed_id=row["feed_id"],
        feed_title=row["feed_title"],
        title=row["title"],
        link=row["link"],
        author=row["author"],
        published=datetime.fromtimestamp(row["published"], UTC),
        read=bool(row["read"]),
        starred=bool(row["starred"]),
    )


def feed_from_row(row: sqlite3.Row, *, total: int = 0, unread: int = 0) -> Feed:
    """A :class:`Feed` from a row selected with :data:`FEED_COLUMNS`."""
    return Feed(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        kind=FeedKind(row["kind"]),
        tags=tuple(t for t in row["tags"].split(TAG_SEPARATOR) if t),
        site_link=row["site_link"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_status=FetchStatus(row["last_status"]),
        last_error=row["last_error"],
        last_fetched=to_datetime(row["last_fetched"]),
        next_fetch=to_datetime(row["next_fetch"]),
        failures=row["failures"],
        active=bool(row["active"]),
        total=total,
        unread=unread,
    )


def article_from_row(row: sqlite3.Row) -> Article:
    """An :class:`Article` from a row selected with :data:`ARTICLE_COLUMNS`."""
    return Article(
        id=row["id"],
        feed_id=row["feed_id"],
        feed_title=row["feed_title"],
        key=row["key"],
        title=row["title"],
        link=row["link"],
        author=row["author"],
        published=datetime.fromtimestamp(row["published"], UTC),
        updated=to_datetime(row["updated"]),
        summary=row["summary"],
        content=row["content"],
        content_type=ContentType(row["content_type"]),
        body=row["body"],
        word_count=row["word_count"],
        read=bool(row["read"]),
        starred=bool(row["starred"]),
        read_at=to_datetime(row["read_at"]),
        starred_at=to_datetime(row["starred_at"]),
        enclosures=enclosures_from_json(row["enclosures"]),
    )
