"""Full-text search: the FTS5 index over titles, authors, section headings and text.

:func:`search_query` runs a query of the language in :mod:`newsreader.search` (its
``match`` ranks, its ``where`` filters); :func:`count_query` counts its articles (a saved
search's unread count; :mod:`.search_counts` counts many at once). Articles of removed
feeds and articles hidden by filters are left out, except that a query naming ``is:hidden``
finds hidden ones.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from newsreader.model import PageKey, SearchHit
from newsreader.search import CompiledQuery
from newsreader.search_matches import match_pattern
from newsreader.store.connection import Database, StoreError
from newsreader.store.deferred_index import flush_if_deferred
from newsreader.store.filters import ArticleFilter, where_sql
from newsreader.store.rows import SUMMARY_COLUMNS, summary_from_row
from newsreader.store.snippets import snippet

# Column weights for bm25 (title, author, headings, text): a word in the title counts most,
# then one in a section heading, then the author, then the body. bm25 is lower for better.
_RANK = "bm25(articles_fts, 10.0, 2.0, 5.0, 1.0)"
_FROM_INDEX = (
    "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
    "JOIN feeds f ON f.id = a.feed_id"
)
# The index's matches drive (CROSS JOIN keeps SQLite from walking a list index and running
# the match once per article), each looked up by id in the narrow ``articles_search`` index.
_FROM_MATCHES = (
    "FROM articles_fts CROSS JOIN articles a INDEXED BY articles_search "
    "ON a.id = articles_fts.rowid"
)


_FROM_ARTICLES = "FROM articles a JOIN feeds f ON f.id = a.feed_id"
# Conditions name only ``a``'s columns (feeds through sub-queries), so a count or a list of
# ids reads articles alone.
FROM_ARTICLE_ROWS = "FROM articles a"
_SNIPPET_CHARS = 200
Sort = Literal["relevance", "date"]
_CHUNK = 500  # ids per statement
RANK_WINDOW = 2_000  # matches ranked at most (the most recently stored)


def conditions(query: CompiledQuery, where: ArticleFilter) -> tuple[str, list[object]]:
    view = where if not query.hidden else _any_hidden(where)
    clause, params = where_sql(view, ordered=False)
    if query.where != "1":
        clause = f"{clause} AND ({query.where})"
        params = [*params, *query.params]
    return clause, params


def steered(clause: str, query: CompiledQuery) -> str:
    """``clause`` for a scan of a narrow query's articles: without statistics SQLite walks
    the unread articles' index for ``a.read = 0``; the starred or per-feed index is smaller."""
    return clause.replace("a.read = 0", "+a.read = 0") if query.narrow else clause


def _by_id(clause: str) -> str:
    """``clause`` for articles looked up by id: a feed list is checked on the row found, not
    used to probe the index once for each feed it names."""
    return clause.replace("a.feed_id IN (", "+a.feed_id IN (")


def _any_hidden(where: ArticleFilter) -> ArticleFilter:
    return replace(where, hidden=None)


