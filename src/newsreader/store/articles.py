"""Storing articles and their state: upserts that keep read/starred, pruning, marking."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import time
from collections.abc import Collection, Iterable
from datetime import UTC, datetime

from newsreader.model import NewArticle, UpsertCounts
from newsreader.store.connection import Database
from newsreader.store.deferred_index import before_insert
from newsreader.store.filters import ArticleFilter, where_sql
from newsreader.store.headings import headings_of
from newsreader.store.rows import enclosures_json, to_timestamp
from newsreader.store.sync_state import queue_local_change

CHUNK = 500  # ids per statement, well under SQLite's variable limit


def _article_hash(article: NewArticle) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in (
        article.title,
        article.author,
        article.link,
        article.content,
        article.content_type,
        article.summary,
        str(to_timestamp(article.published)),
        str(to_timestamp(article.updated)),
        enclosures_json(article.enclosures),
    ):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def published_times(db: Database, feed_id: int, keys: Collection[str]) -> dict[str, datetime]:
    """When the stored articles of a feed with these keys were published."""
    found: dict[str, datetime] = {}
    wanted = list(keys)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        for row in db.query(
            f"SELECT key, published FROM articles WHERE feed_id = ? AND key IN ({marks})",
            (feed_id, *chunk),
        ):
            found[row["key"]] = datetime.fromtimestamp(row["published"], UTC)
    return found


def known_hashes(db: Database, feed_id: int) -> dict[str, str]:
    """The stored articles of a feed: key -> hash (a source hash when ingest gave one)."""
    return {
        str(key): str(digest)
        for key, digest in db.tuples("SELECT key, hash FROM articles WHERE feed_id = ?", (feed_id,))
    }


def upsert_articles(
    db: Database,
    feed_id: int,
    articles: Iterable[NewArticle],
    *,
    remove_missing: bool = False,
    keep: Collection[str] = (),
) -> UpsertCounts:
    """Store one source's articles in a single transaction.

    New articles are inserted and changed ones updated; read and starred state are never
    touched. An article is unchanged when its stored hash is its ``source_hash`` (or, for
    articles stored before source hashes, the hash of its stored fields: then only the
    hash is rewritten). With ``remove_missing`` (a rescanned folder), articles of this feed
    that are not in ``articles`` or ``keep`` are deleted, except starred ones.
    """
    now = time.time()
    new = updated = unchanged = removed = 0
    seen: set[str] = set()
    new_ids: list[int] = []
    with db.transaction() as connection:
        existing: dict[str, tuple[int, str]] = {
            row["key"]: (row["id"], row["hash"])
            for row in connection.execute(
                "SELECT id, key, hash FROM articles WHERE feed_id = ?", (feed_id,)
            )
        }
        inserts: list[dict[str, object]] = []
        for article in articles:
            if article.key in seen:
                continue
            seen.add(article.key)
            found = existing.get(article.key)
            digest = article.source_hash or _article_hash(article)
            if found is not None and found[1] == digest:
                unchanged += 1
                continue
            if found is not None and article.source_hash and found[1] == _article_hash(article):
                connection.execute("UPDATE articles SET hash = ? WHERE id = ?", (digest, found[0]))
                unchanged += 1
                continue
            values = _values(article, digest)
            if found is None:
                values.update(feed_id=feed_id, key=article.key, first_seen=now)
                inserts.append(values)
                new += 1
            else:
                assignments = ", ".join(f"{name} = :{name}" for name in values)
                values["id"] = found[0]
                connection.execute(f"UPDATE articles SET {assignments} WHERE id = :id", values)
                updated += 1
        if inserts:
            before_insert(db, connection)
        new_ids = _insert(connection, inserts)
        if remove_missing:
            gone = [
                aid for key, (aid, _) in existing.items() if key not in seen and key not in keep
            ]
            for start in range(0, len(gone), CHUNK):
                chunk = gone[start : start + CHUNK]
                marks = ",".join("?" * len(chunk))
                cursor = connection.execute(
                    f"DELETE FROM articles WHERE starred = 0 AND id IN ({marks})", chunk
                )
                removed += cursor.rowcount
    return UpsertCounts(
        new=new, updated=updated, unchanged=unchanged, removed=removed, new_ids=tuple(new_ids)
    )


def _values(article: NewArticle, digest: str) -> dict[str, object]:
    return {
        "hash": digest,
        "title": article.title,
        "author": article.author,
        "link": article.link,
        "published": to_timestamp(article.published),
        "updated": to_timestamp(article.updated),
        "summary": article.summary,
        "content": article.content,
        "content_type": str(article.content_type),
        "body": article.body,
        "text": article.text,
        "headings": (
            headings_of(article.body, article.content, article.content_type)
            if article.headings is None
            else article.headings
        ),
        "word_count": len(article.text.split())
        if article.word_count is None
        else article.word_count,
        "enclosures": enclosures_json(article.enclosures),
    }


# From this many new rows on, the search index is filled by one statement after the rows
# are in, rather than row by row by the insert trigger: inside a transaction SQLite gives
# each triggered insert a savepoint, and FTS5 writes its pending terms out at every one,
# which made indexing cost four times the CPU of one bulk insert.
BULK_INDEX_MIN = 8
_INSERT_TRIGGER = "articles_fts_insert"
_TRIGGER_INSERT = re.compile(
    r"\bBEGIN\s+INSERT\s+INTO\s+(\w+)\s*\(([^)]*)\)\s*VALUES\s*\((.*)\)\s*;\s*END\s*$",
    re.IGNORECASE | re.DOTALL,
)


_CONDITION = re.compile(r"\bWHEN\b", re.IGNORECASE)  # a trigger for some rows only


def _insert(connection: sqlite3.Connection, rows: list[dict[str, object]]) -> list[int]:
    """Insert new articles; index them in one statement when there are many.

    Returns the new rows' ids in the order of ``rows`` (a new row's id is above every id
    before it, and the transaction keeps other writers out).
    """
    if not rows:
        return []
    (last,) = connection.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()
    names = ", ".join(rows[0])
    marks = ", ".join(f":{name}" for name in rows[0])
    statement = f"INSERT INTO articles ({names}) VALUES ({marks})"
    trigger = None
    if len(rows) >= BULK_INDEX_MIN:
        found = connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (_INSERT_TRIGGER,),
        ).fetchone()
        trigger = found[0] if found else None
    bulk = _bulk_index_sql(trigger) if trigger else None
    if trigger is None or bulk is None:
        connection.executemany(statement, rows)
    else:
        # The trigger goes and comes back inside this transaction: no other connection
        # ever sees the table without it.
        connection.execute(f"DROP TRIGGER {_INSERT_TRIGGER}")
        try:
            connection.executemany(statement, rows)
            connection.execute(bulk, (last,))
        finally:
            connection.execute(trigger)
    return [
        int(row[0])
        for row in connection.execute("SELECT id FROM articles WHERE id > ? ORDER BY id", (last,))
    ]


def _bulk_index_sql(trigger: str) -> str | None:
    """The insert trigger's one statement as an ``INSERT ... SELECT`` over the rows whose
    id is above a bound (new rows get ids above the largest), or None if it is not one
    plain INSERT ... VALUES run for every row (then the trigger does the indexing)."""
    match = _TRIGGER_INSERT.search(trigger)
    if match is None or ";" in match.group(3) or _CONDITION.search(trigger[: match.start()]):
        return None
    table, columns, values = match.groups()
    return (
        f"INSERT INTO {table} ({columns}) SELECT {values} FROM articles AS new "
        "WHERE new.id > ? ORDER BY new.id"
    )


def set_body(db: Database, article_id: int, body: str) -> None:
    """Cache the Markdown rendering of an article whose content is converted lazily."""
    with db.transaction() as connection:
        connection.execute("UPDATE articles SET body = ? WHERE id = ?", (body, article_id))


def prune(db: Database, feed_id: int, keep: int) -> int:
    """Delete all but the newest ``keep`` articles of a feed; starred ones always stay."""
    with db.transaction() as connection:
        cursor = connection.execute(
            "DELETE FROM articles WHERE feed_id = ? AND starred = 0 AND id NOT IN ("
            "SELECT id FROM articles WHERE feed_id = ? "
            "ORDER BY published DESC, id DESC LIMIT ?)",
            (feed_id, feed_id, keep),
        )
        return cursor.rowcount


def set_flag(db: Database, column: str, article_ids: Iterable[int], value: bool) -> int:
    """Set ``read`` or ``starred`` (and when) on articles; returns how many changed."""
    with db.transaction() as connection:
        return _set_flag(connection, column, list(article_ids), value)


def mark_all_read(db: Database, where: ArticleFilter) -> list[int]:
    """Mark every unread article matching ``where`` read; returns their ids (for undo)."""
    clause, params = where_sql(where, ordered=False)
    with db.transaction() as connection:
        ids = [
            int(row["id"])
            for row in connection.execute(
                f"SELECT a.id AS id FROM articles a WHERE a.read = 0 AND {clause}", params
            )
        ]
        _set_flag(connection, "read", ids, True)
    return ids


def _set_flag(connection: sqlite3.Connection, column: str, ids: list[int], value: bool) -> int:
    assert column in ("read", "starred"), column
    changed = 0
    now = time.time()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        queue_local_change(connection, column, chunk, value, now)
        cursor = connection.execute(
            f"UPDATE articles SET {column} = ?, {column}_at = ? "
            f"WHERE {column} != ? AND id IN ({marks})",
            (int(value), now, int(value), *chunk),
        )
        changed += cursor.rowcount
    return changed
