"""A fast reader for plain RSS 1.0 and 0.90 (RDF), giving what feedparser gives.

The companion of :mod:`newsreader.ingest.feed.fastrss` for RDF documents: the root
``rdf:RDF`` in the RSS 1.0 (or 0.90) namespace, a channel with its title, link and
description, and the items beside it, each with its ``rdf:about`` as its id (as written,
not resolved). Items are read exactly as RSS 2.0 items are
(:func:`~newsreader.ingest.feed.fastrss.item`). The channel's ``<items>`` list and the
references to an image or text input are not read by feedparser either (they are stored
under names newsreader never reads), nor are an image or a text input beside the channel.

Anything else returns ``None`` and the caller uses feedparser: another root, a namespace
that would change the version feedparser reports (Atom, the RSS 1.0 namespace under a
prefix), and whatever :mod:`.fastrss` refuses.
"""

from __future__ import annotations

from typing import Any

from newsreader.ingest.feed.fastdoc import plain_root
from newsreader.ingest.feed.fastrss import RDF_ABOUT, Reader, item
from newsreader.ingest.feed.fastrss_channel import channel_base, channel_element
from newsreader.ingest.feed.fastxml import (
    PLAIN_LEAVES,
    Unsupported,
    check_declarations,
    check_unhandled,
    element_name,
)

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"
_RDF_RESOURCE = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}resource"
# The default namespace decides the version feedparser reports.
_VERSIONS = {
    "http://purl.org/rss/1.0/": "rss10",
    "http://my.netscape.com/rdf/simple/0.9/": "rss090",
}
_VERSION_NAMESPACES = frozenset({*_VERSIONS, "http://www.w3.org/2005/atom"})
# What an image or a text input beside the channel may hold: plain text, not read.
_BESIDE_CHILDREN = frozenset({"title", "url", "link", "description", "name"})


def parse_rdf(data: bytes, url: str, content_type: str = "") -> dict[str, Any] | None:
    """feedparser's result (the parts newsreader reads) for a plain RSS 1.0 or 0.90
    document, or ``None`` when the document should go through feedparser."""
    plain = plain_root(data, content_type, b"<rdf:RDF", refused=(b"xml:base",))
    if plain is None:
        return None
    try:
        version = _VERSIONS.get(plain.root.nsmap.get(None, ""))
        if plain.root.tag != RDF or version is None or plain.root.attrib:
            raise Unsupported("not RSS 1.0 or 0.90")
        default = plain.root.nsmap[None]
        if any(
            uri.lower() in _VERSION_NAMESPACES
            for prefix, uri in plain.declarations
            if (prefix, uri) != (None, default)
        ):
            raise Unsupported("a namespace that changes the version")
        check_declarations(plain.declarations, (default,))
        parsed = _document(plain.root, plain.encoding, url, version)
    except (Unsupported, ValueError, UnicodeError, RecursionError):
        return None
    if plain.warning is not None:
        parsed.update(bozo=True, bozo_exception=plain.warning)
    return parsed


def _about_only(element: Any, name: str) -> None:
    if set(element.attrib) - {RDF_ABOUT, "about"}:  # (feedparser reads neither)
        raise Unsupported(f"{name} attributes")


def _document(root: Any, encoding: str, url: str, version: str) -> dict[str, Any]:
    reader = Reader(channel_base(url, 2))
    feed: dict[str, Any] = {}
    entries: list[dict[str, Any]] = []
    channels = 0
    for child in root:
        name = element_name(child)
        if name == "channel":
            channels += 1
            if channels > 1:
                raise Unsupported("two channels")
            if set(child.attrib) - {RDF_ABOUT, "about"}:  # (feedparser reads neither)
                raise Unsupported("channel attributes")
            _channel(reader, child, feed)
        elif name == "item":
            entries.append(item(reader, child, about=True))
        elif name in ("image", "textinput"):
            _about_only(child, name)
            for part in child:
                if element_name(part) not in _BESIDE_CHILDREN or len(part) or part.attrib:
                    raise Unsupported(f"unusual {name}")
        else:
            check_unhandled(name, child, PLAIN_LEAVES)
    if not channels:
        raise Unsupported("no channel")
    return {"feed": feed, "entries": entries, "version": version, "encoding": encoding}


def _channel(reader: Reader, channel: Any, feed: dict[str, Any]) -> None:
    seen: set[str] = set()
    for child in channel:
        name = element_name(child)
        if name in ("image", "textinput"):  # a reference to the one beside the channel
            if len(child) or (child.text or "").strip() or set(child.attrib) - {_RDF_RESOURCE}:
                raise Unsupported(f"unusual {name} reference")
        elif name == "item":
            raise Unsupported("an item inside the channel")
        else:
            channel_element(reader, name, child, feed, seen)