def search_query(
    db: Database,
    query: CompiledQuery,
    where: ArticleFilter,
    *,
    limit: int,
    offset: int = 0,
    sort: Sort = "relevance",
    mark: tuple[str, str] = ("**", "**"),
) -> list[SearchHit]:
    """The articles a compiled query finds (within ``where``), with a snippet each.

    ``sort="relevance"`` ranks by bm25 (title, then headings, then author, then body), newer
    first on ties; ``"date"`` lists newest first. A query without index words (qualifiers
    only, or only excluded words) lists by date and its snippet is the article's opening.
    """
    clause, params = conditions(query, where)
    if query.match is None:
        sql = (
            f"SELECT {SUMMARY_COLUMNS}, substr(a.text, 1, {_SNIPPET_CHARS}) AS snippet, "
            f"0.0 AS score {_FROM_ARTICLES} WHERE {clause} "
            "ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?"
        )
        try:
            rows = db.query(sql, [*params, limit, offset])
        except sqlite3.OperationalError as error:
            raise StoreError(f"cannot run this search: {error}") from error
        return [
            SearchHit(
                article=summary_from_row(row),
                snippet=" ".join(str(row["snippet"] or "").split()),
                rank=0.0,
            )
            for row in rows
        ]
    order = (
        "score, a.published DESC, a.id DESC"
        if sort == "relevance"
        else "a.published DESC, a.id DESC"
    )
    # First the page of ids, ranked (nothing but bm25 per matching row), then the summaries
    # and snippets of that page only.
    try:
        if sort == "relevance":
            ranked = _best(db, query.match, clause, params, limit + offset)[offset:]
        else:
            ranked = db.tuples(
                f"SELECT a.id, {_RANK} AS score {_FROM_MATCHES} "
                f"WHERE articles_fts MATCH ? AND {_by_id(clause)} "
                f"ORDER BY {order} LIMIT ? OFFSET ?",
                [query.match, *params, limit, offset],
            )
        if not ranked:
            return []
        ids = [int(row[0]) for row in ranked]
        marks = ",".join("?" * len(ids))
        by_id = {
            int(row["id"]): row
            for row in db.query(
                f"SELECT {SUMMARY_COLUMNS}, a.headings AS headings, a.text AS text "
                f"FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id IN ({marks})",
                ids,
            )
        }
    except sqlite3.OperationalError as error:
        raise StoreError(f"cannot run this search: {error}") from error
    pattern = match_pattern(query.match)
    hits: list[SearchHit] = []
    for article_id, score in ranked:
        found = by_id.get(int(article_id))
        if found is None:
            continue
        row = found
        columns = (str(row["text"]), str(row["headings"]), str(row["title"]))
        hits.append(
            SearchHit(
                article=summary_from_row(row),
                snippet=snippet(columns, pattern, mark),
                rank=float(score),
            )
        )
    return hits


def _best(
    db: Database, match: str, clause: str, params: list[object], want: int
) -> list[tuple[int, float]]:
    """The ``want`` best ``(id, score)`` pairs of ``match`` among articles meeting ``clause``.

    The index ranks its newest :data:`RANK_WINDOW` matches alone (bm25 and nothing else per
    match); the conditions are then checked for the best of them, by id, a chunk at a time
    until enough pass. When too few of them pass (a rare feed, say), the conditions are
    checked for every match first and only those passing are ranked. Ties are broken
    newest first.
    """
    # A word in very many articles is ranked among the RANK_WINDOW most recently stored of
    # them: bm25 costs a microsecond or two per match, the rest of a search about as much as
    # ranking two thousand; among that many articles a word's weight is small anyway.
    floor_row = db.tuples(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
        "ORDER BY rowid DESC LIMIT 1 OFFSET ?",
        [match, RANK_WINDOW - 1],
    )
    floor = int(floor_row[0][0]) if floor_row else None
    candidates = db.tuples(
        f"SELECT rowid, {_RANK} AS score FROM articles_fts WHERE articles_fts MATCH ? "
        "AND rowid >= ? ORDER BY score, rowid DESC",
        [match, floor or 0],
    )
    scores = {int(row[0]): float(row[1]) for row in candidates}
    ids = list(scores)
    passed: list[tuple[float, float, int]] = []
    start, size = 0, max(4 * want, 200)
    while start < len(ids) and len(passed) < want:
        chunk = ids[start : start + size]
        start += size
        size = min(8 * size, _CHUNK)
        marks = ",".join("?" * len(chunk))
        for article_id, published in db.tuples(
            "SELECT a.id, a.published FROM articles a INDEXED BY articles_search "
            f"WHERE a.id IN ({marks}) AND {_by_id(clause)}",
            [*chunk, *params],
        ):
            passed.append((scores[int(article_id)], -float(published), -int(article_id)))
    if len(passed) < want and floor is not None:
        return _best_passing(db, match, clause, params, want)
    passed.sort()
    return [(-article_id, score) for score, _, article_id in passed[:want]]


