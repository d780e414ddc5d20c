"""The SQLite cache: upserts keep state, FTS stays in sync, migrations, damaged files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsreader.model import FeedKind, FetchStatus, NewArticle
from newsreader.store import ArticleFilter, Store, StoreError
from newsreader.store.schema import SCHEMA_VERSION

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def make(key: str, title: str = "", body: str = "", minutes: int = 0) -> NewArticle:
    body = body or f"Body of {key}"
    return NewArticle(
        key=key,
        title=title or f"Article {key}",
        published=T0 + timedelta(minutes=minutes),
        content=body,
        body=body,
        text=body,
    )


def user_version(path: Path | None) -> int:
    assert path is not None
    raw = sqlite3.connect(path)
    version = int(raw.execute("PRAGMA user_version").fetchone()[0])
    raw.close()
    return version


def test_new_cache_is_wal_with_current_schema(store: Store) -> None:
    assert user_version(store.path) == SCHEMA_VERSION
    assert store.path is not None
    mode = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_upsert_counts_new_updated_unchanged(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed", "Example")
    first = store.upsert_articles(feed.id, [make("a"), make("b")])
    assert (first.new, first.updated, first.unchanged) == (2, 0, 0)
    second = store.upsert_articles(feed.id, [make("a"), make("b", body="changed")])
    assert (second.new, second.updated, second.unchanged) == (0, 1, 1)


def test_reimport_never_resets_read_or_starred(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed", "Example")
    store.upsert_articles(feed.id, [make("a"), make("b")])
    ids = {a.title: a.id for a in store.list_articles()}
    store.set_read([ids["Article a"]])
    store.set_starred([ids["Article b"]])
    store.upsert_articles(
        feed.id, [make("a", title="New title", body="new text"), make("b", body="other")]
    )
    a = store.article(ids["Article a"])
    b = store.article(ids["Article b"])
    assert a is not None and b is not None
    assert a.title == "New title" and a.body == "new text"
    assert a.read and not a.starred and a.read_at is not None
    assert b.starred and not b.read and b.starred_at is not None


def test_list_is_newest_first_and_filters(store: Store) -> None:
    one = store.ensure_feed("https://one.example/feed", "One", tags=["world"])
    two = store.ensure_feed("https://two.example/feed", "Two", tags=["tech"])
    store.upsert_articles(one.id, [make("old", minutes=1), make("new", minutes=5)])
    store.upsert_articles(two.id, [make("mid", minutes=3)])
    assert [a.title for a in store.list_articles()] == ["Article new", "Article mid", "Article old"]
    assert [a.title for a in store.list_articles(ArticleFilter(tag="tech"))] == ["Article mid"]
    assert store.count_articles(ArticleFilter(feed_id=one.id)) == 2
    newest = store.list_articles(limit=1)[0]
    store.set_read([newest.id])
    assert store.count_articles(ArticleFilter(unread=True)) == 2
    assert [a.title for a in store.page(ArticleFilter(), after=newest.key, limit=1)] == [
        "Article mid"
    ]


def test_search_follows_updates_and_deletes(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed", "Example")
    store.upsert_articles(feed.id, [make("a", body="Tomahawk cruise missiles are debated")])
    hits = store.search('"tomahawk"')
    assert len(hits) == 1 and "**Tomahawk**" in hits[0].snippet
    store.upsert_articles(feed.id, [make("a", body="Nothing about weapons any more")])
    assert store.search('"tomahawk"') == []
    assert len(store.search('"weapons"')) == 1
    store.delete_feed(feed.id)
    assert store.search('"weapons"') == []


def test_search_folds_case_and_diacritics(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed", "Example")
    store.upsert_articles(feed.id, [make("a", body="Le président à Genève")])
    assert len(store.search('"president" AND "geneve"')) == 1


def test_state_changes_do_not_touch_the_index(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed", "Example")
    store.upsert_articles(feed.id, [make("a", body="unique zebra word")])
    article_id = store.list_articles()[0].id
    store.set_read([article_id])
    store.set_starred([article_id])
    assert [h.article.id for h in store.search('"zebra"')] == [article_id]
    assert store.path is not None
    raw = sqlite3.connect(store.path)
    integrity = raw.execute(
        "INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')"
    ).fetchone()
    raw.close()
    assert integrity is None


def test_remove_missing_keeps_starred_and_kept_keys(store: Store) -> None:
    feed = store.ensure_feed("file:///articles", "Folder", FeedKind.STORED)
    store.upsert_articles(feed.id, [make("a"), make("b"), make("c")])
    starred = next(a.id for a in store.list_articles() if a.title == "Article b")
    store.set_starred([starred])
    counts = store.upsert_articles(feed.id, [], remove_missing=True, keep={"c"})
    assert counts.removed == 1
    assert sorted(a.title for a in store.list_articles()) == ["Article b", "Article c"]


def test_prune_never_deletes_starred(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed", "Example")
    store.upsert_articles(feed.id, [make(str(i), minutes=i) for i in range(10)])
    oldest = store.list_articles(limit=10)[9]
    store.set_starred([oldest.id])
    assert store.prune(feed.id, keep=3) == 6
    titles = {a.title for a in store.list_articles()}
    assert titles == {"Article 9", "Article 8", "Article 7", "Article 0"}


def test_mark_all_read_returns_ids_for_undo(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed", "Example")
    store.upsert_articles(feed.id, [make("a"), make("b")])
    ids = store.mark_all_read(ArticleFilter(feed_id=feed.id))
    assert len(ids) == 2 and store.count_articles(ArticleFilter(unread=True)) == 0
    store.set_read(ids, read=False)
    assert store.count_articles(ArticleFilter(unread=True)) == 2


def test_feed_counts_and_fetch_status(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed", "Example", tags=["a", "b"])
    store.upsert_articles(feed.id, [make("a"), make("b")])
    store.set_read([store.list_articles()[0].id])
    store.record_fetch(feed.id, "error", error="connection refused")
    (listed,) = store.feeds()
    assert (listed.total, listed.unread, listed.tags) == (2, 1, ("a", "b"))
    assert listed.failed and listed.last_error == "connection refused" and listed.failures == 1


def test_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    Store.open(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer newsreader"):
        Store.open(path)
    assert path.read_bytes() == before


def test_damaged_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    path.write_bytes(b"this is not a database at all" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="damaged or not a newsreader cache"):
        Store.open(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (x)")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="not a newsreader cache"):
        Store.open(path)


def test_migration_from_empty_file_and_reopen_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    store = Store.open(path)
    feed = store.ensure_feed("https://example.org/feed", "Example")
    store.upsert_articles(feed.id, [make("a")])
    store.close()
    reopened = Store.open(path)
    assert user_version(path) == SCHEMA_VERSION
    assert [a.title for a in reopened.list_articles()] == ["Article a"]
    reopened.close()


def test_neighbour_unread_walks_in_list_order(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed", "Example")
    store.upsert_articles(feed.id, [make(str(i), minutes=i) for i in range(4)])
    articles = store.list_articles()  # 3, 2, 1, 0
    store.set_read([articles[1].id])
    nxt = store.neighbour_unread(ArticleFilter(), articles[0].key)
    assert nxt is not None and nxt.title == "Article 1"
    prev = store.neighbour_unread(ArticleFilter(), articles[3].key, forward=False)
    assert prev is not None and prev.title == "Article 1"
    assert store.neighbour_unread(ArticleFilter(), articles[3].key) is None


def test_upgrade_applies_only_new_migrations_and_keeps_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.store import connection, schema

    path = tmp_path / "cache.db"
    store = Store.open(path)
    feed = store.ensure_feed("https://example.org/feed", "Example")
    store.upsert_articles(feed.id, [make("a")])
    store.set_starred([store.list_articles()[0].id])
    store.close()

    upgraded = [*schema.MIGRATIONS, "ALTER TABLE feeds ADD COLUMN colour TEXT;"]
    monkeypatch.setattr(connection, "MIGRATIONS", upgraded)
    monkeypatch.setattr(connection, "SCHEMA_VERSION", len(upgraded))
    store = Store.open(path)
    assert user_version(path) == len(upgraded)
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT colour FROM feeds").fetchone() == (None,)
    raw.close()
    (article,) = store.list_articles()
    assert article.starred
    store.close()


def test_failed_migration_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsreader.store import connection, schema

    path = tmp_path / "cache.db"
    Store.open(path).close()
    broken = [*schema.MIGRATIONS, "ALTER TABLE feeds ADD COLUMN ok TEXT; SELECT nonsense FROM;"]
    monkeypatch.setattr(connection, "MIGRATIONS", broken)
    monkeypatch.setattr(connection, "SCHEMA_VERSION", len(broken))
    with pytest.raises(StoreError):
        Store.open(path)
    monkeypatch.undo()
    store = Store.open(path)
    assert user_version(path) == SCHEMA_VERSION
    raw = sqlite3.connect(path)
    columns = [row[1] for row in raw.execute("PRAGMA table_info(feeds)")]
    raw.close()
    assert "ok" not in columns
    store.close()


def test_fetch_status_is_an_enum_stored_as_its_old_string(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed", "Example")
    assert store.feeds()[0].last_status is FetchStatus.NEVER
    for status, failed in [
        (FetchStatus.GONE, True),
        (FetchStatus.NOT_MODIFIED, False),
        (FetchStatus.OK, False),
    ]:
        store.record_fetch(feed.id, status)
        stored = store.feed(feed.id)
        assert stored is not None
        assert stored.last_status is status and stored.failed is failed
        assert store.path is not None
        raw = sqlite3.connect(store.path)
        assert raw.execute("SELECT last_status FROM feeds").fetchone() == (str(status),)
        raw.close()
    assert [s.value for s in FetchStatus] == ["", "ok", "not modified", "error", "gone"]


def test_bodies_from_an_older_conversion_are_converted_again(tmp_path: Path) -> None:
    from newsreader.model import ContentType
    from newsreader.render import article_markdown
    from newsreader.store.fulltext import OK, PageText, record_page

    path = tmp_path / "cache.db"
    store = Store.open(path)
    feed = store.ensure_feed("https://example.org/feed", "Example")

    def html(key: str) -> NewArticle:
        content = f'<a href="#s"><h2>Section {key}</h2></a><p>Words of {key}.</p>'
        return NewArticle(
            key=key,
            title=key,
            published=T0,
            content=content,
            content_type=ContentType.HTML,
            body=None,
            text=f"Section {key} Words of {key}.",
            link="https://example.org/p",
        )

    store.upsert_articles(feed.id, [html("shown"), html("paged"), make("stored")])
    ids = {a.title: a.id for a in store.list_articles()}
    for key in ("shown", "paged"):
        article = store.article(ids[key])
        assert article is not None
        article_markdown(store, article)  # the body is converted and kept
    page = PageText(
        status=OK,
        url="https://example.org/p",
        markdown="## Page\n\nThe page.\n",
        text="Page The page.",
        word_count=3,
    )
    record_page(store, ids["paged"], page)
    # What an older conversion left behind:
    store.set_body(ids["shown"], "[## Section shown](https://example.org/p#s)\n")
    store.set_meta("markdown_version", "1")
    store.close()

    reopened = Store.open(path)
    shown = reopened.article(ids["shown"])
    assert shown is not None and shown.body is None  # forgotten, so converted again...
    assert article_markdown(reopened, shown) == "## Section shown\n\nWords of shown.\n"
    paged = reopened.article(ids["paged"])
    assert paged is not None and paged.body == "## Page\n\nThe page.\n"  # the page's own
    stored = reopened.article(ids["Article stored"])
    assert stored is not None and stored.body == "Body of stored"  # a file's content
    reopened.close()

    again = Store.open(path)  # same version: the new conversion is kept
    kept = again.article(ids["shown"])
    assert kept is not None and kept.body == "## Section shown\n\nWords of shown.\n"
    again.close()
