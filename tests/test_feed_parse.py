"""Parsing every corpus feed, checked against what feedparser itself reports."""

from __future__ import annotations

import html
import io
import json
import re
import time
from pathlib import Path

import pytest

from newsreader.ingest.feed import looks_like_feed, parse_feed
from newsreader.ingest.html import html_to_markdown
from newsreader.ingest.sanitize import clean_line
from newsreader.model import NewArticle

BASE = "http://127.0.0.1:8000/feeds/"
FEEDS = sorted(
    p.name
    for p in (Path(__file__).resolve().parents[2] / "shared" / "corpus" / "feeds").glob("*")
    if p.is_file()
)
MALICIOUS = sorted(
    p.name
    for p in (Path(__file__).resolve().parents[2] / "shared" / "corpus" / "malicious").glob("*")
    if p.suffix in (".xml", ".json")
)


def corpus(shared_dir: Path, name: str, folder: str = "feeds") -> bytes:
    return (shared_dir / "corpus" / folder / name).read_bytes()


def shown(article: NewArticle) -> str:
    """The article's body as the reader shows it: its HTML converted through the policy."""
    return html_to_markdown(article.content, article.link or None)


# A link or image target in Markdown, and raw HTML left unescaped in it.
_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
_RAW_TAG = re.compile(r"(?<!\\)<(?:script|style|iframe|object|embed|form|svg|img|a)\b", re.I)


def reference(data: bytes) -> object:
    import feedparser

    return feedparser.parse(io.BytesIO(data))


@pytest.mark.parametrize("name", [n for n in FEEDS if not n.endswith(".json")])
def test_xml_feed_matches_feedparser(shared_dir: Path, name: str) -> None:
    data = corpus(shared_dir, name)
    ours = parse_feed(data, BASE + name)
    theirs = reference(data)
    assert ours.error == ""
    assert len(ours.articles) == len(theirs.entries)  # type: ignore[attr-defined]
    keys = [a.key for a in ours.articles]
    assert len(set(keys)) == len(keys)
    for article, entry in zip(ours.articles, theirs.entries, strict=True):  # type: ignore[attr-defined]
        assert article.title
        assert article.published.tzinfo is not None
        detail = entry.get("title_detail") or {}
        if entry.get("title") and detail.get("type") == "text/plain":
            assert article.title == clean_line(entry.title, limit=500)
        if dict.get(entry, "published_parsed"):
            assert article.published.timetuple()[:6] == tuple(entry["published_parsed"][:6])
        if entry.get("link", "").startswith(("http://", "https://")):
            assert article.link == entry.link.strip()
        assert "\x1b" not in article.content
        assert _RAW_TAG.search(shown(article)) is None


@pytest.mark.parametrize("name", [n for n in FEEDS if n.endswith(".json")])
def test_json_feed_counts(shared_dir: Path, name: str) -> None:
    data = corpus(shared_dir, name)
    ours = parse_feed(data, BASE + name)
    try:
        document = json.loads(data)
    except ValueError:
        assert ours.error.startswith("malformed JSON Feed")
        return
    if "version" not in document:
        assert ours.error.startswith("not a feed") and ours.articles == []
        return
    assert ours.error == ""
    assert len(ours.articles) == len(document["items"])
    for article, item in zip(ours.articles, document["items"], strict=True):
        assert article.key == str(item["id"])
        if item.get("title"):
            assert article.title == clean_line(item["title"])
        if item.get("date_published"):
            assert article.published.tzinfo is not None


@pytest.mark.parametrize(
    ("name", "encoding", "title"),
    [
        ("rss20_windows-1251_russian_ibash.xml", "windows-1251", "Цитата #17703"),
        ("malformed_rss_koi8-r_no-encoding-info.xml", "koi8-r", "Как пережить новогоднюю ночь"),
        ("rss20_gb2312_chinese_kc0011.rss", "gb18030", "建国35周年纪念，华表，和平鸽"),
        ("rss090_rdf_tagesschau_iso-8859-1.xml", "iso-8859-1", None),
        ("malformed_atom_declares-iso-8859-1_bytes-are-utf8.xml", "utf-8", "Café"),
    ],
)
def test_encodings(shared_dir: Path, name: str, encoding: str, title: str | None) -> None:
    ours = parse_feed(corpus(shared_dir, name), BASE + name)
    assert ours.encoding.lower() == encoding
    if title is not None:
        assert ours.articles[0].title == title
    for article in ours.articles:
        assert "Ã" not in article.title and "\ufffd" not in article.title


