"""The entry point: any feed document → a :class:`ParsedFeed`, never raising for bad input."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import UTC, datetime

from newsreader.ingest.feed.entry import ParsedFeed
from newsreader.ingest.feed.jsonfeed import parse_json_feed
from newsreader.ingest.feed.sniff import is_json
from newsreader.ingest.feed.xml import parse_xml_feed

_readers_imported = False
_importing_readers = threading.Lock()


def _import_readers() -> None:
    """Import feedparser and the fast readers (which import parts of it) once, one thread at
    a time. Feeds are parsed in several threads at once where there is no process pool (a
    refresh of a few feeds), and two threads importing feedparser for the first time through
    different modules can deadlock in its circular imports, which Python breaks by handing
    one of them a half-imported module: the feed then failed with "ImportError: cannot import
    name '_FeedParserMixin' from partially initialized module 'feedparser.mixin'"."""
    global _readers_imported
    with _importing_readers:
        if not _readers_imported:
            from newsreader.ingest.feed import (  # noqa: F401
                fastatom,
                fastrdf,
                fastrss,
                media_descriptions,
            )

            _readers_imported = True


def parse_feed(
    data: bytes,
    url: str,
    content_type: str = "",
    now: datetime | None = None,
    *,
    fast: bool = True,
    known: Mapping[str, str] | None = None,
) -> ParsedFeed:
    """Parse a feed document fetched from ``url``. Never raises for bad input.

    ``fast=False`` reads every XML document with feedparser, never with the equivalent
    fast readers for plain RSS 2.0 and Atom 1.0 (:mod:`newsreader.ingest.feed.fastrss`,
    :mod:`newsreader.ingest.feed.fastatom`). ``known`` maps the
    keys of stored articles to their source hashes: an entry found there with the same
    hash is not sanitised or returned, only listed in ``unchanged``.
    """
    now = now or datetime.now(UTC)
    if not _readers_imported:
        _import_readers()
    try:
        if is_json(data):
            return parse_json_feed(data, url, now, known or {})
        return parse_xml_feed(data, url, content_type, now, fast, known or {})
    except RecursionError:
        return ParsedFeed(error="the feed is nested too deeply to read")
