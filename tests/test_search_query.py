"""What a user types, as the search bar compiles it, is a safe query."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from newsreader.model import NewArticle
from newsreader.search import QueryError, compile_query
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


@given(st.text(max_size=60))
def test_any_input_is_a_valid_query(text: str) -> None:
    store = Store.open(":memory:")
    feed = store.ensure_feed("https://example.org/feed")
    store.upsert_articles(feed.id, [make("a", body="some words here")])
    try:
        query = compile_query(text, prefix_last=True)
    except QueryError:  # a qualifier it cannot read, said in one line
        query = None
    if query is not None and not query.empty:
        store.search_query(query)  # must not raise
    store.close()


def test_prefix_search_finds_partial_word(store: Store) -> None:
    feed = store.ensure_feed("https://example.org/feed")
    article: NewArticle = make("a", body="The Tomahawk Missile Debate")
    store.upsert_articles(feed.id, [article])
    assert len(store.search_query(compile_query("tomah", prefix_last=True))) == 1
