"""A fast reader for plain, well-formed RSS (2.0 and the 0.9x before it), giving exactly what
feedparser gives.

feedparser drives a Python handler for every start tag, end tag and run of text; for a
typical 50-item feed that is most of the parsing time. Most feeds are simple UTF-8 RSS 2.0
with a handful of well-known elements, and for those this module builds the same entry
mappings with lxml (a C parser that never loads a DTD, resolves an entity or touches the
network), using feedparser's own helpers for dates, URL joining and the text fix-ups.

Elements feedparser has no handler for (in any namespace) are stored under their own names,
which newsreader never reads: they are vetted, not read
(:func:`~newsreader.ingest.feed.fastxml.check_unhandled`), and so are the few handled ones
whose keys are never read (subtitles, media content) and the titles feedparser ignores
(a ``media:title`` or ``dc:title`` after the item's own).

Anything outside that well-understood subset returns ``None`` and the caller uses
feedparser: another format, a DOCTYPE, a BOM or an encoding feedparser would not
simply decode as declared (:func:`~newsreader.ingest.feed.fastdoc.plain_root`), ``xml:base``,
mixed content, namespaces feedparser would name otherwise, elements feedparser
treats specially that are not handled here, repeated read elements whose precedence rules
are subtle, or any parse error.
"""

from __future__ import annotations

import re
from typing import Any

from feedparser.mixin import _FeedParserMixin

from newsreader.ingest.feed.fastdoc import plain_root
from newsreader.ingest.feed.fastrss_channel import channel_base, channel_element
from newsreader.ingest.feed.fastxml import (
    HTML_TYPES,
    PLAIN_LEAVES,
    Unsupported,
    check_declarations,
    check_unhandled,
    element_name,
    enclosures,
    fix_text,
    leaf_text,
    map_type,
    parse_date,
    urljoin,
)

_LOOKS_LIKE_HTML = _FeedParserMixin.looks_like_html
_EMAIL = re.compile(
    r"""(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))"""
    r"""([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"""
)
_REFERENCE = re.compile("&([A-Za-z0-9_]+);")

# Item elements that may repeat: each is read in document order just as feedparser does.
_REPEATABLE = frozenset(
    {
        "category",
        "dc:subject",
        "enclosure",
        "author",
        "dc:creator",
        "itunes:author",
        "media:thumbnail",
        "media:content",
        "media:title",
        "dc:title",
    }
)
# feedparser's names for the versions of RSS before 2.0 (it reads them all alike); another
# number not starting with "2." is "rss". (RSS 0.91 with Netscape's DOCTYPE is not read here.)
_VERSIONS = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}
RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
# The item elements read (or vetted) below; any other goes to check_unhandled.
_ITEM_ELEMENTS = frozenset(
    {
        "title", "description", "content:encoded", "link", "guid", "pubdate", "dc:date",
        "author", "dc:creator", "enclosure", "category", "dc:subject", "media:title",
        "media:content", "media:thumbnail", "dc:title", "itunes:author", "itunes:summary",
        "source",
    }
)  # fmt: skip


def _attributes(element: Any) -> dict[str, str]:
    """Attributes as feedparser's strict parser reports them (names lower-cased)."""
    found: dict[str, str] = {}
    for key, value in element.attrib.items():
        if key[0] == "{":
            raise Unsupported("namespaced attribute")
        key = key.lower()
        if key in ("base", "lang"):
            raise Unsupported("base or lang attribute")
        found[key] = value.lower() if key in ("rel", "type") else value
    return found


