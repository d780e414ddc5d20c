"""Entry text written as plain text keeps its paragraphs, line breaks and web addresses.

Feeds type much plain text as HTML (YouTube's and podcasts' descriptions, RSS descriptions of
many a CMS): text with blank lines between paragraphs and not one tag. Read as HTML, it
would run into a single paragraph; it is read as the text it is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsreader.ingest.feed import parse_feed
from newsreader.ingest.feed.content import html_fragment, written_as_text
from newsreader.ingest.html import html_to_markdown
from newsreader.render import links

DESCRIPTION = (
    "Our new video: the week in review.\n"
    "\n"
    "Sources:\n"
    "https://example.com/one?a=1&b=2\n"
    "(see https://example.org/two).\n"
    "\n"
    "Tom &amp; Jerry say &lt;hello&gt;"
)


def rss(description: str, doctype: bool = False) -> bytes:
    head = '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN">' if doctype else ""
    return (
        f'<?xml version="1.0"?>{head}<rss version="2.0"><channel><title>T</title>'
        f"<item><title>Video</title><guid>v1</guid><description>{description}</description>"
        "</item></channel></rss>"
    ).encode()


def markdown_of(data: bytes) -> str:
    result = parse_feed(data, "http://127.0.0.1/feed.xml")
    assert not result.error
    (article,) = result.articles
    return html_to_markdown(article.content, None)


@pytest.mark.parametrize("doctype", [False, True], ids=["fast reader", "feedparser"])
def test_plain_text_typed_html_keeps_paragraphs_breaks_and_addresses(doctype: bool) -> None:
    from xml.sax.saxutils import escape

    markdown = markdown_of(rss(escape(DESCRIPTION), doctype))
    paragraphs = markdown.strip().split("\n\n")
    assert paragraphs[0] == "Our new video: the week in review."
    assert "Sources:\\\n" in paragraphs[1]  # the line break is kept
    # Entities read once, and no tag made (Markdown escapes the "<" it shows).
    assert paragraphs[2] == "Tom & Jerry say \\<hello>"
    assert links(markdown) == ["https://example.com/one?a=1&b=2", "https://example.org/two"]


def test_text_without_blank_lines_reads_as_html_did() -> None:
    # One paragraph either way; a single newline in HTML is a space.
    assert not written_as_text("first line\nsecond line")
    assert markdown_of(rss("first line\nsecond line")).strip() == "first line second line"


def test_html_with_tags_is_html_even_with_blank_lines() -> None:
    value = "<p>one</p>\n\n<p>two\nstill two</p>"
    assert not written_as_text(value)
    assert html_fragment(value, "text/html") == value
    assert "<" not in html_to_markdown(html_fragment(value, "text/html"), None)


def test_only_web_addresses_become_links() -> None:
    fragment = html_fragment(
        'javascript:alert(1) data:text/html,x "https://a.example/x" ftp://f.example\n\nb',
        "text/plain",
    )
    assert fragment.count("<a ") == 1
    assert '<a href="https://a.example/x">' in fragment
    assert "javascript:alert(1)" in fragment  # as text
    assert "&quot;" in fragment  # quotes around it stay text


def test_markup_in_the_text_stays_text() -> None:
    fragment = html_fragment("a [link](http://x.example) <b>\n\n*not bold*", "text/plain")
    assert "<b>" not in fragment and "&lt;b&gt;" in fragment
    markdown = html_to_markdown(fragment, None)
    assert "\\*not bold\\*" in markdown  # Markdown in a feed's text is not interpreted


def test_json_feed_text_addresses_are_links() -> None:
    item = {"id": "1", "content_text": "Read it at https://example.com/post.\n\nThanks."}
    data = json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [item]}
    ).encode()
    markdown = markdown_of(data)
    assert links(markdown) == ["https://example.com/post"]
    assert markdown.strip().endswith("Thanks.")


def test_youtube_descriptions_keep_their_paragraphs(shared_dir: Path) -> None:
    path = shared_dir / "corpus" / "feeds" / "atom10_youtube-channel_media-group.atom"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    result = parse_feed(path.read_bytes(), "https://www.youtube.com/feeds/videos.xml")
    markdown = html_to_markdown(result.articles[0].content, None)
    assert markdown.count("\n\n") >= 5  # one paragraph before
    assert "http://amzn.to/2x4ScEM" in links(markdown)


def test_entries_stored_by_the_previous_reading_are_read_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import newsreader.ingest.feed.entry as entry

    data = rss("Line one.\n\nLine two.")
    url = "http://127.0.0.1/feed.xml"
    monkeypatch.setattr(entry, "INGEST_VERSION", "1")  # (the version before this reading)
    (before,) = parse_feed(data, url).articles
    monkeypatch.undo()
    known = {before.key: before.source_hash}
    again = parse_feed(data, url, known=known)
    assert not again.unchanged and [a.key for a in again.articles] == [before.key]
    assert parse_feed(data, url, known={before.key: again.articles[0].source_hash}).unchanged


def test_a_json_feed_item_without_an_image_has_no_picture() -> None:
    items = [{"id": "1", "content_html": "<p>Hi</p>"}, {"id": "2", "image": " "}]
    data = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode()
    for article in parse_feed(data, "http://127.0.0.1/feed.json").articles:
        assert "<img" not in article.content  # (an empty image is no image: not the feed's URL)
