"""Loading an article's pictures: cache first, then the polite fetcher, then Pillow.

:class:`ImageLoader` is the one thing the views call. It never raises for a bad picture: a
result carries either a decoded image or a short reason to show beside the alt text. Network
I/O is asynchronous (through :class:`~newsreader.sources.feeds.Fetcher`, so timeouts and the
per-host limits apply); the disk cache and Pillow run in worker threads, so the event loop
(the UI thread, in the app) only waits.

The fetcher is made to stop at the first redirect (``max_redirects=0``); the loader follows
redirects itself, one hop at a time, so that each target is checked by
:mod:`~newsreader.images.policy` *before* it is requested.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, replace
from types import TracebackType
from urllib.parse import urljoin

from newsreader.images.cache import CachedImage, ImageCache, body_version, freshness
from newsreader.images.decode import (
    DecodedImage,
    UndrawableImage,
    decode_image,
    decode_sized,
    encode_sized,
    sniff_markup,
)
from newsreader.images.policy import PrivacyCheck, RefusedURL, check_redirect, check_scheme
from newsreader.images.policy import host_is_private as _host_is_private
from newsreader.model import FetchResult
from newsreader.sources.feeds import REDIRECTS, Fetcher, FetchLimits

__all__ = ["FetchedImage", "ImageLoader", "ImageResult", "body_version", "sized_key", "sized_url"]

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
IMAGE_ACCEPT = "image/avif;q=0.5, image/webp, image/png, image/jpeg, image/gif, image/*;q=0.8"


@dataclass(frozen=True, slots=True)
class FetchedImage:
    """The bytes of one picture, or why there are none."""

    url: str
    body: bytes = b""
    content_type: str = ""
    from_cache: bool = False  # served from the cache (fresh, or revalidated with a 304)
    error: str = ""
    etag: str | None = None
    last_modified: str | None = None
    fresh_for: float | None = 0.0  # seconds it may be reused unasked; None: do not store


@dataclass(frozen=True, slots=True)
class ImageResult:
    """A picture ready to draw, or the reason it will not be drawn."""

    url: str
    decoded: DecodedImage | None = None
    error: str = ""
    from_cache: bool = False
    #: Names the bytes it was decoded from (equal versions: the same picture).
    version: str = ""
    #: A cached copy past its freshness: shown at once, a request should confirm it.
    stale: bool = False

    @property
    def ok(self) -> bool:
        return self.decoded is not None


def image_fetch_limits(base: FetchLimits | None = None) -> FetchLimits:
    """The app's fetch limits with the image size cap, stopping at each redirect."""
    return replace(base or FetchLimits(), max_bytes=MAX_IMAGE_BYTES, max_redirects=0)