def test_latin1_umlauts(shared_dir: Path) -> None:
    ours = parse_feed(
        corpus(shared_dir, "rss20_iso-8859-1_german_golem-de_content-encoded.xml"), BASE
    )
    text = " ".join(a.title + a.text for a in ours.articles)
    assert re.search("[äöüÄÖÜß]", text)
    assert "Ã" not in text


def test_utf16_with_bom(shared_dir: Path) -> None:
    ours = parse_feed(corpus(shared_dir, "encoding_utf-16le-bom_empty-rss.xml"), BASE)
    assert ours.error == "" and ours.articles == [] and ours.encoding == "utf-16le"


def test_relative_links_resolve_against_xml_base(shared_dir: Path) -> None:
    ours = parse_feed(
        corpus(shared_dir, "atom10_daringfireball_xml-base_relative-links.atom"), BASE
    )
    hrefs = [h for a in ours.articles for h in _TARGET.findall(shown(a))]
    assert hrefs
    assert all(h.startswith(("http://", "https://", "mailto:")) for h in hrefs)
    assert any(h.startswith("https://daringfireball.net/") for h in hrefs)


def test_relative_links_resolve_against_the_feed_url(shared_dir: Path) -> None:
    name = "rss20_dutch_fcutrecht_relative-urls.rss"
    ours = parse_feed(corpus(shared_dir, name), "https://feeds.example.nl/news.rss")
    hrefs = [h for a in ours.articles for h in _TARGET.findall(shown(a))]
    assert hrefs
    assert all(h.startswith(("http://", "https://", "mailto:")) for h in hrefs)


def test_richest_content_wins(shared_dir: Path) -> None:
    name = "rss20_wordpress_content-encoded_manton-reece.rss"
    ours = parse_feed(corpus(shared_dir, name), BASE)
    entries = reference(corpus(shared_dir, name)).entries  # type: ignore[attr-defined]
    for article, entry in zip(ours.articles, entries, strict=True):
        if entry.get("content"):
            summary = html.unescape(re.sub("<[^>]*>", "", entry.summary))
            assert len(article.text) >= len(clean_line(summary)) - 5


def test_untitled_items_get_a_title_from_their_text(shared_dir: Path) -> None:
    ours = parse_feed(
        corpus(shared_dir, "rss20_scripting-news_untitled-items_no-xml-decl.rss"), BASE
    )
    assert len(ours.articles) == 50
    assert all(a.title and a.title != "Untitled" for a in ours.articles)


def test_podcast_enclosures(shared_dir: Path) -> None:
    ours = parse_feed(corpus(shared_dir, "podcast_rss20_itunes_omni-show.rss"), BASE)
    enclosures = [e for a in ours.articles for e in a.enclosures]
    assert len(enclosures) == 4
    assert all(e.url.startswith("http") and e.type.startswith("audio/") for e in enclosures)
    assert all(isinstance(e.length, int) and e.length > 0 for e in enclosures)


def test_atom_link_enclosures(shared_dir: Path) -> None:
    name = "atom10_typepad_xhtml_enclosures_expertopinionent.atom"
    ours = parse_feed(corpus(shared_dir, name), BASE)
    assert any(a.enclosures for a in ours.articles)


def test_malformed_feeds_are_read_as_far_as_possible(shared_dir: Path) -> None:
    name = "malformed_rss20_truncated-unclosed-tags_invalid-date.xml"
    ours = parse_feed(corpus(shared_dir, name), BASE)
    assert len(ours.articles) == 2 and ours.warning.startswith("malformed XML")
    truncated = parse_feed(corpus(shared_dir, "malformed_jsonfeed10_truncated_leancrew.json"), BASE)
    assert truncated.error and truncated.articles == []


