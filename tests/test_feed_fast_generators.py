"""Feeds as common generators write them take the fast readers and read as feedparser
reads them: WordPress (with its post ids), Blogger, Google News sources, GeoRSS places."""

from __future__ import annotations

import pytest
from tests.test_feed_fastatom import atom
from tests.test_feed_fastpath import URL, assert_same, both, rss

from newsreader.ingest.feed.fastatom import parse_atom
from newsreader.ingest.feed.fastrss import parse_rss

WORDPRESS_ITEM = (
    "<item><title>Hello</title><link>https://example.org/hello/</link>"
    "<comments>https://example.org/hello/#respond</comments>"
    "<dc:creator><![CDATA[admin]]></dc:creator><pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>"
    '<category><![CDATA[News]]></category><guid isPermaLink="false">https://example.org/?p=1</guid>'
    "<description><![CDATA[Summary [&#8230;]]]></description>"
    '<content:encoded><![CDATA[<p>Hello <a href="/x">x</a></p>]]></content:encoded>'
    "<wfw:commentRss>https://example.org/hello/feed/</wfw:commentRss>"
    "<slash:comments>3</slash:comments>{extra}</item>"
)
WORDPRESS_NAMESPACES = (
    b'<rss xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    b'xmlns:slash="http://purl.org/rss/1.0/modules/slash/" '
    b'xmlns:georss="http://www.georss.org/georss" '
    b'xmlns:media="http://search.yahoo.com/mrss/" '
)


def wordpress(extra: str = "") -> bytes:
    return rss(WORDPRESS_ITEM.format(extra=extra)).replace(b"<rss ", WORDPRESS_NAMESPACES, 1)


BLOGGER = atom(
    "<entry><id>tag:blogger.com,1999:blog-1.post-2</id>"
    "<published>2024-01-01T10:00:00.000-08:00</published>"
    '<category scheme="http://www.blogger.com/atom/ns#" term="a"/>'
    "<title type='text'>Post</title><content type='html'>&lt;p&gt;Hi&lt;/p&gt;</content>"
    "<link rel='replies' type='text/html' href='https://b.example/p.html#comment-form'"
    " title='0 Comments'/><link rel='alternate' type='text/html' href='https://b.example/p.html'"
    " title='Post'/><author><name>A</name><uri>https://www.blogger.com/profile/1</uri>"
    "<email>noreply@blogger.com</email><gd:image rel='http://schemas.google.com/g/2005#thumbnail'"
    " width='16' height='16' src='https://img1.blogblog.com/img/b16-rounded.gif'/></author>"
    '<media:thumbnail url="https://x.example/t.jpg" height="72" width="72"/>'
    "<thr:total>0</thr:total></entry>",
    root="xmlns:gd='http://schemas.google.com/g/2005' xmlns:media='http://search.yahoo.com/mrss/'"
    " xmlns:thr='http://purl.org/syndication/thread/1.0'",
)

FAST = {
    "wordpress": wordpress(),
    "wordpress with its post ids": wordpress(
        '<post-id xmlns="com-wordpress:feed-additions:1">1</post-id>'
    ),
    "a georss point": wordpress("<georss:point>52.5 13.4</georss:point>"),
    "a google news source": wordpress('<source url="https://other.example/rss">Other</source>'),
    "a media title before a source": wordpress(
        '<media:title>M</media:title><source url="https://other.example/rss">Other</source>'
    ),
    "blogger": BLOGGER,
}

FALLBACK = {
    # feedparser reads an element of a default namespace by its local name: an author here.
    "a read element in an unknown default namespace": wordpress(
        '<author xmlns="urn:x">someone@example.org (Someone)</author>'
    ),
    "an unknown namespace both the default and bound to a prefix": wordpress(
        '<post-id xmlns="urn:x">1</post-id><x:n xmlns:x="urn:x">2</x:n>'
    ),
    "an element of a default namespace holding elements": wordpress(
        '<post xmlns="urn:x"><id>1</id></post>'
    ),
    # After a source, feedparser no longer knows how deep the title it kept was.
    "a media title after a source": wordpress(
        '<source url="https://other.example/rss">Other</source><media:title>M</media:title>'
    ),
}


@pytest.mark.parametrize("name", sorted(FAST))
def test_common_generators_take_the_fast_path(name: str) -> None:
    data = FAST[name]
    reader = parse_atom if data.startswith(b"<?xml") and b"<feed" in data[:200] else parse_rss
    assert reader(data, URL) is not None, f"{name}: not read by the fast path"
    fast, slow = both(data)
    assert_same(fast, slow)
    assert fast.articles


@pytest.mark.parametrize("name", sorted(FALLBACK))
def test_what_feedparser_reads_otherwise_goes_to_it(name: str) -> None:
    data = FALLBACK[name]
    assert parse_rss(data, URL) is None
    fast, slow = both(data)
    assert_same(fast, slow)
