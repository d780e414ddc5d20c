"""RSS 0.9x/1.0/2.0, RDF and Atom 0.3/1.0 documents → articles.

feedparser reads them (or, for plain RSS 2.0, RSS 1.0 and Atom 1.0, the equivalent fast
readers in :mod:`newsreader.ingest.feed.fastrss`, :mod:`newsreader.ingest.feed.fastrdf` and
:mod:`newsreader.ingest.feed.fastatom`); it runs with its own HTML sanitiser and URL resolver
off (they cost most of its time): the one sanitising policy runs once, on display, and
relative URLs resolve against each entry's ``xml:base`` or the feed's URL, which
:mod:`newsreader.ingest.feed.content` keeps with the entry's HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from newsreader.ingest.dates import from_time_tuple
from newsreader.ingest.feed.content import html_fragment, html_to_text, plain_title, summary_text
from newsreader.ingest.feed.entry import (
    EntryFields,
    ParsedFeed,
    build_article,
    non_negative_int,
    parts_hash,
    skippable,
    unique_keys,
)
from newsreader.ingest.feed.media_pictures import (
    FILE_DESCRIPTION,
    file_descriptions,
    media_pictures,
    pictures_html,
)
from newsreader.ingest.feed.sniff import BOMS, HTML_ROOT
from newsreader.ingest.sanitize import clean_line, clean_text, safe_link
from newsreader.ingest.urls import join_url
from newsreader.model import Enclosure, NewArticle

# -- XML formats (feedparser) ---------------------------------------------------------------

# A picture in an entry's HTML: then its media files' pictures are not added.
_PICTURE = re.compile(r"<img\b", re.IGNORECASE)
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']""")
_SINGLE_BYTE_LATIN = {"iso-8859-1", "latin-1", "latin1", "iso8859-1", "windows-1252", "cp1252"}


def _fix_encoding(data: bytes) -> bytes:
    """Repair a prolog that declares Latin-1 for what are plainly UTF-8 bytes.

    Valid multi-byte UTF-8 is very unlikely in real Latin-1 text, so when the bytes decode as
    UTF-8 and contain non-ASCII, the declaration is the mistake.
    """
    match = _DECLARED.match(data[:512])
    if not match or match.group(1).decode("ascii").lower() not in _SINGLE_BYTE_LATIN:
        return data
    if data.isascii():
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    start, end = match.span(1)
    return data[:start] + b"utf-8" + data[end:]


def _response_headers(data: bytes, url: str, content_type: str) -> dict[str, str]:
    """Headers for feedparser: the base URL, and the HTTP charset only where the document
    itself does not say (servers often send a wrong or missing charset)."""
    headers = {"content-location": url, "content-type": "application/xml"}
    if (
        "charset=" in content_type.lower()
        and not data.startswith(BOMS)
        and not _DECLARED.match(data[:512])
    ):
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
        headers["content-type"] = f"application/xml; charset={charset}"
    return headers


def _bozo_message(exception: BaseException | None) -> str:
    if exception is None:
        return ""
    name = type(exception).__name__
    text = clean_line(str(exception), limit=200)
    if name == "CharacterEncodingOverride":
        return f"encoding guessed: {text}"
    if "SAX" in name:
        return f"malformed XML: {text}"
    return f"malformed feed: {text}"


