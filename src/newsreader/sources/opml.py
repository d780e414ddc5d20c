"""OPML subscription lists: import (folders become tags) and export (OPML 2.0, tags as folders).

A nested folder becomes one tag naming its path (``Tech/Linux``), and export nests it again,
so a round trip keeps URLs, titles, site links and folders. Parsing uses defusedxml: no DTD
entities are expanded and nothing outside the file is read. Only http(s) feed URLs are
accepted from an OPML file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any, BinaryIO

from newsreader.ingest.sanitize import clean_line, safe_link

TAG_SEPARATOR = "/"
MAX_OUTLINES = 100_000
MAX_DEPTH = 16  # folder levels kept in a tag; deeper folders are flattened into the 16th
MAX_FILE_BYTES = 20 * 1024 * 1024


class OpmlError(Exception):
    """The file is not a usable OPML document; the message says why."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One subscription in an OPML file."""

    url: str
    title: str = ""
    tags: tuple[str, ...] = ()
    site_link: str = ""


@dataclass(frozen=True, slots=True)
class OpmlDocument:
    """What an OPML file held."""

    title: str
    feeds: list[OpmlFeed]
    skipped: list[str]  # outlines with an unusable feed URL, described
    notes: list[str] = field(default_factory=list)  # what was changed on the way in


def read_opml(name: str, stdin: BinaryIO | None = None) -> bytes:
    """The bytes of an OPML file, or of ``stdin`` when ``name`` is ``-``, at most 20 MB.

    Only a regular file is read: a FIFO, a device such as ``/dev/zero`` or a socket is
    refused without being read.

    Raises:
        OpmlError: the file cannot be read, is not a regular file or is too large.
    """
    from newsreader.sources.bounded import BoundedReadError, read_regular_file

    if name == "-" and stdin is not None:
        data = stdin.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise OpmlError(f"standard input holds more than {MAX_FILE_BYTES} bytes")
        return data
    try:
        data, _info = read_regular_file(Path(name), MAX_FILE_BYTES)
    except BoundedReadError as error:
        raise OpmlError(f"cannot import {error}") from None
    except OSError as error:
        raise OpmlError(f"cannot read {name}: {error.strerror or error}") from None
    return data


def _folder_name(outline: Any) -> str:
    # OPML 2.0: `text` is what a reader shows; `title` is optional (and may say anything).
    return clean_line(outline.get("text") or outline.get("title") or "", limit=200).replace(
        TAG_SEPARATOR, "-"
    )


def parse_opml(data: bytes) -> OpmlDocument:
    """Read the subscriptions of an OPML file.

    Raises:
        OpmlError: the file is not well-formed XML, uses entities, or is not OPML.
    """
    import defusedxml.ElementTree as SafeTree
    from defusedxml import DefusedXmlException

    try:
        root = SafeTree.fromstring(data, forbid_dtd=False, forbid_entities=True)
    except DefusedXmlException as error:
        raise OpmlError(
            f"refused: the file declares XML entities ({type(error).__name__})"
        ) from None
    except SafeTree.ParseError as error:
        raise OpmlError(f"not well-formed XML: {error}") from None
    except RecursionError:
        raise OpmlError("nested too deeply to read") from None
    if root.tag.rsplit("}", 1)[-1].lower() != "opml":
        raise OpmlError(f"not an OPML file (the root element is <{root.tag}>)")
    head_title = ""
    body = None
    for child in root:
        name = child.tag.rsplit("}", 1)[-1].lower() if isinstance(child.tag, str) else ""
        if name == "head":
            for item in child:
                if isinstance(item.tag, str) and item.tag.lower() == "title":
                    head_title = clean_line(item.text or "", limit=200)
        elif name == "body":
            body = child
    if body is None:
        raise OpmlError("not an OPML file (no <body>)")

    found: dict[str, OpmlFeed] = {}
    skipped: list[str] = []
    # A pre-order walk without recursion (outlines may be nested thousands deep), so feeds
    # come out in document order.
    stack: list[tuple[Any, tuple[str, ...]]] = [(child, ()) for child in reversed(_outlines(body))]
    seen = 0
    flattened: set[str] = set()
    while stack:
        outline, path = stack.pop()
        seen += 1
        if seen > MAX_OUTLINES:
            raise OpmlError(f"too many outlines (more than {MAX_OUTLINES})")
        raw = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        inner = path
        if raw:
            _add(found, skipped, outline, raw, path)
        else:
            name = _folder_name(outline)
            if name and len(path) >= MAX_DEPTH:
                flattened.add(TAG_SEPARATOR.join(path))
            elif name:
                inner = (*path, name)
        stack.extend((child, inner) for child in reversed(_outlines(outline)))
    notes = [
        f"folders nested more than {MAX_DEPTH} deep were flattened into "
        f"{clean_line(folder, limit=120)!r}"
        for folder in sorted(flattened)[:5]
    ]
    if len(flattened) > 5:
        notes.append(f"... and {len(flattened) - 5} more folder(s) flattened")
    return OpmlDocument(title=head_title, feeds=list(found.values()), skipped=skipped, notes=notes)


