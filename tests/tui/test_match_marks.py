"""The article's search marks: the index's folding (case, accents) over drawn strips."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from newsreader.tui.match_marks import has_match, marked, match_spans, query_pattern


def strip(text: str) -> Strip:
    return Strip([Segment(text)])


def test_accents_and_case_are_folded_and_cells_counted() -> None:
    pattern = query_pattern("cafe")
    assert pattern is not None
    line = strip("東京 Café, CAFE and cafés")
    # Wide characters take two cells each: the spans are cells, not characters. The last
    # word is a prefix, as in the search bar's results.
    assert match_spans(line, pattern) == [(5, 9), (11, 15), (20, 25)]
    assert has_match(line, pattern)
    assert not has_match(strip("coffee"), pattern)
    bold = Style(bold=True)
    drawn = marked(line, match_spans(line, pattern), bold)
    assert [s.text for s in drawn if s.style == bold] == ["Café", "CAFE", "cafés"]


def test_the_search_bars_last_word_is_a_prefix_and_exclusions_mark_nothing() -> None:
    pattern = query_pattern("kyiv -ukraine feed:bbc harb")
    assert pattern is not None
    line = strip("Kyiv harbours, ukraine, bbc")
    assert match_spans(line, pattern) == [(0, 4), (5, 13)]
    assert query_pattern("-kyiv is:unread") is None
