"""Counting what many queries find at once, without ranking: saved searches' unread counts.

A count is the articles a query's index words match, intersected with the articles its
conditions (and the view's, e.g. unread) allow. Both sides are masks over article ids (an
int whose byte N is 1 for article N), so intersecting and counting is one ``&`` and one
``bit_count()``, microseconds at 100,000 articles.

What the index matches changes only when articles are stored, changed or deleted, not when
they are read or starred, so each expression's mask is kept (per connection) while the
index is unchanged: its structure and averages records (``articles_fts_data`` rows 1 and
10), which FTS5 rewrites on every change, are compared before masks are reused. Marking an
article read then costs one scan of the view's articles (the unread ones, say) and an ``&``
per saved search; a refresh that stored articles costs one pass over each query's matches.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any
from weakref import WeakKeyDictionary

from newsreader.search import CompiledQuery
from newsreader.store.connection import Database, StoreError
from newsreader.store.filters import ArticleFilter, feed_set_sql, where_sql
from newsreader.store.fts import FROM_ARTICLE_ROWS, conditions, count_query, steered

MAX_MASKS = 64  # expressions whose matches are kept per connection
REMOVED_FEEDS = "SELECT id FROM feeds WHERE active = 0"
_INDEX_STATE = "SELECT id, block FROM articles_fts_data WHERE id IN (1, 10) ORDER BY id"


def id_mask(ids: Sequence[int]) -> int:
    """An int with one byte per article id up to the largest, 1 for each of ``ids``: the
    count of an ``&`` of two is its ``bit_count()`` (a byte each is several times cheaper
    to fill in Python than a bit each)."""
    if not ids:
        return 0
    flags = bytearray(max(ids) + 1)
    for article_id in ids:
        flags[article_id] = 1
    return int.from_bytes(flags, "little")


def _ids(db: Database, sql: str, params: Sequence[object]) -> list[int]:
    """The integers in column ``x`` of ``sql``, read as one string (a row object each costs
    several times more)."""
    joined = db.tuples(f"SELECT group_concat(x) FROM ({sql})", params)[0][0]
    if joined is None:
        return []
    ids: list[int] = json.loads(f"[{joined}]")
    return ids


class _Matches:
    """Each FTS5 expression's matching article ids as a mask, valid for one index state."""

    def __init__(self) -> None:
        self.state: list[tuple[Any, ...]] | None = None
        self.masks: OrderedDict[str, int] = OrderedDict()
        self.lock = threading.Lock()

    def mask(self, db: Database, match: str, state: list[tuple[Any, ...]] | None) -> int:
        with self.lock:
            if state is None or state != self.state:
                self.masks.clear()
                self.state = state
            found = self.masks.get(match)
            if found is not None:
                self.masks.move_to_end(match)
                return found
        found = id_mask(
            _ids(db, "SELECT rowid AS x FROM articles_fts WHERE articles_fts MATCH ?", [match])
        )
        with self.lock:
            if state is not None and state == self.state:
                self.masks[match] = found
                while len(self.masks) > MAX_MASKS:
                    self.masks.popitem(last=False)
        return found


_CACHES: WeakKeyDictionary[Database, _Matches] = WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def _matches(db: Database) -> _Matches:
    with _CACHES_LOCK:
        found = _CACHES.get(db)
        if found is None:
            found = _CACHES[db] = _Matches()
        return found


def forget(db: Database) -> None:
    """Drop the matches kept for ``db`` (as a change to the index would)."""
    with _CACHES_LOCK:
        _CACHES.pop(db, None)


def index_state(db: Database) -> list[tuple[Any, ...]] | None:
    """What identifies the index's contents now (None: cannot tell, keep nothing)."""
    if db.in_transaction:  # terms not yet written to the index's records are searched too
        return None
    try:
        return db.tuples(_INDEX_STATE)
    except sqlite3.OperationalError:
        return None


def _listed(db: Database, where: ArticleFilter) -> int:
    """The mask of the articles ``where`` lists. With no feed named, the active-feed test is
    left out of the scan and the (usually no) removed feeds' articles are taken away after."""
    if where.feed_id is not None or feed_set_sql(where) is not None:
        clause, params = where_sql(where, ordered=False)
        return id_mask(_ids(db, f"SELECT a.id AS x FROM articles a WHERE {clause}", params))
    clause, params = where_sql(where, ordered=False, active_checked=True)
    listed = id_mask(_ids(db, f"SELECT a.id AS x FROM articles a WHERE {clause}", params))
    removed = _ids(
        db,
        f"SELECT a.id AS x FROM articles a WHERE a.feed_id IN ({REMOVED_FEEDS}) AND {clause}",
        params,
    )
    if removed:
        listed &= ~id_mask(removed)
    return listed


def count_queries(
    db: Database, queries: Sequence[CompiledQuery], where: ArticleFilter
) -> list[int]:
    """How many articles each query finds within ``where``; equal to
    :func:`newsreader.store.fts.count_query` for each, in one pass for all."""
    state = index_state(db)
    cache = _matches(db)
    listed: int | None = None
    counts: list[int] = []
    try:
        for query in queries:
            if query.match is None:
                counts.append(count_query(db, query, where))
                continue
            matches = cache.mask(db, query.match, state)
            if query.where == "1" and not query.hidden:
                if listed is None:
                    listed = _listed(db, where)
                allowed = listed
            else:
                clause, params = conditions(query, where)
                clause = steered(clause, query)
                sql = f"SELECT a.id AS x {FROM_ARTICLE_ROWS} WHERE {clause}"
                allowed = id_mask(_ids(db, sql, params))
            counts.append((matches & allowed).bit_count())
    except sqlite3.OperationalError as error:
        raise StoreError(f"cannot count this search: {error}") from error
    return counts
