"""What the fast feed readers share: feedparser's own view of a document's elements (reading
the document is :mod:`newsreader.ingest.feed.fastdoc`'s).

:func:`check_declarations` refuses namespaces feedparser would name otherwise;
:func:`element_name`, :func:`fix_text`, :func:`map_type` and :func:`check_unhandled` name,
fix up and vet elements the way feedparser does; :class:`Unsupported` sends a document to
feedparser.
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime, timedelta
from typing import Any

from feedparser.datetimes import _parse_date
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urljoin

from newsreader.ingest.feed.media_pictures import is_picture

NAMESPACES = {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()}
STANDARD_PREFIXES = frozenset(NAMESPACES.values())
HTML_TYPES = _FeedParserMixin.html_types


def check_declarations(
    declarations: frozenset[tuple[str | None, str]], defaults: tuple[str, ...]
) -> None:
    """Refuse namespaces feedparser would name otherwise than :func:`element_name` does:
    a known default namespace not in ``defaults``, the RSS 1.0 namespace (it changes the
    version), a standard prefix bound to another known namespace than its own, a prefix
    bound to two namespaces, an unknown namespace bound to two prefixes, to the prefix
    of a known namespace also declared, or both to a prefix and as the default
    (feedparser names an unknown namespace's elements with the prefix it last bound to it,
    when no other namespace took that prefix since, and by their local name when none).
    Elements of unknown namespaces are then leaves that :func:`check_unhandled` vets."""
    prefixes: dict[str | None, str] = {}
    unknown: dict[str, str | None] = {}
    unknown_defaults: set[str] = set()
    # The prefixes feedparser gives the known namespaces declared: an unknown namespace
    # bound to one of them could lose its prefix to it.
    in_use = {NAMESPACES[uri.lower()] for _, uri in declarations if uri.lower() in NAMESPACES}
    for prefix, uri in declarations:
        lowered = uri.lower()
        standard = NAMESPACES.get(lowered)
        if prefix is None:
            if uri not in defaults:
                if standard is not None:
                    raise Unsupported(f"default namespace {uri}")
                unknown_defaults.add(uri)  # (see element_name)
        elif prefixes.setdefault(prefix, uri) != uri:
            raise Unsupported(f"prefix {prefix} bound to two namespaces")
        elif lowered == "http://purl.org/rss/1.0/":
            raise Unsupported(f"namespace {uri}")
        elif standard is None:
            if prefix.lower() in in_use or unknown.setdefault(uri, prefix) != prefix:
                raise Unsupported(f"prefix {prefix} bound to {uri}")
        elif prefix != standard and prefix in STANDARD_PREFIXES:
            raise Unsupported(f"prefix {prefix} bound to {uri}")
    if unknown_defaults & set(unknown):
        raise Unsupported("an unknown namespace both the default and bound to a prefix")


def enclosures(links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An entry's enclosures as feedparser lists them: its enclosure links, without "rel"."""
    return [
        {key: value for key, value in link.items() if key != "rel"}
        for link in links
        if link.get("rel") == "enclosure"
    ]


class Unsupported(Exception):
    """The document is outside the subset read here: use feedparser."""


def element_name(element: Any) -> str:
    """feedparser's name for an element: its standard prefix, ``:``, lower-case local name."""
    tag = element.tag
    if not isinstance(tag, str):
        raise Unsupported("comment or processing instruction")
    if tag[0] == "{":
        uri, local = tag[1:].split("}", 1)
        prefix = NAMESPACES.get(uri.lower())
        if prefix is None:  # its own prefix (one only: see check_declarations), lower-cased
            if not element.prefix:
                return _default_namespaced(local.lower(), element)
            prefix = element.prefix.lower()
    else:
        prefix, local = "", tag
    local = local.lower()
    return f"{prefix}:{local}" if prefix else local


def _default_namespaced(name: str, element: Any) -> str:
    """The name of an element of an unknown namespace declared as the default (WordPress's
    ``<post-id xmlns="com-wordpress:feed-additions:1">``): feedparser names it by its local
    name alone, and reads it as it would an element so named; only unread leaves are taken."""
    if len(element):
        raise Unsupported(f"element {name} of a default namespace holding elements")
    check_unhandled(name, element)
    return name


_C1 = re.compile("[\x80-\x9f]")


def fix_text(output: str) -> str:
    """feedparser's fix-ups on every value: UTF-8 read as Latin-1, then cp1252 controls.

    ASCII text is unchanged by both (most values, and the cheap case of large content);
    the translation only changes C1 controls.
    """
    if output.isascii():
        return output
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        output = output.encode("iso-8859-1").decode("utf-8")
    return output.translate(_cp1252) if _C1.search(output) else output


# An absolute http(s) URL that urljoin returns as it is, whatever the (non-empty) base:
# a plain host, no parameters (";" in the path), no empty query or fragment that it would
# drop, no whitespace (it deletes tabs and line breaks, and strips the ends).
_KEPT_AS_IS = re.compile(
    r"https?://[A-Za-z0-9.\-]+(?::[0-9]*)?(?:/[^\s?#;]*)?(?:\?[^\s#]+)?(?:#\S+)?\Z"
)


