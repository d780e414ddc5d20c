"""Finding the feed behind a web page: ``<link rel="alternate">`` first, then common paths."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from newsreader.ingest.sanitize import clean_line, safe_link
from newsreader.sources.feeds import Fetcher

FEED_TYPES = {
    "application/rss+xml": "RSS",
    "application/atom+xml": "Atom",
    "application/rdf+xml": "RDF",
    "application/feed+json": "JSON Feed",
    "application/json": "JSON Feed",
    "text/xml": "RSS",
    "application/xml": "RSS",
}
COMMON_PATHS = (
    "/feed",
    "/rss",
    "/feed.xml",
    "/atom.xml",
    "/rss.xml",
    "/index.xml",
    "/feed.json",
    "/feeds/posts/default",
)


class DiscoveryError(Exception):
    """No feed could be found at or behind a URL; the message says what was tried.

    ``unreachable`` is set when the URL itself could not be fetched (offline, say), as
    opposed to a page that was read and holds no feed.
    """

    def __init__(self, message: str, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable


@dataclass(frozen=True, slots=True)
class FoundFeed:
    """A feed found for a URL, with the document already fetched."""

    url: str
    title: str
    body: bytes
    content_type: str = ""


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (href, type, title)
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"]
        if tag != "link":
            return
        rel = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES and values.get("href"):
            self.links.append((values["href"], kind, values.get("title", "")))


def feed_links(page: str, page_url: str) -> list[tuple[str, str]]:
    """The feeds a page advertises, as (absolute http(s) URL, title), in page order."""
    parser = _LinkParser()
    try:
        parser.feed(page)
        parser.close()
    except (AssertionError, ValueError):
        pass
    base = urljoin(page_url, parser.base) if parser.base else page_url
    found: dict[str, str] = {}
    for href, _kind, title in parser.links:
        url = safe_link(urljoin(base, href.strip()))
        if url and url not in found:
            found[url] = clean_line(title, limit=300)
    return list(found.items())


def _decode(body: bytes, content_type: str) -> str:
    charset = "utf-8"
    if "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


async def discover(fetcher: Fetcher, url: str, try_common_paths: bool = True) -> FoundFeed:
    """The feed at ``url``, or the first feed the page at ``url`` links to.

    Raises:
        DiscoveryError: ``url`` cannot be fetched, or neither it nor the page's alternate
            links nor the usual feed paths on its site hold a feed.
    """
    from newsreader.ingest.feed import looks_like_feed, parse_feed

    result = await fetcher.fetch(url)
    if result.error:
        raise DiscoveryError(f"cannot fetch {url}: {result.error}", unreachable=True)
    final = result.final_url or url
    if looks_like_feed(result.body):
        parsed = parse_feed(result.body, final, result.content_type)
        if not parsed.error:
            return FoundFeed(final, parsed.title, result.body, result.content_type)
    candidates = [
        link for link, _title in feed_links(_decode(result.body, result.content_type), final)
    ]
    tried = list(candidates)
    if try_common_paths:
        parts = urlsplit(final)
        root = f"{parts.scheme}://{parts.netloc}"
        for path in COMMON_PATHS:
            candidate = root + path
            if candidate not in candidates and candidate != final:
                candidates.append(candidate)
    refused: list[str] = []
    private: dict[str, bool] = {}

    async def is_private(link: str) -> bool:
        host = urlsplit(link).hostname or ""
        if host not in private:
            private[host] = await fetcher.addresses.is_private(host)
        return private[host]

    if candidates and not await is_private(final):
        # A public page must not send us to a private address (a local service, a cloud
        # metadata endpoint) by naming it as its feed.
        refused = [candidate for candidate in candidates if await is_private(candidate)]
        candidates = [c for c in candidates if c not in refused]
    for candidate in candidates:
        found = await fetcher.fetch(candidate)
        if found.error or not looks_like_feed(found.body):
            continue
        location = found.final_url or candidate
        parsed = parse_feed(found.body, location, found.content_type)
        if not parsed.error:
            return FoundFeed(location, parsed.title, found.body, found.content_type)
    if refused and len(refused) == len(tried):
        raise DiscoveryError(
            f"{url} links only to feeds on private addresses, which a public page may not "
            f"point to (e.g. {clean_line(refused[0], limit=200)}); add such a feed by its URL"
        )
    if tried:
        raise DiscoveryError(
            f"{url} links to {len(tried)} feed(s) but none could be read (tried {', '.join(tried[:3])})"
        )
    raise DiscoveryError(
        f'no feed found at {url}: the page has no <link rel="alternate"> feed links'
        + (
            " and none of the usual paths (/feed, /rss, /atom.xml...) holds one"
            if try_common_paths
            else ""
        )
    )
