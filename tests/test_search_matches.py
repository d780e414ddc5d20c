"""Spans of a query's words in a text, for highlighting an opened article and jumping."""

from __future__ import annotations

from newsreader.search_matches import query_pattern, spans

TEXT = "Le Café de Flore: the CAFE and cafés. The Tomahawk  Missile debate; tomahawks!"


def marked(query: str, text: str = TEXT) -> list[str]:
    pattern = query_pattern(query)
    if pattern is None or not text:
        return []
    return [text[start:end] for start, end in spans(text, pattern)]


def test_case_and_accents_do_not_matter() -> None:
    assert marked("cafe") == ["Café", "CAFE"]
    assert marked("CAFÉ") == ["Café", "CAFE"]


def test_phrases_prefixes_and_exclusions() -> None:
    assert marked('"tomahawk missile"') == ["Tomahawk  Missile"]
    assert marked("tomahaw*") == ["Tomahawk", "tomahawks"]
    assert marked("cafe -flore") == ["Café", "CAFE"]
    assert marked("(flore OR debate) is:unread since:7d") == ["Flore", "debate"]


def test_nothing_to_mark() -> None:
    assert marked("feed:bbc is:starred") == []
    assert marked("is:nonsense") == []  # an unreadable query marks nothing
    assert marked("cafe", "") == []
    assert marked('"unbalanced ((') == []


def test_offsets_are_the_original_texts() -> None:
    text = "ﬁne İstanbul straße Straße"
    assert marked("istanbul", text) == ["İstanbul"]
    assert marked("straße", text) == ["straße", "Straße"]
