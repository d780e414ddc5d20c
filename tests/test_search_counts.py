"""Saved searches' counts: index matches are kept between counts, and never outlive a change.

The counts come from :mod:`newsreader.store.search_counts`, checked here against
``count_query`` (one SQL count per query) on a reader connection while a writer changes the
cache, as in the app.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsreader.model import NewArticle
from newsreader.search import CompiledQuery, compile_query
from newsreader.store import ArticleFilter, Store
from newsreader.store.search_counts import forget, id_mask

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
UNREAD = ArticleFilter(unread=True)
TEXTS = [
    "harbour",
    "harbour OR kyiv",
    "harb*",
    '"harbour master"',
    "feed:other harbour",
    "tag:world harbour",
    "harbour -kyiv",
    "is:starred",
    "is:starred harbour",
    "since:7d",
]


def article(key: str, text: str, days: int = 1) -> NewArticle:
    return NewArticle(
        key=key, title=key, published=NOW - timedelta(days=days), text=text, content=text
    )


def queries() -> list[CompiledQuery]:
    return [compile_query(text, now=NOW) for text in TEXTS]


def one_by_one(reader: Store, where: ArticleFilter) -> list[int]:
    return [reader.count_query(query, where) for query in queries()]


def fts_statements(reader: Store, call: Callable[[], object]) -> list[str]:
    """The statements reading the index's matches that ``call`` ran."""
    connection: sqlite3.Connection = reader._db._db
    statements: list[str] = []
    connection.set_trace_callback(statements.append)
    try:
        call()
    finally:
        connection.set_trace_callback(None)
    return [s for s in statements if "FROM articles_fts WHERE articles_fts MATCH" in s]


def test_id_mask_counts_common_ids() -> None:
    assert (id_mask([1, 5, 900]) & id_mask([5, 900, 7])).bit_count() == 2
    assert id_mask([]) == 0
    assert (id_mask([0, 3]) & id_mask([3])).bit_count() == 1


def test_counts_follow_every_change_another_connection_makes(store: Store) -> None:
    assert store.path is not None
    world = store.ensure_feed("https://w.example/", "World desk", tags=["world"])
    other = store.ensure_feed("https://o.example/", "Other paper")
    store.upsert_articles(
        world.id,
        [
            article("a", "the harbour master spoke"),
            article("b", "kyiv and the harbour"),
            article("c", "nothing here", days=30),
        ],
    )
    store.upsert_articles(other.id, [article("d", "harbours of kyiv")])
    reader = Store.open_reader(store.path)
    try:
        expected = one_by_one(reader, UNREAD)
        assert reader.count_queries(queries(), UNREAD) == expected
        assert expected[:4] == [2, 3, 3, 1]

        # Read and starred changes: the kept matches are reused, the counts still change.
        ids = {a.title: a.id for a in store.list_articles()}
        store.set_read([ids["a"]])
        store.set_starred([ids["b"]])
        assert fts_statements(reader, lambda: reader.count_queries(queries()[:4], UNREAD)) == []
        assert reader.count_queries(queries(), UNREAD) == one_by_one(reader, UNREAD)
        assert reader.count_queries(queries(), UNREAD)[:2] == [1, 2]

        # A new article, a changed text and a deleted feed each change the index: the
        # matches are read again.
        store.upsert_articles(other.id, [article("e", "a new harbour")])
        assert reader.count_queries(queries(), UNREAD) == one_by_one(reader, UNREAD)
        assert reader.count_queries(queries(), UNREAD)[0] == 2
        store.upsert_articles(world.id, [article("b", "kyiv without the word")])
        assert reader.count_queries(queries(), UNREAD) == one_by_one(reader, UNREAD)
        assert reader.count_queries(queries(), UNREAD)[0] == 1
        store.delete_feed(other.id)
        assert reader.count_queries(queries(), UNREAD) == one_by_one(reader, UNREAD)
        assert reader.count_queries(queries(), UNREAD)[0] == 0
        for where in (ArticleFilter(), ArticleFilter(feed_id=world.id), ArticleFilter(tag="x")):
            assert reader.count_queries(queries(), where) == one_by_one(reader, where)
    finally:
        reader.close()