class ImageLoader:
    """Fetches, caches and decodes pictures; use as an async context manager."""

    def __init__(
        self,
        cache: ImageCache | None = None,
        limits: FetchLimits | None = None,
        *,
        is_private: PrivacyCheck = _host_is_private,
    ) -> None:
        self.cache = cache if cache is not None else ImageCache()
        self.fetcher = Fetcher(image_fetch_limits(limits))
        self.is_private = is_private
        self._writes: set[asyncio.Future[None]] = set()  # decoded copies being stored

    async def __aenter__(self) -> ImageLoader:
        await self.fetcher.__aenter__()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._writes:
            await asyncio.gather(*self._writes, return_exceptions=True)
        await self.fetcher.__aexit__(kind, error, trace)

    # -- the views' entry points -----------------------------------------------------------

    async def cached(self, url: str, box: tuple[int, int]) -> ImageResult | None:
        """The picture from the cache alone, without any request; None when not cached.

        Read and decoded in one worker thread. The result is :attr:`~ImageResult.stale` when
        the server's freshness has run out: it may be shown at once, then :meth:`load`
        revalidates it (a conditional GET) and gives the picture again if it changed.
        """
        try:
            check_scheme(url)
        except RefusedURL:
            return None

        def work() -> tuple[ImageResult, bool] | None:
            head = self.cache.get(url, body=False)
            if head is None:
                return None
            stale = not head.is_fresh()
            # The picture decoded at this size from these very bytes, read without the
            # original (the header names its bytes).
            found = self._sized(url, box, head.version) if head.version else None
            if found is not None:
                return replace(found, stale=stale), False
            entry = self.cache.get(url)
            if entry is None:
                return None
            fetched = FetchedImage(url, entry.body, entry.content_type, from_cache=True)
            result, keep = self._decode_now(fetched, box)
            return replace(result, stale=stale), keep

        found = await asyncio.to_thread(work)
        if found is None:
            return None
        result, keep = found
        if keep:
            self._keep_copy(result, box)
        return result

    async def revalidate(
        self, url: str, box: tuple[int, int], version: str, page_url: str | None = None
    ) -> ImageResult | None:
        """Ask the server whether the cached picture named ``version`` changed (a conditional
        GET); the new picture fitted into ``box`` when it did, else None.

        A 304 only refreshes the entry's validators and freshness: nothing is read back or
        decoded. An error keeps the cached copy (None).
        """
        try:
            check_scheme(url)
            if page_url:
                await check_redirect(page_url, url, self.is_private)
        except RefusedURL:
            return None
        head = await asyncio.to_thread(lambda: self.cache.get(url, body=False))
        if head is None or head.version != version:
            changed = await self.load(url, box, page_url)  # the cache changed meanwhile
            return changed if changed.ok and changed.version != version else None
        answer = await self._request(url, head.etag, head.last_modified)
        if isinstance(answer, str):
            return None
        if answer.not_modified:
            fresh_for = freshness(answer.headers or {})
            if fresh_for:  # the server says how long it stays fresh from now on
                await asyncio.to_thread(
                    self.cache.refresh, url, answer.etag, answer.last_modified, fresh_for
                )
            return None
        fetched = await self._finish(url, answer, None)
        if fetched.error:
            return None
        result = await self._decode(fetched, box)
        return result if result.ok and result.version != version else None

    async def load(
        self, url: str, box: tuple[int, int], page_url: str | None = None
    ) -> ImageResult:
        """The picture at ``url`` fitted into ``box`` (pixels), revalidating a cached copy."""
        fetched = await self.fetch(url, page_url)
        if fetched.error:
            return ImageResult(url, error=fetched.error)
        return await self._decode(fetched, box)

    async def prefetch(self, urls: Iterable[str], page_url: str | None = None) -> tuple[int, int]:
        """Fetch the pictures at ``urls`` that are not cached yet into the cache, without
        decoding them, concurrently (the fetcher's limits apply); (pictures, bytes) stored.

        A picture cached already, fresh or not, is left alone (no request): it shows at once,
        and opening its article asks the server whether it changed. Web pages and SVG served
        as pictures are not kept. Never raises for a picture.
        """

        async def one(url: str) -> int:
            try:
                check_scheme(url)
                if await asyncio.to_thread(lambda: self.cache.get(url, body=False)):
                    return -1
                fetched = await self.fetch(url, page_url)
                if fetched.error or fetched.from_cache or fetched.fresh_for is None:
                    return -1
                if sniff_markup(fetched.body, fetched.content_type) is not None:
                    return -1
                await asyncio.to_thread(self._store, fetched, False)
                return len(fetched.body)
            except Exception:  # one picture's failure must not sink the others
                return -1

        sizes = [size for size in await asyncio.gather(*map(one, urls)) if size >= 0]
        if sizes:  # once for all of them: each eviction lists the whole cache folder
            await asyncio.to_thread(self.cache.evict)
        return len(sizes), sum(sizes)

    # -- fetching --------------------------------------------------------------------------

    async def fetch(self, url: str, page_url: str | None = None) -> FetchedImage:
        """The bytes at ``url``: from the cache while fresh, else a conditional GET when
        cached, else a plain one; the policy is checked on every hop."""
        try:
            check_scheme(url)
            if page_url:
                await check_redirect(page_url, url, self.is_private)
        except RefusedURL as error:
            return FetchedImage(url, error=str(error))
        entry = await asyncio.to_thread(self.cache.get, url)
        if entry is not None and entry.is_fresh():
            return FetchedImage(url, entry.body, entry.content_type, from_cache=True)
        etag = entry.etag if entry else None
        last_modified = entry.last_modified if entry else None
        answer = await self._request(url, etag, last_modified)
        if isinstance(answer, str):
            return FetchedImage(url, error=answer)
        return await self._finish(url, answer, entry)

    async def _request(
        self, url: str, etag: str | None, last_modified: str | None
    ) -> FetchResult | str:
        """The server's answer for ``url`` (conditional when validators are given), following
        redirects one checked hop at a time; or why there is none."""
        headers = {"Accept": IMAGE_ACCEPT}
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            result = await self.fetcher.fetch(current, etag, last_modified, headers)
            target = _redirect_target(current, result)
            if target is None:
                return result
            try:
                await check_redirect(current, target, self.is_private)
            except RefusedURL as error:
                return str(error)
            current = target
        return f"too many redirects (more than {MAX_REDIRECTS})"

    async def _finish(
        self, url: str, result: FetchResult, cached: CachedImage | None
    ) -> FetchedImage:
        if result.not_modified and cached is not None:
            fresh_for = freshness(result.headers or {})
            if fresh_for:  # the server says how long it stays fresh from now on
                await asyncio.to_thread(
                    self.cache.put,
                    url,
                    cached.body,
                    cached.content_type,
                    result.etag or cached.etag,
                    result.last_modified or cached.last_modified,
                    fresh_for,
                )
            return FetchedImage(url, cached.body, cached.content_type, from_cache=True)
        if result.error:
            return FetchedImage(url, error=result.error)
        if result.status != 200 or not result.body:
            return FetchedImage(url, error=f"empty response (HTTP {result.status})")
        return FetchedImage(
            url,
            result.body,
            result.content_type or "",
            etag=result.etag,
            last_modified=result.last_modified,
            fresh_for=freshness(result.headers or {}),
        )

    async def _decode(self, fetched: FetchedImage, box: tuple[int, int]) -> ImageResult:
        result, keep = await asyncio.to_thread(self._decode_now, fetched, box)
        if keep:
            self._keep_copy(result, box)
        return result

    def _decode_now(self, fetched: FetchedImage, box: tuple[int, int]) -> tuple[ImageResult, bool]:
        """The picture decoded into ``box`` (in a worker thread), and whether a decoded copy
        should be kept for the next time."""
        version = body_version(fetched.body)
        # The picture already decoded at this size from these very bytes, when cached:
        # reading a small PNG costs a fraction of decoding a large JPEG again.
        if fetched.from_cache:
            found = self._sized(fetched.url, box, version)
            if found is not None:
                return found, False
        try:
            decoded = decode_image(fetched.body, box, fetched.content_type)
        except UndrawableImage as error:
            return ImageResult(fetched.url, error=str(error), version=version), False
        if not fetched.from_cache:
            self._store(fetched)
        result = ImageResult(fetched.url, decoded, from_cache=fetched.from_cache, version=version)
        return result, fetched.fresh_for is not None and _worth_keeping(decoded)

    def _sized(self, url: str, box: tuple[int, int], version: str) -> ImageResult | None:
        """The cached copy of ``url``'s picture decoded into ``box`` from the bytes
        ``version`` names; None when there is none (or it is damaged)."""
        entry = self.cache.get(sized_key(url, box, version))
        found = decode_sized(entry.body) if entry is not None else None
        if found is None:
            return None
        return ImageResult(url, found, from_cache=True, version=version)

    def _keep_copy(self, result: ImageResult, box: tuple[int, int]) -> None:
        """Store ``result``'s picture as decoded for ``box``, after it is handed over (the
        first drawing does not wait)."""
        decoded = result.decoded
        if decoded is None:
            return
        key = sized_key(result.url, box, result.version)

        def keep() -> None:
            self.cache.put(key, encode_sized(decoded), "image/png")

        writing = asyncio.ensure_future(asyncio.to_thread(keep))
        self._writes.add(writing)
        writing.add_done_callback(self._writes.discard)

    def _store(self, fetched: FetchedImage, evict: bool = True) -> None:
        if fetched.fresh_for is None:
            return  # Cache-Control: no-store
        self.cache.put(
            fetched.url,
            fetched.body,
            fetched.content_type,
            fetched.etag,
            fetched.last_modified,
            fetched.fresh_for,
            evict=evict,
        )


def _worth_keeping(decoded: DecodedImage) -> bool:
    """A decoded copy pays when the original has many more pixels (a large photograph);
    a small picture decodes as fast from its own bytes."""
    image = decoded.image
    return decoded.source_width * decoded.source_height >= 4 * image.width * image.height


def sized_key(url: str, box: tuple[int, int], version: str) -> str:
    """The cache key of ``url``'s picture decoded into ``box`` from the bytes ``version``
    names (a new body, a new key: a changed picture is never shown from an old copy)."""
    return f"{url}#newsreader-decoded={box[0]}x{box[1]}-{version}"


def sized_url(url: str, box: tuple[int, int], body: bytes) -> str:
    """The cache key of ``url``'s picture decoded into ``box`` from ``body``."""
    return sized_key(url, box, body_version(body))


def _redirect_target(url: str, result: FetchResult) -> str | None:
    """Where a redirect response points (the fetcher stops at the first one), else None."""
    location = result.headers.get("location") if result.headers else None
    if result.status in REDIRECTS and location:
        return urljoin(url, location)
    return None
