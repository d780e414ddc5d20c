"""What the query language finds and how it ranks, over the shared corpus in a real cache."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsreader.importing import import_bundled, import_paths
from newsreader.model import NewArticle
from newsreader.search import compile_query
from newsreader.store import Store
from newsreader.store.filters import ArticleFilter

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def titles(store: Store, text: str, **options: object) -> list[str]:
    hits = store.search_query(compile_query(text, now=NOW), **options)  # type: ignore[arg-type]
    return [hit.article.title for hit in hits]


@pytest.fixture
def corpus(store: Store, shared_dir: Path) -> Store:
    """The bundled guide, the shared plain-text corpus and the Budapest fixture."""
    import_bundled(store)
    folder = shared_dir / "corpus" / "plaintext"
    report = import_paths(store, [folder, shared_dir / "fixtures" / "stored"])
    assert report.counts.new >= 10
    return store


def test_snippet_marks_are_the_callers(corpus: Store) -> None:
    hits = corpus.search_query(compile_query("tomahawk", now=NOW), mark=("[", "]"))
    assert hits and all("[" in hit.snippet for hit in hits)
    assert "[Tomahawk]" in hits[0].snippet or "[tomahawk]" in hits[0].snippet.lower()


def test_phrase_ranks_the_article_with_it_as_a_heading_first(corpus: Store) -> None:
    hits = corpus.search_query(compile_query('"Tomahawk Missile"', now=NOW))
    assert len(hits) >= 2  # the guide mentions the phrase too
    first = corpus.article(hits[0].article.id)
    assert first is not None and "Budapest" in first.title + (first.body or "")
    assert first.feed_title != "newsreader guide"
    assert "**Tomahawk Missile**" in hits[0].snippet


def test_headings_are_indexed_in_their_own_column(corpus: Store, tmp_path: Path) -> None:
    raw = sqlite3.connect(corpus.path or "")
    rows = raw.execute(
        "SELECT headings FROM articles WHERE headings LIKE '%Tomahawk Missile Debate%'"
    ).fetchall()
    assert rows
    in_column = raw.execute(
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'headings : tomahawk'"
    ).fetchone()[0]
    assert in_column == 1


def test_prefix_accents_and_case(corpus: Store) -> None:
    assert set(titles(corpus, "tomahawk OR tomahawks")) <= set(titles(corpus, "tomahaw*"))
    assert titles(corpus, "tomahaw*")
    assert not titles(corpus, "tomahaw")
    assert set(titles(corpus, "TOMAHAWK")) == set(titles(corpus, "tomahawk"))


def test_qualifiers_alone_and_combined(corpus: Store) -> None:
    everything = titles(corpus, "is:unread", limit=500)
    assert len(everything) == corpus.count_articles()
    guide = titles(corpus, 'feed:"newsreader guide"', limit=500)
    assert guide and set(guide) < set(everything)
    first = corpus.search_query(compile_query("tomahawk", now=NOW))[0].article
    corpus.set_starred([first.id])
    assert titles(corpus, "is:starred") == [first.title]
    assert titles(corpus, "is:starred tomahawk") == [first.title]
    assert titles(corpus, "is:starred -tomahawk") == []
    assert first.title not in titles(corpus, "tomahawk -is:starred", limit=500)
    assert titles(corpus, f"feed:{first.feed_id} tomahawk")[0] == first.title
    assert titles(corpus, "title:zzzunlikely") == []


def store_dated(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed", "Example News", tags=["world"])
    other = store.ensure_feed("https://other.org/feed", "Other Paper")
    store.upsert_articles(
        feed.id,
        [
            NewArticle(
                key="old",
                title="Budget vote delayed",
                published=NOW - timedelta(days=30),
                text="the budget vote in parliament",
                author="Ann Smith",
            ),
            NewArticle(
                key="new",
                title="Café owners protest",
                published=NOW - timedelta(days=2),
                text="a protest about the budget outside the café",
                author="Bob Jones",
            ),
        ],
    )
    store.upsert_articles(
        other.id,
        [
            NewArticle(
                key="x",
                title="Kyiv under fire",
                published=NOW - timedelta(hours=3),
                text="budget news from kyiv",
            )
        ],
    )


def test_each_qualifier(store: Store) -> None:
    store_dated(store)
    assert titles(store, "budget since:7d", sort="date") == [
        "Kyiv under fire",
        "Café owners protest",
    ]
    assert titles(store, "budget before:2026-11-15") == ["Budget vote delayed"]
    assert titles(store, "tag:world budget", sort="date") == [
        "Café owners protest",
        "Budget vote delayed",
    ]
    assert titles(store, "author:smith") == ["Budget vote delayed"]
    assert titles(store, "title:budget") == ["Budget vote delayed"]
    assert titles(store, "cafe") == ["Café owners protest"]  # accents do not matter
    assert titles(store, 'feed:"other paper"') == ["Kyiv under fire"]
    assert titles(store, "(kyiv OR parliament) -vote") == ["Kyiv under fire"]
    assert titles(store, "budget NOT protest", sort="date") == [
        "Kyiv under fire",
        "Budget vote delayed",
    ]


def test_title_ranks_above_body_and_newer_first_on_ties(store: Store) -> None:
    store_dated(store)
    # "budget" is in the title of the oldest article: it ranks first by relevance.
    assert titles(store, "budget")[0] == "Budget vote delayed"
    assert titles(store, "budget", sort="date")[0] == "Kyiv under fire"


def test_hidden_articles_are_left_out_everywhere_but_is_hidden(store: Store) -> None:
    store_dated(store)
    hidden = store.apply_filter(compile_query("kyiv", now=NOW), "hide")
    assert hidden == 1
    assert "Kyiv under fire" not in titles(store, "budget")
    assert titles(store, "is:hidden") == ["Kyiv under fire"]
    assert titles(store, "is:hidden budget") == ["Kyiv under fire"]
    assert store.count_articles() == 2
    assert [a.title for a in store.list_articles()] == [
        "Café owners protest",
        "Budget vote delayed",
    ]
    assert sum(feed.unread for feed in store.feeds()) == 2
    assert store.count_query(compile_query("budget", now=NOW), ArticleFilter(unread=True)) == 2
    # Applying the same filter again changes nothing.
    assert store.apply_filter(compile_query("kyiv", now=NOW), "hide") == 0


def test_filter_actions_on_given_ids_only(store: Store) -> None:
    store_dated(store)
    ids = [a.id for a in store.list_articles() if a.title.startswith("Café")]
    assert store.apply_filter(compile_query("budget", now=NOW), "star", ids) == 1
    assert titles(store, "is:starred") == ["Café owners protest"]
    assert store.apply_filter(compile_query("is:unread", now=NOW), "read") == 3
    assert titles(store, "is:unread") == []


def test_saved_search_unread_count(store: Store) -> None:
    store_dated(store)
    query = compile_query("budget OR kyiv", now=NOW)
    assert store.count_query(query, ArticleFilter(unread=True)) == 3
    store.set_read([a.id for a in store.list_articles()][:1])
    assert store.count_query(query, ArticleFilter(unread=True)) == 2
    assert store.count_query(compile_query("is:starred", now=NOW)) == 0


def test_removed_feeds_are_not_searched(store: Store) -> None:
    store_dated(store)
    store.deactivate_feeds_except(["https://example.org/feed"], store.feeds()[0].kind)
    assert titles(store, "budget OR kyiv", sort="date") == [
        "Café owners protest",
        "Budget vote delayed",
    ]


def test_query_keys_are_newest_first_and_match_the_search(store: Store) -> None:
    store_dated(store)
    for text in ("budget", "is:unread", "budget -kyiv", "tag:world"):
        query = compile_query(text, now=NOW)
        keys = store.query_keys(query)
        assert keys == sorted(keys, reverse=True)
        found = {hit.article.id for hit in store.search_query(query, limit=100)}
        assert {article_id for _, article_id in keys} == found


def test_counts_of_many_queries_agree_with_one_at_a_time(store: Store) -> None:
    store_dated(store)
    store.set_read([a.id for a in store.list_articles()][:1])
    store.apply_filter(compile_query("parliament", now=NOW), "hide")
    texts = ["budget", "budget OR kyiv", "is:starred", "kyiv since:7d", "cafe*", "is:hidden"]
    queries = [compile_query(text, now=NOW) for text in texts]
    for where in (ArticleFilter(), ArticleFilter(unread=True)):
        one_by_one = [store.count_query(query, where) for query in queries]
        assert store.count_queries(queries, where) == one_by_one
    # Unread and shown: only the café article; the hidden one is unread too.
    assert store.count_queries(queries, ArticleFilter(unread=True)) == [1, 1, 0, 0, 1, 1]


def test_a_very_common_word_ranks_its_newest_matches(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.store import fts

    store_dated(store)
    monkeypatch.setattr(fts, "RANK_WINDOW", 2)
    # "budget" is in three articles: the two stored last are ranked (the title match, stored
    # first, is left out of the ranking), and the page is still full when conditions allow.
    assert set(titles(store, "budget", limit=2)) == {"Café owners protest", "Kyiv under fire"}
    # Too few of the newest pass the conditions: every match is ranked.
    assert titles(store, "budget feed:example") == ["Budget vote delayed", "Café owners protest"]
    monkeypatch.setattr(fts, "RANK_WINDOW", 10_000)
    assert titles(store, "budget")[0] == "Budget vote delayed"
