"""The read-only connection: never blocked by a writer, never writes, never migrates."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsreader.model import FetchStatus, NewArticle
from newsreader.store import ArticleFilter, Store, StoreError
from newsreader.store.schema import SCHEMA_VERSION

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def make(key: str, minutes: int = 0) -> NewArticle:
    return NewArticle(key=key, title=f"Article {key}", published=T0 + timedelta(minutes=minutes))


@pytest.fixture
def path(store: Store) -> Path:
    feed = store.ensure_feed("https://example.org/feed", "Example", tags=["news"])
    store.upsert_articles(feed.id, [make(str(i), i) for i in range(5)])
    assert store.path is not None
    return store.path


def test_reader_reads_what_the_writer_committed(store: Store, path: Path) -> None:
    reader = Store.open_reader(path)
    try:
        assert reader.read_only and not store.read_only
        assert [a.id for a in reader.page(ArticleFilter())] == [
            a.id for a in store.page(ArticleFilter())
        ]
        assert reader.count_articles(ArticleFilter(tag="news")) == 5
        (feed,) = reader.feeds()
        assert (feed.total, feed.unread) == (5, 5)
        assert reader.search('"Article"') != []
    finally:
        reader.close()


def test_reader_is_not_blocked_by_an_open_write_transaction(store: Store, path: Path) -> None:
    reader = Store.open_reader(path)
    done = threading.Event()
    release = threading.Event()

    def hold_the_write_lock() -> None:
        with store.transaction() as connection:
            connection.execute("UPDATE articles SET title = 'uncommitted'")
            done.set()
            release.wait(10)

    writer = threading.Thread(target=hold_the_write_lock)
    writer.start()
    try:
        assert done.wait(5)
        started = time.monotonic()
        titles = {a.title for a in reader.page(ArticleFilter())}
        keys = reader.view_keys(ArticleFilter())
        counts = reader.feeds()
        elapsed = time.monotonic() - started
        # The writer still holds its transaction: a blocked reader would wait the busy
        # timeout (10 s) or fail; this one sees the last committed state straight away.
        assert elapsed < 2.0
        assert "uncommitted" not in titles and len(keys) == 5 and counts[0].total == 5
    finally:
        release.set()
        writer.join(10)
        reader.close()
    assert {a.title for a in store.page(ArticleFilter())} == {"uncommitted"}


def test_every_write_through_a_reader_raises(path: Path) -> None:
    reader = Store.open_reader(path)
    article_id = reader.page(ArticleFilter(), limit=1)[0].id
    feed_id = reader.feeds()[0].id
    writes = [
        lambda: reader.set_read([article_id]),
        lambda: reader.set_starred([article_id]),
        lambda: reader.mark_all_read(ArticleFilter()),
        lambda: reader.set_meta("theme", "dark"),
        lambda: reader.ensure_feed("https://new.example/feed"),
        lambda: reader.upsert_articles(feed_id, [make("new")]),
        lambda: reader.record_fetch(feed_id, FetchStatus.OK),
        lambda: reader.set_body(article_id, "body"),
        lambda: reader.prune(feed_id, 1),
        lambda: reader.delete_feed(feed_id),
        lambda: reader.set_feed_title(feed_id, "x"),
    ]
    try:
        for write in writes:
            with pytest.raises(StoreError, match="read-only"):
                write()
        assert reader.count_articles(ArticleFilter(unread=True)) == 5
        assert reader.get_meta("theme") is None
    finally:
        reader.close()


def test_reader_refuses_a_missing_file_without_creating_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "cache.db"
    with pytest.raises(StoreError, match="does not exist"):
        Store.open_reader(missing)
    assert not missing.exists() and not missing.parent.exists()


def test_reader_refuses_another_schema_version_and_leaves_it(store: Store, path: Path) -> None:
    store.close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match=f"schema {SCHEMA_VERSION - 1}"):
        Store.open_reader(path)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION - 1
    raw.close()


def test_reader_refuses_a_file_that_is_not_a_cache(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    raw = sqlite3.connect(other)
    raw.execute("CREATE TABLE notes (x)")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="not a newsreader cache"):
        Store.open_reader(other)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 200)
    with pytest.raises(StoreError, match="damaged or not a newsreader cache"):
        Store.open_reader(junk)