class Reader:
    def __init__(self, base: str) -> None:
        self.base = base
        # feedparser's "has content" flag: set by an item's content, and by a channel's
        # second summary (read as content); an item's end clears it, nothing else does, so a
        # channel's carries over to its first item.
        self.has_content = False
        self.feed_summary = False  # the channel has a summary (an itunes:summary)

    def value(self, element: Any, resolve: bool = False) -> str:
        output = leaf_text(element).strip()
        if resolve and output:
            output = urljoin(self.base, output)
        return fix_text(output)

    def content(self, element: Any, kind: str, sniff: bool) -> tuple[str, dict[str, Any]]:
        """A text construct (title, description, content:encoded) and its detail."""
        if element.attrib:
            raise Unsupported("attributes on a text construct")
        output = self.value(element)
        if sniff and _LOOKS_LIKE_HTML(output):
            kind = "text/html"
        return output, {"type": kind, "language": None, "base": self.base, "value": output}

    def link(self, element: Any, context: dict[str, Any], in_entry: bool) -> None:
        """``<link>`` (RSS text or an Atom-style link with attributes), as feedparser reads it."""
        attrs = _attributes(element)
        attrs.setdefault("rel", "alternate")
        attrs.setdefault("type", "application/atom+xml" if attrs["rel"] == "self" else "text/html")
        href = attrs.get("url", attrs.get("uri", attrs.get("href")))
        if href:
            attrs.pop("url", None)
            attrs.pop("uri", None)
            attrs["href"] = urljoin(self.base, href)
        links = context.setdefault("links", [])
        links.append(attrs)
        if "href" in attrs:
            if len(element) or (element.text or "").strip():
                raise Unsupported("link with both href and text")
            if attrs["rel"] == "alternate" and map_type(attrs["type"]) in HTML_TYPES:
                context["link"] = attrs["href"]
            return
        output = self.value(element, resolve=True)
        if in_entry:
            if "&" in output:
                output = _REFERENCE.sub(r"&\g<1>", output.replace("&amp;", "&"))
            context["link"] = output
            if output:
                links[-1]["href"] = output
        else:
            if "&" in output:
                output = _REFERENCE.sub(r"&\g<1>", output)
            context["link"] = output
            links[-1]["href"] = output


def _author(context: dict[str, Any], value: str) -> None:
    """``<author>``/``<dc:creator>``: feedparser's push, pop and author sync, for one value."""
    authors = context.setdefault("authors", [])
    detail: dict[str, Any] = {}
    authors.append(detail)
    context["author"] = value
    author, email = value, None
    if not author:
        return
    match = _EMAIL.search(author)
    if match:
        email = match.group(0)
        author = author.replace(email, "").replace("()", "").replace("<>", "")
        author = author.replace("&lt;&gt;", "").strip()
        if author and author[0] == "(":
            author = author[1:]
        if author and author[-1] == ")":
            author = author[:-1]
        author = author.strip()
    if author or email:
        context.setdefault("author_detail", detail)
    if author:
        detail["name"] = author
    if email:
        detail["email"] = email


def _ignored_title(entry: dict[str, Any], element: Any) -> None:
    """A ``<media:title>`` or ``<dc:title>`` in an item (or in its media content) after its own
    non-empty title: feedparser ignores a title at the depth of the one it kept or deeper.
    Before that title it would be the item's title: left to feedparser."""
    if not entry.get("title"):
        raise Unsupported("media:title before the item's title")
    leaf_text(element)


