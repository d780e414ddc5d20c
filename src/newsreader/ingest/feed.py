"""Feed documents (RSS 0.9x/1.0/2.0, RDF, Atom 0.3/1.0, JSON Feed 1.0/1.1) → articles.

feedparser reads the XML formats; it runs with its own HTML sanitiser and URL resolver off
(they cost most of its time) and this module does both once, with nh3, resolving relative
URLs against each entry's ``xml:base`` or the feed's URL. JSON Feed has a small parser here.

Articles keep their sanitised HTML as ``content`` (``content_type=HTML``, ``body=None``): the
Markdown is made on first display (:func:`newsreader.render.article_markdown`) and cached.
``text`` is a cheap plain-text rendering for the search index.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from newsreader.ingest.dates import parse_datetime
from newsreader.ingest.sanitize import clean_line as _clean_line
from newsreader.ingest.sanitize import clean_text as _clean_text
from newsreader.ingest.sanitize import safe_link
from newsreader.model import ContentType, Enclosure, NewArticle

TITLE_FROM_TEXT_CHARS = 80
SUMMARY_CHARS = 300


@dataclass(slots=True)
class ParsedFeed:
    """What one feed document held."""

    title: str = ""
    link: str = ""
    articles: list[NewArticle] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)  # keys whose date was made up
    format: str = ""  # feedparser's version ("rss20", "atom10"...) or "json1.1"
    encoding: str = ""
    warning: str = ""  # a problem, though articles were still read (malformed XML...)
    error: str = ""  # nothing could be read: the cached articles should stay as they are
    # Keys of entries skipped unparsed: stored already with the same source hash.
    unchanged: list[str] = field(default_factory=list)


# Characters that clean_text removes or rewrites; most text has none, and skipping the
# cleaning then saves a third of the parsing time.
_UNCLEAN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029"
    "\u2060-\u2064\u2066-\u2069\ufeff\r]"
)


def clean_text(text: str) -> str:
    """:func:`newsreader.ingest.sanitize.clean_text`, skipped when there is nothing to do."""
    if not text or _UNCLEAN.search(text) is None:
        return text
    return _clean_text(text)


def clean_line(text: str, limit: int = 1000) -> str:
    """:func:`newsreader.ingest.sanitize.clean_line`, with a fast path for clean text."""
    if not text:
        return ""
    if _UNCLEAN.search(text) is not None:
        return _clean_line(text, limit)
    line = " ".join(text.split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line


def _join(base: str, url: str) -> str:
    """``url`` made absolute against ``base`` (absolute URLs are returned as they are)."""
    url = url.strip()
    if not url or url.startswith(("http://", "https://")):
        return url
    try:
        return urljoin(base, url)
    except ValueError:
        return ""


# -- sniffing -------------------------------------------------------------------------------

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_FEED_ROOT = re.compile(rb"<(?:[A-Za-z0-9_]+:)?(rss|feed|RDF|rdf:RDF|channel)[\s>/]")
_HTML_ROOT = re.compile(rb"<(html|head|body|!doctype\s+html)[\s>]", re.IGNORECASE)


def is_json(data: bytes) -> bool:
    """Whether ``data`` looks like a JSON document rather than XML."""
    head = data[:64]
    for bom in _BOMS[:1]:
        head = head.removeprefix(bom)
    return head.lstrip()[:1] in (b"{", b"[")


def looks_like_feed(data: bytes) -> bool:
    """Whether ``data`` is probably a feed (XML feed root or JSON Feed), not a web page."""
    if is_json(data):
        try:
            document = json.loads(data.decode("utf-8-sig", "replace"))
        except ValueError:
            return False
        return isinstance(document, dict) and _is_json_feed(document)
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = data[:8192].decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return False
    feed = _FEED_ROOT.search(head)
    page = _HTML_ROOT.search(head)
    return feed is not None and (page is None or feed.start() < page.start())


# -- entry point ----------------------------------------------------------------------------


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
    fast reader for plain RSS 2.0 (:mod:`newsreader.ingest.fastrss`). ``known`` maps the
    keys of stored articles to their source hashes: an entry found there with the same
    hash is not sanitised or returned, only listed in ``unchanged``.
    """
    now = now or datetime.now(UTC)
    try:
        if is_json(data):
            return _parse_json_feed(data, url, now, known or {})
        return _parse_xml_feed(data, url, content_type, now, fast, known or {})
    except RecursionError:
        return ParsedFeed(error="the feed is nested too deeply to read")


