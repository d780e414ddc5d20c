"""Media RSS files of an entry (``media:content``): a ``media:description`` inside one
describes that file (a picture's alt text, as Mastodon sends for every picture of a post),
not the entry, so the article is the post; and an entry whose HTML has no picture shows its
media pictures after its text, with their alt texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.ingest.feed import parse_feed
from newsreader.ingest.feed.fastatom import parse_atom
from newsreader.ingest.feed.fastrss import parse_rss
from newsreader.ingest.html import html_to_markdown
from newsreader.model import NewArticle
from newsreader.render import image_refs

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


def article(data: bytes, fast: bool = True) -> NewArticle:
    result = parse_feed(data, "https://m.example/@ann.rss", fast=fast)
    assert not result.error
    (only,) = result.articles
    return only


@pytest.mark.parametrize("fast", [True, False], ids=["fast readers", "feedparser"])
@pytest.mark.parametrize("order", ["post first", "picture first"])
def test_the_article_is_the_post_with_its_picture(fast: bool, order: str) -> None:
    parts = [POST, picture()] if order == "post first" else [picture(), POST]
    post = article(feed(*parts), fast)
    assert post.title == "Look at my cat!"
    assert post.summary == "Look at my cat!"
    markdown = html_to_markdown(post.content, None)
    assert markdown.split("\n\n")[0] == "Look at my cat!"
    ((alt, address),) = image_refs(markdown)
    assert address == "https://files.m.example/cat.png"
    assert alt.startswith("A photo of a cat") and alt.endswith("Tom & Jerry <stickers>")
    assert "windowsill" not in post.text  # the picture's words are not the post's


def test_a_post_that_is_only_pictures_reads_their_descriptions() -> None:
    dog = picture("A second picture: a dog.").replace("cat.png", "dog.png")
    post = article(feed(picture(), dog))
    assert [alt[:20] for alt, _ in image_refs(html_to_markdown(post.content, None))] == [
        "A photo of a cat sit",
        "A second picture: a ",
    ]
    assert post.title.startswith("A photo of a cat sitting")
    assert "A second picture: a dog." in post.text  # found by a search


def test_a_video_post_reads_its_description() -> None:
    video = (
        '<media:content url="https://files.m.example/v.mp4" type="video/mp4" medium="video">'
        "<media:description>A cat jumping.</media:description></media:content>"
    )
    post = article(feed(video))
    assert html_to_markdown(post.content, None).strip() == "A cat jumping."
    assert not image_refs(html_to_markdown(post.content, None))


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


def bare(attributes: str) -> str:
    return f"<media:content {attributes}/>"


@pytest.mark.parametrize("fast", [True, False], ids=["fast readers", "feedparser"])
def test_pictures_shown_once_without_avatars(fast: bool) -> None:
    parts = [
        POST,
        bare('url="https://secure.gravatar.com/avatar/1b2c?s=96&amp;d=identicon" medium="image"'),
        bare('url="https://i.example/p/a.jpg?width=140&amp;s=1" type="image/jpeg" width="140"'),
        bare('url="https://i.example/p/a.jpg?width=460&amp;s=2" type="image/jpeg" width="460"'),
        bare('url="https://i.example/p/b.png" TYPE="IMAGE/PNG"'),
        bare('url="https://i.example/p/c.JPG?x=1"'),  # neither medium nor type: its name
        bare('url="https://i.example/p/d.png" type="application/octet-stream"'),
        bare('url="https://i.example/clip.mp4" type="video/mp4"'),
        bare('url="javascript:alert(1)" medium="image"'),
    ]
    post = article(feed(*parts), fast)
    assert [address for _, address in image_refs(html_to_markdown(post.content, None))] == [
        "https://i.example/p/a.jpg?width=460&s=2",
        "https://i.example/p/b.png",
        "https://i.example/p/c.JPG?x=1",
    ]


def test_an_entry_with_pictures_of_its_own_gets_no_more() -> None:
    own = "<description>&lt;p&gt;Hi &lt;img src='https://i.example/own.png'&gt;&lt;/p&gt;</description>"
    post = article(feed(own, bare('url="https://i.example/other.png" medium="image"')))
    refs = image_refs(html_to_markdown(post.content, None))
    assert [address for _, address in refs] == ["https://i.example/own.png"]


def test_the_rss_reader_reads_an_items_pictures_as_feedparser_does() -> None:
    data = feed(POST, bare('url="https://i.example/a.png" Medium="image" fileSize="9"'))
    assert parse_rss(data, "https://m.example/@ann.rss") is not None  # not sent to feedparser
    assert article(data, fast=True) == article(data, fast=False)
    assert image_refs(html_to_markdown(article(data).content, None))


def test_a_picture_elsewhere_goes_to_feedparser() -> None:
    nested = '<og><media:content url="https://i.example/a.png" medium="image"/></og>'
    data = feed(POST, nested)
    assert parse_rss(data, "https://m.example/@ann.rss") is None
    assert article(data).content == article(data, fast=False).content


def atom(entry: str) -> bytes:
    return (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:media="http://search.yahoo.com/mrss/"><title>Channel</title><id>c</id>'
        f"<entry><id>e1</id><title>A video</title><updated>2026-11-30T10:00:00Z</updated>"
        f"{entry}</entry></feed>"
    ).encode()


def addresses(post: NewArticle) -> list[str]:
    return [address for _, address in image_refs(html_to_markdown(post.content, None))]


def test_a_video_shows_its_thumbnail_after_its_description() -> None:
    data = atom(
        '<media:group><media:content url="https://www.youtube.com/v/1" '
        'type="application/x-shockwave-flash"/>'
        '<media:thumbnail url="https://i.ytimg.com/vi/1/hqdefault.jpg" width="480"/>'
        "<media:description>What it shows.</media:description></media:group>"
    )
    assert parse_atom(data, "https://www.youtube.com/feeds/x") is not None
    video = article(data)
    assert video == article(data, fast=False)
    markdown = html_to_markdown(video.content, None)
    assert markdown.startswith("What it shows.")
    assert addresses(video) == ["https://i.ytimg.com/vi/1/hqdefault.jpg"]


@pytest.mark.parametrize("fast", [True, False], ids=["fast readers", "feedparser"])
def test_one_thumbnail_the_widest(fast: bool) -> None:
    data = feed(
        POST,
        '<media:thumbnail url="https://i.example/small.jpg" width="96"/>',
        '<media:thumbnail url="https://i.example/big.jpg" width="976"/>',
        "<media:thumbnail>/relative.jpg</media:thumbnail>",
    )
    assert addresses(article(data, fast)) == ["https://i.example/big.jpg"]
    assert article(data) == article(data, fast=False)
    assert parse_rss(data, "https://m.example/@ann.rss") is not None


def test_a_thumbnail_given_as_text_is_read_as_feedparser_reads_it() -> None:
    data = feed(POST, "<media:thumbnail> /pictures/t.jpg </media:thumbnail>")
    assert parse_rss(data, "https://m.example/@ann.rss") is not None
    assert addresses(article(data)) == ["https://m.example/pictures/t.jpg"]
    assert article(data) == article(data, fast=False)


def test_pictures_come_before_thumbnails_and_the_entrys_own_before_both() -> None:
    both = feed(
        POST,
        '<media:thumbnail url="https://i.example/t.jpg"/>',
        bare('url="https://i.example/full.jpg" medium="image"'),
    )
    assert addresses(article(both)) == ["https://i.example/full.jpg"]
    own = "<description>&lt;img src='https://i.example/own.png'&gt;</description>"
    assert addresses(article(feed(own, '<media:thumbnail url="https://i.example/t.jpg"/>'))) == [
        "https://i.example/own.png"
    ]


def test_atom_entries_pictures_are_read_by_the_atom_reader() -> None:
    data = atom(bare('url="https://i.example/a.png" medium="image" fileSize="3"'))
    assert parse_atom(data, "https://example.org/feed") is not None
    assert article(data) == article(data, fast=False)
    assert addresses(article(data)) == ["https://i.example/a.png"]


def test_a_channels_thumbnail_is_no_articles() -> None:
    data = feed(POST).replace(
        b"<item>", b'<media:thumbnail url="https://i.example/logo.png"/><item>'
    )
    assert parse_rss(data, "https://m.example/@ann.rss") is not None
    assert addresses(article(data)) == []


def test_icons_and_avatars_are_no_pictures() -> None:
    avatar = (
        '<media:thumbnail height="30" width="30" url="https://avatars.example/u/1?s=30&amp;v=4"/>'
    )
    assert addresses(article(atom(avatar))) == []
    icon = bare('url="https://i.example/icon.png" medium="image" height="16"')
    assert addresses(article(feed(POST, icon))) == []


def test_pictures_are_capped() -> None:
    many = [bare(f'url="https://i.example/{n}.png" medium="image"') for n in range(500)]
    assert len(addresses(article(feed(POST, *many)))) == 20


@pytest.mark.parametrize("fast", [True, False], ids=["fast readers", "feedparser"])
def test_an_image_enclosure_is_drawn_and_still_attached(fast: bool) -> None:
    image = '<enclosure url="https://i.example/e.jpg" type="image/jpeg" length="1200"/>'
    audio = '<enclosure url="https://i.example/e.mp3" type="audio/mpeg" length="9"/>'
    post = article(feed(POST, image, audio), fast)
    assert addresses(post) == ["https://i.example/e.jpg"]
    assert [e.url for e in post.enclosures] == [
        "https://i.example/e.jpg",
        "https://i.example/e.mp3",
    ]
    media = bare('url="https://i.example/m.jpg" medium="image"')
    assert addresses(article(feed(POST, image, media), fast)) == ["https://i.example/m.jpg"]
    assert addresses(article(feed(POST, audio), fast)) == []


def test_the_corpus_image_enclosures_are_drawn(shared_dir: Path) -> None:
    path = shared_dir / "corpus" / "feeds" / "rss20_macworld_image-enclosures_relative-urls.rss"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    result = parse_feed(path.read_bytes(), "https://www.macworld.com/feed")
    for post in result.articles:
        images = [e.url for e in post.enclosures if e.type.startswith("image/")]
        if images:
            assert set(addresses(post)) & set(images) or "<img" in post.content