def parse_xml_feed(
    data: bytes,
    url: str,
    content_type: str,
    now: datetime,
    fast: bool = True,
    known: Mapping[str, str] | None = None,
) -> ParsedFeed:
    """Read an XML feed; an entry whose key is in ``known`` with its source hash is only
    listed in ``unchanged`` (see :func:`newsreader.ingest.feed.parse.parse_feed`)."""
    data = _fix_encoding(data)
    parsed: Mapping[str, Any] | None = None
    if fast:
        head = data[:4096]
        if b"<feed" in head and b"<rss" not in head:  # (a wrong guess only costs time)
            from newsreader.ingest.feed.fastatom import parse_atom

            parsed = parse_atom(data, url, content_type)
        elif b"<rdf:RDF" in head and b"<rss" not in head:
            from newsreader.ingest.feed.fastrdf import parse_rdf

            parsed = parse_rdf(data, url, content_type)
        else:
            from newsreader.ingest.feed.fastrss import parse_rss

            parsed = parse_rss(data, url, content_type)
    if parsed is None:
        import io

        from newsreader.ingest.feed.media_descriptions import feedparser

        parsed = feedparser.parse(
            io.BytesIO(data),
            sanitize_html=False,
            resolve_relative_uris=False,
            response_headers=_response_headers(data, url, content_type),
        )
    feed: dict[str, Any] = parsed.get("feed", {})
    version = parsed.get("version", "") or ""
    warning = _bozo_message(parsed.get("bozo_exception")) if parsed.get("bozo") else ""
    result = ParsedFeed(
        title=plain_title(feed.get("title", ""), _detail(feed, "title_detail")),
        link=safe_link(feed.get("link", "") or ""),
        format=version,
        encoding=parsed.get("encoding", "") or "",
        warning=warning,
    )
    entries = parsed.get("entries", [])
    if not entries and not version:
        if not data.strip():
            result.error = "the feed is empty"
        elif HTML_ROOT.search(data[:4096]):
            result.error = "not a feed: the URL returns a web page"
        else:
            result.error = warning or "not a feed: no RSS, Atom or RDF document found"
        result.warning = ""
        return result
    feed_date = from_time_tuple(_own(feed, "updated_parsed") or _own(feed, "published_parsed"))
    skip = skippable(known, [_xml_key(entry, url) for entry in entries]) if known else None
    for position, entry in enumerate(entries):
        digest = _entry_hash(url, entry)
        if skip and skip[position] and known and known.get(skip[position]) == digest:
            result.unchanged.append(skip[position])
            continue
        article = _xml_entry(entry, url, now, feed_date, position, result)
        article.source_hash = digest
        result.articles.append(article)
    unique_keys(result)
    return result


def _entry_hash(url: str, entry: Mapping[str, Any]) -> str:
    """The source hash of an entry: of every value :func:`_xml_entry` and :func:`_xml_key`
    read from it (hashing all of the entry cost more, and had its content several times)."""
    texts: list[str] = []
    small: list[object] = []
    for value, *rest in (
        (item.get("value", ""), item.get("type", ""), item.get("base"))
        for item in entry.get("content", []) or []
    ):
        small += (None if isinstance(value, str) else value, *rest)
        texts.append(value if isinstance(value, str) else "")
    value = entry.get("summary", "")
    texts.append(value if isinstance(value, str) else "")
    summary = _detail(entry, "summary_detail")
    title = _detail(entry, "title_detail")
    author = _detail(entry, "author_detail")
    small += (
        None if isinstance(value, str) else value,
        summary.get("type", ""),
        summary.get("base"),
        entry.get("title", ""),
        title.get("type", ""),
        entry.get("link", ""),
        entry.get("id", ""),
        entry.get("author", ""),
        author.get("name"),
        _dated(_own(entry, "published_parsed")),
        _dated(_own(entry, "created_parsed")),
        _dated(_own(entry, "updated_parsed")),
        [person.get("name") for person in entry.get("authors", []) or []],
        [
            [item.get(name) for name in ("url", "type", "medium", "width", FILE_DESCRIPTION)]
            for key in ("media_content", "media_thumbnail")
            for item in entry.get(key, []) or []
            if isinstance(item, dict)
        ],
        [
            (item.get("href"), item.get("url"), item.get("type"), item.get("length"))
            for item in entry.get("enclosures", []) or []
        ],
    )
    return parts_hash(url, small, texts)


def _dated(value: Any) -> Any:
    """A time tuple as a plain tuple (its repr is shorter and cheaper), else as it is."""
    return tuple(value) if value is not None and not isinstance(value, str) else value


def _xml_key(entry: Mapping[str, Any], url: str) -> str:
    """The key :func:`_xml_entry` gives an entry with an id or a link, else ""."""
    key = clean_line(str(entry.get("id", "") or ""), limit=2000)
    return key or safe_link(join_url(url, entry.get("link", "") or ""))


def _base(candidate: str | None, fallback: str) -> str:
    """An ``xml:base`` when it is a usable absolute http(s) URL, else ``fallback``."""
    if candidate:
        candidate = join_url(fallback, candidate)
        if urlsplit(candidate).scheme in ("http", "https", "file"):
            return candidate
    return fallback