# -- XML formats (feedparser) ---------------------------------------------------------------

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
        and not data.startswith(_BOMS)
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


def _parse_xml_feed(
    data: bytes,
    url: str,
    content_type: str,
    now: datetime,
    fast: bool = True,
    known: Mapping[str, str] | None = None,
) -> ParsedFeed:
    data = _fix_encoding(data)
    parsed: Mapping[str, Any] | None = None
    if fast:
        from newsreader.ingest.fastrss import parse_rss

        parsed = parse_rss(data, url, content_type)
    if parsed is None:
        import io

        import feedparser

        parsed = feedparser.parse(
            io.BytesIO(data),
            sanitize_html=False,
            resolve_relative_uris=False,
            response_headers=_response_headers(data, url, content_type),
        )
    feed = parsed.get("feed", {})
    version = parsed.get("version", "") or ""
    warning = _bozo_message(parsed.get("bozo_exception")) if parsed.get("bozo") else ""
    result = ParsedFeed(
        title=_plain_title(feed.get("title", ""), feed.get("title_detail")),
        link=safe_link(feed.get("link", "") or ""),
        format=version,
        encoding=parsed.get("encoding", "") or "",
        warning=warning,
    )
    entries = parsed.get("entries", [])
    if not entries and not version:
        if not data.strip():
            result.error = "the feed is empty"
        elif _HTML_ROOT.search(data[:4096]):
            result.error = "not a feed: the URL returns a web page"
        else:
            result.error = warning or "not a feed: no RSS, Atom or RDF document found"
        result.warning = ""
        return result
    feed_date = _date(dict.get(feed, "updated_parsed") or dict.get(feed, "published_parsed"))
    skip = _skippable(known, [_xml_key(entry, url) for entry in entries]) if known else None
    for position, entry in enumerate(entries):
        digest = source_hash(url, entry)
        if skip and skip[position] and known and known.get(skip[position]) == digest:
            result.unchanged.append(skip[position])
            continue
        article = _xml_entry(entry, url, now, feed_date, position, result)
        article.source_hash = digest
        result.articles.append(article)
    _unique_keys(result)
    return result


# Part of every source hash: a change to how entries are read or sanitised changes it, so
# that articles stored by an older version are read again.
INGEST_VERSION = "1"


