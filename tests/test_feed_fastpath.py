"""The fast RSS 2.0 reader gives exactly what feedparser gives, and never expands entities."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.ingest.feed import ParsedFeed, parse_feed
from newsreader.ingest.feed.fastatom import parse_atom
from newsreader.ingest.feed.fastrdf import parse_rdf
from newsreader.ingest.feed.fastrss import parse_rss
from newsreader.ingest.html import html_to_markdown

NOW = datetime(2025, 1, 1, tzinfo=UTC)
URL = "https://example.org/blog/feed.xml"


def both(data: bytes, url: str = URL, content_type: str = "") -> tuple[ParsedFeed, ParsedFeed]:
    fast = parse_feed(data, url, content_type, now=NOW)
    slow = parse_feed(data, url, content_type, now=NOW, fast=False)
    return fast, slow


def assert_same(fast: ParsedFeed, slow: ParsedFeed) -> None:
    assert (fast.title, fast.link, fast.format, fast.encoding) == (
        slow.title,
        slow.link,
        slow.format,
        slow.encoding,
    )
    assert (fast.warning, fast.error, fast.undated) == (slow.warning, slow.error, slow.undated)
    assert len(fast.articles) == len(slow.articles)
    for mine, theirs in zip(fast.articles, slow.articles, strict=True):
        assert mine.key == theirs.key
        assert mine.title == theirs.title
        assert mine.link == theirs.link
        assert (mine.published, mine.updated) == (theirs.published, theirs.updated)
        assert mine.author == theirs.author
        # Entry HTML is kept as the reader found it. feedparser's loose parser (a malformed
        # document: a warning) writes markup anew ("<br/>" as "<br />"), so there the
        # articles must only show the same.
        shown = (
            html_to_markdown(mine.content, mine.link),
            html_to_markdown(theirs.content, theirs.link),
        )
        assert shown[0] == shown[1]
        if not slow.warning:
            assert mine.content == theirs.content
        assert mine.text == theirs.text
        assert mine.summary == theirs.summary
        assert mine.enclosures == theirs.enclosures
        assert replace(mine, content="") == replace(theirs, content="")


def corpus_files(shared: Path) -> list[Path]:
    corpus = shared / "corpus"
    return sorted(
        path
        for folder in ("feeds", "malicious")
        for path in (corpus / folder).iterdir()
        if path.is_file()
    )


def test_corpus_same_through_both_paths(shared_dir: Path) -> None:
    fast_count = 0
    for path in corpus_files(shared_dir):
        data = path.read_bytes()
        url = f"https://example.org/feeds/{path.name}"
        fast_count += parse_rss(data, url) is not None
        fast, slow = both(data, url)
        assert_same(fast, slow)
        # The same with a server that names a charset.
        fast, slow = both(data, url, "application/rss+xml; charset=utf-8")
        assert_same(fast, slow)
    assert fast_count >= 4  # the plain RSS 2.0 feeds of the corpus take the fast path


def test_malicious_entities_never_expanded(shared_dir: Path) -> None:
    malicious = shared_dir / "corpus" / "malicious"
    for path in sorted(malicious.iterdir()):
        data = path.read_bytes()
        if b"<!ENTITY" not in data and b"<!DOCTYPE" not in data:
            continue
        assert parse_rss(data, URL) is None, path.name
        parsed = parse_feed(data, URL, now=NOW)
        everything = " ".join(
            [parsed.title] + [a.title + a.content + a.text for a in parsed.articles]
        )
        assert "lollollol" not in everything
        assert "root:" not in everything  # /etc/passwd


def test_fast_parser_does_not_expand_entities_itself() -> None:
    from lxml import etree

    from newsreader.ingest.feed.fastdoc import safe_parser

    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><title>&b;&c;</title></channel></rss>'
    )
    try:
        root = etree.fromstring(bomb, safe_parser())
    except etree.XMLSyntaxError:
        return
    title = root.find("channel/title")
    assert title is not None
    assert "aaaaaaaaaa" not in "".join(title.itertext())
    assert "root:" not in "".join(title.itertext())


def rss(items: str, channel: str = "<title>Blog</title><link>https://example.org/</link>") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel>{channel}{items}</channel></rss>"
    ).encode()


CASES = {
    "plain": rss(
        "<item><title>One</title><link>https://example.org/1</link><guid>https://example.org/1</guid>"
        "<pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate><description>&lt;p&gt;Hi&lt;/p&gt;</description>"
        "</item>"
    ),
    "guid is the link": rss("<item><title>T</title><guid>/posts/2</guid></item>"),
    "guid not a permalink": rss(
        '<item><title>T</title><guid isPermaLink="false">/posts/2</guid></item>'
    ),
    "link after guid": rss(
        "<item><guid>https://example.org/g</guid><link>https://example.org/l</link></item>"
    ),
    "relative link, ampersands": rss(
        "<item><title>T</title><link>story?a=1&amp;amp;b=2&amp;c;d</link></item>"
    ),
    "html-looking title": rss(
        "<item><title>Fish &amp;amp; &lt;b&gt;chips&lt;/b&gt;</title></item>"
    ),
    "title with brackets": rss("<item><title>[PATCH] a &lt; b</title></item>"),
    "cp1252 and mojibake": rss(
        "<item><title>caf\u00c3\u00a9 \u0093quoted\u0094</title><description>x</description></item>"
    ),
    "authors": rss(
        "<item><title>A</title><author>jane@example.org (Jane Doe)</author></item>"
        "<item><title>B</title><dc:creator>Ann</dc:creator><dc:creator>Bob</dc:creator></item>"
        "<item><title>C</title><author>bob@example.org</author></item>"
        "<item><title>D</title><dc:creator></dc:creator></item>"
    ),
    "content before description": rss(
        "<item><title>T</title><content:encoded><![CDATA[<p>Full <a href='/x'>text</a></p>]]>"
        "</content:encoded><description>Short</description></item>"
    ),
    "content only": rss(
        "<item><title>T</title><content:encoded><![CDATA[<p>Only</p>]]></content:encoded></item>"
    ),
    "untitled, undated": rss(
        "<item><description>Just some text, no title at all.</description></item>"
        "<item><description>Another.</description></item>"
    ),
    "dates": rss(
        "<item><title>T</title><pubDate>bogus</pubDate><dc:date>2024-05-01T10:00:00+02:00</dc:date>"
        "</item><item><title>U</title><dc:date>2024-05-02T10:00:00Z</dc:date></item>",
        "<title>B</title><lastBuildDate>Wed, 01 May 2024 00:00:00 GMT</lastBuildDate>",
    ),
    "enclosures": rss(
        '<item><title>E</title><enclosure url="/a.mp3" length="123" type="Audio/MPEG"/>'
        '<enclosure url="https://cdn.example.org/b.mp3" length="x"/><enclosure length="1"/>'
        '<atom:link rel="enclosure" href="/c.ogg" type="audio/ogg"/></item>'
    ),
    "channel furniture": rss(
        "<item><title>T</title><category>a</category><category domain='d'>b</category>"
        "<comments>/c</comments></item>",
        '<atom:link href="https://example.org/feed.xml" rel="self" type="application/rss+xml"/>'
        "<title>Blog &amp;amp; more</title><link>https://example.org/</link>"
        "<description>About</description><language>en</language><ttl>60</ttl>"
        "<image><url>/logo.png</url><title>Logo</title><link>/</link></image>"
        "<generator>gen</generator><docs>/docs</docs>",
    ),
    "alternate atom link": rss(
        "<item><title>T</title></item>",
        '<title>B</title><atom:link href="/home" rel="alternate"/>',
    ),
    "image before title": rss(
        "<item><title>T</title></item>",
        "<image><url>/logo.png</url><title>Logo</title><link>/img</link></image>"
        "<title>Real title</title><link>/home</link>",
    ),
    "duplicate guids": rss(
        "<item><title>A</title><guid>same</guid></item><item><title>B</title><guid>same</guid></item>"
    ),
    "whitespace and control characters": rss(
        "<item><title>\n  Spaced\u200b  out \u202e  </title>"
        "<description>\tline\r\nbreak \u009b31m red \u0085 next</description></item>"
    ),
    "script in description": rss(
        "<item><title>S</title><description><![CDATA[<script>alert(1)</script>"
        '<a href="javascript:x">j</a><img src="/i.png" onerror="x">]]></description></item>'
    ),
    "no declaration": rss("<item><title>T</title></item>").split(b"?>", 1)[1],
    "blank lines before the root": b"\n\n \r\n"
    + rss("<item><title>T</title></item>").split(b"?>", 1)[1],
    "the word xmlns in the text": rss(
        "<item><title>xmlns:x is how a namespace is declared</title><content:encoded>"
        '<![CDATA[<svg xmlns="http://www.w3.org/2000/svg"></svg><p>xmlns</p>]]>'
        "</content:encoded></item>"
    ),
    "a namespace declared again below the root, the same": rss(
        '<item xmlns:dc="http://purl.org/dc/elements/1.1/"><title>T</title>'
        "<dc:creator>Ann</dc:creator></item>"
    ),
    "latin-1": rss("<item><title>T</title></item>").replace(b"UTF-8", b"ISO-8859-1"),
    "latin-1 text": rss(
        "<item><title>Gr\u00fc\u00dfe</title><description>caf\u00e9 \u0080 \u0093q\u0094"
        "</description></item>"
    )
    .decode()
    .encode("latin-1")
    .replace(b"UTF-8", b"ISO-8859-1"),
    "windows-1251 text": rss("<item><title>\u041f\u0440\u0438\u0432\u0435\u0442</title></item>")
    .decode()
    .encode("cp1251")
    .replace(b"UTF-8", b"windows-1251"),
    "gb2312 text": rss(
        "<item><title>\u65b0\u95fb</title><description>\u4e2d\u6587</description></item>"
    )
    .decode()
    .encode("gb2312")
    .replace(b"UTF-8", b"gb2312"),
    "media thumbnails": rss(
        '<item><title>T</title><media:thumbnail url="/t.jpg" width="10"/>'
        "<media:thumbnail>https://example.org/u.jpg</media:thumbnail></item>",
        '<title>B</title><media:thumbnail url="/c.jpg"/>',
    ).replace(b"<rss ", b'<rss xmlns:media="http://search.yahoo.com/mrss/" '),
    "the channel's author": rss(
        "<item><title>T</title><dc:creator>Item author</dc:creator></item>",
        "<title>B</title><dc:creator>Channel author</dc:creator><author>x@example.org</author>",
    ),
    "unknown namespace": rss("<item><title>T</title><x:y>z</x:y></item>").replace(
        b"<rss ", b'<rss xmlns:x="urn:x" '
    ),
    "media titles after the item's title": rss(
        '<item><title>T</title><media:title type="html">M &amp;amp; N</media:title>'
        '<media:content url="https://x/a.jpg" medium="image"><media:title>C</media:title>'
        '</media:content><media:content url="https://x/b.jpg"/></item>'
    ).replace(b"<rss ", b'<rss xmlns:media="http://search.yahoo.com/mrss/" '),
    "subtitles and feedburner's note": rss(
        "<item><title>T</title><subtitle>S</subtitle><itunes:subtitle>I</itunes:subtitle></item>",
        "<title>B</title><feedburner:browserFriendly>Note</feedburner:browserFriendly>"
        "<info>i</info>",
    ).replace(
        b"<rss ",
        b'<rss xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
        b'xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0" ',
    ),
    "unknown elements holding unknown elements and categories": rss(
        "<item><title>T</title><categories><category>A</category><category>B</category>"
        "</categories><x:outer><x:inner>i</x:inner></x:outer><x:r/><x:r/></item>",
        "<title>B</title><nested-field><nest1>foo</nest1><nest2><nest3>bar</nest3></nest2>"
        "</nested-field>",
    ).replace(b"<rss ", b'<rss xmlns:x="urn:x" '),
    "a namespace declared below the root": rss(
        '<item><title>T</title><x:y xmlns:x="urn:x">z</x:y>'
        '<Src:Account xmlns:Src="urn:s" service="x">a</Src:Account></item>'
    ),
    "an unknown namespace under a standard prefix no known one uses": rss(
        '<item><title>T</title><thr:total xmlns:thr="urn:thread">3</thr:total></item>'
    ),
    "blank line before the declaration": b"\n" + rss("<item><title>T</title></item>"),
    "a blank line before the declaration, and &amp; in CDATA and attributes": b"\n"
    + rss(
        "<item><title>T</title><description>&lt;p&gt;x&lt;/p&gt;</description>"
        '<enclosure url="https://x/a?b=1&amp;c=2" type="audio/mpeg"/></item>'
    ).replace(b"&lt;p&gt;x&lt;/p&gt;", b"<![CDATA[<p>x &amp; y</p>]]>"),
    "blank lines and spaces before the declaration": b"\r\n\n  \r \t"
    + rss("<item><title>T</title></item>"),
    "non-ASCII text": rss(
        "<item><title>Gr\u00fc\u00dfe \u2014 \u65e5\u672c \u0080 caf\u00c3\u00a9</title>"
        "<description>\u00e9t\u00e9 \u0093q\u0094</description></item>"
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_path_matches_feedparser(name: str) -> None:
    data = CASES[name]
    assert parse_rss(data, URL) is not None, f"{name}: not read by the fast path"
    fast, slow = both(data)
    assert_same(fast, slow)
    assert fast.articles


FALLBACK = {
    "an encoding that is not ASCII's superset": rss("<item><title>T</title></item>").replace(
        b"UTF-8", b"UTF-16"
    ),
    "an unknown encoding": rss("<item><title>T</title></item>").replace(b"UTF-8", b"x-nothing"),
    "bytes the declared encoding cannot decode": rss("<item><title>\u00e9</title></item>").replace(
        b"UTF-8", b"ASCII"
    ),
    "an encoding feedparser does not read from the declaration": rss(
        "<item><title>T</title></item>"
    ).replace(b'encoding="UTF-8"?>', b'encoding = "ISO-8859-1"?>'),
    "a DOCTYPE in another encoding": b'<?xml version="1.0" encoding="ISO-8859-1"?>'
    b'<!DOCTYPE rss SYSTEM "x.dtd"><rss version="2.0"><channel><title>\xe9</title>'
    b"</channel></rss>",
    "xml:base": rss('<item xml:base="/x/"><title>T</title></item>'),
    "itunes:owner in an item (it would be the entry's author)": rss(
        "<item><title>T</title><itunes:owner><itunes:name>A</itunes:name></itunes:owner></item>"
    ).replace(b"<rss ", b'<rss xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '),
    "media title": rss("<item><media:title>M</media:title><title>T</title></item>").replace(
        b"<rss ", b'<rss xmlns:media="http://search.yahoo.com/mrss/" '
    ),
    "media title after an empty title": rss(
        "<item><title> </title><media:title>M</media:title></item>"
    ).replace(b"<rss ", b'<rss xmlns:media="http://search.yahoo.com/mrss/" '),
    "media content holding a description": rss(
        '<item><title>T</title><media:content url="https://x/a.jpg">'
        "<media:description>D</media:description></media:content></item>"
    ).replace(b"<rss ", b'<rss xmlns:media="http://search.yahoo.com/mrss/" '),
    "media content with text": rss(
        '<item><title>T</title><media:content url="https://x/a.jpg">D</media:content></item>'
    ).replace(b"<rss ", b'<rss xmlns:media="http://search.yahoo.com/mrss/" '),
    "a subtitle with attributes": rss(
        '<item><title>T</title><subtitle type="html">S</subtitle></item>'
    ),
    "mixed content": rss("<item><title>T <b>bold</b></title></item>"),
    "two titles": rss("<item><title>T</title><title>U</title></item>"),
    "typed title": rss('<item><title type="html">T</title></item>'),
    "a media thumbnail holding elements": rss(
        '<item><title>T</title><media:thumbnail url="/t.jpg"><media:title>M</media:title>'
        "</media:thumbnail></item>"
    ).replace(b"<rss ", b'<rss xmlns:media="http://search.yahoo.com/mrss/" '),
    "the channel's author holding elements": rss(
        "<item><title>T</title></item>", "<title>B</title><author><name>N</name></author>"
    ),
    "doctype": b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "x.dtd"><rss version="2.0"></rss>',
    "not well-formed": rss("<item><title>T</item>"),
    "a source holding elements": rss(
        '<item><title>T</title><source url="https://x/"><title>X</title></source></item>'
    ),
    "a prefix bound to two namespaces": rss(
        '<item><title>T</title><dc:y xmlns:dc="urn:x">z</dc:y></item>'
    ),
    "an unknown namespace bound to a known one's prefix": rss(
        '<item><title>T</title><thr:total xmlns:thr="urn:x">z</thr:total>'
        '<t:in-reply-to xmlns:t="http://purl.org/rss/1.0/modules/threading/">x</t:in-reply-to>'
        "</item>"
    ),
    "an unknown namespace bound to two prefixes": rss(
        '<item><title>T</title><x:y xmlns:x="urn:x">z</x:y><w:y xmlns:w="urn:x">z</w:y></item>'
    ),
    "an element of an unknown namespace holding elements": rss(
        '<item><x:y xmlns:x="urn:x"><title>T</title></x:y></item>'
    ),
    "an unknown element holding a read element": rss(
        "<item><title>T</title><categories><link>https://x/</link></categories></item>"
    ),
    "an element of an unknown namespace named like a read key": rss(
        '<item><title>T</title><x:y xmlns:x="urn:x">z</x:y><title:detail xmlns:title="urn:t">L</title:detail></item>'
    ),
    "a blank line before a declaration of Latin-1": b"\n"
    + rss("<item><title>\u00e9</title></item>").replace(b"UTF-8", b"ISO-8859-1"),
    "a blank line before the declaration, and a reference the loose parser keeps": b"\n"
    + rss("<item><title>T</title><guid>urn:a&quot;b</guid></item>"),
    "a blank line before the declaration, and a numeric reference": b"\n"
    + rss('<item><title>T</title><enclosure url="https://x/a?b=1&#38;c=2"/></item>'),
    "a blank line before the declaration, and a DOCTYPE": b"\n"
    + rss("<item><title>T</title></item>").replace(b"?>", b'?><!DOCTYPE rss SYSTEM "x.dtd">', 1),
    "a default namespace below the root": rss(
        '<item xmlns="http://www.w3.org/1999/xhtml"><title>T</title></item>'
    ),
}


@pytest.mark.parametrize("name", sorted(FALLBACK))
def test_unusual_documents_go_to_feedparser(name: str) -> None:
    data = FALLBACK[name]
    assert parse_rss(data, URL) is None
    fast, slow = both(data)
    assert_same(fast, slow)


def test_bench_feed_takes_fast_path() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_refresh", Path(__file__).resolve().parents[1] / "bench" / "refresh.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data = module.make_feed(3, 50)
    assert parse_rss(data, "http://127.0.0.1/feed/3.xml") is not None
    fast, slow = both(data, "http://127.0.0.1/feed/3.xml")
    assert_same(fast, slow)
    assert len(fast.articles) == 50


URL_PIECES = st.lists(
    st.sampled_from(
        [
            "http",
            "https",
            "HTTP",
            ":",
            "//",
            "/",
            "///",
            "example.org",
            "a.b-c",
            "[::1]",
            ":80",
            ":",
            "?",
            "#",
            ";",
            "=",
            "&",
            "x",
            "..",
            ".",
            " ",
            "\t",
            "\n",
            "%20",
            "é",
            "@",
            "\\",
        ]
    ),
    max_size=12,
)


@given(URL_PIECES, st.sampled_from(["https://example.org/a/b", "http://h/", "", "ftp://x/"]))
def test_fast_urljoin_is_feedparsers(pieces: list[str], base: str) -> None:
    from feedparser.urls import _urljoin

    from newsreader.ingest.feed.fastxml import urljoin

    uri = "".join(pieces)
    assert urljoin(base, uri) == _urljoin(base, uri)
    for absolute in ("https://example.org" + uri, "http://a.b" + uri.strip()):
        assert urljoin(base, absolute) == _urljoin(base, absolute)


def test_corpus_with_whitespace_before_the_declaration(shared_dir: Path) -> None:
    # feedparser's strict parser refuses such a document and its loose parser reads it; the
    # fast readers read it as the strict parser reads it without the whitespace, which must
    # be what the loose parser gives.
    taken = 0
    for path in corpus_files(shared_dir):
        data = path.read_bytes()
        if not data.startswith(b"<?xml") or b"utf-8" not in data[:100].lower():
            continue
        url = f"https://example.org/feeds/{path.name}"
        for prefix in (b"\n", b" \r\n\t"):
            fast, slow = both(prefix + data, url)
            assert_same(fast, slow)
            taken += (parse_rss(prefix + data, url) or parse_atom(prefix + data, url)) is not None
    assert taken >= 10


@given(
    st.sampled_from(["", "Mon, ", "Sun, ", "Fri, "]),
    st.integers(0, 39),
    st.sampled_from(["Jan", "Feb", "Mar", "Jun", "Sep", "Dec"]),
    st.integers(0, 9999),
    st.tuples(st.integers(0, 29), st.integers(0, 69), st.integers(0, 69)),
    st.sampled_from(["GMT", "+0000", "+0200", "-0530", "+2359", "-9999", "+0099"]),
)
@settings(max_examples=500)
def test_fast_rfc822_dates_are_feedparsers(
    weekday: str, day: int, month: str, year: int, clock: tuple[int, int, int], zone: str
) -> None:
    from feedparser.datetimes import _parse_date

    from newsreader.ingest.feed.fastxml import parse_date

    for day_text in (str(day), f"{day:02d}"):
        value = f"{weekday}{day_text} {month} {year:04d} {clock[0]:02d}:{clock[1]:02d}:{clock[2]:02d} {zone}"
        assert parse_date(value) == _parse_date(value), value


_BETWEEN_TAGS = re.compile(rb">(\s*)<(?![!?])")


def with_comments(data: bytes) -> bytes:
    """``data`` with an XML comment between every two tags outside CDATA sections, and one
    before the root element."""
    parts = re.split(rb"(<!\[CDATA\[.*?\]\]>)", data, flags=re.DOTALL)
    parts = [
        part if part.startswith(b"<![CDATA[") else _BETWEEN_TAGS.sub(rb"><!-- c -->\1<", part)
        for part in parts
    ]
    return b"".join(parts)


def test_comments_anywhere_read_as_feedparser_reads_them(shared_dir: Path) -> None:
    # feedparser never sees a comment (its XML parser does not report them): the text on
    # either side of one is joined. The fast readers parse without them, to the same effect.
    taken = 0
    for path in corpus_files(shared_dir):
        original = path.read_bytes()
        data = with_comments(original)
        if data == original:
            continue
        url = f"https://example.org/feeds/{path.name}"
        fast, slow = both(data, url)
        assert_same(fast, slow)
        for reader in (parse_rss, parse_atom, parse_rdf):
            if reader(original, url) is not None:
                taken += 1
                assert reader(data, url) is not None, f"{path.name}: comments sent it to feedparser"
    assert taken >= 20


@pytest.mark.parametrize(
    "items",
    [
        "<!-- a --><item><!-- b --><title>T<!-- c -->U</title><!-- d --></item><!-- e -->",
        "<item><title>T</title><description>a <!-- c -->&lt;b&gt;x&lt;/b&gt;</description></item>",
        "<item><title>T</title><guid>a<!-- c -->b</guid><link>/x<!-- c -->y</link></item>",
        "<item><title>T</title><pubDate>Mon, 01 Jan <!-- c -->2024 10:00:00 GMT</pubDate></item>",
    ],
)
def test_comments_in_rss_take_the_fast_path(items: str) -> None:
    data = rss(items).replace(b"<rss", b"<!-- before the root -->\n<rss", 1)
    assert parse_rss(data, URL) is not None
    fast, slow = both(data)
    assert_same(fast, slow)
    assert fast.articles[0].title == slow.articles[0].title != ""


ITUNES = 'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'


def podcast(items: str, channel: str = "") -> bytes:
    head = "<title>Show</title><link>https://example.org/</link>" + channel
    return rss(items, head).replace(b"<rss ", f"<rss {ITUNES} ".encode(), 1)


PODCAST_CASES = {
    "an episode": podcast(
        "<item><title>Episode 1</title><itunes:author>Host &lt;host@example.org&gt;"
        '</itunes:author><itunes:image href="https://example.org/e1.jpg"/>'
        "<itunes:duration>01:02:03</itunes:duration><itunes:explicit>no</itunes:explicit>"
        "<itunes:episode>1</itunes:episode><itunes:episodeType>full</itunes:episodeType>"
        "<itunes:keywords>a, b</itunes:keywords><itunes:subtitle>Sub</itunes:subtitle>"
        "<description>&lt;p&gt;Notes&lt;/p&gt;</description>"
        "<itunes:summary>Plain notes</itunes:summary>"
        '<enclosure url="https://example.org/e1.mp3" length="100" type="audio/mpeg"/></item>',
        "<description>About</description><itunes:summary>About the show</itunes:summary>"
        "<itunes:author>Host</itunes:author><itunes:owner><itunes:name>Host</itunes:name>"
        "<itunes:email>host@example.org</itunes:email></itunes:owner>"
        '<itunes:image href="https://example.org/show.jpg"/><itunes:explicit>no</itunes:explicit>'
        '<itunes:category text="Technology"><itunes:category text="Podcasting"/>'
        "</itunes:category><itunes:block>no</itunes:block>",
    ),
    "itunes:summary alone": podcast(
        "<item><title>T</title><itunes:summary>S</itunes:summary></item>"
    ),
    "itunes:summary that looks like html": podcast(
        "<item><title>T</title><itunes:summary>&lt;b&gt;S&lt;/b&gt;</itunes:summary></item>"
    ),
}


@pytest.mark.parametrize("name", sorted(PODCAST_CASES))
def test_podcasts_take_the_fast_path(name: str) -> None:
    data = PODCAST_CASES[name]
    assert parse_rss(data, URL) is not None, f"{name}: not read by the fast path"
    fast, slow = both(data)
    assert_same(fast, slow)
    assert fast.articles


_SUMMARIES = [
    "<description>D</description>",
    "<description>&lt;p&gt;H&lt;/p&gt;</description>",
    "<itunes:summary>S</itunes:summary>",
    "<itunes:summary>&lt;i&gt;s&lt;/i&gt;</itunes:summary>",
    "<content:encoded>&lt;p&gt;C&lt;/p&gt;</content:encoded>",
    "<itunes:author>A</itunes:author>",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_SUMMARIES[:4]), max_size=2, unique=True),
    st.lists(st.lists(st.sampled_from(_SUMMARIES), max_size=4), min_size=1, max_size=3),
)
def test_summaries_in_any_order_read_as_feedparser_reads_them(
    channel: list[str], items: list[list[str]]
) -> None:
    # feedparser reads a second summary as content, and its flag for "has content" carries
    # over from a channel's summaries to its first item.
    data = podcast(
        "".join("<item><title>T</title>" + "".join(parts) + "</item>" for parts in items),
        "".join(channel),
    )
    fast, slow = both(data)
    assert_same(fast, slow)


@pytest.mark.parametrize("version", ["0.91", "0.92", "0.93", "0.94", "2.0", "2.01", "1.0", "", "x"])
def test_every_rss_version_takes_the_fast_path(version: str) -> None:
    # feedparser reads them all alike; only the version it reports differs.
    data = rss("<item><title>T</title><description>a</description></item>")
    data = data.replace(b' version="2.0"', f' version="{version}"'.encode() if version else b"")
    assert parse_rss(data, URL) is not None
    fast, slow = both(data)
    assert_same(fast, slow)
    assert fast.format == {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093"}.get(
        version, fast.format
    )