def _best_passing(
    db: Database, match: str, clause: str, params: list[object], want: int
) -> list[tuple[int, float]]:
    """:func:`_best` when the conditions pass few matches: each match is looked up by id
    (a fraction of a microsecond) and only those that pass are ranked."""
    rows = db.tuples(
        f"SELECT a.id, {_RANK} AS score {_FROM_MATCHES} "
        f"WHERE articles_fts MATCH ? AND {_by_id(clause)} "
        "ORDER BY score, a.published DESC, a.id DESC LIMIT ?",
        [match, *params, want],
    )
    return [(int(article_id), float(score)) for article_id, score in rows]


def query_keys(db: Database, query: CompiledQuery, where: ArticleFilter) -> list[PageKey]:
    """The list key of every article a query finds within ``where``, newest first."""
    clause, params = conditions(query, where)
    if query.match is None:
        sql = f"SELECT a.published, a.id {FROM_ARTICLE_ROWS} WHERE {clause}"
        arguments: list[object] = list(params)
    else:
        sql = (
            f"SELECT a.published, a.id {_FROM_MATCHES} "
            f"WHERE articles_fts MATCH ? AND {_by_id(clause)}"
        )
        arguments = [query.match, *params]
    try:
        rows = db.tuples(sql + " ORDER BY a.published DESC, a.id DESC", arguments)
    except sqlite3.OperationalError as error:
        raise StoreError(f"cannot run this search: {error}") from error
    return rows


def count_query(db: Database, query: CompiledQuery, where: ArticleFilter) -> int:
    """How many articles a compiled query finds within ``where`` (e.g. unread ones)."""
    clause, params = conditions(query, where)
    if query.match is None:
        clause = steered(clause, query)
        sql = f"SELECT count(*) {FROM_ARTICLE_ROWS} WHERE {clause}"
        arguments: list[object] = list(params)
    else:
        sql = f"SELECT count(*) {_FROM_MATCHES} WHERE articles_fts MATCH ? AND {_by_id(clause)}"
        arguments = [query.match, *params]
    try:
        return db.scalar(sql, arguments)
    except sqlite3.OperationalError as error:
        raise StoreError(f"cannot count this search: {error}") from error


FilterAction = Literal["hide", "read", "star"]
_ACTION_SQL = {
    "hide": "hidden = 1",
    "read": "read = 1, read_at = ?",
    "star": "starred = 1, starred_at = ?",
}
_ACTION_UNSET = {"hide": "hidden = 0", "read": "read = 0", "star": "starred = 0"}


def apply_action(
    db: Database,
    query: CompiledQuery,
    action: FilterAction,
    article_ids: Sequence[int] | None,
    now: float,
) -> int:
    """Hide, mark read or star the articles ``query`` finds (among ``article_ids`` if given).

    Hidden articles are considered too (a filter may star what another one hid). Returns how
    many articles changed.
    """
    if article_ids is not None and not article_ids:
        return 0
    chunks: list[tuple[int, ...] | None] = (
        [None]
        if article_ids is None
        else [tuple(article_ids[i : i + _CHUNK]) for i in range(0, len(article_ids), _CHUNK)]
    )
    changed = 0
    with db.transaction() as connection:
        if query.match is not None:
            flush_if_deferred(db, connection)  # a batch's new articles are searched too
        for chunk in chunks:
            where = ArticleFilter(hidden=None, article_ids=chunk)
            clause, params = conditions(replace(query, hidden=True), where)
            if query.match is None:
                select = f"SELECT a.id {_FROM_ARTICLES} WHERE {clause}"
                arguments: list[object] = list(params)
            else:
                select = f"SELECT a.id {_FROM_INDEX} WHERE articles_fts MATCH ? AND {clause}"
                arguments = [query.match, *params]
            stamp: list[object] = [] if action == "hide" else [now]
            try:
                cursor = connection.execute(
                    f"UPDATE articles SET {_ACTION_SQL[action]} "
                    f"WHERE {_ACTION_UNSET[action]} AND id IN ({select})",
                    [*stamp, *arguments],
                )
            except sqlite3.OperationalError as error:
                raise StoreError(f"cannot apply this filter: {error}") from error
            changed += cursor.rowcount
    return changed
