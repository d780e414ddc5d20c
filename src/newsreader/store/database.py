"""One SQLite file holding feeds, articles, their state and an FTS5 index.

Rows become model dataclasses at this boundary; nothing above it sees SQL. Refreshing or
re-importing an article may change its text but never its read/starred state.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newsreader.model import (
    Article,
    ArticleSummary,
    ContentType,
    Enclosure,
    Feed,
    FeedKind,
    NewArticle,
    SearchHit,
    UpsertCounts,
)
from newsreader.store import sync_state
from newsreader.store.schema import MIGRATIONS, SCHEMA_VERSION

APPLICATION_ID = 0x4E525344  # "NRSD": marks the file as a newsreader cache


class StoreError(Exception):
    """The cache cannot be opened or used; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles a list shows. Empty fields do not filter."""

    feed_id: int | None = None
    feed_ids: tuple[int, ...] | None = None
    tag: str | None = None
    unread: bool = False
    starred: bool = False
    article_ids: tuple[int, ...] | None = None


def _ts(value: datetime | None) -> float | None:
    return None if value is None else value.timestamp()


def _dt(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _article_hash(article: NewArticle) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in (
        article.title,
        article.author,
        article.link,
        article.content,
        article.content_type,
        article.summary,
        str(_ts(article.published)),
        str(_ts(article.updated)),
        _enclosures_json(article.enclosures),
    ):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def _enclosures_json(enclosures: Sequence[Enclosure]) -> str:
    if not enclosures:
        return ""
    return json.dumps([{"url": e.url, "type": e.type, "length": e.length} for e in enclosures])


def _word_count(text: str) -> int:
    return len(text.split())


_SUMMARY_COLUMNS = (
    "a.id, a.feed_id, f.title, a.title, a.link, a.author, a.published, a.read, a.starred"
)


def _summary(row: sqlite3.Row | tuple) -> ArticleSummary:  # type: ignore[type-arg]
    return ArticleSummary(
        id=row[0],
        feed_id=row[1],
        feed_title=row[2],
        title=row[3],
        link=row[4],
        author=row[5],
        published=datetime.fromtimestamp(row[6], UTC),
        read=bool(row[7]),
        starred=bool(row[8]),
    )


class Store:
    """The cache. Safe to share between threads; each call is one short transaction."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self.path = path

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (creating if needed) the cache at ``path`` and bring its schema up to date.

        Raises:
            StoreError: the file is not a newsreader cache, is damaged, or was written by a
                newer version. The file is left as it is.
        """
        path = Path(path)
        if str(path) != ":memory:":
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    f"cannot create the cache folder {path.parent}: {error}"
                ) from error
        try:
            db = sqlite3.connect(
                str(path), check_same_thread=False, isolation_level=None, timeout=10
            )
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the cache {path}: {error}") from error
        store = cls(db, None if str(path) == ":memory:" else path)
        try:
            store._prepare()
        except sqlite3.DatabaseError as error:
            db.close()
            raise StoreError(
                f"the cache {path} is damaged or not a newsreader cache ({error}); "
                "move it aside or pass --db to use another file"
            ) from error
        except StoreError:
            db.close()
            raise
        return store

    def _prepare(self) -> None:
        db = self._db
        # Reading the header first makes a non-database file fail here, before any write.
        version = db.execute("PRAGMA user_version").fetchone()[0]
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        where = self.path or ":memory:"
        if tables and app_id != APPLICATION_ID:
            raise StoreError(
                f"{where} is an SQLite file but not a newsreader cache; "
                "pass --db to use another file"
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the cache {where} was written by a newer newsreader (schema {version}, "
                f"this version reads up to {SCHEMA_VERSION}); upgrade newsreader or pass --db"
            )
        if self.path is not None:
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")
        if version < SCHEMA_VERSION:
            self._migrate(version)
            # A full check reads the whole file, so it runs only when the schema changes;
            # damage found later surfaces as sqlite3.DatabaseError, which callers report.
            check = db.execute("PRAGMA quick_check(1)").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(check)

    def _migrate(self, version: int) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            current = db.execute("PRAGMA user_version").fetchone()[0]
            for number in range(current, SCHEMA_VERSION):
                for statement in _split_sql(MIGRATIONS[number]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @property
    def schema_version(self) -> int:
        return int(self._query_one("PRAGMA user_version")[0])

    # -- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back whole if anything inside fails."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:  # type: ignore[type-arg]
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _query_one(self, sql: str, params: Sequence[object] = ()) -> tuple:  # type: ignore[type-arg]
        with self._lock:
            return self._db.execute(sql, params).fetchone()  # type: ignore[no-any-return]

    # -- meta -------------------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self._query_one("SELECT value FROM meta WHERE key = ?", (key,))
        return default if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- feeds ------------------------------------------------------------------------------

    _FEED_COLUMNS = (
        "f.id, f.url, f.title, f.kind, f.tags, f.site_link, f.etag, f.last_modified, "
        "f.last_status, f.last_error, f.last_fetched, f.next_fetch, f.failures, f.active"
    )

    @staticmethod
    def _feed(row: tuple, total: int = 0, unread: int = 0) -> Feed:  # type: ignore[type-arg]
        return Feed(
            id=row[0],
            url=row[1],
            title=row[2],
            kind=FeedKind(row[3]),
            tags=tuple(t for t in row[4].split("\x1f") if t),
            site_link=row[5],
            etag=row[6],
            last_modified=row[7],
            last_status=row[8],
            last_error=row[9],
            last_fetched=_dt(row[10]),
            next_fetch=_dt(row[11]),
            failures=row[12],
            active=bool(row[13]),
            total=total,
            unread=unread,
        )

    def ensure_feed(
        self,
        url: str,
        title: str = "",
        kind: FeedKind = FeedKind.FEED,
        tags: Sequence[str] = (),
        site_link: str = "",
    ) -> Feed:
        """Add the feed at ``url`` or update its title and tags; mark it active."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO feeds (url, title, kind, tags, site_link) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET "
                "title = CASE WHEN excluded.title != '' THEN excluded.title ELSE feeds.title END, "
                "kind = excluded.kind, tags = excluded.tags, active = 1, "
                "site_link = CASE WHEN excluded.site_link != '' "
                "THEN excluded.site_link ELSE feeds.site_link END",
                (url, title, str(kind), "\x1f".join(tags), site_link),
            )
        feed = self.feed_by_url(url)
        assert feed is not None
        return feed

    def feed(self, feed_id: int) -> Feed | None:
        row = self._query_one(
            f"SELECT {self._FEED_COLUMNS} FROM feeds f WHERE f.id = ?", (feed_id,)
        )
        return None if row is None else self._feed(row)

    def feed_by_url(self, url: str) -> Feed | None:
        row = self._query_one(f"SELECT {self._FEED_COLUMNS} FROM feeds f WHERE f.url = ?", (url,))
        return None if row is None else self._feed(row)

    def feeds(self, include_inactive: bool = False, counts: bool = True) -> list[Feed]:
        """Every feed with its total and unread counts (zero without ``counts``), by title."""
        where = "" if include_inactive else "WHERE f.active = 1"
        if not counts:
            rows = self._query(
                f"SELECT {self._FEED_COLUMNS} FROM feeds f {where} "
                "ORDER BY f.kind DESC, lower(f.title), f.id"
            )
            return [self._feed(row) for row in rows]
        rows = self._query(
            f"SELECT {self._FEED_COLUMNS}, "
            "(SELECT count(*) FROM articles a WHERE a.feed_id = f.id), "
            # "+a.read" keeps SQLite on the per-feed index; the read index would scan every
            # unread article once per feed.
            "(SELECT count(*) FROM articles a WHERE a.feed_id = f.id AND +a.read = 0) "
            f"FROM feeds f {where} ORDER BY f.kind DESC, lower(f.title), f.id"
        )
        return [self._feed(row[:14], total=row[14], unread=row[15]) for row in rows]

    def set_feed_active(self, feed_id: int, active: bool) -> None:
        with self.transaction() as db:
            db.execute("UPDATE feeds SET active = ? WHERE id = ?", (int(active), feed_id))

    def deactivate_feeds_except(self, urls: Iterable[str], kind: FeedKind) -> None:
        """Mark feeds of ``kind`` whose URL is not in ``urls`` inactive (their articles stay)."""
        keep = list(urls)
        with self.transaction() as db:
            marks = ",".join("?" * len(keep))
            db.execute(
                f"UPDATE feeds SET active = 0 WHERE kind = ? AND url NOT IN ({marks})",
                (str(kind), *keep),
            )

    def set_feed_url(self, feed_id: int, url: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE feeds SET url = ? WHERE id = ?", (url, feed_id))

    def set_feed_title(self, feed_id: int, title: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE feeds SET title = ? WHERE id = ?", (title, feed_id))

    def set_site_link(self, feed_id: int, link: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE feeds SET site_link = ? WHERE id = ?", (link, feed_id))

    def published_times(self, feed_id: int, keys: Collection[str]) -> dict[str, datetime]:
        """When the stored articles of a feed with these keys were published."""
        found: dict[str, datetime] = {}
        wanted = list(keys)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, published in self._query(
                f"SELECT key, published FROM articles WHERE feed_id = ? AND key IN ({marks})",
                (feed_id, *chunk),
            ):
                found[key] = datetime.fromtimestamp(published, UTC)
        return found

    def record_fetch(
        self,
        feed_id: int,
        status: str,
        error: str = "",
        etag: str | None = None,
        last_modified: str | None = None,
        next_fetch: datetime | None = None,
        keep_validators: bool = False,
    ) -> None:
        """Remember how the last fetch of a feed went."""
        now = time.time()
        failed = status in ("error", "gone")
        with self.transaction() as db:
            if keep_validators:
                db.execute(
                    "UPDATE feeds SET last_status = ?, last_error = ?, last_fetched = ?, "
                    "next_fetch = ?, failures = CASE WHEN ? THEN failures + 1 ELSE 0 END "
                    "WHERE id = ?",
                    (status, error, now, _ts(next_fetch), failed, feed_id),
                )
            else:
                db.execute(
                    "UPDATE feeds SET last_status = ?, last_error = ?, last_fetched = ?, "
                    "next_fetch = ?, etag = ?, last_modified = ?, "
                    "failures = CASE WHEN ? THEN failures + 1 ELSE 0 END WHERE id = ?",
                    (status, error, now, _ts(next_fetch), etag, last_modified, failed, feed_id),
                )

    def delete_feed(self, feed_id: int) -> None:
        """Forget a feed and its articles, starred ones included."""
        with self.transaction() as db:
            db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))

    def tags(self) -> list[str]:
        found: set[str] = set()
        for feed in self.feeds():
            found.update(feed.tags)
        return sorted(found, key=str.lower)

    # -- storing articles -------------------------------------------------------------------

    def upsert_articles(
        self,
        feed_id: int,
        articles: Iterable[NewArticle],
        remove_missing: bool = False,
        keep: Collection[str] = (),
    ) -> UpsertCounts:
        """Store one source's articles in a single transaction.

        New articles are inserted and changed ones updated; read and starred state are never
        touched. With ``remove_missing`` (a rescanned folder), articles of this feed that are
        not in ``articles`` or ``keep`` are deleted, except starred ones.
        """
        now = time.time()
        new = updated = unchanged = removed = 0
        seen: set[str] = set()
        with self.transaction() as db:
            existing = {
                key: (article_id, digest)
                for article_id, key, digest in db.execute(
                    "SELECT id, key, hash FROM articles WHERE feed_id = ?", (feed_id,)
                )
            }
            for article in articles:
                if article.key in seen:
                    continue
                seen.add(article.key)
                digest = _article_hash(article)
                values = (
                    digest,
                    article.title,
                    article.author,
                    article.link,
                    _ts(article.published),
                    _ts(article.updated),
                    article.summary,
                    article.content,
                    str(article.content_type),
                    article.body,
                    article.text,
                    _word_count(article.text),
                    _enclosures_json(article.enclosures),
                )
                found = existing.get(article.key)
                if found is None:
                    db.execute(
                        "INSERT INTO articles (hash, title, author, link, published, updated, "
                        "summary, content, content_type, body, text, word_count, enclosures, "
                        "feed_id, key, first_seen) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (*values, feed_id, article.key, now),
                    )
                    new += 1
                elif found[1] != digest:
                    db.execute(
                        "UPDATE articles SET hash = ?, title = ?, author = ?, link = ?, "
                        "published = ?, updated = ?, summary = ?, content = ?, "
                        "content_type = ?, body = ?, text = ?, word_count = ?, enclosures = ? "
                        "WHERE id = ?",
                        (*values, found[0]),
                    )
                    updated += 1
                else:
                    unchanged += 1
            if remove_missing:
                gone = [
                    aid for key, (aid, _) in existing.items() if key not in seen and key not in keep
                ]
                for start in range(0, len(gone), 500):
                    chunk = gone[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    cursor = db.execute(
                        f"DELETE FROM articles WHERE starred = 0 AND id IN ({marks})", chunk
                    )
                    removed += cursor.rowcount
        return UpsertCounts(new=new, updated=updated, unchanged=unchanged, removed=removed)

    def set_body(self, article_id: int, body: str) -> None:
        """Cache the Markdown rendering of an article whose content is converted lazily."""
        with self.transaction() as db:
            db.execute("UPDATE articles SET body = ? WHERE id = ?", (body, article_id))

    def prune(self, feed_id: int, keep: int) -> int:
        """Delete all but the newest ``keep`` articles of a feed; starred ones always stay."""
        with self.transaction() as db:
            cursor = db.execute(
                "DELETE FROM articles WHERE feed_id = ? AND starred = 0 AND id NOT IN ("
                "SELECT id FROM articles WHERE feed_id = ? "
                "ORDER BY published DESC, id DESC LIMIT ?)",
                (feed_id, feed_id, keep),
            )
            return cursor.rowcount

    # -- state ------------------------------------------------------------------------------

    def set_read(self, article_ids: Iterable[int], read: bool = True) -> int:
        """Mark articles read or unread; returns how many changed."""
        return self._set_flag("read", article_ids, read)

    def set_starred(self, article_ids: Iterable[int], starred: bool = True) -> int:
        """Star or unstar articles; returns how many changed."""
        return self._set_flag("starred", article_ids, starred)

    def _set_flag(self, column: str, article_ids: Iterable[int], value: bool) -> int:
        ids = list(article_ids)
        changed = 0
        now = time.time()
        with self.transaction() as db:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                sync_state.queue_local_change(db, column, chunk, value, now)
                cursor = db.execute(
                    f"UPDATE articles SET {column} = ?, {column}_at = ? "
                    f"WHERE {column} != ? AND id IN ({marks})",
                    (int(value), now, int(value), *chunk),
                )
                changed += cursor.rowcount
        return changed

    def mark_all_read(self, where: ArticleFilter) -> list[int]:
        """Mark every unread article matching ``where`` read; returns their ids (for undo)."""
        clause, params = self._where(where)
        ids = [
            row[0]
            for row in self._query(
                f"SELECT a.id FROM articles a JOIN feeds f ON f.id = a.feed_id "
                f"WHERE a.read = 0 AND {clause}",
                params,
            )
        ]
        self.set_read(ids, True)
        return ids

    # -- reading ----------------------------------------------------------------------------

    @staticmethod
    def _where(where: ArticleFilter) -> tuple[str, list[object]]:
        clauses = ["1"]
        params: list[object] = []
        if where.feed_id is not None:
            clauses.append("a.feed_id = ?")
            params.append(where.feed_id)
        if where.feed_ids is not None:
            clauses.append(f"a.feed_id IN ({','.join('?' * len(where.feed_ids))})")
            params.extend(where.feed_ids)
        if where.tag is not None:
            clauses.append("('\x1f' || f.tags || '\x1f') LIKE ?")
            params.append(f"%\x1f{where.tag}\x1f%")
        if where.unread:
            clauses.append("a.read = 0")
        if where.starred:
            clauses.append("a.starred = 1")
        if where.article_ids is not None:
            clauses.append(f"a.id IN ({','.join('?' * len(where.article_ids))})")
            params.extend(where.article_ids)
        return " AND ".join(clauses), params

    def list_articles(
        self, where: ArticleFilter = ArticleFilter(), limit: int = 100, offset: int = 0
    ) -> list[ArticleSummary]:
        """A page of articles matching ``where``, newest first."""
        clause, params = self._where(where)
        rows = self._query(
            f"SELECT {_SUMMARY_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id "
            f"WHERE {clause} ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_summary(row) for row in rows]

    def count_articles(self, where: ArticleFilter = ArticleFilter()) -> int:
        clause, params = self._where(where)
        join = " JOIN feeds f ON f.id = a.feed_id" if where.tag is not None else ""
        return int(
            self._query_one(f"SELECT count(*) FROM articles a{join} WHERE {clause}", params)[0]
        )

    def article(self, article_id: int) -> Article | None:
        row = self._query_one(
            "SELECT a.id, a.feed_id, f.title, a.key, a.title, a.link, a.author, a.published, "
            "a.updated, a.summary, a.content, a.content_type, a.body, a.word_count, a.read, "
            "a.starred, a.read_at, a.starred_at, a.enclosures "
            "FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id = ?",
            (article_id,),
        )
        if row is None:
            return None
        enclosures = tuple(
            Enclosure(url=e["url"], type=e.get("type", ""), length=e.get("length"))
            for e in (json.loads(row[18]) if row[18] else [])
        )
        return Article(
            id=row[0],
            feed_id=row[1],
            feed_title=row[2],
            key=row[3],
            title=row[4],
            link=row[5],
            author=row[6],
            published=datetime.fromtimestamp(row[7], UTC),
            updated=_dt(row[8]),
            summary=row[9],
            content=row[10],
            content_type=ContentType(row[11]),
            body=row[12],
            word_count=row[13],
            read=bool(row[14]),
            starred=bool(row[15]),
            read_at=_dt(row[16]),
            starred_at=_dt(row[17]),
            enclosures=enclosures,
        )

    def neighbour_unread(
        self, where: ArticleFilter, after: ArticleSummary | None, forward: bool = True
    ) -> ArticleSummary | None:
        """The next (older) or previous (newer) unread article in list order."""
        clause, params = self._where(where)
        if after is None:
            position, order = "1", "DESC" if forward else "ASC"
        elif forward:
            position = "(a.published < ? OR (a.published = ? AND a.id < ?))"
            order = "DESC"
        else:
            position = "(a.published > ? OR (a.published = ? AND a.id > ?))"
            order = "ASC"
        extra: list[object] = []
        if after is not None:
            ts = after.published.timestamp()
            extra = [ts, ts, after.id]
        row = self._query_one(
            f"SELECT {_SUMMARY_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id "
            f"WHERE a.read = 0 AND {clause} AND {position} "
            f"ORDER BY a.published {order}, a.id {order} LIMIT 1",
            (*params, *extra),
        )
        return None if row is None else _summary(row)

    def article_position(self, where: ArticleFilter, article_id: int) -> int | None:
        """The 0-based row of an article in ``list_articles(where)`` order, None if unlisted."""
        clause, params = self._where(where)
        row = self._query_one(
            f"SELECT a.published FROM articles a JOIN feeds f ON f.id = a.feed_id "
            f"WHERE a.id = ? AND {clause}",
            (article_id, *params),
        )
        if row is None:
            return None
        ts = row[0]
        return int(
            self._query_one(
                f"SELECT count(*) FROM articles a JOIN feeds f ON f.id = a.feed_id "
                f"WHERE {clause} AND (a.published > ? OR (a.published = ? AND a.id > ?))",
                (*params, ts, ts, article_id),
            )[0]
        )

    # -- search -----------------------------------------------------------------------------

    def search(
        self,
        match: str,
        where: ArticleFilter = ArticleFilter(),
        limit: int = 50,
        offset: int = 0,
        mark: tuple[str, str] = ("**", "**"),
    ) -> list[SearchHit]:
        """Articles matching an FTS5 ``match`` expression, best first, with snippets.

        ``match`` must already be a valid FTS5 query; :func:`newsreader.search.to_fts_query`
        builds one from what a user typed.
        """
        clause, params = self._where(where)
        try:
            rows = self._query(
                f"SELECT {_SUMMARY_COLUMNS}, "
                "snippet(articles_fts, -1, ?, ?, '…', 16), bm25(articles_fts, 10.0, 2.0, 1.0) "
                "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
                "JOIN feeds f ON f.id = a.feed_id "
                f"WHERE articles_fts MATCH ? AND {clause} "
                "ORDER BY bm25(articles_fts, 10.0, 2.0, 1.0), a.published DESC LIMIT ? OFFSET ?",
                (mark[0], mark[1], match, *params, limit, offset),
            )
        except sqlite3.OperationalError as error:
            raise StoreError(f"cannot search for {match!r}: {error}") from error
        return [SearchHit(article=_summary(row[:9]), snippet=row[9], rank=row[10]) for row in rows]


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer: list[str] = []
    for line in script.splitlines():
        buffer.append(line)
        candidate = "\n".join(buffer).strip()
        if candidate and sqlite3.complete_statement(candidate):
            statements.append(candidate)
            buffer = []
    rest = "\n".join(buffer).strip()
    if rest:
        statements.append(rest)
    return statements
