"""What a user types becomes a safe FTS5 query."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from newsreader.model import NewArticle
from newsreader.search import to_fts_query
from newsreader.store import Store


def make(key: str, body: str) -> NewArticle:
    return NewArticle(
        key=key,
        title=key,
        published=datetime(2026, 1, 1, tzinfo=UTC),
        body=body,
        content=body,
        text=body,
    )


def test_words_phrases_and_prefix() -> None:
    assert to_fts_query("tomahawk missile") == '"tomahawk" AND "missile"*'
    assert to_fts_query("tomahawk missile", prefix_last=False) == '"tomahawk" AND "missile"'
    assert to_fts_query('"cruise missiles" ukraine ') == '"cruise missiles" AND "ukraine"'
    assert to_fts_query('NOT OR AND ( ) * "') == '"NOT" AND "OR" AND "AND"'
    assert to_fts_query("  ") == ""
    assert to_fts_query("...") == ""


@given(st.text(max_size=60))
def test_any_input_is_a_valid_query(text: str) -> None:
    store = Store.open(":memory:")
    feed = store.ensure_feed("https://example.org/feed")
    store.upsert_articles(feed.id, [make("a", body="some words here")])
    query = to_fts_query(text)
    if query:
        store.search(query)  # must not raise
    store.close()


def test_prefix_search_finds_partial_word(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed")
    article: NewArticle = make("a", body="The Tomahawk Missile Debate")
    store.upsert_articles(feed.id, [article])
    assert len(store.search(to_fts_query("tomah"))) == 1
