"""The fast RSS 1.0/0.90 (RDF) reader gives exactly what feedparser gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.ingest.feed.fastrdf import parse_rdf
from test_feed_fastpath import URL, assert_same, both, corpus_files


def rdf(
    items: str,
    channel: str = "<title>Blog</title><link>https://example.org/</link>",
    root: str = 'xmlns="http://purl.org/rss/1.0/"',
    beside: str = "",
) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        f'{root}><channel rdf:about="https://example.org/">{channel}'
        '<items><rdf:Seq><rdf:li rdf:resource="https://example.org/1"/></rdf:Seq></items>'
        '<image rdf:resource="https://example.org/i.png"/>'
        f"</channel>{beside}{items}</rdf:RDF>"
    ).encode()


CASES = {
    "plain": rdf(
        '<item rdf:about="https://example.org/1"><title>One</title>'
        "<link>https://example.org/1</link><description>&lt;p&gt;Hi&lt;/p&gt;</description>"
        "<dc:date>2003-06-10T04:00:00Z</dc:date><dc:creator>Ann</dc:creator></item>"
        '<item rdf:about="/relative/2"><title>Two</title><link>/2</link>'
        "<dc:title>Other</dc:title><dc:subject>s</dc:subject></item>"
    ),
    "an item without about": rdf("<item><title>T</title><link>/t?a=1&amp;b=2</link></item>"),
    "image and text input beside the channel": rdf(
        '<item rdf:about="u:1"><title>T</title><dc:publisher>P</dc:publisher></item>',
        channel='<title>B</title><textinput rdf:resource="https://example.org/s"/>',
        beside='<image rdf:about="https://example.org/i.png"><title>Logo</title>'
        "<url>https://example.org/i.png</url><link>https://example.org/</link></image>"
        '<textinput about="https://example.org/s"><title>Search</title><name>q</name>'
        "<link>https://example.org/s</link><description>d</description></textinput>",
    ),
    "rss 0.90": rdf(
        "<item><title>T</title><link>https://example.org/t</link></item>",
        root='xmlns="http://my.netscape.com/rdf/simple/0.9/"',
    ),
    "content": rdf(
        '<item rdf:about="u:1"><title>T</title><description>short</description>'
        "<content:encoded><![CDATA[<p>long <b>text</b></p>]]></content:encoded></item>"
    ),
    "comments (never seen by feedparser)": rdf(
        "<!-- a --><item><title>T<!-- c -->U</title></item>"
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_path_matches_feedparser(name: str) -> None:
    data = CASES[name]
    assert parse_rdf(data, URL) is not None, f"{name}: not read by the fast path"
    fast, slow = both(data)
    assert_same(fast, slow)
    assert fast.articles


FALLBACK = {
    "the atom namespace declared (it can change the version)": rdf(
        "<item><title>T</title></item>",
        root='xmlns:atom="http://www.w3.org/2005/Atom" xmlns="http://purl.org/rss/1.0/"',
    ),
    "no default namespace": rdf("<item><title>T</title></item>", root=""),
    "an item inside the channel": rdf("", channel="<title>B</title><item><title>T</title></item>"),
    "a dc:title before the title": rdf("<item><dc:title>D</dc:title><title>T</title></item>"),
    "item attributes": rdf('<item rdf:about="u:1" rdf:ID="x"><title>T</title></item>'),
    "an image holding an element": rdf(
        "<item><title>T</title></item>", beside="<image><title><b>x</b></title></image>"
    ),
}


@pytest.mark.parametrize("name", sorted(FALLBACK))
def test_unusual_documents_go_to_feedparser(name: str) -> None:
    data = FALLBACK[name]
    assert parse_rdf(data, URL) is None
    fast, slow = both(data)
    assert_same(fast, slow)


def test_corpus_rdf_feeds_take_the_fast_path(shared_dir: Path) -> None:
    taken = set()
    for path in corpus_files(shared_dir):
        data = path.read_bytes()
        url = f"https://example.org/feeds/{path.name}"
        if parse_rdf(data, url) is not None:
            taken.add(path.name)
            fast, slow = both(data, url)
            assert_same(fast, slow)
    assert {"rdf_heise-newsticker_utf8.xml", "rss10_rdf_biorxiv-plant-biology.rdf"} <= taken