def urljoin(base: str, uri: str) -> str:
    """feedparser's ``_urljoin``: ``uri`` made absolute against ``base``; an absolute URL that
    it would return unchanged is returned at once (most links and ids)."""
    if _KEPT_AS_IS.match(uri):
        return uri
    return str(_urljoin(base, uri))


_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
# The common shape of an RFC 822 date: "Mon, 21 Sep 2026 14:13:20 GMT" (or "+0200").
_RFC822 = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d\d?) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) "
    r"(\d\d):(\d\d):(\d\d) (GMT|[+-]\d{4})\Z"
)


def parse_date(value: str) -> Any:
    """feedparser's ``_parse_date``: a date as a UTC time tuple, or None. The common shape
    of an RFC 822 date is read here as feedparser's RFC 822 reader reads it (the one that
    takes it), without trying the other readers before it."""
    found = _RFC822.match(value)
    if found is None:
        return _parse_date(value)
    day, month, year, hour, minute, second, zone = found.groups()
    try:
        stamp = datetime(int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second))
        if zone != "GMT":
            sign = -1 if zone[0] == "-" else 1
            stamp -= timedelta(hours=sign * int(zone[1:3]), minutes=sign * int(zone[3:]))
        return stamp.utctimetuple()
    except (ValueError, OverflowError):
        return _parse_date(value)


def map_type(kind: str) -> str:
    """feedparser's name for a content type ("html" is "text/html", and so on)."""
    return str(_FeedParserMixin.map_content_type(kind))


# Keys the entry and feed mappings are read by; an unhandled element stored under one of
# these names (feedparser stores unknown elements under their own name) means feedparser.
_READ_KEYS = frozenset(
    {
        "title",
        "title_detail",
        "link",
        "links",
        "id",
        "guidislink",
        "content",
        "summary",
        "summary_detail",
        "published",
        "published_parsed",
        "created",
        "created_parsed",
        "updated",
        "updated_parsed",
        "author",
        "authors",
        "author_detail",
        "enclosures",
        "image",
        "textinput",
        "source",
    }
)


# Elements feedparser has a handler for that only fill keys newsreader never reads, as long
# as they hold no element: media content other than a picture (``media_content``, from its
# attributes; an entry's own media files, pictures and thumbnails, are read by the readers,
# those elsewhere go to feedparser), and text constructs that are never
# read: feedburner's note to browsers (``info``), a subtitle (``subtitle``), a publisher
# (``publisher`` and its detail).
_TEXT_CONSTRUCTS = frozenset(
    {"feedburner:browserfriendly", "info", "subtitle", "itunes:subtitle", "tagline", "dc:publisher"}
)
# A podcast's iTunes picture, rating, block flag and keywords fill keys never read either
# (``image``, ``itunes_explicit``, ``itunes_block``, tags).
_ITUNES = frozenset(
    {"itunes:image", "itunes:link", "itunes:explicit", "itunes:block", "itunes:keywords"}
)
# A place (``where``, not read) given as a simple GeoRSS geometry.
_GEORSS = frozenset({"georss:point", "georss:line", "georss:polygon", "georss:box"})
_HARMLESS = frozenset({"media:content", *_TEXT_CONSTRUCTS, *_ITUNES, *_GEORSS})
# Of those, the ones that must have no attributes (they could make the text base64), or no
# text (it would go to the enclosing element's).
_NO_ATTRIBUTES = _TEXT_CONSTRUCTS
_NO_TEXT = frozenset({"media:content"})


# Elements read as plain text wherever they are (an RSS item's or channel's categories).
PLAIN_LEAVES = frozenset({"category", "dc:subject"})


def leaf_text(element: Any) -> str:
    """The text of a leaf element (mixed content is left to feedparser)."""
    if len(element):
        raise Unsupported("mixed content")
    return element.text or ""


def check_unhandled(name: str, element: Any, leaves: frozenset[str] = frozenset()) -> None:
    """An element feedparser has no handler for is stored under its own name: harmless,
    unless it takes a read key. Its children are read as the enclosing element's own: they
    must be harmless too, or plain-text elements named in ``leaves`` (an RSS item's
    categories). So are the few it handles in :data:`_HARMLESS` ways, without children."""
    if name in _HARMLESS:
        if name == "media:content" and is_picture(
            {key.lower(): value for key, value in element.attrib.items()}
        ):
            raise Unsupported("a picture in media:content")  # read, where it is (feedparser)
        if len(element):
            raise Unsupported(f"element {name} with children")
        if name in _NO_ATTRIBUTES and element.attrib:
            raise Unsupported(f"element {name} with attributes")
        if name in _NO_TEXT and (element.text or "").strip():
            raise Unsupported(f"element {name} with text")
        return
    if name == "itunes:category":  # tags (not read), nested: "Technology" > "Podcasting"
        for child in element:
            if element_name(child) != "itunes:category":
                raise Unsupported("itunes:category holding other elements")
            check_unhandled("itunes:category", child)
        return
    key = name.replace(":", "_")
    if key in _READ_KEYS:
        raise Unsupported(f"element {name}")
    if hasattr(_FeedParserMixin, "_start_" + key) or hasattr(_FeedParserMixin, "_end_" + key):
        raise Unsupported(f"element {name}")
    for child in element:
        inner = element_name(child)
        if inner in leaves:
            if len(child):
                raise Unsupported(f"element {inner} with children")
        else:
            check_unhandled(inner, child, leaves)
