"""The refresh's one writer: batches keep per-feed outcomes, unchanged entries cost nothing,
read/starred state survives, and bulk search indexing keeps the index whole."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

import newsreader.ingest.feed.content as feed_module
from feed_server import rss
from newsreader.batch_writer import BatchWriter
from newsreader.config import Config, load_config
from newsreader.context import sync_sources
from newsreader.model import ContentType, NewArticle
from newsreader.refresh import refresh
from newsreader.store import ArticleFilter, Store, StoreError
from newsreader.store.articles import BULK_INDEX_MIN, _bulk_index_sql

SETTINGS = "[settings]\nrefresh_on_start = false\ntimeout = 5\n"


def configure(tmp_path: Path, store: Store, urls: list[str]) -> Config:
    lines = [SETTINGS]
    for url in urls:
        lines += ["[[feeds]]", f'url = "{url}"', ""]
    path = tmp_path / "feeds.toml"
    path.write_text("\n".join(lines), "utf-8")
    config = load_config(path)
    sync_sources(store, config)
    return config


def changes(store: Store) -> int:
    """Rows the store's writer connection has changed so far (SQLite's own count)."""
    connection: sqlite3.Connection = store._db._db  # the one writing connection
    return connection.total_changes


async def test_unchanged_entries_are_not_processed_or_written(
    server: HTTPServer, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = {"feed": rss(6, title="Same")}
    # No validators: the server answers 200 with the whole document every time.
    server.expect_request("/same").respond_with_handler(lambda request: Response(body["feed"]))
    config = configure(tmp_path, store, [server.url_for("/same")])
    first = await refresh(store, config)
    assert first.new == 6 and first.failed == 0
    feed = store.feed_by_url(server.url_for("/same"))
    assert feed is not None
    mine = ArticleFilter(feed_id=feed.id)
    ids = [a.id for a in store.list_articles(mine)]
    store.set_read(ids[:3], read=True)
    store.set_starred(ids[:1], starred=True)

    processed: list[str] = []  # entries' HTML made ready to keep
    real = feed_module.stored_html

    def counting(fragment: str, base: str | None = None) -> str:
        processed.append(fragment)
        return real(fragment, base)

    monkeypatch.setattr(feed_module, "stored_html", counting)
    before = changes(store)
    second = await refresh(store, config)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 6)
    assert processed == []  # no entry was read again
    assert changes(store) - before == 1  # only the feed's fetch record

    # One entry changes: only it is read again and written; state is kept everywhere.
    body["feed"] = rss(6, title="Same").replace(b"Body of item 2&lt;", b"New body of item 2&lt;")
    third = await refresh(store, config)
    assert (third.new, third.updated, third.unchanged) == (0, 1, 5)
    assert len(processed) == 1 and "New body" in processed[0]
    after = {a.id: a for a in store.list_articles(mine)}
    assert set(after) == set(ids)
    assert [after[i].read for i in ids] == [True, True, True, False, False, False]
    assert after[ids[0]].starred


def article(key: str, text: str = "words") -> NewArticle:
    return NewArticle(
        key=key,
        title=f"Title {key}",
        published=datetime(2024, 1, 1, tzinfo=UTC),
        content=f"<p>{text}</p>",
        text=text,
    )


def test_articles_stored_before_source_hashes_count_as_unchanged(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed")
    store.upsert_articles(feed.id, [article("a")])  # stored with a hash of its fields
    old = store.known_hashes(feed.id)["a"]
    hashed = article("a")
    hashed.source_hash = "src:0123"
    counts = store.upsert_articles(feed.id, [hashed])
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 1)
    assert store.known_hashes(feed.id) == {"a": "src:0123"} != {"a": old}
    changed = article("a", "other words")
    changed.source_hash = "src:4567"
    assert store.upsert_articles(feed.id, [changed]).updated == 1


async def test_a_batch_keeps_each_feeds_outcome_and_undoes_only_the_failing_one(
    store: Store,
) -> None:
    feeds = [store.ensure_feed(f"https://example.org/{n}") for n in range(3)]
    writer = BatchWriter(store, batch_seconds=60.0)  # everything queued goes in one batch

    def write(feed_id: int, fail: bool) -> Callable[[Store], int]:
        def work(target: Store) -> int:
            counts = target.upsert_articles(feed_id, [article(f"{feed_id}-{n}") for n in range(3)])
            if fail:
                raise ValueError(f"feed {feed_id} broke after writing")
            return counts.new

        return work

    try:
        results = await asyncio.gather(
            *(writer.submit(write(f.id, f is feeds[1])) for f in feeds),
            return_exceptions=True,
        )
    finally:
        writer.close()
    assert results[0] == 3 and results[2] == 3
    assert isinstance(results[1], ValueError) and "broke" in str(results[1])
    counted = [store.count_articles(ArticleFilter(feed_id=f.id)) for f in feeds]
    assert counted == [3, 0, 3]
    assert writer.batches <= 2  # not one transaction per feed


def test_bulk_indexing_keeps_the_search_index_whole(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed")
    many = [article(f"k{n}", f"alpha{n} shared") for n in range(BULK_INDEX_MIN * 2)]
    assert store.upsert_articles(feed.id, many).new == len(many)
    connection: sqlite3.Connection = store._db._db
    triggers = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
    }
    assert "articles_fts_insert" in triggers  # put back after the bulk insert
    assert len(store.search('"shared"', limit=100)) == (len(many))
    assert store.prune(feed.id, 3) == len(many) - 3
    connection.execute(
        "INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)"
    )
    # A single new article still goes through the trigger.
    store.upsert_articles(feed.id, [article("single", "lonely")])
    assert len(store.search('"lonely"')) == 1


def test_bulk_indexing_is_used_only_for_a_plain_insert_trigger() -> None:
    plain = (
        "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN\n"
        "    INSERT INTO articles_fts (rowid, title, author, text)\n"
        "    VALUES (new.id, new.title, new.author, new.text);\nEND"
    )
    bulk = _bulk_index_sql(plain)
    assert bulk is not None and "SELECT new.id, new.title, new.author, new.text" in bulk
    # A trigger for some rows only, or with more than one statement, keeps doing the work.
    conditional = plain.replace("ON articles BEGIN", "ON articles WHEN new.hidden = 0 BEGIN")
    assert _bulk_index_sql(conditional) is None
    assert _bulk_index_sql(plain.replace(");\nEND", "); DELETE FROM meta;\nEND")) is None


def test_bulk_indexing_indexes_section_headings(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed")
    many = [
        NewArticle(
            key=f"h{n}",
            title=f"Title h{n}",
            published=datetime(2024, 1, 1, tzinfo=UTC),
            content=f"<h2>Tomahawk{n} debate</h2><p>body{n} words</p>",
            content_type=ContentType.HTML,
            text=f"Tomahawk{n} debate body{n} words",
        )
        for n in range(BULK_INDEX_MIN + 2)
    ]
    assert store.upsert_articles(feed.id, many).new == len(many)
    for n in (0, BULK_INDEX_MIN + 1):
        hits = store.search(f"headings : tomahawk{n}")
        assert [hit.article.title for hit in hits] == [f"Title h{n}"]
    assert store.search("headings : body3") == []  # body words are not headings
    connection: sqlite3.Connection = store._db._db
    connection.execute(
        "INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)"
    )


async def test_refresh_filters_each_feeds_new_articles_only(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    bodies = {"a": rss(BULK_INDEX_MIN + 2, prefix="sponsored"), "b": rss(3, prefix="sponsored-b")}
    for name in bodies:
        server.expect_request(f"/{name}").respond_with_handler(
            lambda request, name=name: Response(bodies[name])
        )
    urls = [server.url_for("/a"), server.url_for("/b")]
    lines = [SETTINGS, '[[filter]]\nquery = "sponsored"\naction = "star"\n']
    lines += [f'[[feeds]]\nurl = "{url}"\n' for url in urls]
    path = tmp_path / "feeds.toml"
    path.write_text("\n".join(lines), "utf-8")
    config = load_config(path)
    sync_sources(store, config)

    first = await refresh(store, config)
    by_url = {store.feed_by_url(url).id: url for url in urls}  # type: ignore[union-attr]
    filtered = {by_url[o.feed_id]: o.counts.filtered for o in first.outcomes}
    assert filtered == {urls[0]: (("star", BULK_INDEX_MIN + 2),), urls[1]: (("star", 3),)}
    starred = store.list_articles(ArticleFilter(starred=True))
    assert len(starred) == BULK_INDEX_MIN + 5
    store.set_starred([a.id for a in starred], starred=False)

    # Two new entries in one feed: the filter runs on them, not on the older ones.
    bodies["a"] = rss(BULK_INDEX_MIN + 4, prefix="sponsored")
    second = await refresh(store, config)
    filtered = {by_url[o.feed_id]: o.counts.filtered for o in second.outcomes}
    assert filtered == {urls[0]: (("star", 2),), urls[1]: ()}
    titles = {a.title for a in store.list_articles(ArticleFilter(starred=True))}
    assert titles == {f"sponsored {BULK_INDEX_MIN + 2}", f"sponsored {BULK_INDEX_MIN + 3}"}


async def test_a_writer_on_a_store_that_refuses_writes_answers_with_the_reason(
    store: Store,
) -> None:
    store.refuse_writes("the cache is damaged")
    writer = BatchWriter(store)
    try:
        with pytest.raises(StoreError, match="damaged"):
            await asyncio.wait_for(writer.submit(lambda target: target.known_hashes(1)), 5)
    finally:
        writer.close()


async def test_while_more_is_coming_the_writer_gathers_results_into_one_batch(
    store: Store,
) -> None:
    feeds = [store.ensure_feed(f"https://example.org/{n}") for n in range(4)]
    coming = {"more": True}
    writer = BatchWriter(store, batch_seconds=5.0, more_coming=lambda: coming["more"])

    def write(feed_id: int) -> Callable[[Store], int]:
        return lambda target: target.upsert_articles(feed_id, [article(f"{feed_id}")]).new

    try:
        submitted = []
        for feed in feeds:  # they arrive one by one, as parsed feeds do
            submitted.append(asyncio.ensure_future(writer.submit(write(feed.id))))
            await asyncio.sleep(0.05)
        coming["more"] = False  # the last source handed its work over
        results = await asyncio.wait_for(asyncio.gather(*submitted), 5)
    finally:
        writer.close()
    assert results == [1, 1, 1, 1]
    assert writer.batches == 1
    assert store.count_articles(ArticleFilter()) == 4
    assert len(store.search('"words"')) == 4  # indexed for search when the batch committed


async def test_with_nothing_more_coming_the_writer_commits_at_once(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/alone")
    writer = BatchWriter(store, batch_seconds=30.0, more_coming=lambda: False)
    try:
        new = await asyncio.wait_for(
            writer.submit(lambda target: target.upsert_articles(feed.id, [article("a")]).new), 5
        )
    finally:
        writer.close()
    assert new == 1


async def test_every_gathered_work_fails_alone_when_the_store_refuses_writes(
    store: Store,
) -> None:
    store.refuse_writes("the cache is damaged")
    writer = BatchWriter(store, batch_seconds=0.2, more_coming=lambda: True)
    try:
        results = await asyncio.wait_for(
            asyncio.gather(
                *(writer.submit(lambda target: target.known_hashes(1)) for _ in range(3)),
                return_exceptions=True,
            ),
            5,
        )
    finally:
        writer.close()
    assert len(results) == 3
    assert all(isinstance(r, StoreError) and "damaged" in str(r) for r in results)


async def test_a_refresh_cancelled_while_its_writer_waits_for_more_leaves_what_it_stored(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    import socket

    fast = [f"/fast{n}" for n in range(3)]
    for path in fast:
        server.expect_request(path).respond_with_data(rss(4, title=path), content_type="text/xml")
    # A feed that never answers: the writer keeps waiting for its result.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    hanging = f"http://127.0.0.1:{silent.getsockname()[1]}/never"
    config = configure(tmp_path, store, [server.url_for(p) for p in fast] + [hanging])
    all_fast = asyncio.Event()

    def progress(outcome: object, count: int, total: int) -> None:
        if count == len(fast):
            all_fast.set()

    try:
        task = asyncio.ensure_future(refresh(store, config, on_progress=progress))
        await asyncio.wait_for(all_fast.wait(), 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, 2)  # the lingering writer does not hold it up
    finally:
        silent.close()
    ids = []
    for path in fast:
        feed = store.feed_by_url(server.url_for(path))
        assert feed is not None
        ids.append(feed.id)
    mine = ArticleFilter(feed_ids=tuple(ids))
    assert store.count_articles(mine) == 12
    assert len(store.search('"body"', mine, limit=100)) == 12  # every stored article is found
    raw = sqlite3.connect(store.path)
    try:
        raw.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        raw.close()


def test_the_parsing_process_works_out_what_the_writer_would(tmp_path: Path) -> None:
    from newsreader.refresh_storing import parse_changed

    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>A</title><guid>a</guid><description><![CDATA[<h2>First part</h2>"
        b"<p>Some words here.</p><h3>Second <em>part</em></h3><p>More.</p>]]></description>"
        b"</item><item><title>B</title><guid>b</guid><description>Plain words only"
        b"</description></item></channel></rss>"
    )
    parsed = parse_changed(feed, "https://example.org/feed.xml", "", {})
    assert [a.headings for a in parsed.articles] == ["First part\nSecond part", ""]
    assert [a.word_count for a in parsed.articles] == [8, 3]
    # Stored with them or without them (the writer then works them out), the rows agree.
    bare = [
        replace(a, key=a.key + "-bare", title=a.title + "-bare", headings=None, word_count=None)
        for a in parsed.articles
    ]
    store = Store.open(tmp_path / "cache.db")
    try:
        feed_id = store.ensure_feed("https://example.org/feed.xml").id
        store.upsert_articles(feed_id, [*parsed.articles, *bare])
    finally:
        store.close()
    with sqlite3.connect(tmp_path / "cache.db") as db:
        rows = dict(db.execute("SELECT title, headings || '|' || word_count FROM articles"))
    assert rows["A"] == rows["A-bare"] == "First part\nSecond part|8"
    assert rows["B"] == rows["B-bare"] == "|3"
