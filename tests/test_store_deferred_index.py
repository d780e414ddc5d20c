"""Indexing a writer batch's new articles at its end keeps the search index exactly right:
through failing feeds, pruning, changed articles, filters searching inside the batch."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from newsreader.batch_writer import BatchWriter
from newsreader.model import NewArticle
from newsreader.search import compile_query
from newsreader.store import Store
from newsreader.store.schema import FTS_TRIGGERS


def article(key: str, text: str, day: int = 0) -> NewArticle:
    return NewArticle(
        key=key,
        title=f"Title {key}",
        published=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=day),
        content=f"<p>{text}</p>",
        text=text,
    )


def connection(store: Store) -> sqlite3.Connection:
    db: sqlite3.Connection = store._db._db  # the one writing connection
    return db


def triggers(store: Store) -> dict[str, str]:
    rows = connection(store).execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' UNION ALL "
        "SELECT name, sql FROM sqlite_temp_master WHERE type = 'trigger'"
    )
    return {str(name): str(sql) for name, sql in rows}


def check_index(store: Store) -> None:
    connection(store).execute(
        "INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)"
    )


def found(store: Store, word: str) -> set[str]:
    return {hit.article.title for hit in store.search(f'"{word}"', limit=1000)}


async def run_batch(store: Store, works: list[Callable[[Store], object]]) -> list[object]:
    writer = BatchWriter(store, batch_seconds=60.0)  # everything queued goes in one batch
    try:
        return await asyncio.gather(*(writer.submit(w) for w in works), return_exceptions=True)
    finally:
        writer.close()


@pytest.mark.parametrize("broken_first", [False, True])
async def test_a_batch_indexes_its_new_articles_once_and_keeps_the_index_whole(
    store: Store, broken_first: bool
) -> None:
    old_feed, new_feed, failing = (store.ensure_feed(f"https://example.org/{n}") for n in "abc")
    store.upsert_articles(old_feed.id, [article(f"o{n}", f"stale{n} common", n) for n in range(4)])
    schema_triggers = triggers(store)
    during: list[set[str]] = []

    def fresh(target: Store) -> object:
        counts = target.upsert_articles(
            new_feed.id, [article(f"n{n}", f"fresh{n} common", n) for n in range(12)]
        )
        during.append(set(triggers(target)))
        assert target.prune(new_feed.id, 9) == 3  # three new rows go before being indexed
        return counts.new

    def changed(target: Store) -> object:
        # An indexed article changes and another indexed one goes.
        target.upsert_articles(old_feed.id, [article("o0", "rewritten common", 10)])
        return target.prune(old_feed.id, 3)

    def broken(target: Store) -> object:
        target.upsert_articles(failing.id, [article(f"x{n}", f"doomed{n}", n) for n in range(9)])
        raise ValueError("this feed broke after writing")

    # The failing feed's savepoint is undone: first, with the triggers taken out inside it.
    order = [broken, fresh, changed] if broken_first else [fresh, broken, changed]
    results = dict(zip(order, await run_batch(store, order), strict=True))
    assert results[fresh] == 12 and results[changed] == 1
    assert isinstance(results[broken], ValueError)
    # Inside the batch the schema's triggers were out and temporary ones in their place.
    assert "articles_fts_insert" not in during[0]
    assert {"indexed_delete", "indexed_update"} <= during[0]
    assert triggers(store) == schema_triggers  # all back, nothing temporary left
    check_index(store)
    assert found(store, "common") == {f"Title n{n}" for n in range(3, 12)} | {
        "Title o0",
        "Title o2",
        "Title o3",
    }
    assert found(store, "stale0") == set() and found(store, "rewritten") == {"Title o0"}
    assert found(store, "stale1") == set()  # pruned
    assert found(store, "fresh0") == set() and found(store, "fresh11") == {"Title n11"}
    assert found(store, "doomed1") == set()
    # Row by row again after the batch.
    store.upsert_articles(old_feed.id, [article("late", "latecomer")])
    assert found(store, "latecomer") == {"Title late"}
    check_index(store)


async def test_a_search_inside_the_batch_finds_the_batchs_new_articles(store: Store) -> None:
    feeds = [store.ensure_feed(f"https://example.org/{n}") for n in range(2)]

    def stored_and_starred(feed_id: int, prefix: str) -> Callable[[Store], object]:
        def work(target: Store) -> object:
            counts = target.upsert_articles(
                feed_id, [article(f"{prefix}{n}", f"{prefix}word{n} sponsored") for n in range(9)]
            )
            return target.apply_filter(compile_query("sponsored"), "star", counts.new_ids)

        return work

    results = await run_batch(
        store, [stored_and_starred(feeds[0].id, "a"), stored_and_starred(feeds[1].id, "b")]
    )
    assert results == [9, 9]
    check_index(store)
    assert len(found(store, "sponsored")) == 18


async def test_other_triggers_than_the_schemas_are_left_to_do_the_indexing(
    store: Store,
) -> None:
    feed = store.ensure_feed("https://example.org/feed")
    conditional = FTS_TRIGGERS.split("END;")[0].replace(
        "ON articles BEGIN", "ON articles WHEN new.hidden = 0 BEGIN"
    )
    with store.batch() as db:
        assert isinstance(db, sqlite3.Connection)
        db.execute("DROP TRIGGER articles_fts_insert")
        db.execute(conditional + "END;")
    before = triggers(store)
    seen: list[set[str]] = []

    def work(target: Store) -> object:
        target.upsert_articles(feed.id, [article(f"k{n}", f"kept{n} words") for n in range(9)])
        seen.append(set(triggers(target)))
        return None

    await run_batch(store, [work])
    assert seen == [set(before)] and triggers(store) == before
    check_index(store)
    assert len(found(store, "words")) == 9


def test_deferring_needs_an_open_transaction(store: Store) -> None:
    from newsreader.store.deferred_index import begin

    with pytest.raises(AssertionError):
        begin(connection(store))
