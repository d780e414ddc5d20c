"""What syncing with a feed server keeps in the cache.

- ``sync_feeds`` / ``sync_items``: which local feeds and articles are the server's, by the
  server's ids.
- ``sync_queue``: local read/starred changes not yet sent, one row per server item and field
  (the latest change wins), stamped with the time it was made. It lives in the cache file, so
  it survives restarts and crashes; rows go only once the server has taken the change.
- ``sync_state``: the sync's own values (the account it syncs with, the highest item id seen,
  when it last synced).

Functions take the :class:`~newsreader.store.Store` (each call is one transaction) except
:func:`queue_local_change`, which runs inside the store's own read/starred transaction.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsreader.model import FeedKind, NewArticle

if TYPE_CHECKING:
    from newsreader.store import Store

FIELDS = ("read", "starred")


@dataclass(frozen=True, slots=True)
class QueuedChange:
    """One local change waiting to be sent: set ``field`` of server item ``remote_id``."""

    remote_id: int
    field: str  # "read" or "starred"
    value: bool
    changed_at: float


@dataclass(frozen=True, slots=True)
class ServerFeed:
    """A feed as the server lists it."""

    remote_id: int
    url: str
    title: str
    site_link: str
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ServerItem:
    """An item as the server sent it, already turned into an article."""

    remote_id: int
    feed_remote_id: int
    article: NewArticle
    read: bool
    starred: bool


# -- the hook in the store's read/starred writes ------------------------------------------


def queue_local_change(
    db: sqlite3.Connection, field: str, article_ids: Sequence[int], value: bool, now: float
) -> None:
    """Queue the change of ``field`` to ``value`` for those of ``article_ids`` that are server
    items and whose state it changes. Call it inside the store's transaction, before its
    UPDATE, so that the queue and the articles change together or not at all."""
    if field not in FIELDS or not article_ids:
        return
    marks = ",".join("?" * len(article_ids))
    db.execute(
        "INSERT INTO sync_queue (remote_id, field, value, changed_at) "
        "SELECT s.remote_id, ?, ?, ? FROM sync_items s JOIN articles a ON a.id = s.article_id "
        f"WHERE s.article_id IN ({marks}) AND a.{field} != ? "
        "ON CONFLICT (remote_id, field) DO UPDATE SET "
        "value = excluded.value, changed_at = excluded.changed_at",
        (field, int(value), now, *article_ids, int(value)),
    )


# -- the queue ----------------------------------------------------------------------------


def pending(store: Store) -> list[QueuedChange]:
    """Every queued change, oldest first."""
    with store.database.transaction() as db:
        rows = db.execute(
            "SELECT remote_id, field, value, changed_at FROM sync_queue ORDER BY changed_at"
        ).fetchall()
    return [QueuedChange(r[0], r[1], bool(r[2]), r[3]) for r in rows]


def queue_size(store: Store) -> int:
    with store.database.transaction() as db:
        return int(db.execute("SELECT count(*) FROM sync_queue").fetchone()[0])


def drop_sent(store: Store, changes: Iterable[QueuedChange]) -> None:
    """Forget changes the server has taken, unless they were changed again meanwhile."""
    rows = [(c.remote_id, c.field, c.changed_at) for c in changes]
    if not rows:
        return
    with store.database.transaction() as db:
        db.executemany(
            "DELETE FROM sync_queue WHERE remote_id = ? AND field = ? AND changed_at = ?", rows
        )


# -- settings -----------------------------------------------------------------------------


def get_state(store: Store, key: str, default: str = "") -> str:
    with store.database.transaction() as db:
        row = db.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return default if row is None else str(row[0])


def set_state(store: Store, values: Mapping[str, str]) -> None:
    with store.database.transaction() as db:
        db.executemany(
            "INSERT INTO sync_state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            list(values.items()),
        )


def use_account(store: Store, identity: str) -> bool:
    """Make ``identity`` the account this cache syncs with. When it was another account, that
    account's feeds are left as inactive feeds (their articles stay) and its queue and id
    mapping are forgotten. Returns True if the account changed."""
    previous = get_state(store, "account")
    if previous == identity:
        return False
    with store.database.transaction() as db:
        if previous:
            db.execute("UPDATE feeds SET active = 0 WHERE id IN (SELECT feed_id FROM sync_feeds)")
            db.execute("DELETE FROM sync_feeds")
            db.execute("DELETE FROM sync_items")
            db.execute("DELETE FROM sync_queue")
            db.execute("DELETE FROM sync_state")
        db.execute(
            "INSERT INTO sync_state (key, value) VALUES ('account', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (identity,),
        )
    return True


# -- feeds and items ----------------------------------------------------------------------


def server_feed_url(url: str, remote_id: int) -> str:
    """The cache's URL for a server feed: the feed's own URL with a fragment naming the server
    feed, so that it never collides with a subscription of the same feed in the config."""
    return f"{url}#server-feed-{remote_id}"


def save_feeds(store: Store, feeds: Sequence[ServerFeed]) -> dict[int, int]:
    """Create or update the server's feeds (kind SERVER); feeds the server no longer lists
    become inactive (their articles stay). Returns server feed id → local feed id."""
    mapping: dict[int, int] = {}
    with store.database.transaction() as db:
        known = dict(db.execute("SELECT remote_id, feed_id FROM sync_feeds").fetchall())
        for feed in feeds:
            feed_id = known.get(feed.remote_id)
            url = server_feed_url(feed.url, feed.remote_id)
            tags = "\x1f".join(feed.tags)
            if feed_id is None:
                row = db.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
                if row is None:
                    cursor = db.execute(
                        "INSERT INTO feeds (url, title, kind, tags, site_link, last_status) "
                        "VALUES (?, ?, ?, ?, ?, 'ok')",
                        (url, feed.title, str(FeedKind.SERVER), tags, feed.site_link),
                    )
                    feed_id = int(cursor.lastrowid or 0)
                else:
                    feed_id = int(row[0])
                db.execute(
                    "INSERT OR REPLACE INTO sync_feeds (feed_id, remote_id, remote_url) "
                    "VALUES (?, ?, ?)",
                    (feed_id, feed.remote_id, feed.url),
                )
            db.execute(
                "UPDATE feeds SET url = ?, title = ?, kind = ?, tags = ?, site_link = ?, "
                "active = 1, last_status = 'ok', last_error = '' WHERE id = ?",
                (url, feed.title, str(FeedKind.SERVER), tags, feed.site_link, feed_id),
            )
            mapping[feed.remote_id] = feed_id
        gone = [fid for rid, fid in known.items() if rid not in mapping]
        for feed_id in gone:
            db.execute("UPDATE feeds SET active = 0 WHERE id = ?", (feed_id,))
    return mapping


def server_feed_ids(store: Store) -> dict[int, int]:
    """Server feed id → local feed id of the server's feeds as last listed (the active ones)."""
    with store.database.transaction() as db:
        rows = db.execute(
            "SELECT s.remote_id, s.feed_id FROM sync_feeds s JOIN feeds f ON f.id = s.feed_id "
            "WHERE f.active = 1"
        ).fetchall()
    return {int(remote): int(local) for remote, local in rows}


