"""A ``media:description`` inside ``media:content`` describes that file (a picture's alt text,
as Mastodon sends for every picture of a post), not the entry: the article is the post."""

from __future__ import annotations

import pytest

from newsreader.ingest.feed import parse_feed
from newsreader.ingest.html import html_to_markdown

ALT = (
    "A photo of a cat sitting on a windowsill in the afternoon sun, looking out at birds in "
    "the garden, with a blurred street behind it and Tom &amp; Jerry &lt;stickers&gt;"
)
POST = "<description>&lt;p&gt;Look at my cat!&lt;/p&gt;</description>"


def picture(alt: str = ALT, closed: bool = True) -> str:
    return (
        '<media:content url="https://files.m.example/cat.png" type="image/png" '
        'fileSize="12345" medium="image"><media:rating scheme="urn:simple">nonadult'
        f'</media:rating><media:description type="plain">{alt}</media:description>'
        "</media:content>"
    )


def feed(*parts: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Ann</title>'
        "<link>https://m.example/@ann</link><description>Public posts</description>"
        "<item><guid>https://m.example/@ann/1</guid><link>https://m.example/@ann/1</link>"
        "<pubDate>Mon, 30 Nov 2026 10:00:00 +0000</pubDate>"
        + "".join(parts)
        + "</item></channel></rss>"
    ).encode()


def article(data: bytes, fast: bool = True):  # type: ignore[no-untyped-def]
    result = parse_feed(data, "https://m.example/@ann.rss", fast=fast)
    assert not result.error
    (only,) = result.articles
    return only


@pytest.mark.parametrize("fast", [True, False], ids=["fast readers", "feedparser"])
@pytest.mark.parametrize("order", ["post first", "picture first"])
def test_the_article_is_the_post_not_its_pictures_alt_text(fast: bool, order: str) -> None:
    parts = [POST, picture()] if order == "post first" else [picture(), POST]
    post = article(feed(*parts), fast)
    assert post.title == "Look at my cat!"
    assert post.summary == "Look at my cat!"
    assert html_to_markdown(post.content, None).strip() == "Look at my cat!"
    assert "windowsill" not in post.text  # not searched as the post's words either


def test_a_post_that_is_only_pictures_reads_their_descriptions() -> None:
    post = article(feed(picture(), picture("A second picture: a dog.")))
    markdown = html_to_markdown(post.content, None)
    first, second = markdown.strip().split("\n\n")
    assert first.startswith("A photo of a cat") and first.endswith("Tom & Jerry \\<stickers>")
    assert second == "A second picture: a dog."
    assert post.title.startswith("A photo of a cat sitting")


def test_a_description_after_a_file_is_the_entrys_again() -> None:
    # A self-closing media:content holds nothing; the description after it is the item's.
    data = feed(
        '<media:content url="https://files.m.example/a.png" type="image/png"/>',
        "<media:description>The item's own words.</media:description>",
    )
    assert article(data).title == "The item's own words."


def test_a_youtube_groups_description_is_the_video_description() -> None:
    data = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"
    xmlns:media="http://search.yahoo.com/mrss/"><title>Channel</title><id>c</id>
    <entry><id>yt:video:1</id><title>A video</title><updated>2026-11-30T10:00:00Z</updated>
    <media:group><media:title>A video</media:title>
    <media:content url="https://www.youtube.com/v/1" type="application/x-shockwave-flash"/>
    <media:description>What the video shows.

Links: https://example.com/</media:description></media:group></entry></feed>"""
    for fast in (True, False):
        video = article(data, fast)
        assert video.summary.startswith("What the video shows.")
        assert "https://example.com/" in video.content


def test_a_changed_alt_text_of_a_picture_only_post_is_a_changed_entry() -> None:
    one = article(feed(picture("A cat.")))
    other = article(feed(picture("A dog.")))
    assert one.key == other.key and one.source_hash != other.source_hash