def test_json_feed_author_precedence(shared_dir: Path) -> None:
    ours = parse_feed(corpus(shared_dir, "jsonfeed11_author-vs-authors-precedence.json"), BASE)
    authors = {a.key: a.author for a in ours.articles}
    assert authors == {
        "Item without authors": "Root Author 1, Root Author 2",
        "Item with legacy author": "Legacy Item Author",
        "Item with modern authors": "Item Author 1, Item Author 2",
        "Item with both": "Item Author 1, Item Author 2",
    }


def test_keys_are_stable_and_undated_entries_are_reported() -> None:
    from feed_server import rss

    data = rss(3, dated=False)
    first, second = parse_feed(data, BASE), parse_feed(data, BASE)
    assert [a.key for a in first.articles] == [a.key for a in second.articles]
    assert first.undated == [a.key for a in first.articles]
    no_ids = re.sub(rb"<guid>.*?</guid>", b"", rss(2))
    assert [a.key for a in parse_feed(no_ids, BASE).articles] == [
        "https://example.org/item/0",
        "https://example.org/item/1",
    ]
    bare = b'<rss version="2.0"><channel><item><description>only text</description></item></channel></rss>'
    assert parse_feed(bare, BASE).articles[0].key.startswith("sha1:")


def test_sniffing() -> None:
    from feed_server import rss

    assert looks_like_feed(rss(1))
    assert looks_like_feed(b'{"version": "https://jsonfeed.org/version/1.1", "items": []}')
    assert not looks_like_feed(b"<!doctype html><html><head><title>x</title></head></html>")
    assert not looks_like_feed(b'{"rss": {"channel": {}}}')
    page = parse_feed(b"<!doctype html><html><body>hi</body></html>", BASE)
    assert page.error.startswith("not a feed")


# -- hostile input ----------------------------------------------------------------------------

_BAD_URL = re.compile(r"^\s*(javascript|vbscript|data|file):", re.IGNORECASE)


@pytest.mark.parametrize("name", MALICIOUS)
def test_malicious_feeds_are_defused(shared_dir: Path, name: str) -> None:
    data = corpus(shared_dir, name, "malicious")
    start = time.perf_counter()
    ours = parse_feed(data, "https://hostile.example/feed")
    assert time.perf_counter() - start < 10
    for article in ours.articles:
        strings = [article.title, article.author, article.summary, article.text, article.content]
        for value in strings:
            assert "\x1b" not in value and "\x9b" not in value and "\x07" not in value
            assert "\u202e" not in value
            assert "root:x:0" not in value  # no local file was read
            assert len(value) < 2_000_000
        # What the reader shows: no markup, no unsafe link.
        markdown = shown(article)
        assert "\x1b" not in markdown and "\x9b" not in markdown and "\x07" not in markdown
        assert _RAW_TAG.search(markdown) is None, markdown
        urls = [article.link, *(e.url for e in article.enclosures)]
        urls += _TARGET.findall(markdown)
        assert not any(_BAD_URL.match(u) for u in urls), urls
        assert all(u.startswith(("http://", "https://", "mailto:")) for u in urls if u), urls


def test_billion_laughs_does_not_expand(shared_dir: Path) -> None:
    ours = parse_feed(corpus(shared_dir, "rss20_billion-laughs_lol9.xml", "malicious"), BASE)
    assert all("lollollol" not in a.title for a in ours.articles)


def test_external_entities_are_not_resolved(shared_dir: Path) -> None:
    for name in (
        "atom10_xxe_parameter-entities_external-dtd.xml",
        "defusedxml_external-entity-file.xml",
        "defusedxml_external-entity-http.xml",
    ):
        ours = parse_feed(corpus(shared_dir, name, "malicious"), BASE)
        blob = " ".join(a.title + a.text for a in ours.articles)
        assert "root:" not in blob


def test_javascript_xml_base_is_not_used(shared_dir: Path) -> None:
    name = "feedparser_atom03_javascript-xml-base.xml"
    ours = parse_feed(corpus(shared_dir, name, "malicious"), "https://safe.example/feed")
    for article in ours.articles:
        assert "javascript" not in shown(article).lower()
        assert not article.link.lower().startswith("javascript")