def known_items(store: Store, remote_ids: Collection[int]) -> set[int]:
    """Those of ``remote_ids`` that are in the cache."""
    wanted = list(remote_ids)
    found: set[int] = set()
    with store.database.transaction() as db:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                row[0]
                for row in db.execute(
                    f"SELECT remote_id FROM sync_items WHERE remote_id IN ({marks})", chunk
                )
            )
    return found


def save_items(store: Store, feed_ids: Mapping[int, int], items: Sequence[ServerItem]) -> int:
    """Store server items as articles of their feeds, with the server's read/starred state for
    items that are new here. Returns how many were new."""
    by_feed: dict[int, list[ServerItem]] = {}
    for item in items:
        by_feed.setdefault(feed_ids[item.feed_remote_id], []).append(item)
    new = 0
    for feed_id, group in by_feed.items():
        new += store.upsert_articles(feed_id, [item.article for item in group]).new
    now = time.time()
    with store.database.transaction() as db:
        for feed_id, group in by_feed.items():
            keys = {item.article.key: item for item in group}
            marks = ",".join("?" * len(keys))
            rows = db.execute(
                f"SELECT a.id, a.key, s.remote_id FROM articles a "
                f"LEFT JOIN sync_items s ON s.article_id = a.id "
                f"WHERE a.feed_id = ? AND a.key IN ({marks})",
                (feed_id, *keys),
            ).fetchall()
            fresh = [(article_id, keys[key]) for article_id, key, mapped in rows if mapped is None]
            db.executemany(
                "INSERT OR REPLACE INTO sync_items (article_id, remote_id) VALUES (?, ?)",
                [(article_id, item.remote_id) for article_id, item in fresh],
            )
            # New articles are unread and unstarred: only the others need the server's state.
            db.executemany(
                "UPDATE articles SET read = ?, read_at = ?, starred = ?, starred_at = ? "
                "WHERE id = ?",
                [
                    (
                        int(item.read),
                        now if item.read else None,
                        int(item.starred),
                        now if item.starred else None,
                        article_id,
                    )
                    for article_id, item in fresh
                    if item.read or item.starred
                ],
            )
    return new


def apply_server_state(store: Store, unread: Collection[int], saved: Collection[int]) -> int:
    """Make server items match the server's unread and saved lists, except fields with a
    local change still queued. Returns how many article fields changed here."""
    now = time.time()
    changed = 0
    with store.database.transaction() as db:
        for table, ids in (("sync_unread", unread), ("sync_saved", saved)):
            db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (remote_id INTEGER PRIMARY KEY)")
            db.execute(f"DELETE FROM temp.{table}")
            db.executemany(
                f"INSERT OR IGNORE INTO temp.{table} (remote_id) VALUES (?)", [(i,) for i in ids]
            )
        for field, want in (
            ("read", "s.remote_id NOT IN (SELECT remote_id FROM temp.sync_unread)"),
            ("starred", "s.remote_id IN (SELECT remote_id FROM temp.sync_saved)"),
        ):
            cursor = db.execute(
                f"UPDATE articles SET {field} = x.want, {field}_at = ? "
                f"FROM (SELECT s.article_id AS aid, ({want}) AS want FROM sync_items s "
                "WHERE NOT EXISTS (SELECT 1 FROM sync_queue q "
                "WHERE q.remote_id = s.remote_id AND q.field = ?)) AS x "
                f"WHERE articles.id = x.aid AND articles.{field} != x.want",
                (now, field),
            )
            changed += cursor.rowcount
        db.execute("DELETE FROM temp.sync_unread")
        db.execute("DELETE FROM temp.sync_saved")
    return changed


def server_counts(store: Store) -> tuple[int, int]:
    """How many feeds and articles in the cache are the server's."""
    with store.database.transaction() as db:
        feeds = db.execute("SELECT count(*) FROM sync_feeds").fetchone()[0]
        items = db.execute("SELECT count(*) FROM sync_items").fetchone()[0]
    return int(feeds), int(items)
