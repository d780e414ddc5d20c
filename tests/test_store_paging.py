"""Keyset paging, view keys, summaries and the unread walk, on real SQLite files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsreader.model import NewArticle
from newsreader.store import ArticleFilter, PageKey, Store

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
ALL = ArticleFilter()


def make(key: str, minutes: float) -> NewArticle:
    return NewArticle(
        key=key, title=f"Article {key}", published=T0 + timedelta(minutes=minutes), text=key
    )


@pytest.fixture
def filled(store: Store) -> Store:
    """Two feeds under different tags; several articles share a publication time."""
    one = store.ensure_feed("https://one.example/feed", "One", tags=["world"])
    two = store.ensure_feed("https://two.example/feed", "Two", tags=["tech", "world"])
    # Ties on published (minutes // 3) make the id the deciding part of the key.
    store.upsert_articles(one.id, [make(f"one-{i}", i // 3) for i in range(20)])
    store.upsert_articles(two.id, [make(f"two-{i}", i // 3 + 0.5) for i in range(10)])
    every = store.list_articles(limit=1000)
    store.set_read([a.id for a in every[::4]])
    store.set_starred([a.id for a in every[1::5]])
    return store


def expected(store: Store, where: ArticleFilter) -> list[PageKey]:
    """The list order, computed in Python from every article (independent of SQL order)."""
    rows = [a for a in store.list_articles(ALL, limit=1000) if _matches(store, a.id, where)]
    return sorted((a.key for a in rows), reverse=True)


def _matches(store: Store, article_id: int, where: ArticleFilter) -> bool:
    article = store.article(article_id)
    assert article is not None
    feed = store.feed(article.feed_id)
    assert feed is not None
    return (
        (where.feed_id is None or article.feed_id == where.feed_id)
        and (where.feed_ids is None or article.feed_id in where.feed_ids)
        and (where.tag is None or where.tag in feed.tags)
        and (not where.unread or not article.read)
        and (not where.starred or article.starred)
    )


def views(store: Store) -> list[ArticleFilter]:
    one = store.feed_by_url("https://one.example/feed")
    two = store.feed_by_url("https://two.example/feed")
    assert one is not None and two is not None
    return [
        ALL,
        ArticleFilter(unread=True),
        ArticleFilter(starred=True),
        ArticleFilter(feed_id=one.id),
        ArticleFilter(feed_id=one.id, unread=True),
        ArticleFilter(tag="tech"),
        ArticleFilter(tag="tech", unread=True),
        ArticleFilter(tag="world"),
        ArticleFilter(tag="world", unread=True),
        ArticleFilter(feed_ids=(one.id, two.id), starred=True),
        ArticleFilter(feed_ids=(two.id,)),
        ArticleFilter(tag="no such tag"),
    ]


def test_view_keys_are_every_key_in_display_order(filled: Store) -> None:
    for where in views(filled):
        keys = filled.view_keys(where)
        assert keys == expected(filled, where), where
        assert len(keys) == filled.count_articles(where)
    assert len(filled.view_keys(ALL)) == 30


@pytest.fixture(params=["merged", "scanned"])
def strategy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Views of a few feeds are paged feed by feed and merged; many feeds, by one scan."""
    from newsreader.store import queries

    if request.param == "scanned":
        monkeypatch.setattr(queries, "MERGE_FEEDS", 0)
    return str(request.param)


def test_pages_after_a_key_walk_the_whole_view_without_gaps(filled: Store, strategy: str) -> None:
    for where in views(filled):
        walked: list[PageKey] = []
        after: PageKey | None = None
        while True:
            page = filled.page(where, after=after, limit=4)
            if not page:
                break
            assert len(page) <= 4
            walked.extend(a.key for a in page)
            after = page[-1].key
        assert walked == expected(filled, where), where


def test_pages_before_a_key_walk_back_up_in_display_order(filled: Store, strategy: str) -> None:
    for where in views(filled):
        keys = expected(filled, where)
        if not keys:
            assert filled.page(where) == [], where
            continue
        walked: list[PageKey] = []
        before = keys[-1]
        while True:
            page = filled.page_before(where, before, limit=3)
            if not page:
                break
            got = [a.key for a in page]
            assert got == sorted(got, reverse=True)  # display order within the page
            walked = got + walked
            before = page[0].key
        assert walked == keys[:-1], where


