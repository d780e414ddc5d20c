"""The query language: parsing hostile input safely and finding the right articles."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.model import NewArticle
from newsreader.search import MAX_TERMS, QueryError, compile_query
from newsreader.store import Store

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def article(key: str, title: str, text: str, days_old: int = 0, author: str = "") -> NewArticle:
    return NewArticle(
        key=key,
        title=title,
        published=NOW - timedelta(days=days_old),
        body=text,
        content=text,
        text=text,
        author=author,
    )


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("query") / "cache.db"
    store = Store.open(path)
    bbc = store.ensure_feed("https://example.org/bbc", title="BBC News - World", tags=("world",))
    blog = store.ensure_feed("https://example.org/blog", title="A Blog", tags=("tech",))
    store.upsert_articles(
        bbc.id,
        [
            article("t1", "Trump to meet Putin", "The Tomahawk Missile Debate in Kyiv", 1),
            article("t2", "Kiev blackouts", "Drone wave hits the capital's grid", 3),
            article("t3", "Café culture", "Opinion: the best cafe in Paris", 20, "Jane Smith"),
            article("t4", "Москва", "Новости дня: погода в Москве", 2),
        ],
    )
    store.upsert_articles(
        blog.id,
        [
            article("b1", "Tomahawks and hatchets", "A woodworking opinion piece", 5),
            article("b2", "C++ tips", "Templates and the tomahawk idiom", 40, "Bob"),
        ],
    )
    store.close()
    return path


def keys(cache: Path, query: str) -> set[str]:
    compiled = compile_query(query, now=NOW)
    connection = sqlite3.connect(cache)
    if compiled.match is not None:
        sql = (
            "SELECT a.key FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            "JOIN feeds f ON f.id = a.feed_id WHERE articles_fts MATCH ? AND " + compiled.where
        )
        params: tuple[object, ...] = (compiled.match, *compiled.params)
    else:
        sql = (
            "SELECT a.key FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE " + compiled.where
        )
        params = compiled.params
    return {row[0] for row in connection.execute(sql, params)}


def test_words_all_match(cache: Path) -> None:
    assert keys(cache, "tomahawk debate") == {"t1"}
    assert keys(cache, "tomahawk AND debate") == {"t1"}


def test_phrase_and_prefix(cache: Path) -> None:
    assert keys(cache, '"Tomahawk Missile"') == {"t1"}
    assert keys(cache, '"missile tomahawk"') == set()
    assert keys(cache, "tomahaw*") == {"t1", "b1", "b2"}
    assert keys(cache, "tomahaw") == set()


def test_or_not_and_parentheses(cache: Path) -> None:
    assert keys(cache, "kyiv OR kiev") == {"t1", "t2"}
    assert keys(cache, "opinion -woodworking") == {"t3"}
    assert keys(cache, "opinion NOT woodworking") == {"t3"}
    assert keys(cache, "(kyiv OR kiev) -drone") == {"t1"}
    assert keys(cache, "-tomahawk*") == {"t2", "t3", "t4"}


def test_qualifiers(cache: Path) -> None:
    assert keys(cache, "feed:bbc") == {"t1", "t2", "t3", "t4"}
    assert keys(cache, 'feed:"A Blog" tomahawk*') == {"b1", "b2"}
    assert keys(cache, "tag:tech") == {"b1", "b2"}
    assert keys(cache, "tag:tec") == set()
    assert keys(cache, "author:smith") == {"t3"}
    assert keys(cache, "title:tomahawk*") == {"b1"}
    assert keys(cache, "since:7d") == {"t1", "t2", "t4", "b1"}
    assert keys(cache, "before:2026-11-01") == {"b2"}
    assert keys(cache, "since:30d before:7d") == {"t3"}
    assert keys(cache, "is:unread feed:bbc since:2d") == {"t1", "t4"}
    assert keys(cache, "is:starred") == set()
    assert keys(cache, "is:starred OR drone") == {"t2"}


def test_case_accents_and_other_scripts(cache: Path) -> None:
    assert keys(cache, "CAFÉ") == {"t3"}
    assert keys(cache, "cafe") == {"t3"}
    assert keys(cache, "москва") == {"t4"}
    assert keys(cache, "погода") == {"t4"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since:yesterdayish", "since:yesterdayish: expected a date"),
        ("is:lost", "is:lost: expected one of"),
        ("feed:", "feed: needs a value"),
    ],
)
def test_unreadable_qualifiers_say_what_is_wrong(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message) as error:
        compile_query(query, now=NOW)
    assert "\n" not in str(error.value)


def test_unknown_qualifier_is_searched_as_words_with_a_warning(cache: Path) -> None:
    compiled = compile_query("drone:wave", now=NOW)
    assert compiled.warnings == ("unknown qualifier drone: (searched as words)",)
    assert keys(cache, "drone:wave") == {"t2"}


def test_long_queries_are_bounded() -> None:
    compiled = compile_query(" ".join(f"w{i}" for i in range(500)), now=NOW)
    assert compiled.match is not None and compiled.match.count('"w') == MAX_TERMS
    assert any("first 64 words" in w for w in compiled.warnings)
    huge = compile_query("x" * 100_000, now=NOW)
    assert any("characters" in w for w in huge.warnings)


def test_prefix_last_follows_typing() -> None:
    assert compile_query("tomah", now=NOW, prefix_last=True).match == '("tomah"*)'
    assert compile_query('"tomah"', now=NOW, prefix_last=True).match == '("tomah")'
    assert compile_query("tomah ", now=NOW, prefix_last=True).match == '("tomah")'
    assert compile_query("kyiv OR", now=NOW, prefix_last=True).match == '("kyiv")'
    # One letter starts too many words to merge while typing: it is searched as a word.
    assert compile_query("kyiv h", now=NOW, prefix_last=True).match == '("kyiv" AND "h")'
    assert compile_query("kyiv ha", now=NOW, prefix_last=True).match == '("kyiv" AND "ha"*)'


def test_feed_and_tag_qualifiers_name_feeds_by_id() -> None:
    # So SQLite can walk those feeds' articles through their index (see test_search_counts).
    for text in ("feed:bbc", "feed:7", "tag:world"):
        compiled = compile_query(text, now=NOW)
        assert compiled.where.startswith("(a.feed_id IN (SELECT id FROM feeds WHERE"), text
        assert compiled.narrow
    assert compile_query("is:starred kyiv", now=NOW).narrow
    assert not compile_query("-feed:bbc kyiv", now=NOW).narrow
    assert not compile_query("feed:bbc OR kyiv", now=NOW).narrow
    assert not compile_query("is:unread", now=NOW).narrow


hostile = st.text(
    alphabet=st.sampled_from(list('ab "()*-:^+NEAR OR AND NOT is: feed: since:7d é 🙂 שלום \\%_')),
    max_size=80,
) | st.text(max_size=80)


@settings(max_examples=300, deadline=None)
@given(hostile)
def test_any_input_compiles_to_valid_sql(cache: Path, text: str) -> None:
    try:
        keys(cache, text)
    except QueryError as error:
        assert "\n" not in str(error)
