"""Fast paths in ingest answer exactly as the plain checks they stand in front of: the check
for relative URLs in entry HTML (whether links need resolving against the entry's address),
and the check for characters that cleaning removes."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.ingest.feed.content import has_relative_url, sanitize_html
from newsreader.ingest.sanitize import _UNCLEAN, clean_text

# The plain check: right, but ~0.2 ms per kilobyte of HTML. (Possessive, or a backtrack
# past the quote reads the quote as the value and finds every quoted URL relative.)
REFERENCE = re.compile(
    r"""\b(?:href|src|cite|longdesc|poster)\s*+=\s*+["']?+\s*+(?!https?:|#|mailto:)""",
    re.IGNORECASE,
)

PIECES = [
    "<a ", "<img ", "href", "HREF", "src", "data-src", "xsrc", "cite", "longdesc", "poster",
    "title", "=", " = ", '"', "'", "http://h/", "HTTPS://h/", "#top", "mailto:a@b", "/path",
    "rel.png", "//cdn/x", ">", "</a>", " ", "\n", "text", "é", "_",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_same_answer_as_the_reference_pattern(pieces: list[str]) -> None:
    fragment = "".join(pieces)
    assert has_relative_url(fragment) == bool(REFERENCE.search(fragment))


def test_only_urls_that_are_not_absolute_count() -> None:
    assert not has_relative_url('<a href="https://x.example/">x</a> <img src="http://x/i">')
    assert not has_relative_url("<a href = '#top'>x</a><a href=mailto:a@b.example>m</a>")
    assert not has_relative_url('<p title="/not/a/url">text</p>')
    assert has_relative_url("<p>text with src=/x in it</p>")  # prose may count: costs only time
    assert has_relative_url('<a href="/x">x</a>')
    assert has_relative_url("<img src='pic.png'>")
    assert has_relative_url("<a href=rel>x</a>")
    assert has_relative_url('<a href="javascript:go()">x</a>')  # not plainly safe: resolved


def test_relative_links_are_resolved_and_absolute_ones_kept() -> None:
    base = "https://example.org/blog/post"
    assert 'href="https://example.org/blog/other"' in sanitize_html('<a href="other">x</a>', base)
    assert 'src="https://example.org/i.png"' in sanitize_html('<img src="/i.png">', base)
    kept = '<a href="https://elsewhere.net/a">x</a>'
    assert sanitize_html(kept, base) == kept


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40))
def test_ascii_text_is_left_alone_exactly_when_it_has_nothing_to_clean(text: str) -> None:
    untouched = clean_text(text) is text or clean_text(text) == text
    assert untouched == (_UNCLEAN.search(text) is None)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_cleaned_as_before(text: str) -> None:
    cleaned = clean_text(text)
    assert _UNCLEAN.search(cleaned) is None
    if _UNCLEAN.search(text) is None:
        assert cleaned == text
