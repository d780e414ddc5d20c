"""Telling a feed document from a web page or anything else, from its first bytes."""

from __future__ import annotations

import json
import re

from newsreader.ingest.feed.jsonfeed import is_json_feed

BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_FEED_ROOT = re.compile(rb"<(?:[A-Za-z0-9_]+:)?(rss|feed|RDF|rdf:RDF|channel)[\s>/]")
HTML_ROOT = re.compile(rb"<(html|head|body|!doctype\s+html)[\s>]", re.IGNORECASE)


def is_json(data: bytes) -> bool:
    """Whether ``data`` looks like a JSON document rather than XML."""
    head = data[:64].removeprefix(BOMS[0])
    return head.lstrip()[:1] in (b"{", b"[")


def looks_like_feed(data: bytes) -> bool:
    """Whether ``data`` is probably a feed (XML feed root or JSON Feed), not a web page."""
    if is_json(data):
        try:
            document = json.loads(data.decode("utf-8-sig", "replace"))
        except ValueError:
            return False
        return isinstance(document, dict) and is_json_feed(document)
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = data[:8192].decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return False
    feed = _FEED_ROOT.search(head)
    page = HTML_ROOT.search(head)
    return feed is not None and (page is None or feed.start() < page.start())
