"""A view's rows in pages (the article list's model), on a real SQLite file."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from newsreader.model import NewArticle
from newsreader.store import ArticleFilter, Store
from newsreader.tui.pager import ViewRows, read_view

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
ALL = ArticleFilter()


def articles(prefix: str, minutes: list[float]) -> list[NewArticle]:
    return [
        NewArticle(key=f"{prefix}{n}", title=f"{prefix}{n}", published=T0 + timedelta(minutes=m))
        for n, m in enumerate(minutes)
    ]


def statements(store: Store) -> list[str]:
    """Every SQL statement ``store``'s connection runs from now on (appended as they run)."""
    seen: list[str] = []
    connection: sqlite3.Connection = store.database._db
    connection.set_trace_callback(seen.append)
    return seen


def full_key_reads(seen: list[str]) -> list[str]:
    """The statements that read every key of a view (no lower bound on the keys)."""
    return [s for s in seen if s.startswith("SELECT a.published, a.id") and "> (" not in s]


def test_reading_a_view_again_reads_only_the_keys_added_on_top(store: Store) -> None:
    feed = store.ensure_feed("https://one.example/feed", "One")
    store.upsert_articles(feed.id, articles("old", [float(m) for m in range(250)]))
    known, _, _ = read_view(store, ALL, None, None)
    store.upsert_articles(feed.id, articles("new", [1000.0, 1001.0, 1001.0]))
    seen = statements(store)
    keys, pages, row = read_view(store, ALL, None, 5, known)
    assert full_key_reads(seen) == []  # only the three new keys were read
    assert keys == store.view_keys(ALL) and len(keys) == 253
    assert row == 5 and 0 in pages


def test_any_other_change_reads_every_key_again(store: Store) -> None:
    feed = store.ensure_feed("https://one.example/feed", "One")
    store.upsert_articles(feed.id, articles("old", [float(m) for m in range(0, 500, 2)]))
    unread = ArticleFilter(unread=True)
    for change in ("older article", "new on top and one read", "one read"):
        known = store.view_keys(unread)
        if change == "older article":
            store.upsert_articles(feed.id, articles("between", [3.0]))
        elif change == "new on top and one read":
            store.upsert_articles(feed.id, articles("top", [9999.0]))
            store.set_read([known[7][1]], read=True)
        else:
            store.set_read([known[-1][1]], read=True)
        seen = statements(store)
        keys, _, _ = read_view(store, unread, None, None, known)
        assert full_key_reads(seen), change
        assert keys == store.view_keys(unread), change


def test_the_nearest_unread_row_from_the_loaded_pages() -> None:
    from newsreader.model import ArticleSummary

    def summary(n: int, *, read: bool) -> ArticleSummary:
        return ArticleSummary(
            id=n, feed_id=1, feed_title="F", title=str(n), link="", author="",
            published=T0 - timedelta(minutes=n), read=read, starred=False,
        )  # fmt: skip

    rows = ViewRows(page_size=10)
    rows.set_keys([(float(-n), n) for n in range(30)], {})
    # Pages 0 and 2 are loaded; page 1 (rows 10-19) is not.
    rows.put(0, {n: summary(n, read=n != 3) for n in range(10)})
    rows.put(2, {n: summary(n, read=n != 25) for n in range(20, 30)})
    assert rows.unread_near(0, forward=True) == (True, 3)
    assert rows.unread_near(3, forward=True) == (False, None)  # page 1 must be read first
    assert rows.unread_near(29, forward=False) == (True, 25)
    assert rows.unread_near(25, forward=False) == (False, None)
    assert rows.unread_near(25, forward=True) == (True, None)  # none below: the end
    assert rows.unread_near(3, forward=False) == (True, None)  # none above: the top


def test_a_snapshot_reads_the_file_as_it_was_at_its_first_read(store: Store) -> None:
    feed = store.ensure_feed("https://one.example/feed", "One")
    store.upsert_articles(feed.id, articles("old", [1.0, 2.0]))
    assert store.path is not None
    reader = Store.open_reader(store.path)
    try:
        with reader.database.snapshot():
            assert reader.view_fingerprint(ALL)[0] == 2
            store.upsert_articles(feed.id, articles("new", [10.0]))  # another writer, meanwhile
            assert reader.view_fingerprint(ALL)[0] == 2
            assert len(reader.view_keys(ALL)) == 2
        assert reader.view_fingerprint(ALL)[0] == 3
    finally:
        reader.close()
