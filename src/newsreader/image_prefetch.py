"""Pictures fetched ahead during a refresh, so that they show at once (and offline) later.

With ``prefetch_images = true`` (and ``images`` not ``"off"``), a refresh calls
:meth:`PicturePrefetch.for_feed` after storing a feed: the pictures of its newest new
articles (still unread once the filters ran) go into the on-disk image cache through
:meth:`~newsreader.images.loader.ImageLoader.prefetch`, which applies the image policy (only
http/https; nothing on a private address for a feed on a public host, on any hop), the 10 MB
cap per picture and the cache's rules, and leaves pictures cached already alone.

Feeds are not held up: the pictures' own fetcher takes a quarter of the refresh's concurrency
(at most two requests to a host), their URLs are read one feed at a time in one thread, and a
refresh fetches at most :data:`MAX_PER_REFRESH` pictures (:data:`MAX_PER_FEED` a feed), and
starts no more once it has stored a quarter of the cache's size. The URLs are read from the
article as its view reads them (:func:`~newsreader.render.image_refs` of its Markdown), so
opening it finds them in the cache.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from types import TracebackType
from typing import TYPE_CHECKING, Any

from newsreader.config import Config
from newsreader.model import Article, ContentType
from newsreader.store import Store

if TYPE_CHECKING:
    from newsreader.images.cache import ImageCache
    from newsreader.images.loader import ImageLoader
    from newsreader.sources.feeds import FetchLimits

MAX_ARTICLES = 20  # newest new articles of a feed whose pictures are fetched
MAX_PER_FEED = 40  # pictures of one feed in one refresh
MAX_PER_REFRESH = 200  # pictures in one refresh
BYTES_SHARE = 4  # and at most 1/BYTES_SHARE of the image cache's size
SHARE = 4  # the pictures' fetcher takes 1/SHARE of the refresh's concurrency
PER_HOST = 2  # and at most this many requests to one host at a time


def prefetch_wanted(config: Config) -> bool:
    """Whether the config asks for pictures during a refresh (and draws pictures at all)."""
    settings = config.settings
    return settings.prefetch_images and settings.images != "off"


def picture_urls(article: Article) -> list[str]:
    """The http(s) pictures of ``article`` as its view finds them, in order, each once.

    An entry kept as HTML is converted as the view would (without storing the result; the
    view does that); one without an ``<img`` is not converted at all.
    """
    from newsreader.ingest.sanitize import clean_text
    from newsreader.render import article_markdown, image_refs

    if article.body is None:
        if article.content_type is ContentType.HTML and "<img" not in article.content.lower():
            return []
        if article.content_type is ContentType.TEXT:
            return []  # plain text has no pictures
    markdown = article_markdown(None, article)
    return [url for _, url in image_refs(clean_text(markdown))]


def feed_picture_urls(
    read: Callable[[], Store], feed_id: int, among: Collection[int], room: Callable[[int], int]
) -> list[str]:
    """The pictures of the newest :data:`MAX_ARTICLES` of ``among`` (a feed's new articles)
    still unread, newest article first, each once, at most :data:`MAX_PER_FEED` (runs in a
    worker thread).

    ``room(n)`` grants up to ``n`` more pictures (the refresh's budget); articles are read
    only until it grants fewer than asked, so no more entries are converted than are used.
    """
    articles = read().newest_unread(feed_id, among, MAX_ARTICLES)
    urls: dict[str, None] = {}
    for article in articles:
        more = [url for url in picture_urls(article) if url not in urls]
        if not more:
            continue
        wanted = min(len(more), MAX_PER_FEED - len(urls))
        granted = room(wanted)
        urls.update(dict.fromkeys(more[:granted]))
        if granted < len(more) or len(urls) >= MAX_PER_FEED:
            break
    return list(urls)


class PicturePrefetch:
    """Fetches new articles' pictures into the image cache during a refresh; use as an async
    context manager. Leaving the context waits for the pictures scheduled with
    :meth:`for_feed`; one picture's or one feed's failure never reaches the refresh."""

    def __init__(
        self,
        config: Config,
        read: Callable[[], Store],
        limits: FetchLimits,
        cache: ImageCache | None = None,
    ) -> None:
        """``read()`` gives the store to read articles from (in a worker thread)."""
        self.enabled = prefetch_wanted(config)
        self.read = read
        self.limits = replace(
            limits,
            concurrency=max(1, limits.concurrency // SHARE),
            per_host=max(1, min(limits.per_host, PER_HOST)),
        )
        self.cache = cache
        from newsreader.images.cache import DEFAULT_MAX_BYTES

        self.max_bytes = (cache.max_bytes if cache else DEFAULT_MAX_BYTES) // BYTES_SHARE
        self.pictures = 0  # pictures stored in the cache
        self.bytes = 0
        self._reserved = 0  # pictures granted so far (the refresh's cap)
        self._reserving = threading.Lock()
        # The feeds' pictures are read one feed at a time, in one thread: converting entries
        # to Markdown is CPU work that must not crowd the feeds' parsing and storing.
        self._reading = ThreadPoolExecutor(1, "picture-urls") if self.enabled else None
        self._loader: ImageLoader | None = None
        self._opening = asyncio.Lock()
        self._tasks: list[asyncio.Task[None]] = []

    async def __aenter__(self) -> PicturePrefetch:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if error is None:
                await asyncio.gather(*self._tasks, return_exceptions=True)
            else:
                for task in self._tasks:
                    task.cancel()
                await asyncio.gather(*self._tasks, return_exceptions=True)
        finally:
            if self._reading is not None:
                self._reading.shutdown(wait=False, cancel_futures=True)
            if self._loader is not None:
                loader, self._loader = self._loader, None
                await loader.__aexit__(None, None, None)

    def for_feed(
        self,
        feed_id: int,
        feed_url: str,
        new_ids: Collection[int],
        after: asyncio.Future[Any] | None = None,
    ) -> None:
        """After a feed's new articles ``new_ids`` are stored (and, when ``after`` is given,
        once it is done: the feed's full texts, whose pages may bring pictures): fetch
        their pictures in the background of the refresh."""
        if not self.enabled or not new_ids:
            return
        self._tasks.append(
            asyncio.ensure_future(self._feed(feed_id, feed_url, tuple(new_ids), after))
        )

    async def _feed(
        self,
        feed_id: int,
        feed_url: str,
        new_ids: tuple[int, ...],
        after: asyncio.Future[Any] | None,
    ) -> None:
        with contextlib.suppress(Exception):  # a feed's failure must not sink the refresh
            if after is not None:
                await asyncio.wait([after])
            if self._room(0) is None:
                return
            urls = await asyncio.get_running_loop().run_in_executor(
                self._reading, feed_picture_urls, self.read, feed_id, new_ids, self._grant
            )
            if not urls:
                return
            loader = await self._open()
            stored, size = await loader.prefetch(urls, feed_url)
            self.pictures += stored
            self.bytes += size

    def _room(self, wanted: int) -> int | None:
        """Grant up to ``wanted`` more pictures of the refresh's budget; None when it is
        spent (pictures or bytes)."""
        with self._reserving:
            left = MAX_PER_REFRESH - self._reserved
            if left <= 0 or self.bytes >= self.max_bytes:
                return None
            granted = min(wanted, left)
            self._reserved += granted
            return granted

    def _grant(self, wanted: int) -> int:
        return self._room(wanted) or 0

    async def _open(self) -> ImageLoader:
        """The loader, opened on first need (a refresh without new pictures opens none)."""
        async with self._opening:
            if self._loader is None:
                from newsreader.images.loader import ImageLoader

                loader = ImageLoader(self.cache, self.limits)
                await loader.__aenter__()
                self._loader = loader
            return self._loader
