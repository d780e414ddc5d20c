"""Reading articles: whole articles, counts and lists paged by key, newest first.

Lists are ordered by ``(published, id)`` descending and paged by keyset: a page starts
strictly after (or ends strictly before) a :data:`PageKey`, so reading the last page costs
what reading the first does. ``CROSS JOIN`` keeps articles as the outer loop, walking an
index in list order; the feed title is one primary-key lookup per row returned.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import replace

from newsreader.model import Article, ArticleSummary, PageKey
from newsreader.store.connection import Database
from newsreader.store.filters import ArticleFilter, feed_set_sql, where_sql
from newsreader.store.rows import (
    ARTICLE_COLUMNS,
    SUMMARY_COLUMNS,
    article_from_row,
    summary_from_row,
)

CHUNK = 500
MERGE_FEEDS = 40  # a view of at most this many feeds pages feed by feed, then merges

_FROM = "FROM articles a CROSS JOIN feeds f ON f.id = a.feed_id"
_NEWEST_FIRST = "ORDER BY a.published DESC, a.id DESC"
_OLDEST_FIRST = "ORDER BY a.published ASC, a.id ASC"
_OLDER_THAN = "(a.published, a.id) < (?, ?)"
_NEWER_THAN = "(a.published, a.id) > (?, ?)"


def article(db: Database, article_id: int) -> Article | None:
    """One article, whole, by id (also one of a removed feed: ``show ID`` still works)."""
    row = db.query_one(f"SELECT {ARTICLE_COLUMNS} {_FROM} WHERE a.id = ?", (article_id,))
    return None if row is None else article_from_row(row)


def newest_unread(db: Database, feed_id: int, among: Collection[int], limit: int) -> list[Article]:
    """The newest ``limit`` of a feed's articles ``among``, whole (body or content, link),
    newest first: only unread ones that filters did not hide."""
    rows = db.query(
        f"SELECT {ARTICLE_COLUMNS} {_FROM} WHERE a.feed_id = ? "
        "AND a.id IN (SELECT value FROM json_each(?)) AND a.read = 0 AND a.hidden = 0 "
        f"{_NEWEST_FIRST} LIMIT ?",
        (feed_id, json.dumps(sorted(among)), limit),
    )
    return [article_from_row(row) for row in rows]


def count_articles(db: Database, where: ArticleFilter) -> int:
    """How many articles ``where`` lists."""
    if where.feed_id is not None or feed_set_sql(where) is not None:
        clause, params = where_sql(where, ordered=False)
        return db.scalar(f"SELECT count(*) FROM articles a WHERE {clause}", params)
    # Every feed: count without the per-row active-feed test (SQLite counts an index range
    # without reading its rows), then take away the removed feeds' articles, one feed's
    # index range each (usually none).
    clause, params = where_sql(where, ordered=False, active_checked=True)
    count = db.scalar(f"SELECT count(*) FROM articles a WHERE {clause}", params)
    for row in db.tuples("SELECT id FROM feeds WHERE active = 0"):
        hidden = replace(where, feed_id=int(row[0]))
        clause, params = where_sql(hidden, ordered=False, active_checked=True)
        count -= db.scalar(f"SELECT count(*) FROM articles a WHERE {clause}", params)
    return count


def list_articles(db: Database, where: ArticleFilter, limit: int) -> list[ArticleSummary]:
    """The first ``limit`` articles matching ``where``, newest first."""
    return page(db, where, None, limit)


def page(
    db: Database, where: ArticleFilter, after: PageKey | None, limit: int
) -> list[ArticleSummary]:
    """Up to ``limit`` articles strictly after ``after`` in list order (from the top if None)."""
    bound = None if after is None else (_OLDER_THAN, after)
    return [summary_from_row(row) for row in _keyset(db, where, bound, True, limit)]


def page_before(
    db: Database, where: ArticleFilter, before: PageKey, limit: int
) -> list[ArticleSummary]:
    """Up to ``limit`` articles strictly before ``before``, returned in list order."""
    rows = _keyset(db, where, (_NEWER_THAN, before), False, limit)
    return [summary_from_row(row) for row in reversed(rows)]


def neighbour_unread(
    db: Database, where: ArticleFilter, key: PageKey | None, *, forward: bool
) -> ArticleSummary | None:
    """The next (older) or previous (newer) unread article from ``key`` in list order.

    With no ``key``, the first unread article from the top (``forward``) or the bottom.
    """
    bound = None if key is None else (_OLDER_THAN if forward else _NEWER_THAN, key)
    rows = _keyset(db, replace(where, unread=True), bound, forward, 1)
    return summary_from_row(rows[0]) if rows else None


def view_keys(
    db: Database, where: ArticleFilter, newer_than: PageKey | None = None
) -> list[PageKey]:
    """The key of every article matching ``where`` (only those before ``newer_than`` in
    list order, if given), in list order."""
    clause, params = where_sql(where, ordered=False)
    if newer_than is not None:
        clause, params = f"{clause} AND {_NEWER_THAN}", [*params, *newer_than]
    rows = db.tuples(
        f"SELECT a.published, a.id FROM articles a WHERE {clause} {_NEWEST_FIRST}", params
    )
    # Rows are (REAL, INTEGER) tuples already: no per-row conversion over 100,000 keys.
    return rows


def view_fingerprint(db: Database, where: ArticleFilter) -> tuple[int, int]:
    """How many articles ``where`` lists and the sum of their ids: one of them changes when
    an article is added to the view or leaves it."""
    clause, params = where_sql(where, ordered=False)
    row = db.query_one(
        f"SELECT count(*), coalesce(sum(a.id), 0) FROM articles a WHERE {clause}", params
    )
    assert row is not None
    return int(row[0]), int(row[1])


def _keyset(
    db: Database,
    where: ArticleFilter,
    bound: tuple[str, PageKey] | None,
    newest_first: bool,
    limit: int,
) -> list[sqlite3.Row]:
    """Rows of ``where`` past ``bound`` in one direction, summary columns, ``limit`` at most.

    A view of a few feeds (a tag, a feed list) takes the first ``limit`` rows of each feed
    from its own index and merges them: the cost is bounded by feeds x limit however rare
    the view's articles are among all. Other views walk one list index in order.
    """
    order = _NEWEST_FIRST if newest_first else _OLDEST_FIRST
    position, position_params = ("1", ()) if bound is None else bound
    feeds = feed_set_sql(where)
    if feeds is not None and where.feed_id is None:
        feed_ids = [int(row[0]) for row in db.tuples(*feeds)]
        if len(feed_ids) <= MERGE_FEEDS:
            return _merged(db, where, feed_ids, position, position_params, order, limit)
    clause, params = where_sql(where)
    return db.query(
        f"SELECT {SUMMARY_COLUMNS} {_FROM} WHERE {clause} AND {position} {order} LIMIT ?",
        (*params, *position_params, limit),
    )


def _merged(
    db: Database,
    where: ArticleFilter,
    feed_ids: list[int],
    position: str,
    position_params: Sequence[object],
    order: str,
    limit: int,
) -> list[sqlite3.Row]:
    if not feed_ids:
        return []
    parts: list[str] = []
    params: list[object] = []
    for feed_id in feed_ids:
        one = replace(where, feed_id=feed_id, feed_ids=None, tag=None)
        clause, clause_params = where_sql(one, active_checked=True)
        parts.append(
            "SELECT * FROM (SELECT a.published AS published, a.id AS id FROM articles a "
            f"WHERE {clause} AND {position} {order} LIMIT ?)"
        )
        params.extend((*clause_params, *position_params, limit))
    # Keys only until the merge has picked its ``limit`` rows; then one row lookup each.
    merged_order = order.replace("a.", "")
    return db.query(
        f"SELECT {SUMMARY_COLUMNS} FROM ("
        f"SELECT id FROM ({' UNION ALL '.join(parts)}) {merged_order} LIMIT ?"
        f") AS k CROSS JOIN articles a ON a.id = k.id CROSS JOIN feeds f ON f.id = a.feed_id "
        f"{order}",
        (*params, limit),
    )


def summaries(db: Database, ids: Sequence[int]) -> dict[int, ArticleSummary]:
    """The articles with these ids that exist, by id."""
    found: dict[int, ArticleSummary] = {}
    wanted = list(dict.fromkeys(ids))
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        for row in db.query(f"SELECT {SUMMARY_COLUMNS} {_FROM} WHERE a.id IN ({marks})", chunk):
            summary = summary_from_row(row)
            found[summary.id] = summary
    return found