def test_root_relative_shortcut_matches_urljoin() -> None:
    import random
    from urllib.parse import urljoin

    from newsreader.ingest.urls import ROOT_RELATIVE as _ROOT_RELATIVE
    from newsreader.ingest.urls import origin as _origin

    bases = [
        "http://h.example/a/b.html",
        "https://User@H.example:8080/x/?q#f",
        "HTTP://H.example",
        "http://h/a;p?q",
        "https://h/a/../b/",
    ]
    atoms = ["/", "a", ".", "..", "?", "#", ";", "\\", "\t", " ", "x=1", "%2e", "é", "//", ":"]
    pick = random.Random(7)
    values = {"/" + "".join(pick.choices(atoms, k=pick.randint(0, 7))) for _ in range(20000)}
    values |= {"/story/1", "/a/b?c=d&e=f#g", "/a/./b", "/a/../b", "/a?", "/a#", "/a;p", "//h2/x"}
    shortcut = 0
    for base in bases:
        origin = _origin(base)
        for value in values:
            value = value.strip()
            if value and _ROOT_RELATIVE.match(value):
                shortcut += 1
                assert origin + value == urljoin(base, value), (base, value)
    assert shortcut > 1000


def test_unknown_elements_named_like_an_entry_detail_do_not_break_parsing() -> None:
    # feedparser stores an element of an unknown namespace under its prefixed name, so these
    # leave plain strings where the details (mappings) are read.
    data = (
        b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>B</title>'
        b'<title:detail xmlns:title="urn:t">x</title:detail><item><title>T</title>'
        b'<title:detail xmlns:title="urn:t">x</title:detail>'
        b'<summary:detail xmlns:summary="urn:s">x</summary:detail>'
        b'<author:detail xmlns:author="urn:a">x</author:detail><author>a@example.org (A)</author>'
        b"<description>D</description></item></channel></rss>"
    )
    for fast in (True, False):
        parsed = parse_feed(data, "https://example.org/feed.xml", fast=fast)
        assert not parsed.error
        assert parsed.title == "B"
        assert [(a.title, a.text) for a in parsed.articles] == [("T", "D")]


RELATIVE = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<link>https://www.example.com/</link><item><title>One</title>
<link>https://www.example.com/2024/story</link><guid>one</guid>
<description><![CDATA[<h2><a href="https://www.example.com/2024/story#part">Part</a></h2>
<p>See <a href="more/two">the next one</a> and <a href="https://elsewhere.example/x">this</a>.
<img src="/pictures/a.png" alt="A"></p><script>steal(document.cookie)</script>
<style>p { color: red }</style><!-- a comment --><noscript>enable scripts</noscript>
<p onclick="steal()">Words <iframe src="https://ads.example/"></iframe>end.</p>]]></description>
</item></channel></rss>"""


def test_entry_html_is_kept_and_shown_through_the_policy() -> None:
    ours = parse_feed(RELATIVE, "https://feeds.example.org/news/feed.xml")
    (article,) = ours.articles
    # Kept as the feed gave it, with the base its relative URLs resolve against: the feed's
    # URL, not the article's link.
    assert article.content.startswith('<base href="https://feeds.example.org/news/feed.xml">')
    assert "<script>" in article.content
    markdown = shown(article)
    assert "(https://feeds.example.org/news/more/two)" in markdown
    assert "(https://feeds.example.org/pictures/a.png)" in markdown
    assert "(https://elsewhere.example/x)" in markdown
    assert markdown.startswith("## Part\n")  # its own anchor, on the article's page, goes
    for value in (markdown, article.text, article.summary):
        assert "steal" not in value and "color" not in value and "comment" not in value
        assert "enable scripts" not in value
    assert _RAW_TAG.search(markdown) is None
    assert article.text == "Part See the next one and this. Words end."


def test_entry_html_without_relative_urls_is_kept_as_given() -> None:
    feed = RELATIVE.replace(b'href="more/two"', b'href="https://x.example/"').replace(
        b'src="/pictures/a.png"', b'src="https://x.example/a.png"'
    )
    (article,) = parse_feed(feed, "https://feeds.example.org/news/feed.xml").articles
    assert article.content.startswith("<h2>")
    assert "(https://x.example/a.png)" in shown(article)


def test_a_stated_base_that_is_not_http_is_not_used() -> None:
    markdown = html_to_markdown(
        '<base href="javascript:alert(1)//"><a href="x">x</a>', "https://example.org/a/"
    )
    assert markdown.strip() == "[x](https://example.org/a/x)"