def _pick_content(entry: Mapping[str, Any]) -> tuple[str, str, str | None]:
    """The richest content of an entry: (value, mime type, xml:base)."""
    best: tuple[str, str, str | None] = ("", "", None)
    for item in entry.get("content", []) or []:
        value = item.get("value", "") or ""
        kind = (item.get("type", "") or "text/html").lower()
        richer = "html" in kind and "html" not in best[1]
        if richer or (("html" in kind) == ("html" in best[1]) and len(value) > len(best[0])):
            best = (value, kind, item.get("base"))
    summary = _detail(entry, "summary_detail")
    value = entry.get("summary", "") or ""
    if value and (not best[0] or len(best[0]) < len(value) // 2):
        best = (value, (summary.get("type", "") or "text/html").lower(), summary.get("base"))
    return best


def _xml_entry(
    entry: Mapping[str, Any],
    url: str,
    now: datetime,
    feed_date: datetime | None,
    position: int,
    result: ParsedFeed,
) -> NewArticle:
    value, kind, base = _pick_content(entry)
    base = _base(base, url)
    content = html_fragment(value, kind, base)
    text = html_to_text(content)
    enclosures = _xml_enclosures(entry, url)
    attached = [e.url for e in enclosures if e.type.lower().startswith("image/")]
    files = entry.get("media_content")
    pictures: list[tuple[str, str]] = []
    if (files or attached or entry.get("media_thumbnail")) and not _PICTURE.search(content):
        pictures = media_pictures(entry, url, attached)
    if not value and files and (described := file_descriptions(entry)):
        # Nothing of its own (a post that is pictures): its files' descriptions are its text.
        text = " ".join(clean_text(described).split())
        if not pictures:
            content = html_fragment(described, "text/plain")
    if pictures:
        content += pictures_html(pictures)
    summary_raw = entry.get("summary", "") or ""
    summary_kind = (_detail(entry, "summary_detail").get("type", "") or "text/html").lower()
    link = safe_link(join_url(url, entry.get("link", "") or ""))
    title = plain_title(entry.get("title", ""), _detail(entry, "title_detail"))
    fields = EntryFields(
        entry_id=str(entry.get("id", "") or ""),
        link=link,
        title=title,
        content=content,
        text=text,
        summary=text if summary_raw == value else summary_text(summary_raw, summary_kind),
        author=_author(entry),
        published=from_time_tuple(_own(entry, "published_parsed") or _own(entry, "created_parsed")),
        updated=from_time_tuple(_own(entry, "updated_parsed")),
        undated_at=(feed_date or now) - timedelta(seconds=position),
        enclosures=enclosures,
        fingerprint=(title, value, *(e.url for e in enclosures)),
    )
    return build_article(fields, result)


def _author(entry: Mapping[str, Any]) -> str:
    names = [
        clean_line(str(a.get("name", "") or ""), limit=200) for a in entry.get("authors", []) or []
    ]
    names = [n for n in names if n]
    if names:
        return clean_line(", ".join(dict.fromkeys(names)), limit=300)
    detail = _detail(entry, "author_detail")
    return clean_line(str(detail.get("name") or entry.get("author", "") or ""), limit=300)


def _xml_enclosures(entry: Mapping[str, Any], url: str) -> tuple[Enclosure, ...]:
    found: dict[str, Enclosure] = {}
    for item in entry.get("enclosures", []) or []:
        href = safe_link(join_url(url, item.get("href", "") or item.get("url", "") or ""))
        if href and href not in found:
            found[href] = Enclosure(
                url=href,
                type=clean_line(str(item.get("type", "") or ""), limit=200),
                length=non_negative_int(item.get("length")),
            )
    return tuple(found.values())


def _detail(mapping: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """``mapping[key]`` when it is a mapping (a detail such as ``title_detail``), else {}.

    feedparser stores an element of an unknown namespace under its prefixed name: a
    ``<title:detail>`` without attributes leaves its text under ``title_detail``.
    """
    value = mapping.get(key)
    return value if isinstance(value, dict | Mapping) else {}  # (dict: checked fast)


def _own(mapping: Mapping[str, Any], key: str) -> Any:
    """``mapping[key]`` or None, never from a similar key.

    FeedParserDict (a dict) would answer a missing key from a similar one, with a warning.
    """
    return dict.get(mapping, key) if isinstance(mapping, dict) else mapping.get(key)
