"""JSON Feed 1.0 and 1.1 documents → articles."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin

from newsreader.ingest.dates import parse_datetime
from newsreader.ingest.feed.content import html_fragment, html_to_text
from newsreader.ingest.feed.entry import (
    EntryFields,
    ParsedFeed,
    build_article,
    non_negative_int,
    skippable,
    source_hash,
    unique_keys,
)
from newsreader.ingest.sanitize import clean_line, safe_link
from newsreader.model import Enclosure, NewArticle


def is_json_feed(document: Mapping[str, Any]) -> bool:
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


def parse_json_feed(
    data: bytes, url: str, now: datetime, known: Mapping[str, str] | None = None
) -> ParsedFeed:
    """Read a JSON Feed; an item whose key is in ``known`` with its source hash is only
    listed in ``unchanged`` (see :func:`newsreader.ingest.feed.parse.parse_feed`)."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return ParsedFeed(error="malformed JSON Feed: not UTF-8", format="json")
    except ValueError as error:
        return ParsedFeed(error=f"malformed JSON Feed: {clean_line(str(error), limit=200)}")
    if not isinstance(document, dict) or not is_json_feed(document):
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
    skip = skippable(known, [_json_key(item, url) for item in items]) if known else None
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
    unique_keys(result)
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
        content = html_fragment(html_value, "text/html", link or url)
    elif text_value:
        content = html_fragment(text_value, "text/plain")
    else:
        content = html_fragment(summary_value, "text/plain")
    image = _str(item.get("image")).strip()
    image = safe_link(urljoin(url, image)) if image else ""  # (joined, "" is the feed's URL)
    if image and image not in content:
        content = f'<p><img src="{html.escape(image)}" alt=""></p>' + content
    text = html_to_text(content)
    fields = EntryFields(
        entry_id=_str(item.get("id")),
        link=link,
        title=clean_line(_str(item.get("title")), limit=500),
        content=content,
        text=text,
        summary=summary_value,
        author=clean_line(", ".join(_json_authors(item) or feed_authors), limit=300),
        published=parse_datetime(item.get("date_published")),
        updated=parse_datetime(item.get("date_modified")),
        undated_at=now - timedelta(seconds=position),
        enclosures=_json_attachments(item.get("attachments"), url),
        fingerprint=(clean_line(_str(item.get("title")), limit=500), html_value, text_value),
    )
    return build_article(fields, result)


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
                length=non_negative_int(attachment.get("size_in_bytes")),
            )
    return tuple(found.values())
