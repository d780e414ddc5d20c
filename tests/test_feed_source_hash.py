"""An XML entry's source hash covers everything its article is made of: an entry whose
article would differ never hashes as the stored one, so it is never skipped as unchanged."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser

from newsreader.ingest.feed.entry import ParsedFeed
from newsreader.ingest.feed.xml import _entry_hash, _xml_entry

NOW = datetime(2025, 1, 1, tzinfo=UTC)
URL = "https://example.org/feeds/feed.xml"

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Blog</title>
<item><title>One &amp; two</title><link>/posts/1</link><guid>https://example.org/1</guid>
<pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate><dc:creator>Ann</dc:creator>
<author>bob@example.org (Bob)</author>
<description>&lt;p&gt;Short &lt;a href="/x"&gt;link&lt;/a&gt;&lt;/p&gt;</description>
<content:encoded><![CDATA[<p>Long content with <img src="/i.png"> and more words</p>]]></content:encoded>
<enclosure url="https://example.org/a.mp3" length="12" type="audio/mpeg"/>
</item></channel></rss>"""


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every leaf of an entry, as a path of keys and indexes."""
    if isinstance(value, dict):
        for key in list(value):
            yield from _paths(value[key], (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))
    else:
        yield path


def _changed(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [value + "x", "", "<b>" + value + "</b>", "/other"]
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1]
    if isinstance(value, time.struct_time):
        return [time.struct_time((value.tm_year + 1, *tuple(value)[1:]))]
    return ["x", "text/html", "/base/"]


def _article(entry: Any) -> Any:
    return _xml_entry(entry, URL, NOW, None, 0, ParsedFeed())


def _entries(shared: Path | None) -> Iterator[Any]:
    yield from feedparser.parse(FEED, sanitize_html=False, resolve_relative_uris=False).entries
    if shared is None:
        return
    for path in sorted((shared / "corpus" / "feeds").iterdir())[::6]:
        parsed = feedparser.parse(path.read_bytes(), sanitize_html=False)
        yield from parsed.entries[:2]


def test_an_entry_whose_article_differs_hashes_differently(shared_dir: Path) -> None:
    checked = 0
    for entry in _entries(shared_dir):
        article, digest = _article(entry), _entry_hash(URL, entry)
        for path in _paths(entry):
            original: Any = entry
            for key in path:
                original = original[key]
            for value in _changed(original):
                other = copy.deepcopy(entry)
                target = other
                for key in path[:-1]:
                    target = target[key]
                target[path[-1]] = value
                if _article(other) != article:
                    checked += 1
                    assert _entry_hash(URL, other) != digest, (path, value)
    assert checked > 100


def test_the_same_entry_hashes_the_same_and_the_url_counts() -> None:
    first = feedparser.parse(FEED, sanitize_html=False).entries[0]
    second = feedparser.parse(FEED, sanitize_html=False).entries[0]
    assert _entry_hash(URL, first) == _entry_hash(URL, second)
    assert _entry_hash(URL, first) != _entry_hash(URL + "?2", first)
