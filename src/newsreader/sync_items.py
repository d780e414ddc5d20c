"""A feed server's feeds and items as the cache's feeds and articles, and storing pages of
items (in the syncing process, or in a worker process with its own connection).

A batch of pages is stored in one transaction with the highest item id it holds, so a
stopped sync resumes after the last batch stored, and a pull that outpaces storing commits
less often.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from newsreader.model import ContentType, NewArticle
from newsreader.sources.accounts import RemoteFeed, RemoteGroup, RemoteItem
from newsreader.store import Store
from newsreader.store import sync_state as state

SUMMARY_CHARS = 300

Page = tuple[RemoteItem, ...]


@dataclass(frozen=True, slots=True)
class PageStored:
    """What storing items did: new articles, items left out (their feed is unknown) and the
    CPU seconds of turning them into articles and of storing them."""

    new: int = 0
    ignored: int = 0
    convert_cpu: float = 0.0
    store_cpu: float = 0.0

    def __add__(self, other: PageStored) -> PageStored:
        return PageStored(
            self.new + other.new,
            self.ignored + other.ignored,
            self.convert_cpu + other.convert_cpu,
            self.store_cpu + other.store_cpu,
        )


def server_feeds(
    groups: Sequence[RemoteGroup], feeds: Sequence[RemoteFeed]
) -> list[state.ServerFeed]:
    """The server's feeds with their groups' names as tags, every text cleaned."""
    from newsreader.ingest.sanitize import clean_line, safe_link

    names = {g.id: clean_line(g.title, limit=200) for g in groups}
    result = []
    for feed in feeds:
        tags = tuple(dict.fromkeys(names[g] for g in feed.group_ids if names.get(g)))
        url = feed.url.strip() or f"server-feed:{feed.id}"
        title = clean_line(feed.title, limit=500) or url
        result.append(state.ServerFeed(feed.id, url, title, safe_link(feed.site_url), tags))
    return result


# A worker process's own connection to the cache, opened on its first batch.
_worker_stores: dict[str, Store] = {}


def store_pages(db_path: str, feed_ids: dict[int, int], pages: Sequence[Page]) -> PageStored:
    """In a worker process: :func:`store_pages_here` through its own connection to the cache
    (WAL lets it write beside the syncing process)."""
    store = _worker_stores.get(db_path)
    if store is None:
        store = _worker_stores[db_path] = Store.open(db_path)
    return store_pages_here(store, feed_ids, pages)


def store_pages_here(store: Store, feed_ids: dict[int, int], pages: Sequence[Page]) -> PageStored:
    """Store pages of items (in the order they were pulled) in one transaction, with the
    highest item id among them as where the next pull starts."""
    items = [item for page in pages for item in page]
    if not items:
        return PageStored()
    with store.batch():
        stored = store_items(store, feed_ids, items)
        state.set_state(store, {"max_item_id": str(max(item.id for item in items))})
    return stored


def store_items(store: Store, feed_ids: dict[int, int], items: Iterable[RemoteItem]) -> PageStored:
    """Store server items as articles (items of feeds not in ``feed_ids`` are left out)."""
    started = time.thread_time()
    usable: list[state.ServerItem] = []
    ignored = 0
    for item in items:
        if item.feed_id not in feed_ids:
            ignored += 1
            continue
        usable.append(
            state.ServerItem(item.id, item.feed_id, article_from_item(item), item.read, item.saved)
        )
    converted = time.thread_time()
    if not usable:
        return PageStored(0, ignored, converted - started)
    new = state.save_items(store, feed_ids, usable)
    return PageStored(new, ignored, converted - started, time.thread_time() - converted)


def article_from_item(item: RemoteItem) -> NewArticle:
    """A server item as an article: its HTML sanitised like a feed entry's."""
    from newsreader.ingest.feed import html_to_text, sanitize_html
    from newsreader.ingest.sanitize import clean_line, safe_link

    link = safe_link(item.url.strip())
    content = sanitize_html(item.html, link or None)
    text = html_to_text(content)
    title = clean_line(item.title, limit=500) or clean_line(text[:81], limit=80) or "Untitled"
    published = datetime.fromtimestamp(item.created, UTC) if item.created > 0 else datetime.now(UTC)
    return NewArticle(
        key=f"server-item:{item.id}",
        title=title,
        published=published,
        content=content,
        content_type=ContentType.HTML,
        body=None,
        text=text,
        author=clean_line(item.author, limit=300),
        link=link,
        # The text is whitespace-collapsed already: only its start needs cleaning.
        summary=clean_line(text[: SUMMARY_CHARS + 1], limit=SUMMARY_CHARS),
    )
