"""Pictures and links found in an article's Markdown before it is drawn: alt texts with
brackets, and hostile runs of backslashes that must not make the patterns backtrack."""

from __future__ import annotations

import time

from newsreader.render import image_refs
from newsreader.tui.article_links import mark_pictures, number_links
from newsreader.tui.widgets.long_article import PICTURE_MARK

ARTICLE = (
    "Intro.\n\n"
    '![Chart [2024]](https://img.example/chart.png "Prices")\n\n'
    "A [plain link](https://news.example/p) and ![a \\] b](https://img.example/e.png).\n"
)


def test_an_alt_text_with_brackets_is_a_picture() -> None:
    marked, pictures = mark_pictures(ARTICLE)
    assert pictures == {
        0: ("https://img.example/chart.png", "Chart [2024]"),
        1: ("https://img.example/e.png", "a ] b"),
    }
    assert PICTURE_MARK.format(0) in marked and "chart.png" not in marked
    assert image_refs(ARTICLE) == [
        ("Chart [2024]", "https://img.example/chart.png"),
        ("a ] b", "https://img.example/e.png"),  # shown to the reader: unescaped
    ]


def test_escaped_brackets_in_an_alt_text_do_not_start_a_link() -> None:
    # HTML's <img alt="A gradient [test]"> becomes ![A gradient \[test\]](url): the escaped
    # "\[" must not be read as a link whose number then lands inside the alt text.
    markdown = "Before.\n\n![A gradient \\[test\\]](https://img.example/g.png)\n\nAfter.\n"
    numbered, targets, _labels = number_links(markdown)
    assert numbered == markdown and targets == []
    assert image_refs(numbered) == [("A gradient [test]", "https://img.example/g.png")]
    _marked, pictures = mark_pictures(numbered)
    assert pictures == {0: ("https://img.example/g.png", "A gradient [test]")}


def test_runs_of_backslashes_are_read_in_linear_time() -> None:
    hostile = "\n".join(["![" + "\\" * 36, "[" + "\\" * 36, "![" + "[\\" * 2500, "![[" + "\\" * 36])
    started = time.process_time()
    assert mark_pictures(hostile) == (hostile, {})
    assert image_refs(hostile) == []
    number_links(hostile)
    # Backtracking exponentially, 24 backslashes took 10 ms and 36 took seconds.
    assert time.process_time() - started < 0.5


def test_a_link_whose_text_holds_brackets_is_numbered() -> None:
    markdown = (
        "See [the report [PDF] of 2024](https://news.example/r) and [a](https://news.example/a).\n"
    )
    numbered, targets, labels = number_links(markdown)
    assert targets == ["https://news.example/r", "https://news.example/a"]
    assert labels == ["the report [PDF] of 2024", "a"]
    assert "[the report [PDF] of 2024\\[1\\]](<https://news.example/r>)" in numbered


def test_a_linked_picture_stays_a_picture() -> None:
    markdown = "[![Watch](https://img.example/t.jpg)](https://video.example/v)\n"
    numbered, targets, _labels = number_links(markdown)
    assert numbered == markdown and targets == []
    assert image_refs(numbered) == [("Watch", "https://img.example/t.jpg")]


def test_unclosed_brackets_before_link_texts_are_read_in_linear_time() -> None:
    hostile = "\n".join(["[ " + "[a] " * 50_000, "[ [a] " * 40_000, "[" * 200_000])
    started = time.process_time()
    number_links(hostile)
    # Each unclosed "[" is scanned up to the next one only (about 40 ms here).
    assert time.process_time() - started < 1.0
