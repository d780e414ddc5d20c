"""Reading articles: whole articles, counts and lists paged by key, newest first.

Lists are ordered by ``(published, id)`` descending and paged by keyset: a page starts
strictly after (or ends strictly before) a :data:`PageKey`, so reading the last page costs
what reading the first does. ``CROSS JOIN`` keeps articles as the outer loop, walking an
index in list order; the feed title is one primary-key lookup per row returned.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsreader.model import Article, ArticleSummary, PageKey
from newsreader.store.connection import Database
from newsreader.store.filters import ArticleFilter, where_sql
from newsreader.store.rows import (
    ARTICLE_COLUMNS,
    SUMMARY_COLUMNS,
    article_from_row,
    summary_from_row,
)

CHUNK = 500

_FROM = "FROM articles a CROSS JOIN feeds f ON f.id = a.feed_id"
_NEWEST_FIRST = "ORDER BY a.published DESC, a.id DESC"
_OLDEST_FIRST = "ORDER BY a.published ASC, a.id ASC"
_OLDER_THAN = "(a.published, a.id) < (?, ?)"
_NEWER_THAN = "(a.published, a.id) > (?, ?)"


def article(db: Database, article_id: int) -> Article | None:
    """One article, whole, by id (also one of a removed feed: ``show ID`` still works)."""
    row = db.query_one(f"SELECT {ARTICLE_COLUMNS} {_FROM} WHERE a.id = ?", (article_id,))
    return None if row is None else article_from_row(row)


def count_articles(db: Database, where: ArticleFilter) -> int:
    clause, params = where_sql(where)
    return db.scalar(f"SELECT count(*) FROM articles a WHERE {clause}", params)


def list_articles(
    db: Database, where: ArticleFilter, limit: int, offset: int = 0
) -> list[ArticleSummary]:
    """The first ``limit`` articles matching ``where``, newest first (skipping ``offset``)."""
    clause, params = where_sql(where)
    rows = db.query(
        f"SELECT {SUMMARY_COLUMNS} {_FROM} WHERE {clause} {_NEWEST_FIRST} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [summary_from_row(row) for row in rows]


def page(
    db: Database, where: ArticleFilter, after: PageKey | None, limit: int
) -> list[ArticleSummary]:
    """Up to ``limit`` articles strictly after ``after`` in list order (from the top if None)."""
    clause, params = where_sql(where)
    if after is not None:
        clause = f"{clause} AND {_OLDER_THAN}"
        params.extend(after)
    rows = db.query(
        f"SELECT {SUMMARY_COLUMNS} {_FROM} WHERE {clause} {_NEWEST_FIRST} LIMIT ?",
        (*params, limit),
    )
    return [summary_from_row(row) for row in rows]


def page_before(
    db: Database, where: ArticleFilter, before: PageKey, limit: int
) -> list[ArticleSummary]:
    """Up to ``limit`` articles strictly before ``before``, returned in list order."""
    clause, params = where_sql(where)
    rows = db.query(
        f"SELECT {SUMMARY_COLUMNS} {_FROM} WHERE {clause} AND {_NEWER_THAN} "
        f"{_OLDEST_FIRST} LIMIT ?",
        (*params, *before, limit),
    )
    return [summary_from_row(row) for row in reversed(rows)]


def view_keys(db: Database, where: ArticleFilter) -> list[PageKey]:
    """The key of every article matching ``where``, in list order."""
    clause, params = where_sql(where)
    rows = db.tuples(
        f"SELECT a.published, a.id FROM articles a WHERE {clause} {_NEWEST_FIRST}", params
    )
    return [(float(published), int(article_id)) for published, article_id in rows]


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


def neighbour_unread(
    db: Database, where: ArticleFilter, key: PageKey | None, *, forward: bool
) -> ArticleSummary | None:
    """The next (older) or previous (newer) unread article from ``key`` in list order.

    With no ``key``, the first unread article from the top (``forward``) or the bottom.
    """
    clause, params = where_sql(where)
    clause = f"a.read = 0 AND {clause}"
    if key is not None:
        clause = f"{clause} AND {_OLDER_THAN if forward else _NEWER_THAN}"
        params.extend(key)
    order = _NEWEST_FIRST if forward else _OLDEST_FIRST
    row = db.query_one(f"SELECT {SUMMARY_COLUMNS} {_FROM} WHERE {clause} {order} LIMIT 1", params)
    return None if row is None else summary_from_row(row)


def article_position(db: Database, where: ArticleFilter, article_id: int) -> int | None:
    """The 0-based row of an article in ``list_articles(where)`` order, None if unlisted."""
    clause, params = where_sql(where)
    row = db.query_one(
        f"SELECT a.published AS published FROM articles a WHERE a.id = ? AND {clause}",
        (article_id, *params),
    )
    if row is None:
        return None
    return db.scalar(
        f"SELECT count(*) FROM articles a WHERE {clause} AND {_NEWER_THAN}",
        (*params, row["published"], article_id),
    )