def source_hash(url: str, entry: object, *context: object) -> str:
    """A hash of an entry as the parser gave it (before sanitising), with what else shapes
    its article (the feed's URL, ``context``)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((INGEST_VERSION, url, entry, context)).encode("utf-8", "surrogatepass"))
    return "src:" + digest.hexdigest()


def _xml_key(entry: Mapping[str, Any], url: str) -> str:
    """The key :func:`_xml_entry` gives an entry with an id or a link, else ""."""
    key = clean_line(str(entry.get("id", "") or ""), limit=2000)
    return key or safe_link(_join(url, entry.get("link", "") or ""))


def _skippable(known: Mapping[str, str], keys: list[str]) -> list[str]:
    """Per entry, its key when it may be skipped if known: keys that appear once (a shared
    key gets a content hash added, so those entries are always read)."""
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return [key if key and counts[key] == 1 and key in known else "" for key in keys]


def _unique_keys(result: ParsedFeed) -> None:
    """Give entries that share an id (a publisher's mistake) keys of their own.

    The first keeps the id; the others add a hash of their content, which stays the same
    from one refresh to the next whatever the order of the entries.
    """
    seen: set[str] = set()
    for article in result.articles:
        if article.key in seen:
            old = article.key
            article.key = f"{old}#sha1:{_digest(article.title, article.text, article.link)}"
            if old in result.undated:
                result.undated.append(article.key)
        seen.add(article.key)


def _date(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _base(candidate: str | None, fallback: str) -> str:
    """An ``xml:base`` when it is a usable absolute http(s) URL, else ``fallback``."""
    if candidate:
        candidate = _join(fallback, candidate)
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
    summary = entry.get("summary_detail") or {}
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
    content = _html_fragment(value, kind, base)
    text = html_to_text(content)
    summary_raw = entry.get("summary", "") or ""
    summary_kind = ((entry.get("summary_detail") or {}).get("type", "") or "text/html").lower()
    summary_text = text if summary_raw == value else _summary_text(summary_raw, summary_kind)
    link = safe_link(_join(url, entry.get("link", "") or ""))
    title = _plain_title(entry.get("title", ""), entry.get("title_detail"))
    enclosures = _xml_enclosures(entry, url)
    # dict.get: FeedParserDict would answer a missing key from a similar one, with a warning.
    published = _date(dict.get(entry, "published_parsed") or dict.get(entry, "created_parsed"))
    updated = _date(dict.get(entry, "updated_parsed"))
    key = clean_line(str(entry.get("id", "") or ""), limit=2000) or link
    if not key:
        key = "sha1:" + _digest(title, value, *(e.url for e in enclosures))
    if published is None:
        published = updated
    if published is None:
        published = (feed_date or now) - timedelta(seconds=position)
        result.undated.append(key)
    return NewArticle(
        key=key,
        title=title or _title_from_text(text or summary_text),
        published=published,
        updated=updated if updated != published else None,
        content=content,
        content_type=ContentType.HTML,
        body=None,
        text=text,
        author=_author(entry),
        link=link,
        summary=clean_line(summary_text or text, limit=SUMMARY_CHARS),
        enclosures=enclosures,
    )


def _author(entry: Mapping[str, Any]) -> str:
    names = [
        clean_line(str(a.get("name", "") or ""), limit=200) for a in entry.get("authors", []) or []
    ]
    names = [n for n in names if n]
    if names:
        return clean_line(", ".join(dict.fromkeys(names)), limit=300)
    detail = entry.get("author_detail") or {}
    return clean_line(str(detail.get("name") or entry.get("author", "") or ""), limit=300)


def _xml_enclosures(entry: Mapping[str, Any], url: str) -> tuple[Enclosure, ...]:
    found: dict[str, Enclosure] = {}
    for item in entry.get("enclosures", []) or []:
        href = safe_link(_join(url, item.get("href", "") or item.get("url", "") or ""))
        if href and href not in found:
            found[href] = Enclosure(
                url=href,
                type=clean_line(str(item.get("type", "") or ""), limit=200),
                length=_int(item.get("length")),
            )
    return tuple(found.values())


def _int(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _digest(*parts: str) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


# -- HTML: sanitising, text, titles ---------------------------------------------------------

_URL_ATTRIBUTES = frozenset({"href", "src", "cite", "longdesc", "poster"})
_ABSOLUTE = ("http://", "https://", "#", "mailto:")
# A URL attribute whose value is not obviously absolute: only then is resolving needed.
_RELATIVE = re.compile(
    r"""\b(?:href|src|cite|longdesc|poster)\s*=\s*["']?\s*(?!https?:|#|mailto:)""",
    re.IGNORECASE,
)


# A root-relative URL that urljoin would only prefix with the base's scheme and host: no
# dot segments to remove, no empty query, fragment or parameters that it would drop, none of
# the tab and line-break characters it deletes.
_ROOT_RELATIVE = re.compile(
    r"/(?![./\\])(?:[^\t\r\n;?#/]|/(?![./\\]))*(?:\?[^#\t\r\n]+)?(?:#[^\t\r\n]+)?\Z"
)


@lru_cache(maxsize=64)
def _origin(base: str) -> str:
    """``scheme://host`` of an http(s) base URL, or "" when it is anything else."""
    try:
        parts = urlsplit(base)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def sanitize_html(fragment: str, base: str | None = None) -> str:
    """Sanitise an HTML fragment (nh3), resolving relative URLs against ``base``.

    Scripts, styles, event handlers, forms, frames and non-http(s)/mailto URLs go; escape
    sequences and control characters are removed from the text.
    """
    import nh3

    if not fragment:
        return ""

    origin = _origin(base) if base else ""

    def resolve(tag: str, attribute: str, value: str) -> str | None:
        if attribute in _URL_ATTRIBUTES:
            value = value.strip()
            if base and value and not value.startswith(_ABSOLUTE):
                if origin and _ROOT_RELATIVE.match(value):
                    return origin + value  # what urljoin gives, without its parsing
                try:
                    value = urljoin(base, value)
                except ValueError:
                    return None
        return value

    cleaned = nh3.clean(
        clean_text(fragment),
        attribute_filter=resolve if base and _RELATIVE.search(fragment) else None,
        link_rel=None,
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
    )
    return clean_text(cleaned)


def _html_fragment(value: str, kind: str, base: str | None = None) -> str:
    """Content of any type as a sanitised HTML fragment."""
    if not value:
        return ""
    if "html" in kind:
        return sanitize_html(value, base)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", clean_text(value)) if p.strip()]
    return "".join(
        "<p>" + html.escape(paragraph).replace("\n", "<br>") + "</p>" for paragraph in paragraphs
    )


_BLOCK = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|figure|figcaption|"
    r"section|article|header|footer|dt|dd|hr)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")


