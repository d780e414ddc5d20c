"""Query plans of the list queries: they walk an index in list order and never sort a view.

A plan is what keeps a page at a few milliseconds at 100,000 articles (see
``bench/store_latency.py`` for the numbers); timing is left to the benchmark.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from newsreader.model import NewArticle
from newsreader.store import ArticleFilter, Store

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def plan_of(store: Store, call: Callable[[], object]) -> str:
    """The EXPLAIN QUERY PLAN of the statements on articles ``call`` ran, one line."""
    connection: sqlite3.Connection = store._db._db
    statements: list[str] = []
    connection.set_trace_callback(statements.append)
    try:
        call()
    finally:
        connection.set_trace_callback(None)
    lines: list[str] = []
    for statement in statements:
        if "articles" in statement and not statement.startswith("PRAGMA"):
            rows = connection.execute(f"EXPLAIN QUERY PLAN {statement}").fetchall()
            lines.extend(str(row[3]) for row in rows)
    assert lines, statements
    return " | ".join(lines)


@pytest.fixture
def many(store: Store) -> Store:
    for number in range(6):
        feed = store.ensure_feed(
            f"https://f{number}.example/", f"F{number}", tags=[f"t{number % 2}"]
        )
        store.upsert_articles(
            feed.id,
            [
                NewArticle(key=str(i), title=str(i), published=T0 + timedelta(hours=i * 6 + number))
                for i in range(30)
            ],
        )
    return store


def test_pages_walk_an_index_in_list_order(many: Store) -> None:
    key = many.view_keys(ArticleFilter())[50]
    cases = {
        "all": (ArticleFilter(), "articles_listing"),
        "unread": (ArticleFilter(unread=True), "articles_unread_listing"),
        "feed": (ArticleFilter(feed_id=1), "articles_feed_listing"),
        "feed unread": (ArticleFilter(feed_id=1, unread=True), "articles_feed_listing"),
        "starred": (ArticleFilter(starred=True), "articles_starred_listing"),
        "tag": (ArticleFilter(tag="t1"), "articles_feed_listing"),
        "feed list": (ArticleFilter(feed_ids=(1, 2)), "articles_feed_listing"),
    }
    for name, (where, index) in cases.items():
        for call in (
            partial(many.page, where, after=key),
            partial(many.page_before, where, key),
        ):
            plan = plan_of(many, call)
            assert index in plan, (name, plan)
            if where.tag is None and where.feed_ids is None:
                # One index walk in order; a tag merges a few feeds' first rows (bounded).
                assert "TEMP B-TREE" not in plan, (name, plan)
    plan = plan_of(many, partial(many.neighbour_unread, ArticleFilter(), key))
    assert "articles_unread_listing" in plan and "TEMP B-TREE" not in plan, plan
    plan = plan_of(many, partial(many.neighbour_unread, ArticleFilter(feed_id=1), key))
    assert "articles_feed_listing" in plan and "TEMP B-TREE" not in plan, plan


def test_view_keys_and_counts_read_only_an_index(many: Store) -> None:
    for where in (ArticleFilter(), ArticleFilter(unread=True), ArticleFilter(feed_id=2)):
        plan = plan_of(many, partial(many.view_keys, where))
        assert "COVERING INDEX" in plan and "TEMP B-TREE" not in plan, plan
        plan = plan_of(many, partial(many.count_articles, where))
        assert "COVERING INDEX" in plan, plan
    plan = plan_of(many, many.feeds)
    assert "COVERING INDEX articles_feed_listing" in plan, plan
