"""Hostile queries through the whole search path (compile, rank, snippet), and snippets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsreader.model import NewArticle
from newsreader.search import MAX_QUERY_CHARS, QueryError, compile_query
from newsreader.search_matches import match_pattern
from newsreader.store import Store
from newsreader.store.snippets import snippet

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


@pytest.fixture
def filled(store: Store) -> Store:
    feed = store.ensure_feed("https://example.org/feed", "Mixed Scripts 9")
    texts = {
        "emoji": ("Party time 🎉", "celebrations 🎉 with cake 🍰 and friends"),
        "hebrew": ("חדשות היום", "שלום עולם, מזג האוויר היום"),
        "arabic": ("أخبار", "مرحبا بالعالم اليوم"),
        "near": ("Near the river", "NEAR the bank of the river, a market"),
    }
    store.upsert_articles(
        feed.id,
        [
            NewArticle(key=key, title=title, text=text, body=text, published=NOW - timedelta(i))
            for i, (key, (title, text)) in enumerate(texts.items())
        ],
    )
    return store


def titles(store: Store, text: str) -> list[str]:
    return [hit.article.title for hit in store.search_query(compile_query(text, now=NOW))]


@pytest.mark.parametrize(
    "text",
    [
        "🎉",
        "🎉🎉 cake",
        "\u202eשלום\u202c",
        "NEAR(",
        "NEAR(river market, 2)",
        "river NEAR market",
        '"unbalanced',
        "((((river",
        "river))))",
        "* - ^ : + OR AND NOT",
        "title:",
        '-"',
        "\x00\x1b[31m river",
        "x" * 100_000,
        "river " * 20_000,
    ],
)
def test_hostile_text_searches_or_says_why(filled: Store, text: str) -> None:
    try:
        query = compile_query(text, now=NOW)
    except QueryError as error:
        assert "\n" not in str(error)
        return
    filled.search_query(query)  # never an SQL error
    filled.count_query(query)


def test_other_scripts_and_emoji_text_is_found(filled: Store) -> None:
    assert titles(filled, "שלום") == ["חדשות היום"]
    assert titles(filled, "\u202bשלום\u202c") == ["חדשות היום"]  # direction marks are not words
    assert titles(filled, "بالعالم") == ["أخبار"]
    assert titles(filled, "cake") == ["Party time 🎉"]
    assert titles(filled, "NEAR(river") == ["Near the river"]  # NEAR is a word, not an operator


def test_a_100_kb_query_is_cut_and_says_so(filled: Store) -> None:
    query = compile_query("river " * 20_000, now=NOW)
    assert any(str(MAX_QUERY_CHARS) in warning for warning in query.warnings)
    assert titles(filled, "river " * 20_000) == ["Near the river"]


def test_feed_by_id_or_by_a_name_with_digits(filled: Store) -> None:
    feed_id = filled.feeds()[0].id
    assert len(titles(filled, f"feed:{feed_id}")) == 4
    assert len(titles(filled, "feed:9")) == 4  # "Mixed Scripts 9"
    assert titles(filled, "feed:12345") == []


def test_is_hidden_is_a_state() -> None:
    assert compile_query("is:hidden", now=NOW).hidden
    assert not compile_query("is:unread", now=NOW).hidden


def test_snippet_keeps_a_phrase_whole_and_marks_it() -> None:
    text = " ".join(f"w{i}" for i in range(100))
    text = text.replace("w50 w51", "Tomahawk  Missile")
    pattern = match_pattern('"tomahawk missile"')
    result = snippet([text], pattern, ("**", "**"))
    assert "**Tomahawk Missile**" in result
    assert result.startswith("…") and result.endswith("…")
    assert len(result) < 300


def test_snippet_prefers_the_passage_with_most_matches() -> None:
    words = [f"w{i}" for i in range(400)]
    words[10] = "one"
    for i in (300, 303, 306):
        words[i] = "many"
    result = snippet([" ".join(words)], match_pattern('("one" OR "many")'), ("<", ">"))
    assert result.count("<many>") == 3 and "<one>" not in result


def test_snippet_falls_back_to_later_columns_then_the_opening() -> None:
    pattern = match_pattern('"debate"')
    assert snippet(["no match", "The Debate"], pattern, ("[", "]")) == "The [Debate]"
    assert snippet(["a b c", "x"], pattern, ("[", "]")) == "a b c"
    assert snippet(["a b c"], None, ("[", "]")) == "a b c"