def html_to_text(fragment: str) -> str:
    """Cheap plain text of a (sanitised) HTML fragment, for the search index: words only,
    whitespace collapsed (the readable rendering is made from the HTML on display)."""
    if not fragment:
        return ""
    text = html.unescape(_TAG.sub("", _BLOCK.sub(" ", fragment)))
    return " ".join(clean_text(text).split())


_SCRIPT_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def _summary_text(value: str, kind: str) -> str:
    """Plain text of a summary, cheaply (it is shown as one line, never as HTML)."""
    if "html" not in kind:
        return clean_line(value, limit=SUMMARY_CHARS * 2)
    return html_to_text(_SCRIPT_STYLE.sub(" ", value[: SUMMARY_CHARS * 20]))


def _plain_title(value: str, detail: Mapping[str, Any] | None = None) -> str:
    if not value:
        return ""
    kind = ((detail or {}).get("type", "") or "").lower()
    if "html" in kind:
        value = html.unescape(_TAG.sub("", value))
    return clean_line(value, limit=500)


def _title_from_text(text: str) -> str:
    return clean_line(text, limit=TITLE_FROM_TEXT_CHARS) or "Untitled"


# -- JSON Feed ------------------------------------------------------------------------------


def _is_json_feed(document: Mapping[str, Any]) -> bool:
    version = document.get("version")
    return (
        isinstance(version, str)
        and re.match(r"^https?://jsonfeed\.org/version/", version) is not None
        and isinstance(document.get("items"), list)
    )


