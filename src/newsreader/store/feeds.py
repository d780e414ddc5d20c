"""Feeds: adding, renaming, deactivating, fetch status and the per-feed counts."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import datetime

from newsreader.model import Feed, FeedKind, FetchStatus
from newsreader.store.connection import Database
from newsreader.store.rows import FEED_COLUMNS, feed_from_row, join_tags, to_timestamp

_ORDER = "ORDER BY f.kind DESC, lower(f.title), f.id"


def ensure_feed(
    db: Database,
    url: str,
    title: str = "",
    kind: FeedKind = FeedKind.FEED,
    tags: Sequence[str] = (),
    site_link: str = "",
) -> Feed:
    """Add the feed at ``url`` or update its title and tags; mark it active.

    A removed feed added again is the same row made active, so its cached articles come
    back once, with their read and starred state.
    """
    with db.transaction() as connection:
        connection.execute(
            "INSERT INTO feeds (url, title, kind, tags, site_link) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET "
            "title = CASE WHEN excluded.title != '' THEN excluded.title ELSE feeds.title END, "
            "kind = excluded.kind, tags = excluded.tags, active = 1, "
            "site_link = CASE WHEN excluded.site_link != '' "
            "THEN excluded.site_link ELSE feeds.site_link END",
            (url, title, str(kind), join_tags(tags), site_link),
        )
    feed = feed_by_url(db, url)
    assert feed is not None
    return feed


def feed(db: Database, feed_id: int) -> Feed | None:
    row = db.query_one(f"SELECT {FEED_COLUMNS} FROM feeds f WHERE f.id = ?", (feed_id,))
    return None if row is None else feed_from_row(row)


def feed_by_url(db: Database, url: str) -> Feed | None:
    row = db.query_one(f"SELECT {FEED_COLUMNS} FROM feeds f WHERE f.url = ?", (url,))
    return None if row is None else feed_from_row(row)


def feeds(db: Database, *, include_inactive: bool = False, counts: bool = True) -> list[Feed]:
    """Every feed with its total and unread counts (zero without ``counts``), by title."""
    where = "" if include_inactive else "WHERE f.active = 1"
    if not counts:
        rows = db.query(f"SELECT {FEED_COLUMNS} FROM feeds f {where} {_ORDER}")
        return [feed_from_row(row) for row in rows]
    # One pass over the per-feed index (it holds ``read`` and ``hidden``) counts every feed
    # at once; articles hidden by filters are not counted.
    rows = db.query(
        f"SELECT {FEED_COLUMNS}, coalesce(c.total, 0) AS total, "
        "coalesce(c.unread, 0) AS unread FROM feeds f LEFT JOIN ("
        "SELECT feed_id, count(*) AS total, sum(read = 0) AS unread "
        "FROM articles WHERE hidden = 0 GROUP BY feed_id) AS c ON c.feed_id = f.id "
        f"{where} {_ORDER}"
    )
    return [feed_from_row(row, total=row["total"], unread=row["unread"]) for row in rows]


def deactivate_feeds_except(db: Database, urls: Iterable[str], kind: FeedKind) -> None:
    """Mark feeds of ``kind`` whose URL is not in ``urls`` inactive (their articles stay)."""
    keep = list(urls)
    with db.transaction() as connection:
        marks = ",".join("?" * len(keep))
        connection.execute(
            f"UPDATE feeds SET active = 0 WHERE kind = ? AND url NOT IN ({marks})",
            (str(kind), *keep),
        )


def set_feed_column(db: Database, feed_id: int, column: str, value: str) -> None:
    assert column in ("url", "title", "site_link"), column
    with db.transaction() as connection:
        connection.execute(f"UPDATE feeds SET {column} = ? WHERE id = ?", (value, feed_id))


def record_fetch(
    db: Database,
    feed_id: int,
    status: FetchStatus,
    error: str = "",
    etag: str | None = None,
    last_modified: str | None = None,
    next_fetch: datetime | None = None,
    *,
    keep_validators: bool = False,
) -> None:
    """Remember how the last fetch of a feed went."""
    status = FetchStatus(status)
    now = time.time()
    failures = "failures + 1" if status.failed else "0"
    with db.transaction() as connection:
        if keep_validators:
            connection.execute(
                "UPDATE feeds SET last_status = ?, last_error = ?, last_fetched = ?, "
                f"next_fetch = ?, failures = {failures} WHERE id = ?",
                (str(status), error, now, to_timestamp(next_fetch), feed_id),
            )
        else:
            connection.execute(
                "UPDATE feeds SET last_status = ?, last_error = ?, last_fetched = ?, "
                f"next_fetch = ?, etag = ?, last_modified = ?, failures = {failures} "
                "WHERE id = ?",
                (str(status), error, now, to_timestamp(next_fetch), etag, last_modified, feed_id),
            )


def delete_feed(db: Database, feed_id: int) -> int:
    """Forget a feed and its articles, starred ones included; how many articles went."""
    with db.transaction() as connection:
        (articles,) = connection.execute(
            "SELECT count(*) FROM articles WHERE feed_id = ?", (feed_id,)
        ).fetchone()
        connection.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
    return int(articles)
