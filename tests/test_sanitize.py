"""Untrusted text: no escape sequences, control characters or unsafe links get through."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newsreader.ingest.sanitize import clean_line, clean_text, safe_link, sanitize_markdown
from newsreader.render import links
from newsreader.sources.stored import read_article_file

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_escape_sequences_and_controls_are_removed() -> None:
    text = (
        "\x1b[2J\x1b[HClear \x1b[1A\x1b[2Kup \x1b]0;title\x07osc "
        "\x1b]52;c;Y3VybA==\x1b\\clip \x9b5mcsi \x90dcs\x9c done\u202eevil\x07\x08"
    )
    assert clean_text(text) == "Clear up osc clip csi  doneevil"
    assert clean_line("  a\n\tb\u2028c  ") == "a b c"
    assert clean_line("x" * 2000, limit=10) == "x" * 9 + "…"


@given(st.text())
def test_clean_text_never_leaves_controls(text: str) -> None:
    assert not CONTROL.search(clean_text(text).replace("\n", "").replace("\t", ""))


def test_safe_link() -> None:
    assert safe_link("https://example.org/a") == "https://example.org/a"
    for bad in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "vbscript:x"):
        assert safe_link(bad) == ""


def test_markdown_links_html_and_code() -> None:
    markdown = sanitize_markdown(
        "Read [the note](javascript:alert(document.cookie)) and [wiki](https://e.org/A_(b)).\n"
        "![chart](data:image/svg+xml;base64,AAA) <javascript:alert(1)> <https://ok.example>\n"
        "[ref]: javascript:alert('x')\n"
        "[good]: https://example.org\n"
        '<script>alert("x")</script> <img src=x onerror=alert(1)>\n'
        "```\n<script>shown as code</script>\n```\n"
        "`<b>` stays code"
    )
    assert "javascript" not in markdown.replace("shown as code", "")
    assert "data:" not in markdown
    assert "Read the note and [wiki](https://e.org/A_(b))." in markdown
    assert "<https://ok.example>" in markdown
    assert "[good]: https://example.org" in markdown
    assert 'alert("x")' not in markdown
    assert "<img" not in markdown and "onerror" not in markdown
    assert "```\n<script>shown as code</script>\n```" in markdown
    assert "`<b>` stays code" in markdown
    assert links(markdown) == ["https://e.org/A_(b)", "https://ok.example"] or links(markdown) == [
        "https://e.org/A_(b)"
    ]


def test_hostile_article_files(shared_dir: Path) -> None:
    folder = shared_dir / "corpus" / "malicious"
    markdown = read_article_file(folder / "markdown_article_js-data-links_raw-html_escapes.md")
    text = read_article_file(folder / "plaintext_article_raw-escape-sequences.txt")
    for article in (markdown, text):
        assert article.body is not None
        for field in (article.title, article.body, article.text, article.summary):
            assert not CONTROL.search(field.replace("\n", "").replace("\t", ""))
        assert "javascript:" not in article.body and "vbscript:" not in article.body
        assert "data:" not in article.body and "<script" not in article.body
        assert all(link.startswith(("http://", "https://")) for link in links(article.body))
    assert text.title == "City council approves new transit budget"
    assert "Leave a Reply" not in text.body  # type: ignore[operator]
