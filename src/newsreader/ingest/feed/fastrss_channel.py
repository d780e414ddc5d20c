"""An RSS channel's own elements (not its items), read as feedparser reads them, for the
fast RSS and RDF readers (:mod:`.fastrss`, :mod:`.fastrdf`): the few that are read, and the
others vetted as harmless."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from feedparser.urls import _urljoin, make_safe_absolute_uri

from newsreader.ingest.feed.fastxml import (
    PLAIN_LEAVES,
    Unsupported,
    check_unhandled,
    element_name,
    leaf_text,
    parse_date,
)

if TYPE_CHECKING:
    from newsreader.ingest.feed.fastrss import Reader

# The channel elements read or vetted below; any other goes to check_unhandled.
_CHANNEL_ELEMENTS = frozenset(
    {
        "title", "link", "pubdate", "lastbuilddate", "dc:date", "image", "description",
        "language", "copyright", "managingeditor", "webmaster", "generator", "category",
        "dc:subject", "dc:language", "dc:rights", "cloud", "author", "dc:creator",
        "itunes:author", "itunes:summary", "itunes:owner",
    }
)  # fmt: skip
_IMAGE_CHILDREN = frozenset({"title", "link", "url", "width", "height", "description"})


def channel_base(url: str, depth: int) -> str:
    """The base feedparser reads a channel's elements against, ``depth`` elements down."""
    base = make_safe_absolute_uri("", url) or make_safe_absolute_uri(url) or ""
    for _level in range(depth):
        base = (make_safe_absolute_uri(base, base) or base) if base else _urljoin(base, base)
    return base


def channel_element(
    reader: Reader, name: str, child: Any, feed: dict[str, Any], seen: set[str]
) -> None:
    """One element of a channel (not an item) read into ``feed``."""
    if name == "media:thumbnail":  # the channel's picture (not read), holding no element
        leaf_text(child)
        return
    if name not in _CHANNEL_ELEMENTS:
        check_unhandled(name, child, PLAIN_LEAVES)
        return
    if name in seen and name not in ("category", "dc:subject", "link"):
        raise Unsupported(f"repeated {name}")
    seen.add(name)
    if name == "title":
        feed["title"], feed["title_detail"] = reader.content(child, "text/plain", True)
    elif name == "link":
        reader.link(child, feed, in_entry=False)
    elif name in ("pubdate", "lastbuilddate", "dc:date"):
        if child.attrib:
            raise Unsupported("date attributes")
        value = reader.value(child)
        key = "published" if name == "pubdate" else "updated"
        feed[key] = value
        feed[key + "_parsed"] = parse_date(value)
    elif name == "image":
        if child.attrib or any(element_name(part) not in _IMAGE_CHILDREN for part in child):
            raise Unsupported("unusual image")
        for part in child:
            leaf_text(part)
    elif name in ("description", "itunes:summary"):  # the feed's summary: not read
        if child.attrib:
            raise Unsupported(f"{name} attributes")
        leaf_text(child)
        if reader.feed_summary and not reader.has_content:
            reader.has_content = True  # (read as content: see Reader)
        # (feedparser keeps a channel's description as its subtitle, not as its summary)
        reader.feed_summary = reader.feed_summary or name == "itunes:summary"
    elif name == "itunes:owner":  # the feed's publisher: not read
        if child.attrib or (child.text or "").strip():
            raise Unsupported("unusual itunes:owner")
        for part in child:
            if element_name(part) not in ("itunes:name", "itunes:email") or part.attrib:
                raise Unsupported("unusual itunes:owner")
            leaf_text(part)
    elif name in (
        "language",
        "copyright",
        "managingeditor",
        "webmaster",
        "generator",
        "category",
        "dc:subject",
        "dc:language",
        "dc:rights",
    ):
        if name != "category" and child.attrib:
            raise Unsupported(f"{name} attributes")
        leaf_text(child)
    elif name == "cloud":
        if len(child):
            raise Unsupported("cloud content")
    elif name in ("author", "dc:creator", "itunes:author"):  # the feed's author: not read
        if len(child) or child.attrib:
            raise Unsupported(f"feed {name}")
    else:
        check_unhandled(name, child, PLAIN_LEAVES)
