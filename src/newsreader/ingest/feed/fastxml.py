"""What the fast feed readers share: reading a feed document safely with lxml, and
feedparser's own view of its elements.

:func:`plain_root` parses only what the fast readers can match feedparser on (UTF-8 or
another ASCII-compatible encoding declared as feedparser reads it, no DOCTYPE or entity,
namespaces declared on the root); anything else is left to feedparser.
:func:`element_name`, :func:`fix_text`, :func:`map_type` and :func:`check_unhandled` name,
fix up and vet elements the way feedparser does; :class:`Unsupported` sends a document to
feedparser.
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from xml.sax import SAXParseException
from xml.sax.xmlreader import Locator

from feedparser.datetimes import _parse_date
from feedparser.encodings import RE_XML_DECLARATION, RE_XML_PI_ENCODING
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urljoin
from lxml import etree

NAMESPACES = {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()}
STANDARD_PREFIXES = frozenset(NAMESPACES.values())
HTML_TYPES = _FeedParserMixin.html_types

_DECLARATION = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']""")


def safe_parser() -> etree.XMLParser:
    """An lxml parser that expands no entity, loads no DTD and fetches nothing.

    Comments and processing instructions are dropped as it reads (the text on either side of
    one joined): feedparser's XML parser never reports them either."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        recover=False,
        load_dtd=False,
        remove_pis=True,
        remove_comments=True,
    )


class Plain(NamedTuple):
    """A document the fast readers may read: its root element, its encoding as feedparser
    names it, every namespace declaration in it (prefix, URI), and the warning feedparser
    gives for it ("" when none)."""

    root: Any
    encoding: str
    declarations: frozenset[tuple[str | None, str]]
    warning: BaseException | None


def plain_root(
    data: bytes, content_type: str, opening: bytes, refused: tuple[bytes, ...] = ()
) -> Plain | None:
    """A document whose root starts with ``opening``, parsed safely; ``None`` when
    feedparser should read it instead (an encoding it would read otherwise, a DOCTYPE or an
    entity, one of the ``refused`` markers, or XML that does not parse).

    Whitespace before the XML declaration is taken off: feedparser's strict parser refuses
    the document, and its loose parser reads it (declared UTF-8, and without the references
    it keeps as they are) as the strict one reads it without (the warning it gives is
    returned with the root)."""
    warning = None
    if not data.startswith(b"<?xml"):
        stripped = data.lstrip(b" \t\r\n")
        if stripped.startswith(b"<?xml"):
            if not _loose_reads_as_strict(stripped):
                return None
            warning = _declaration_not_at_start(data[: len(data) - len(stripped)])
        elif not stripped.startswith(opening):
            return None
        data = stripped
    declared = _DECLARATION.match(data[:512])
    encoding = "utf-8"
    if warning is not None and (declared is None or declared.group(1).lower() != b"utf-8"):
        return None  # (feedparser reads no encoding from a declaration that is not first)
    if declared is None:
        if "charset=" in content_type.lower():
            return None
    elif declared.group(1).lower() != b"utf-8":
        transcoded = _transcoded(data, declared.group(1))
        if transcoded is None:
            return None
        data, encoding = transcoded
    if any(marker in data for marker in (b"<!DOCTYPE", b"<!ENTITY", *refused)):
        return None
    try:
        root = etree.fromstring(data, safe_parser())
    except (etree.XMLSyntaxError, ValueError, UnicodeError, RecursionError):
        return None
    declarations = frozenset(root.nsmap.items())
    if data.count(b"xmlns") != len(root.nsmap):  # (the word may also just be in the text)
        declarations = _declarations(root)
    return Plain(root, encoding, declarations, warning)


_CDATA = re.compile(rb"<!\[CDATA\[.*?\]\]>", re.DOTALL)
# References to the characters XML escapes, which feedparser's loose parser keeps as they are
# in most elements (and decodes only "&amp;" in attributes), where the strict parser decodes
# them; and any numeric reference (its handling differs again).
_KEPT_BY_LOOSE = re.compile(rb"&(?:lt|gt|amp|quot|apos|#[0-9]+|#[xX][0-9a-fA-F]+);")


def _loose_reads_as_strict(data: bytes) -> bool:
    """Whether feedparser's loose parser reads ``data`` as its strict one would: no
    reference that it keeps as written, outside CDATA sections, but "&amp;" in a tag."""
    outside = _CDATA.sub(b"", data) if b"<![CDATA[" in data else data
    for found in _KEPT_BY_LOOSE.finditer(outside):
        start = found.start()
        if found.group() != b"&amp;" or outside.rfind(b"<", 0, start) < outside.rfind(
            b">", 0, start
        ):
            return False
    return True


def _declaration_not_at_start(prefix: bytes) -> BaseException:
    """The error expat (feedparser's strict parser) reports for an XML declaration after
    ``prefix`` (whitespace): at its line (CR LF and a lone CR are line breaks too) and
    column."""
    lines = prefix.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    # feedparser puts a declaration of its own on a line before the document's.
    return SAXParseException(
        "XML or text declaration not at start of entity",
        None,
        _At(len(lines) + 1, len(lines[-1])),
    )


class _At(Locator):
    """A place in a document without a name, for :class:`SAXParseException`."""

    def __init__(self, line: int, column: int) -> None:
        self._line, self._column = line, column

    def getLineNumber(self) -> int:
        return self._line

    def getColumnNumber(self) -> int:
        return self._column


def _declarations(root: Any) -> frozenset[tuple[str | None, str]]:
    """Every namespace declaration in the document, at the root or below it."""
    found: set[tuple[str | None, str]] = set()
    for element in root.iter():
        if isinstance(element.tag, str):
            found.update(element.nsmap.items())
    return frozenset(found)


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


_ASCII = bytes(range(128))


def _transcoded(data: bytes, declared: bytes) -> tuple[bytes, str] | None:
    """A document declared in another encoding than UTF-8, as feedparser reads it: decoded
    with the declared codec (GB2312 as GB18030, its superset) and its declaration replaced by
    a UTF-8 one; with the name feedparser gives the encoding. ``None`` when feedparser would
    not simply decode it so (it reads another name from the declaration, the codec is
    unknown or not a superset of ASCII, or the bytes do not decode)."""
    found = RE_XML_PI_ENCODING.match(data)
    name = declared.decode("ascii").lower()
    if found is None or found.group(1).lower() != declared.lower():
        return None
    if name == "gb2312":
        name = "gb18030"
    try:
        if _ASCII.decode(name) != _ASCII.decode("ascii"):
            return None
        text = data.decode(name)
    except (LookupError, UnicodeError, ValueError):
        return None
    text = RE_XML_DECLARATION.sub("<?xml version='1.0' encoding='utf-8'?>", text)
    return text.encode("utf-8"), name


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
# as they hold no element: a media thumbnail (``media_thumbnail``, and the context's ``url``),
# media content (``media_content``, from its attributes), and text constructs that are never
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
_HARMLESS = frozenset({"media:thumbnail", "media:content", *_TEXT_CONSTRUCTS, *_ITUNES, *_GEORSS})
# Of those, the ones that must have no attributes (they could make the text base64), or no
# text (it would go to the enclosing element's).
_NO_ATTRIBUTES = _TEXT_CONSTRUCTS
_NO_TEXT = frozenset({"media:content"})


def check_unhandled(name: str, element: Any, leaves: frozenset[str] = frozenset()) -> None:
    """An element feedparser has no handler for is stored under its own name: harmless,
    unless it takes a read key. Its children are read as the enclosing element's own: they
    must be harmless too, or plain-text elements named in ``leaves`` (an RSS item's
    categories). So are the few it handles in :data:`_HARMLESS` ways, without children."""
    if name in _HARMLESS:
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