def test_removed_feeds_and_hidden_articles_are_not_counted(store: Store) -> None:
    kept = store.ensure_feed("https://k.example/", "Kept")
    gone = store.ensure_feed("https://g.example/", "Gone")
    store.upsert_articles(kept.id, [article("a", "harbour one"), article("b", "harbour two")])
    store.upsert_articles(gone.id, [article("c", "harbour three")])
    store.apply_filter(compile_query("two", now=NOW), "hide")
    store.deactivate_feeds_except(["https://k.example/"], kept.kind)
    for where in (ArticleFilter(), UNREAD):
        assert store.count_queries(queries(), where) == one_by_one(store, where)
    assert store.count_queries([compile_query("harbour", now=NOW)], UNREAD) == [1]
    assert store.count_queries([compile_query("is:hidden harbour", now=NOW)], UNREAD) == [1]


def test_matches_read_inside_a_transaction_are_not_kept(store: Store) -> None:
    feed = store.ensure_feed("https://k.example/", "Kept")
    store.upsert_articles(feed.id, [article("a", "harbour one")])
    query = [compile_query("harbour", now=NOW)]
    forget(store.database)

    class Undo(Exception):
        pass

    with contextlib.suppress(Undo), store.database.transaction() as connection:
        connection.execute("UPDATE articles SET text = 'no word', title = 'x'")
        # Inside the transaction the index has pending changes its records do not show yet.
        assert store.count_queries(query) == [0]
        raise Undo
    assert store.count_queries(query) == [1]


def test_saved_search_counts_walk_the_narrow_index(store: Store, tmp_path: Path) -> None:
    feeds = [store.ensure_feed(f"https://f{n}.example/", f"F{n}") for n in range(4)]
    for feed in feeds:
        store.upsert_articles(
            feed.id, [article(f"{feed.id}-{n}", f"harbour {n}", days=n) for n in range(20)]
        )
    connection: sqlite3.Connection = store._db._db
    plans: list[str] = []

    def plan(statement: str) -> None:
        if statement.startswith("SELECT") and "articles a" in statement:
            rows = connection.execute(f"EXPLAIN QUERY PLAN {statement}", ()).fetchall()
            plans.append(" | ".join(str(row[3]) for row in rows))

    statements: list[str] = []
    connection.set_trace_callback(statements.append)
    try:
        counts = store.count_queries(
            [compile_query("is:starred", now=NOW), compile_query("feed:F2 harbour", now=NOW)],
            UNREAD,
        )
    finally:
        connection.set_trace_callback(None)
    assert counts == [0, 20]
    for statement in statements:
        plan(statement)
    assert any("articles_starred_listing" in p for p in plans), plans
    assert any("articles_feed_listing" in p for p in plans), plans
    assert not any("articles_unread_listing" in p for p in plans), plans


def test_matches_looked_up_by_id_do_not_probe_once_per_feed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.store import fts

    feeds = [store.ensure_feed(f"https://f{n}.example/", f"F{n}") for n in range(4)]
    for feed in feeds:
        store.upsert_articles(
            feed.id, [article(f"{feed.id}-{n}", f"harbour {n}", days=n) for n in range(20)]
        )
    monkeypatch.setattr(fts, "RANK_WINDOW", 5)  # too few of the newest pass: rank passing
    query = compile_query("feed:F harbour", now=NOW)  # every feed: a list of four
    connection: sqlite3.Connection = store._db._db
    statements: list[str] = []
    connection.set_trace_callback(statements.append)
    try:
        hits = store.search_query(query, ArticleFilter(feed_ids=(feeds[0].id,)), limit=10)
        dated = store.search_query(query, sort="date", limit=10)
        keys = store.query_keys(query)
        count = store.count_query(query)
    finally:
        connection.set_trace_callback(None)
    assert len(hits) == 10 and len(dated) == 10 and len(keys) == count == 80
    plans = [
        str(row[3])
        for statement in statements
        if "articles_search" in statement
        for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}").fetchall()
    ]
    assert any("articles_search (id=?)" in p for p in plans), plans
    assert not any("feed_id=?" in p for p in plans), plans