def test_page_from_the_top_and_limit(filled: Store) -> None:
    top = filled.page(ALL, limit=5)
    assert [a.key for a in top] == expected(filled, ALL)[:5]
    assert filled.page(ALL, after=expected(filled, ALL)[-1]) == []
    assert filled.page_before(ALL, expected(filled, ALL)[0]) == []


def test_page_strictly_after_a_key_shared_by_published_time(filled: Store) -> None:
    keys = expected(filled, ALL)
    # Find two neighbouring rows with the same published time: the id must break the tie.
    index = next(i for i in range(len(keys) - 1) if keys[i][0] == keys[i + 1][0])
    page = filled.page(ALL, after=keys[index], limit=1)
    assert [a.key for a in page] == [keys[index + 1]]
    back = filled.page_before(ALL, keys[index + 1], limit=1)
    assert [a.key for a in back] == [keys[index]]


def test_summaries_by_id_skip_missing_ones(filled: Store) -> None:
    listed = filled.list_articles(limit=6)
    ids = [a.id for a in listed]
    found = filled.summaries([*ids, 999_999, ids[0]])
    assert found == {a.id: a for a in listed}
    assert filled.summaries([]) == {}
    many = [a.id for a in filled.list_articles(limit=1000)]
    assert len(filled.summaries(many * 40)) == 30  # more ids than one statement takes


def test_neighbour_unread_from_a_key_and_from_either_end(filled: Store, strategy: str) -> None:
    unread_ids = {a.id for a in filled.list_articles(limit=1000) if not a.read}
    for where in views(filled):
        keys = expected(filled, where)
        unread = [k for k in keys if k[1] in unread_ids]
        first = filled.neighbour_unread(where, None)
        last = filled.neighbour_unread(where, None, forward=False)
        assert (first.key if first else None) == (unread[0] if unread else None)
        assert (last.key if last else None) == (unread[-1] if unread else None)
        for position, key in enumerate(keys):
            below = [k for k in keys[position + 1 :] if k in unread]
            above = [k for k in keys[:position] if k in unread]
            nxt = filled.neighbour_unread(where, key)
            prev = filled.neighbour_unread(where, key, forward=False)
            assert (nxt.key if nxt else None) == (below[0] if below else None)
            assert (prev.key if prev else None) == (above[-1] if above else None)


def test_summary_key_is_published_timestamp_and_id(filled: Store) -> None:
    (first,) = filled.page(ALL, limit=1)
    assert first.key == (first.published.timestamp(), first.id)


def test_data_version_changes_when_another_connection_writes(filled: Store) -> None:
    assert filled.path is not None
    reader = Store.open_reader(filled.path)
    try:
        before = reader.data_version()
        assert reader.data_version() == before  # nothing written
        filled.set_read([filled.page(ALL, limit=1)[0].id], read=False)
        filled.set_meta("theme", "dark")
        assert reader.data_version() != before
    finally:
        reader.close()


def test_keys_of_sub_second_times_round_trip_exactly(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed", "Example")
    odd = [T0 + timedelta(microseconds=m) for m in (1, 123_457, 999_999, 500_001, 333_333)]
    store.upsert_articles(
        feed.id, [NewArticle(key=str(n), title=str(n), published=t) for n, t in enumerate(odd)]
    )
    keys = store.view_keys(ALL)
    assert [a.key for a in store.page(ALL)] == keys
    for key in keys:
        # A row is never "after" or "before" its own key.
        assert key not in [a.key for a in store.page(ALL, after=key)]
        assert key not in [a.key for a in store.page_before(ALL, key)]


def test_keys_newer_than_a_key_and_the_view_fingerprint(filled: Store) -> None:
    for where in views(filled):
        keys = expected(filled, where)
        count, ids = filled.view_fingerprint(where)
        assert (count, ids) == (len(keys), sum(i for _, i in keys)), where
        for position, key in enumerate(keys):
            assert filled.view_keys(where, newer_than=key) == keys[:position], (where, key)