def _outlines(element: Any) -> list[Any]:
    return [
        child
        for child in element
        if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1].lower() == "outline"
    ]


def _add(
    found: dict[str, OpmlFeed], skipped: list[str], outline: Any, raw: str, path: tuple[str, ...]
) -> None:
    url = safe_link(raw)
    title = clean_line(outline.get("title") or outline.get("text") or "", limit=500)
    if not url:
        skipped.append(f"{title or 'untitled'}: unsupported feed URL {clean_line(raw, 200)!r}")
        return
    tags = (TAG_SEPARATOR.join(path),) if path else ()
    site = safe_link(outline.get("htmlUrl") or outline.get("htmlurl") or "")
    previous = found.get(url)
    if previous is None:
        found[url] = OpmlFeed(url, title, tags, site)
    else:
        merged = tuple(dict.fromkeys((*previous.tags, *tags)))
        found[url] = OpmlFeed(url, previous.title or title, merged, previous.site_link or site)


def private_feeds(feeds: Sequence[OpmlFeed]) -> list[OpmlFeed]:
    """The feeds whose host is private, loopback or link-local (``169.254.169.254``, ...).

    Decided from the URL alone (addresses in any spelling, ``localhost``, ``.local``,
    ``.internal``), without DNS lookups: importing a list must not reach out to its hosts.
    """
    from newsreader.sources.addresses import private_url

    return [feed for feed in feeds if private_url(feed.url)]


def export_opml(feeds: Sequence[OpmlFeed], title: str = "newsreader subscriptions") -> str:
    """An OPML 2.0 document listing ``feeds``, each tag a (possibly nested) folder.

    A feed with several tags appears in each of their folders; one without tags sits at the
    top level.
    """
    from xml.sax.saxutils import quoteattr

    class Folder:
        def __init__(self) -> None:
            self.folders: dict[str, Folder] = {}
            self.feeds: list[OpmlFeed] = []

    root = Folder()
    for feed in feeds:
        for tag in feed.tags or ("",):
            folder = root
            for part in (p for p in tag.split(TAG_SEPARATOR) if p):
                folder = folder.folders.setdefault(part, Folder())
            folder.feeds.append(feed)

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{_escape(title)}</title>",
        f"    <dateCreated>{format_datetime(datetime.now(UTC), usegmt=True)}</dateCreated>",
        "  </head>",
        "  <body>",
    ]

    def feed_line(feed: OpmlFeed, indent: str) -> str:
        text = feed.title or feed.url
        attributes = f'type="rss" text={quoteattr(text)} title={quoteattr(text)} xmlUrl={quoteattr(feed.url)}'
        if feed.site_link:
            attributes += f" htmlUrl={quoteattr(feed.site_link)}"
        return f"{indent}<outline {attributes}/>"

    # Depth-first without recursion: a tag may name folders thousands deep. Each entry is
    # a line still to write, or a folder to open at a depth.
    todo: list[str | tuple[Folder, int]] = [(root, 0)]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            lines.append(item)
            continue
        folder, depth = item
        indent = "  " * (depth + 2)
        later: list[str | tuple[Folder, int]] = []
        for name, sub in folder.folders.items():
            later.append(f"{indent}<outline text={quoteattr(name)} title={quoteattr(name)}>")
            later.append((sub, depth + 1))
            later.append(f"{indent}</outline>")
        later.extend(feed_line(feed, indent) for feed in folder.feeds)
        todo.extend(reversed(later))
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)