def item(reader: Reader, element: Any, about: bool = False) -> dict[str, Any]:
    """An item's entry; ``about``: its ``rdf:about`` is its id (RSS 1.0), as it is written."""
    entry: dict[str, Any] = {}
    if element.attrib:
        if not about or list(element.attrib) != [RDF_ABOUT]:
            raise Unsupported("item attributes")
        entry["id"] = element.attrib[RDF_ABOUT]
    seen: set[str] = set()
    has_content = reader.has_content
    for child in element:
        name = element_name(child)
        if name not in _ITEM_ELEMENTS:  # (an element not read may repeat: the last is kept)
            check_unhandled(name, child, PLAIN_LEAVES)
            continue
        if name in seen and name not in _REPEATABLE:
            raise Unsupported(f"repeated {name}")
        seen.add(name)
        if name == "title":
            entry["title"], entry["title_detail"] = reader.content(child, "text/plain", True)
        elif name in ("description", "itunes:summary"):
            if "summary" in entry and not has_content:
                # A second summary is read as content, typed as content is (plain text
                # unless it looks like HTML); the summary stays.
                has_content = True
                entry.setdefault("content", []).append(reader.content(child, "text/plain", True)[1])
            else:
                kind = "text/html" if name == "description" else "text/plain"
                entry["summary"], entry["summary_detail"] = reader.content(child, kind, True)
        elif name == "content:encoded":
            has_content = True
            value, detail = reader.content(child, "text/html", False)
            entry.setdefault("content", []).append(detail)
            entry.setdefault("summary", value)
        elif name == "link":
            reader.link(child, entry, in_entry=True)
        elif name == "guid":
            attrs = _attributes(child)
            if set(attrs) - {"ispermalink"}:
                raise Unsupported("guid attributes")
            is_link = attrs.get("ispermalink", "true") == "true"
            value = reader.value(child, resolve=is_link)
            entry["id"] = value
            entry.setdefault("guidislink", is_link and "link" not in entry)
            if is_link:
                entry.setdefault("link", value)
        elif name in ("pubdate", "dc:date"):
            if child.attrib:
                raise Unsupported("date attributes")
            value = reader.value(child)
            if name == "pubdate":
                entry["published"] = value
                entry["published_parsed"] = parse_date(value)
            else:
                entry["updated"] = value
                entry["updated_parsed"] = parse_date(value)
        elif name in ("author", "dc:creator", "itunes:author"):
            if child.attrib:
                raise Unsupported("author attributes")
            _author(entry, reader.value(child))
        elif name == "enclosure":
            attrs = _attributes(child)
            if len(child) or (child.text or "").strip():
                raise Unsupported("enclosure content")
            href = attrs.get("url", attrs.get("uri", attrs.get("href")))
            if href:
                attrs.pop("url", None)
                attrs.pop("uri", None)
                attrs["href"] = href
            attrs["rel"] = "enclosure"
            entry.setdefault("links", []).append(attrs)
        elif name in ("category", "dc:subject"):
            leaf_text(child)  # tags: not read, but must be plain text
        elif name in ("media:title", "dc:title"):
            if "source" in seen:  # (feedparser forgets the depth of the title it kept)
                raise Unsupported("a title after a source")
            _ignored_title(entry, child)
        elif name == "source":  # where a news item came from (Google News): not read
            _attributes(child)
            leaf_text(child)
        elif name == "media:content":  # a media file: its attributes (a picture's are read)
            if (child.text or "").strip():
                raise Unsupported("media:content with text")
            entry.setdefault("media_content", []).append(_attributes(child))
            for part in child:
                if element_name(part) != "media:title" or (part.tail or "").strip():
                    raise Unsupported("media:content holding other elements")
                if "source" in seen:
                    raise Unsupported("a title after a source")
                _ignored_title(entry, part)
        elif name == "media:thumbnail":  # a picture of the item: its url, else its text
            attrs = _attributes(child)
            address = reader.value(child, resolve=True)
            if address and "url" not in attrs:
                attrs["url"] = address
            entry.setdefault("media_thumbnail", []).append(attrs)
        else:
            check_unhandled(name, child, PLAIN_LEAVES)
    reader.has_content = False
    entry["enclosures"] = enclosures(entry.get("links", []))
    return entry


def parse_rss(data: bytes, url: str, content_type: str = "") -> dict[str, Any] | None:
    """feedparser's result (the parts newsreader reads) for a plain RSS 2.0 document, or
    ``None`` when the document should go through feedparser."""
    plain = plain_root(data, content_type, b"<rss", refused=(b"xml:base",))
    if plain is None:
        return None
    try:
        check_declarations(plain.declarations, ())
    except Unsupported:
        return None
    try:
        parsed = _document(plain.root, plain.encoding, url)
    except (Unsupported, ValueError, UnicodeError, RecursionError):
        return None
    if plain.warning is not None:
        parsed.update(bozo=True, bozo_exception=plain.warning)
    return parsed


def _document(root: Any, encoding: str, url: str) -> dict[str, Any]:
    if root.tag != "rss":
        raise Unsupported("not RSS")
    attrs = _attributes(root)
    if set(attrs) - {"version"}:
        raise Unsupported("rss attributes")
    number = attrs.get("version", "")
    version = _VERSIONS.get(number) or ("rss20" if number.startswith("2.") else "rss")
    channels = list(root)
    if len(channels) != 1 or channels[0].tag != "channel" or channels[0].attrib:
        raise Unsupported("not one plain channel")
    reader = Reader(channel_base(url, 2))
    feed: dict[str, Any] = {}
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for child in channels[0]:
        name = element_name(child)
        if name == "item":
            entries.append(item(reader, child))
        else:
            channel_element(reader, name, child, feed, seen)
    return {"feed": feed, "entries": entries, "version": version, "encoding": encoding}
