"""The :class:`Store`: one object for everything the program asks of the cache.

Each method is a short transaction or query run by the module that holds that job
(:mod:`.feeds`, :mod:`.articles`, :mod:`.queries`, :mod:`.fts`). Rows become model objects
inside the package; nothing above it sees SQL. Refreshing or re-importing an article may
change its text but never its read/starred state.

A writer (:meth:`Store.open`) migrates the file and may write. A reader
(:meth:`Store.open_reader`) is a separate read-only connection that never waits for a writer
(the file is in WAL mode); every write method on it raises :class:`StoreError`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsreader.model import (
    Article,
    ArticleSummary,
    Feed,
    FeedKind,
    FetchStatus,
    NewArticle,
    PageKey,
    SearchHit,
    UpsertCounts,
)
from newsreader.store import articles, feeds, fts, queries, search_counts
from newsreader.store.connection import Database, open_reader, open_writer
from newsreader.store.filters import ArticleFilter

if TYPE_CHECKING:
    from newsreader.search import CompiledQuery
    from newsreader.store.fts import FilterAction, Sort

ALL = ArticleFilter()


class Store:
    """The cache. Safe to share between threads; each call is one short transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- opening ----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (creating if needed) the cache at ``path`` for writing; migrate its schema.

        Raises:
            StoreError: the file is not a newsreader cache, is damaged, or was written by a
                newer version. The file is left as it is.
        """
        return cls(open_writer(path))

    @classmethod
    def open_reader(cls, path: Path | str, *, why: str = "") -> Store:
        """Open the existing cache at ``path`` read-only, beside any writer.

        Calls on one Store take turns (one connection, one lock): give the UI thread its own
        reader and a worker that runs long reads (``view_keys``, ``feeds``) another.

        Raises:
            StoreError: the file is missing, is not a newsreader cache or has another schema
                version (a reader never migrates).
        """
        return cls(open_reader(path, why=why))

    @property
    def read_only(self) -> bool:
        """Whether this store reads through a read-only connection."""
        return self._db.read_only

    @property
    def database(self) -> Database:
        """The connection itself, for the store's own modules (full texts, sync state)."""
        return self._db

    def close(self) -> None:
        self._db.close()

    @property
    def writable(self) -> bool:
        """False for a reader, and for a writer refused writes (:meth:`refuse_writes`)."""
        return not self._db.refusal

    def after_commit(self, hook: Callable[[], None] | None) -> None:
        """Call ``hook`` after each committed write (the context records the file as clean)."""
        self._db.after_commit(hook)

    def refuse_writes(self, reason: str) -> None:
        """Make every later write raise :class:`StoreError` with ``reason`` (damage found);
        reading goes on."""
        self._db.refuse_writes(reason)

    @property
    def path(self) -> Path | None:
        return self._db.path

    def data_version(self) -> int:
        """A number that changes when another connection commits a write to the file."""
        return self._db.scalar("PRAGMA data_version")

    # -- meta -------------------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self._db.query_one("SELECT value FROM meta WHERE key = ?", (key,))
        return default if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        with self._db.transaction() as connection:
            connection.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- feeds ------------------------------------------------------------------------------

    def ensure_feed(
        self,
        url: str,
        title: str = "",
        kind: FeedKind = FeedKind.FEED,
        tags: Sequence[str] = (),
        site_link: str = "",
    ) -> Feed:
        """Add the feed at ``url`` or update its title and tags; mark it active."""
        return feeds.ensure_feed(self._db, url, title, kind, tags, site_link)

    def feed(self, feed_id: int) -> Feed | None:
        return feeds.feed(self._db, feed_id)

    def feed_by_url(self, url: str) -> Feed | None:
        return feeds.feed_by_url(self._db, url)

    def feeds(self, *, include_inactive: bool = False, counts: bool = True) -> list[Feed]:
        """Every feed with its total and unread counts (zero without ``counts``), by title."""
        return feeds.feeds(self._db, include_inactive=include_inactive, counts=counts)

    def deactivate_feeds_except(self, urls: Iterable[str], kind: FeedKind) -> None:
        """Mark feeds of ``kind`` whose URL is not in ``urls`` inactive (their articles stay)."""
        feeds.deactivate_feeds_except(self._db, urls, kind)

    def set_feed_url(self, feed_id: int, url: str) -> None:
        feeds.set_feed_column(self._db, feed_id, "url", url)

    def set_feed_title(self, feed_id: int, title: str) -> None:
        feeds.set_feed_column(self._db, feed_id, "title", title)

    def set_site_link(self, feed_id: int, link: str) -> None:
        feeds.set_feed_column(self._db, feed_id, "site_link", link)

    def record_fetch(
        self,
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
        feeds.record_fetch(
            self._db,
            feed_id,
            status,
            error,
            etag,
            last_modified,
            next_fetch,
            keep_validators=keep_validators,
        )

    def delete_feed(self, feed_id: int) -> int:
        """Forget a feed and its articles, starred ones included; how many articles went."""
        return feeds.delete_feed(self._db, feed_id)

    # -- storing articles -------------------------------------------------------------------

    def published_times(self, feed_id: int, keys: Collection[str]) -> dict[str, datetime]:
        """When the stored articles of a feed with these keys were published."""
        return articles.published_times(self._db, feed_id, keys)

    def known_hashes(self, feed_id: int) -> dict[str, str]:
        """Key -> hash of a feed's stored articles (see :attr:`NewArticle.source_hash`)."""
        return articles.known_hashes(self._db, feed_id)

    def batch(self) -> AbstractContextManager[object]:
        """One transaction around several writes; each write inside it is a savepoint, so a
        failing one (and a ``with store.batch()`` nested inside) is undone alone."""
        return self._db.transaction()

    def indexing_at_end(self) -> AbstractContextManager[None]:
        """Inside :meth:`batch`: the new articles are indexed for search in one statement
        when this ends (and before a search inside it), not feed by feed: about half the
        indexing CPU for a refresh's many feeds (:mod:`.deferred_index`)."""
        from newsreader.store.deferred_index import deferred

        return deferred(self._db)

    def upsert_articles(
        self,
        feed_id: int,
        new: Iterable[NewArticle],
        *,
        remove_missing: bool = False,
        keep: Collection[str] = (),
    ) -> UpsertCounts:
        """Store one source's articles in one transaction; read/starred state is kept.

        With ``remove_missing`` (a rescanned folder), articles of this feed that are not in
        ``new`` or ``keep`` are deleted, except starred ones.
        """
        return articles.upsert_articles(
            self._db, feed_id, new, remove_missing=remove_missing, keep=keep
        )

    def set_body(self, article_id: int, body: str) -> None:
        """Cache the Markdown rendering of an article whose content is converted lazily."""
        articles.set_body(self._db, article_id, body)

    def prune(self, feed_id: int, keep: int) -> int:
        """Delete all but the newest ``keep`` articles of a feed; starred ones always stay."""
        return articles.prune(self._db, feed_id, keep)

    def set_read(self, article_ids: Iterable[int], *, read: bool = True) -> int:
        """Mark articles read or unread; returns how many changed."""
        return articles.set_flag(self._db, "read", article_ids, read)

    def set_starred(self, article_ids: Iterable[int], *, starred: bool = True) -> int:
        """Star or unstar articles; returns how many changed."""
        return articles.set_flag(self._db, "starred", article_ids, starred)

    def mark_all_read(self, where: ArticleFilter) -> list[int]:
        """Mark every unread article matching ``where`` read; returns their ids (for undo)."""
        return articles.mark_all_read(self._db, where)

    # -- reading ----------------------------------------------------------------------------

    def article(self, article_id: int) -> Article | None:
        return queries.article(self._db, article_id)

    def newest_unread(self, feed_id: int, among: Collection[int], limit: int) -> list[Article]:
        """The newest ``limit`` of a feed's articles ``among``, whole, that are unread and
        not hidden by filters."""
        return queries.newest_unread(self._db, feed_id, among, limit)

    def count_articles(self, where: ArticleFilter = ALL) -> int:
        return queries.count_articles(self._db, where)

    def list_articles(self, where: ArticleFilter = ALL, limit: int = 100) -> list[ArticleSummary]:
        """The newest ``limit`` articles matching ``where``, newest first."""
        return queries.list_articles(self._db, where, limit)

    def page(
        self, where: ArticleFilter, *, after: PageKey | None = None, limit: int = 100
    ) -> list[ArticleSummary]:
        """Up to ``limit`` articles strictly after ``after`` in list order (top if None)."""
        return queries.page(self._db, where, after, limit)

    def page_before(
        self, where: ArticleFilter, before: PageKey, *, limit: int = 100
    ) -> list[ArticleSummary]:
        """Up to ``limit`` articles strictly before ``before``, returned in list order."""
        return queries.page_before(self._db, where, before, limit)

    def view_keys(
        self, where: ArticleFilter, *, newer_than: PageKey | None = None
    ) -> list[PageKey]:
        """Every article key of a view (or those before ``newer_than``), in list order (one
        index scan; run it in a worker)."""
        return queries.view_keys(self._db, where, newer_than)

    def view_fingerprint(self, where: ArticleFilter) -> tuple[int, int]:
        """(count, sum of ids) of a view's articles: changes when one comes or goes."""
        return queries.view_fingerprint(self._db, where)

    def summaries(self, ids: Sequence[int]) -> dict[int, ArticleSummary]:
        """The list rows of these articles, by id (missing ids are left out)."""
        return queries.summaries(self._db, ids)

    def neighbour_unread(
        self, where: ArticleFilter, key: PageKey | None, *, forward: bool = True
    ) -> ArticleSummary | None:
        """The next (older) or previous (newer) unread article from ``key`` in list order."""
        return queries.neighbour_unread(self._db, where, key, forward=forward)

    def search(
        self,
        match: str,
        where: ArticleFilter = ALL,
        *,
        limit: int = 50,
        offset: int = 0,
        mark: tuple[str, str] = ("**", "**"),
    ) -> list[SearchHit]:
        """Articles matching a bare FTS5 ``match`` expression (``'"word"'``,
        ``'headings : word'``), best first, with snippets: :meth:`search_query` without the
        query language, for checking what the index holds."""
        from newsreader.search import CompiledQuery

        raw = CompiledQuery(match=match or None, where="1", params=())
        return fts.search_query(self._db, raw, where, limit=limit, offset=offset, mark=mark)

    def search_query(
        self,
        query: CompiledQuery,
        where: ArticleFilter = ALL,
        *,
        limit: int = 50,
        offset: int = 0,
        sort: Sort = "relevance",
        mark: tuple[str, str] = ("**", "**"),
    ) -> list[SearchHit]:
        """The articles a query of the search language finds, with snippets.

        ``sort`` is ``"relevance"`` (bm25: titles above section headings above bodies,
        newer first on ties) or ``"date"`` (newest first). Matched words in the snippet are
        wrapped in ``mark``. Raises :class:`StoreError` if SQLite refuses the query.
        """
        return fts.search_query(
            self._db, query, where, limit=limit, offset=offset, sort=sort, mark=mark
        )

    def query_keys(self, query: CompiledQuery, where: ArticleFilter = ALL) -> list[PageKey]:
        """The key of every article a query finds, newest first: a saved search as a view
        pages with these and :meth:`summaries` (run it in a worker)."""
        return fts.query_keys(self._db, query, where)

    def count_query(self, query: CompiledQuery, where: ArticleFilter = ALL) -> int:
        """How many articles a query finds within ``where``; a saved search's unread count
        is ``count_query(query, ArticleFilter(unread=True))``."""
        return fts.count_query(self._db, query, where)

    def count_queries(
        self, queries: Sequence[CompiledQuery], where: ArticleFilter = ALL
    ) -> list[int]:
        """:meth:`count_query` for many queries at once (all saved searches' unread counts:
        ``where=ArticleFilter(unread=True)``), sharing one scan of ``where``'s articles and
        reusing each query's matches while the index is unchanged."""
        return search_counts.count_queries(self._db, queries, where)

    def apply_filter(
        self,
        query: CompiledQuery,
        action: FilterAction,
        article_ids: Sequence[int] | None = None,
    ) -> int:
        """Hide, mark read or star what ``query`` finds among ``article_ids`` (None: the
        whole cache); returns how many articles changed."""
        import time

        return fts.apply_action(self._db, query, action, article_ids, time.time())
