"""Full-text search over titles, authors and text (the FTS5 index the schema keeps in sync)."""

from __future__ import annotations

import sqlite3

from newsreader.model import SearchHit
from newsreader.store.connection import Database, StoreError
from newsreader.store.filters import ArticleFilter, where_sql
from newsreader.store.rows import SUMMARY_COLUMNS, summary_from_row

# Column weights for bm25: a word in the title counts most, then the author, then the text.
_RANK = "bm25(articles_fts, 10.0, 2.0, 1.0)"


def search(
    db: Database,
    match: str,
    where: ArticleFilter,
    *,
    limit: int,
    offset: int,
    mark: tuple[str, str],
) -> list[SearchHit]:
    """Articles matching an FTS5 ``match`` expression, best first, with snippets.

    ``match`` must already be a valid FTS5 query; :func:`newsreader.search.to_fts_query`
    builds one from what a user typed.
    """
    clause, params = where_sql(where, ordered=False)
    try:
        rows = db.query(
            f"SELECT {SUMMARY_COLUMNS}, "
            "snippet(articles_fts, -1, ?, ?, '…', 16) AS snippet, "
            f"{_RANK} AS rank "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            "JOIN feeds f ON f.id = a.feed_id "
            f"WHERE articles_fts MATCH ? AND {clause} "
            f"ORDER BY {_RANK}, a.published DESC LIMIT ? OFFSET ?",
            (mark[0], mark[1], match, *params, limit, offset),
        )
    except sqlite3.OperationalError as error:
        raise StoreError(f"cannot search for {match!r}: {error}") from error
    return [
        SearchHit(article=summary_from_row(row), snippet=row["snippet"], rank=row["rank"])
        for row in rows
    ]