def _json_authors(item: Mapping[str, Any]) -> list[str]:
    authors = item.get("authors")
    if not isinstance(authors, list) or not authors:
        single = item.get("author")
        authors = [single] if isinstance(single, dict) else []
    names = [
        clean_line(str(a.get("name", "")), limit=200)
        for a in authors
        if isinstance(a, dict) and a.get("name")
    ]
    return [n for n in names if n]


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _parse_json_feed(
    data: bytes, url: str, now: datetime, known: Mapping[str, str] | None = None
) -> ParsedFeed:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return ParsedFeed(error="malformed JSON Feed: not UTF-8", format="json")
    except ValueError as error:
        return ParsedFeed(error=f"malformed JSON Feed: {clean_line(str(error), limit=200)}")
    if not isinstance(document, dict) or not _is_json_feed(document):
        return ParsedFeed(error="not a feed: JSON without a JSON Feed version and items")
    version = str(document["version"]).rstrip("/").rsplit("/", 1)[-1]
    home = safe_link(urljoin(url, _str(document.get("home_page_url"))))
    result = ParsedFeed(
        title=clean_line(_str(document.get("title")), limit=500),
        link=home,
        format="json1.0" if version == "1" else f"json{version}",
        encoding="utf-8",
    )
    feed_authors = _json_authors(document)
    skipped = 0
    items = document["items"]
    skip = _skippable(known, [_json_key(item, url) for item in items]) if known else None
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            skipped += 1
            continue
        digest = source_hash(url, item, feed_authors)
        if skip and skip[position] and known and known.get(skip[position]) == digest:
            result.unchanged.append(skip[position])
            continue
        article = _json_item(item, url, now, feed_authors, position, result)
        article.source_hash = digest
        result.articles.append(article)
    _unique_keys(result)
    if skipped:
        result.warning = f"skipped {skipped} item(s) that are not JSON objects"
    return result


def _json_key(item: Any, url: str) -> str:
    """The key :func:`_json_item` gives an item with an id or a link, else ""."""
    if not isinstance(item, dict):
        return ""
    key = clean_line(_str(item.get("id")), limit=2000)
    link = safe_link(urljoin(url, _str(item.get("url")) or _str(item.get("external_url"))))
    return key or link


def _json_item(
    item: Mapping[str, Any],
    url: str,
    now: datetime,
    feed_authors: list[str],
    position: int,
    result: ParsedFeed,
) -> NewArticle:
    link = safe_link(urljoin(url, _str(item.get("url")) or _str(item.get("external_url"))))
    html_value = _str(item.get("content_html"))
    text_value = _str(item.get("content_text"))
    summary_value = _str(item.get("summary"))
    if html_value:
        content = _html_fragment(html_value, "text/html", link or url)
    elif text_value:
        content = _html_fragment(text_value, "text/plain")
    else:
        content = _html_fragment(summary_value, "text/plain")
    image = safe_link(urljoin(url, _str(item.get("image"))))
    if image and image not in content:
        content = f'<p><img src="{html.escape(image)}" alt=""></p>' + content
    text = html_to_text(content)
    title = clean_line(_str(item.get("title")), limit=500)
    published = parse_datetime(item.get("date_published"))
    updated = parse_datetime(item.get("date_modified"))
    enclosures = _json_attachments(item.get("attachments"), url)
    key = clean_line(_str(item.get("id")), limit=2000) or link
    if not key:
        key = "sha1:" + _digest(title, html_value, text_value)
    if published is None:
        published = updated
    if published is None:
        published = now - timedelta(seconds=position)
        result.undated.append(key)
    authors = _json_authors(item) or feed_authors
    return NewArticle(
        key=key,
        title=title or _title_from_text(text),
        published=published,
        updated=updated if updated != published else None,
        content=content,
        content_type=ContentType.HTML,
        body=None,
        text=text,
        author=clean_line(", ".join(authors), limit=300),
        link=link,
        summary=clean_line(summary_value or text, limit=SUMMARY_CHARS),
        enclosures=enclosures,
    )


def _json_attachments(value: Any, url: str) -> tuple[Enclosure, ...]:
    if not isinstance(value, list):
        return ()
    found: dict[str, Enclosure] = {}
    for attachment in value:
        if not isinstance(attachment, dict):
            continue
        href = safe_link(urljoin(url, _str(attachment.get("url"))))
        if href and href not in found:
            found[href] = Enclosure(
                url=href,
                type=clean_line(_str(attachment.get("mime_type")), limit=200),
                length=_int(attachment.get("size_in_bytes")),
            )
    return tuple(found.values())
