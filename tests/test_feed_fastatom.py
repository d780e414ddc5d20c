"""The fast Atom 1.0 reader gives exactly what feedparser gives, and never expands entities."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.test_feed_fastpath import NOW, URL, assert_same, both, corpus_files

from newsreader.ingest.feed import parse_feed
from newsreader.ingest.feed.fastatom import parse_atom

# The plain Atom 1.0 feeds of the corpus (escaped HTML, xml:base, no extension elements).
CORPUS_FAST = {
    "atom10_daringfireball_xml-base_relative-links.atom",
    "atom10_jekyll_relative-site-link_qemu.atom",
    "atom10_long-technical-html_research-swtch.atom",
    "atom10_russian_movable-type_inline-css_touchnokia.xml",
    "atom10_wordpress_per-entry-xml-base_onefoottsunami.atom",
}


def test_corpus_same_through_both_paths(shared_dir: Path) -> None:
    fast_names = set()
    for path in corpus_files(shared_dir):
        data = path.read_bytes()
        url = f"https://example.org/feeds/{path.name}"
        if parse_atom(data, url) is not None:
            fast_names.add(path.name)
        fast, slow = both(data, url)
        assert_same(fast, slow)
        fast, slow = both(data, url, "application/atom+xml; charset=utf-8")
        assert_same(fast, slow)
    assert fast_names >= CORPUS_FAST


def test_malicious_documents_refused(shared_dir: Path) -> None:
    for path in sorted((shared_dir / "corpus" / "malicious").iterdir()):
        data = path.read_bytes()
        if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
            assert parse_atom(data, URL) is None, path.name
        parsed = parse_feed(data, URL, now=NOW)
        everything = " ".join(
            [parsed.title] + [a.title + a.content + a.text for a in parsed.articles]
        )
        assert "lollollol" not in everything
        assert "root:" not in everything


def atom(entries: str, head: str = "<title>Blog</title>", root: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<feed xmlns="http://www.w3.org/2005/Atom" {root}>{head}{entries}</feed>'
    ).encode()


CASES = {
    "namespaced attribute": atom(
        '<entry><title>T</title><link href="/a" x:count="1"/></entry>', root='xmlns:x="urn:x"'
    ),
    "xhtml content": atom(
        '<entry><title>T</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        "<p>x</p></div></content></entry>"
    ),
    "xhtml content, summary and title of every kind": atom(
        '<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">A <b>bold</b> &amp; title</div></title>'
        '<summary type="xhtml" xml:lang="de"> <div xmlns="http://www.w3.org/1999/xhtml">S &lt;x&gt;</div> </summary>'
        '<content type="xhtml" xml:base="/posts/">\n  <div xmlns="http://www.w3.org/1999/xhtml">\n'
        '<p class="a" xml:lang="en">One<br/>two &#160; <img src="i.png" alt="a &quot;q&quot;"/>'
        '</p>\n<div><a REL="NoFollow" href="/x?a=1&amp;b=2" TYPE="Text/HTML">x</a></div>'
        "<![CDATA[ <not markup> ]]><pre>  a\n  b </pre><p/></div>\n</content></entry>"
        '<entry><title>U</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">plain words</div></content>'
        "</entry>"
    ),
    "unknown namespace used": atom(
        "<entry><title>T</title><x:y>z</x:y></entry>", root='xmlns:x="urn:x"'
    ),
    "blank line before the declaration": b"\n" + atom("<entry><title>T</title></entry>"),
    "an unknown namespace declared on an entry": atom(
        '<entry><title>T</title><x:y xmlns:x="urn:x" a="1">z</x:y></entry>'
    ),
    "media thumbnails": atom(
        '<entry><title>T</title><id>urn:1</id><media:thumbnail url="/t.jpg" height="30"/></entry>',
        root='xmlns:media="http://search.yahoo.com/mrss/"',
    ),
    "latin-1": atom("<entry><title>T</title></entry>").replace(b"utf-8", b"ISO-8859-1"),
    "latin-1 text": atom("<entry><title>caf\u00e9 \u0093q\u0094</title></entry>")
    .decode()
    .encode("latin-1")
    .replace(b"utf-8", b"ISO-8859-1"),
    "plain": atom(
        '<entry><title>One</title><link href="https://example.org/1"/><id>urn:x:1</id>'
        "<updated>2024-05-01T10:00:00Z</updated><published>2024-04-30T10:00:00+02:00</published>"
        '<content type="html">&lt;p&gt;Hi &lt;a href="/x"&gt;there&lt;/a&gt;&lt;/p&gt;</content>'
        "</entry>"
    ),
    "nested xml:base": atom(
        '<entry xml:base="/posts/"><title>T</title><link href="one"/><id>one#id</id>'
        '<content type="html" xml:base="deeper/">&lt;a href="rel"&gt;x&lt;/a&gt;</content>'
        '<link rel="enclosure" href="a.mp3" length="12" type="audio/mpeg" xml:base="/media/"/>'
        "</entry>",
        root='xml:base="https://site.example/blog/" xml:lang="en_GB"',
    ),
    "unsafe xml:base is ignored": atom(
        '<entry xml:base="javascript:alert(1)//"><title>T</title><link href="p"/>'
        '<content type="html">&lt;a href="q"&gt;x&lt;/a&gt;</content></entry>'
    ),
    "id before link, id only": atom(
        '<entry><id>/a</id><link href="/b"/><title>A</title></entry>'
        "<entry><id>https://example.org/c</id><title>C</title></entry>",
        "<title>B</title><id>https://example.org/home</id>",
    ),
    "links of every kind": atom(
        '<entry><title>L</title><link rel="self" href="/self"/><link href=""/>'
        '<link rel="alternate" type="application/pdf" href="/pdf"/>'
        '<link rel="related" href="/rel"/></entry>'
        '<entry><title>M</title><link rel="alternate" type="TEXT/HTML" href="/m"/></entry>',
        '<title>B</title><link rel="alternate" href=""/><link rel="self" href="/feed"/>',
    ),
    "summary and content in either order": atom(
        '<entry><title>A</title><summary>Short</summary><content type="html">'
        "&lt;p&gt;Long text here&lt;/p&gt;</content></entry>"
        '<entry><title>B</title><content type="html">&lt;p&gt;Long&lt;/p&gt;</content>'
        "<summary>Short</summary></entry>"
        "<entry><title>C</title><content>plain text content</content></entry>"
        '<entry><summary type="html">&lt;b&gt;only&lt;/b&gt; summary</summary></entry>'
    ),
    "text types of titles": atom(
        '<entry><title type="html">Fish &amp;amp; &lt;b&gt;chips&lt;/b&gt;</title></entry>'
        '<entry><title type="text">a &lt; b &amp;amp; c</title></entry>'
        "<entry><title>&lt;i&gt;not html&lt;/i&gt;</title></entry>",
        '<title type="html">Blog &amp;amp; co</title>',
    ),
    "authors": atom(
        "<entry><title>A</title><author><name>Ann</name><email>ann@example.org</email>"
        "<uri>/ann</uri></author><author><name>Bob</name></author></entry>"
        "<entry><title>B</title><author><email>bob@example.org</email></author></entry>"
        "<entry><title>C</title><author><uri>https://c.example/</uri></author></entry>"
        "<entry><title>D</title><author><name> </name></author><contributor><name>X</name>"
        "</contributor></entry>"
        "<entry><title>E</title><author></author></entry>",
        "<title>B</title><author><name>Feed Author</name></author>",
    ),
    "dates": atom(
        "<entry><title>A</title><updated>bogus</updated></entry>"
        "<entry><title>B</title><published>Tue, 10 Jun 2003 04:00:00 GMT</published></entry>"
        "<entry><title>C</title></entry>",
        "<title>B</title><updated>2024-05-01T00:00:00Z</updated>",
    ),
    "undated, untitled, no id": atom(
        "<entry><summary>Just some text, no title at all.</summary></entry>"
        "<entry><summary>Another.</summary></entry>"
    ),
    "feed furniture": atom(
        '<entry><title>T</title><category term="a" scheme="s"/><rights>r</rights></entry>',
        '<title>B</title><subtitle type="html">&lt;b&gt;sub&lt;/b&gt;</subtitle>'
        '<generator uri="/gen" version="1">Gen</generator><icon>/i.png</icon><logo>l.png</logo>'
        '<rights>c</rights><category term="x"/>',
        'xmlns:thr="http://purl.org/syndication/thread/1.0"',
    ),
    "cp1252 and mojibake": atom(
        "<entry><title>caf\u00c3\u00a9 \u0093quoted\u0094</title>"
        "<summary>\u00e9t\u00e9 \u0080</summary><author><name>J\u00c3\u00a9r\u00f4me</name>"
        "</author></entry>"
    ),
    "whitespace and control characters": atom(
        "<entry><title>\n  Spaced\u200b  out \u202e  </title>"
        "<content>\tline\r\nbreak \u009b31m red \u0085 next</content></entry>"
    ),
    "script in content": atom(
        '<entry><title>S</title><content type="html"><![CDATA[<script>alert(1)</script>'
        '<a href="javascript:x">j</a><img src="/i.png" onerror="x">]]></content></entry>'
    ),
    "no declaration": atom("<entry><title>T</title></entry>").split(b"?>", 1)[1],
    "duplicate ids": atom(
        "<entry><title>A</title><id>same</id></entry><entry><title>B</title><id>same</id></entry>"
    ),
    "xml:lang empty and inherited": atom(
        '<entry xml:lang=""><title>T</title><content xml:lang="de">x</content></entry>',
        root='xml:lang="en"',
    ),
    "a youtube video's media:group": atom(
        "<entry><id>yt:video:x</id><yt:videoId>x</yt:videoId><title>Video</title>"
        '<link rel="alternate" href="https://www.youtube.com/watch?v=x"/>'
        "<author><name>Channel</name><uri>https://www.youtube.com/channel/c</uri></author>"
        "<published>2024-05-01T10:00:00+00:00</published><media:group>"
        "<media:title>Video</media:title>"
        '<media:content url="https://www.youtube.com/v/x" type="application/x-shockwave-flash"'
        ' width="640" height="390"/>'
        '<media:thumbnail url="https://i1.ytimg.com/vi/x/hqdefault.jpg" width="480"/>'
        "<media:description>Links: https://example.org/a &amp; more\n\nline two"
        "</media:description><media:community>"
        '<media:starRating count="3" average="5.00" min="1" max="5"/>'
        '<media:statistics views="10"/></media:community></media:group></entry>',
        root='xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:yt="http://www.youtube.com/xml/schemas/2015"',
    ),
    "media:description typed plain, in a scope with a language": atom(
        '<entry xml:lang="de"><title>T</title><media:group>'
        '<media:description type="plain">a &lt;b&gt; c</media:description></media:group></entry>',
        root='xmlns:media="http://search.yahoo.com/mrss/"',
    ),
    "media:description holding escaped html": atom(
        "<entry><title>T</title><media:group><media:description>&lt;p&gt;a &lt;b&gt;b&lt;/b&gt;"
        "&lt;/p&gt;</media:description></media:group></entry>",
        root='xmlns:media="http://search.yahoo.com/mrss/"',
    ),
    "an empty media:group": atom(
        "<entry><title>T</title><media:group/></entry>",
        root='xmlns:media="http://search.yahoo.com/mrss/"',
    ),
    "comments (never seen by feedparser)": atom(
        "<!-- a --><entry><!-- b --><title>T<!-- c -->U</title><!-- d --></entry>"
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_path_matches_feedparser(name: str) -> None:
    data = CASES[name]
    assert parse_atom(data, URL) is not None, f"{name}: not read by the fast path"
    fast, slow = both(data)
    assert_same(fast, slow)
    assert fast.articles


FALLBACK = {
    "atom 0.3": b'<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#">'
    b"<title>T</title><entry><title>E</title></entry></feed>",
    "an unknown encoding": atom("<entry><title>T</title></entry>").replace(b"utf-8", b"x-no"),
    "xhtml content with text beside its div": atom(
        '<entry><title>T</title><content type="xhtml">a<div xmlns="http://www.w3.org/1999/xhtml">'
        "<p>x</p></div></content></entry>"
    ),
    "xhtml content in two divs": atom(
        '<entry><title>T</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        '<p>x</p></div><div xmlns="http://www.w3.org/1999/xhtml">y</div></content></entry>'
    ),
    "xhtml content holding another namespace's element": atom(
        '<entry><title>T</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        '<p>x<svg xmlns="http://www.w3.org/2000/svg"><title>s</title></svg></p></div></content>'
        "</entry>"
    ),
    "xhtml content holding a body": atom(
        '<entry><title>T</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        "<body><p>x</p></body></div></content></entry>"
    ),
    "xhtml content with an attribute in another namespace": atom(
        '<entry><title>T</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        '<a xmlns:l="http://www.w3.org/1999/xlink" l:href="/x">x</a></div></content></entry>'
    ),
    "a namespaced attribute named like one that is read": atom(
        '<entry><title>T</title><link href="/a" x:href="/b"/></entry>', root='xmlns:x="urn:x"'
    ),
    "base64 content": atom(
        '<entry><title>T</title><content type="image/png">aGVsbG8=</content></entry>'
    ),
    "content src": atom('<entry><title>T</title><content src="/x" type="text/html"/></entry>'),
    "media thumbnail holding elements": atom(
        '<entry><title>T</title><media:thumbnail url="/t.png"><media:title>M</media:title>'
        "</media:thumbnail></entry>",
        root='xmlns:media="http://search.yahoo.com/mrss/"',
    ),
    "prefixed atom": b'<?xml version="1.0"?><a:feed xmlns:a="http://www.w3.org/2005/Atom">'
    b"<a:title>T</a:title><a:entry><a:title>E</a:title></a:entry></a:feed>",
    "two titles": atom("<entry><title>T</title><title>U</title></entry>"),
    "mixed content": atom("<entry><title>T <b>bold</b></title></entry>"),
    "media:title before the entry's title": atom(
        "<entry><media:group><media:title>M</media:title></media:group><title>T</title></entry>",
        root='xmlns:media="http://search.yahoo.com/mrss/"',
    ),
    "media:description beside a summary": atom(
        "<entry><title>T</title><media:group><media:description>D</media:description>"
        "</media:group><summary>S</summary></entry>",
        root='xmlns:media="http://search.yahoo.com/mrss/"',
    ),
    "media:description after content": atom(
        "<entry><title>T</title><content>C</content><media:group>"
        "<media:description>D</media:description></media:group></entry>",
        root='xmlns:media="http://search.yahoo.com/mrss/"',
    ),
    "two media:descriptions": atom(
        "<entry><title>T</title><media:group><media:description>D</media:description>"
        "<media:description>E</media:description></media:group></entry>",
        root='xmlns:media="http://search.yahoo.com/mrss/"',
    ),
    "media:group holding a media:category": atom(
        "<entry><title>T</title><media:group><media:category>c</media:category>"
        "</media:group></entry>",
        root='xmlns:media="http://search.yahoo.com/mrss/"',
    ),
    "source": atom("<entry><title>T</title><source><title>S</title></source></entry>"),
    "doctype": b'<?xml version="1.0"?><!DOCTYPE feed SYSTEM "x.dtd">'
    b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>',
    "not well-formed": atom("<entry><title>T</entry>"),
    "category with text": atom("<entry><title>T</title><category>x</category></entry>"),
    "an element of an unknown namespace holding elements": atom(
        "<entry><x:y><title>T</title></x:y></entry>", root='xmlns:x="urn:x"'
    ),
}


@pytest.mark.parametrize("name", sorted(FALLBACK))
def test_unusual_documents_go_to_feedparser(name: str) -> None:
    data = FALLBACK[name]
    assert parse_atom(data, URL) is None
    fast, slow = both(data)
    assert_same(fast, slow)


_ENTRY_PARTS = [
    "<title>T</title>",
    "<title></title>",
    "<summary>S &amp;amp; s</summary>",
    '<summary type="html">&lt;p&gt;S&lt;/p&gt;</summary>',
    "<content>C</content>",
    '<content type="html">&lt;p&gt;C&lt;/p&gt;</content>',
    "<media:title>M</media:title>",
    "<media:description>D &lt;b&gt;d&lt;/b&gt;</media:description>",
]
_GROUP_PARTS = [
    "<media:title>M</media:title>",
    "<media:title></media:title>",
    "<media:description>D &lt;b&gt;d&lt;/b&gt;</media:description>",
    '<media:description type="plain">P</media:description>',
    '<media:description type="html">&lt;i&gt;H&lt;/i&gt;</media:description>',
    '<media:thumbnail url="/t.jpg"/>',
    '<media:content url="/v" type="video/mp4"/>',
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_ENTRY_PARTS),
            st.lists(st.sampled_from(_GROUP_PARTS), max_size=4).map(
                lambda parts: "<media:group>" + "".join(parts) + "</media:group>"
            ),
        ),
        max_size=5,
    )
)
def test_media_groups_in_any_order_read_as_feedparser_reads_them(parts: list[str]) -> None:
    data = atom(
        "<entry>" + "".join(parts) + "</entry>",
        root='xmlns:media="http://search.yahoo.com/mrss/"',
    )
    fast, slow = both(data)
    assert_same(fast, slow)
