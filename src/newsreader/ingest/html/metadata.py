"""What a web page says about itself: title, author and publication date.

Read from <meta> tags (Open Graph, Dublin Core...), JSON-LD, <time> and the page's headings.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from newsreader.ingest.dates import parse_datetime
from newsreader.ingest.sanitize import clean_line

if TYPE_CHECKING:
    from lxml.html import HtmlElement


def normalise(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def meta_content(doc: HtmlElement, *keys: str) -> str | None:
    """The first non-empty content of a <meta> whose property/name/itemprop is in ``keys``."""
    wanted = {key.lower() for key in keys}
    found: dict[str, str] = {}
    for meta in doc.iter("meta"):
        content = meta.get("content")
        if not content or not content.strip():
            continue
        for attribute in ("property", "name", "itemprop"):
            key = (meta.get(attribute) or "").strip().lower()
            if key in wanted and key not in found:
                found[key] = content.strip()
    for key in keys:
        if key.lower() in found:
            return found[key.lower()]
    return None


def json_ld(doc: HtmlElement) -> list[dict[str, Any]]:
    """The JSON-LD objects in the page (graphs flattened), ignoring invalid blocks."""
    objects: list[dict[str, Any]] = []
    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        pending = data if isinstance(data, list) else [data]
        while pending and len(objects) < 100:
            item = pending.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    pending.extend(graph)
            elif isinstance(item, list):
                pending.extend(item)
    return objects


def _ld_name(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, str) else None
    if isinstance(value, list):
        names = [name for name in (_ld_name(item) for item in value) if name]
        return ", ".join(names) or None
    return None


def published_date(doc: HtmlElement, ld: list[dict[str, Any]]) -> datetime | None:
    candidates: list[str | None] = [
        meta_content(
            doc,
            "article:published_time",
            "og:article:published_time",
            "datePublished",
            "date",
            "DC.date",
            "DC.date.issued",
            "dcterms.date",
            "dcterms.created",
            "DC.date.created",
            "pubdate",
            "publish-date",
            "sailthru.date",
            "parsely-pub-date",
        )
    ]
    candidates.extend(str(item["datePublished"]) for item in ld if item.get("datePublished"))
    for time in doc.iter("time"):
        if time.get("datetime"):
            candidates.append(time.get("datetime"))
            break
    for value in candidates:
        parsed = parse_datetime(value)
        if parsed is not None:
            return parsed
    return None


_BYLINE_PREFIX = re.compile(
    r"^(?:(?:view\ all\ posts|posted|written|published|words)\ by|by|von|par|por)[\s:]+",
    re.IGNORECASE,
)


def author_name(doc: HtmlElement, ld: list[dict[str, Any]]) -> str | None:
    candidates: list[str | None] = [meta_content(doc, "author", "article:author", "DC.creator")]
    candidates.extend(_ld_name(item.get("author")) for item in ld if item.get("author"))
    for xpath in (
        "//*[@rel='author']",
        "//*[@itemprop='author']",
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]",
    ):
        for element in doc.xpath(xpath)[:1]:
            candidates.append(element.text_content())
    for value in candidates:
        if not value:
            continue
        author = clean_line(value, limit=200)
        author = _BYLINE_PREFIX.sub("", author)
        if author and not re.match(r"https?://", author) and len(author) <= 100:
            return author
    return None


_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»·•/]\s+|\s+::\s+")


def page_title(doc: HtmlElement, ld: list[dict[str, Any]]) -> str | None:
    """The article title: og:title, the <title> (minus a site name), JSON-LD or the h1."""
    headings = [
        clean_line(h.text_content()) for h in doc.iter("h1", "h2") if h.text_content().strip()
    ]
    normalised_headings = {normalise(h) for h in headings}
    for value in (
        meta_content(doc, "og:title", "twitter:title"),
        *(str(item["headline"]) for item in ld if isinstance(item.get("headline"), str)),
    ):
        if value and clean_line(value):
            return clean_line(value)
    element = doc.find(".//title")
    page_title = clean_line(element.text_content()) if element is not None else ""
    if page_title:
        if normalise(page_title) in normalised_headings:
            return page_title
        site = normalise(meta_content(doc, "og:site_name", "application-name") or "")
        parts = _TITLE_SEPARATORS.split(page_title)
        if len(parts) > 1:
            for part in parts:
                if normalise(part) in normalised_headings:
                    return part.strip()
            kept = [part for part in parts if normalise(part) != site] if site else parts
            if kept and len(kept) < len(parts):
                return " - ".join(kept).strip()
        return page_title
    for heading in doc.iter("h1"):
        text = clean_line(heading.text_content())
        if text:
            return text
    return None
