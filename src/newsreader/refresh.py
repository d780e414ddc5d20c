"""One refresh: every source concurrently, progress per source, failures kept per source.

Feeds are fetched with conditional GET (a 304 costs nothing) and parsed off the event loop
(in a pool of processes for many feeds); entries stored before with the same source hash
are skipped unparsed. One writer thread stores the results, many feeds per short
transaction (:mod:`newsreader.batch_writer`), and applies the config's filters to each
feed's new articles in the same step. A feed that fails keeps its cached articles and
records the error; repeated failures back off; 410 Gone stops fetching; 429/503 honour
``Retry-After``.
Stored-article folders from the config are rescanned in a thread alongside. After a feed is
stored, its summary-only articles' pages (``full_text``) and, with ``prefetch_images``, its new
articles' pictures are fetched in the background of the same refresh.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from newsreader.config import Config
from newsreader.filters import filter_new
from newsreader.model import Feed as FeedRow
from newsreader.model import FeedKind, FetchResult, FetchStatus, UpsertCounts
from newsreader.refresh_results import FeedOutcome, ProgressCallback, RefreshSummary
from newsreader.refresh_storing import backoff_delay, now_utc, parse_changed, store_parsed
from newsreader.store import Store
from newsreader.workers import LazyPool

__all__ = [
    "FeedOutcome",
    "ProgressCallback",
    "RefreshSummary",
    "backoff_delay",
    "parse_changed",
    "refresh",
    "run_refresh",
    "sources_to_refresh",
    "store_parsed",
]

if TYPE_CHECKING:
    from newsreader.batch_writer import BatchWriter
    from newsreader.fulltext import FullTextJob
    from newsreader.image_prefetch import PicturePrefetch
    from newsreader.ingest.feed import ParsedFeed

T = TypeVar("T")

RETRY_AFTER_MAX = timedelta(days=1)
# Parsing in a pool of processes pays off once there is enough to parse to cover the pool's
# start-up (importing feedparser and nh3 in each worker): that many feeds, or that many bytes
# of feed documents. 20 feeds of 250 articles (12 MB) parsed in threads of the app's own
# process took 2.6-2.9 s and held its event loop 3-6 times over 50 ms; with the pool started
# once 2 MB had come, 1.8-2.1 s and 0-2 times (bench/refresh_ui_lag.py --feeds 20
# --articles 250).
PROCESS_POOL_MIN_FEEDS = 24
PROCESS_POOL_MIN_BYTES = 2 * 1024 * 1024


def _skip_reason(feed: FeedRow, now: datetime) -> str | None:
    if feed.last_status == "gone":
        return "gone (HTTP 410): no longer fetched; remove it or refresh with --force"
    if feed.next_fetch is not None and feed.next_fetch > now:
        local = feed.next_fetch.astimezone().strftime("%H:%M")
        cause = feed.last_error or "earlier failures"
        return f"waiting until {local} after {cause}"
    return None


def sources_to_refresh(
    store: Store, config: Config, feed_ids: Collection[int] | None = None
) -> list[FeedRow]:
    """The active feeds and the config's stored folders, optionally only ``feed_ids``."""
    folders = {folder.url for folder in config.stored}
    wanted = None if feed_ids is None else set(feed_ids)
    chosen: list[FeedRow] = []
    for feed in store.feeds():
        if wanted is not None and feed.id not in wanted:
            continue
        if feed.kind is FeedKind.FEED or feed.url in folders:
            chosen.append(feed)
    return chosen


async def refresh(
    store: Store,
    config: Config,
    feed_ids: Collection[int] | None = None,
    on_progress: ProgressCallback | None = None,
    force: bool = False,
) -> RefreshSummary:
    """Refresh active feeds (kind FEED) and the config's stored folders concurrently.

    ``on_progress(outcome, done, total)`` is called after each source. Never raises for a
    single source's failure. ``feed_ids=None`` means all; ``force`` ignores back-off and
    ``Retry-After`` and fetches gone feeds again.
    """
    from newsreader.fulltext import FullTextJob
    from newsreader.image_prefetch import PicturePrefetch
    from newsreader.sources.feeds import Fetcher, FetchLimits

    sources = sources_to_refresh(store, config, feed_ids)
    summary = RefreshSummary()
    total = len(sources)
    if not total:
        return summary
    settings = config.settings
    limits = FetchLimits(
        concurrency=settings.concurrency, per_host=settings.per_host, timeout=settings.timeout
    )
    now = now_utc()
    feeds = [s for s in sources if s.kind is FeedKind.FEED]
    due = [f for f in feeds if force or _skip_reason(f, now) is None]
    from newsreader.batch_writer import BatchWriter

    job = _Job(store, config, force)
    if len(due) >= PROCESS_POOL_MIN_FEEDS:
        # Start it now when most feeds will need parsing (never fetched), else on the first
        # feed that changed: an unchanged refresh (all 304) then starts no processes.
        job.pool.wanted = True
        if sum(not feed.last_status for feed in due) >= PROCESS_POOL_MIN_FEEDS:
            job.pool.start()
    job.unsubmitted = {source.id for source in sources}
    job.writer = BatchWriter(store, more_coming=lambda: bool(job.unsubmitted))
    finished = False
    try:
        async with (
            Fetcher(limits) as fetcher,
            FullTextJob(store, config, fetcher) as full_text,
            PicturePrefetch(config, job.reader, limits) as pictures,
        ):
            job.fetcher = fetcher
            job.full_text = full_text
            job.pictures = pictures
            tasks = [asyncio.ensure_future(job.run(source, now)) for source in sources]
            for done, next_done in enumerate(asyncio.as_completed(tasks), start=1):
                outcome = await next_done
                summary.outcomes.append(outcome)
                if on_progress is not None:
                    # A view's callback must not stop the refresh.
                    with contextlib.suppress(Exception):
                        on_progress(outcome, done, total)
        summary.pictures = pictures.pictures
        finished = True
    finally:
        # Cancelled (a signal, Ctrl-C, the app closing): end busy workers now.
        job.pool.stop(terminate=not finished)
        job.stop_parsing_thread()
        job.writer.close()
        job.close_reader()
    return summary


class _Job:
    """The shared state of one refresh."""

    def __init__(self, store: Store, config: Config, force: bool) -> None:
        from newsreader.sources.feeds import Fetcher

        self.store = store
        self.config = config
        self.force = force
        self.fetcher: Fetcher | None = None
        self.full_text: FullTextJob | None = None
        self.pictures: PicturePrefetch | None = None
        self.pool = LazyPool()  # parsing processes, started when worth it
        self.parsing_bytes = 0  # of the feed documents handed to the parser so far
        # Without the pool, feeds are parsed one at a time in one thread: more threads would
        # not parse faster (the GIL), and each is one more for the event loop to wait behind
        # (the app's loop was held up to 0.2-0.4 s with the default executor's six).
        self._parsing_thread: ThreadPoolExecutor | None = None
        self.retention = {entry.url: entry.retention for entry in config.feeds}
        self.titled = {entry.url for entry in config.feeds if entry.title}  # named by the config
        self.folders = {folder.url: folder for folder in config.stored}
        self.writer: BatchWriter
        self._reader: Store | None = None  # reads the known hashes beside the writer
        self._reader_tried = False
        self._reader_lock = threading.Lock()
        self.titles: dict[int, str] | None = None
        # Sources that have not yet handed their writes over (the writer waits for them
        # a little, to write more per transaction).
        self.unsubmitted: set[int] = set()

    async def _submit(self, feed_id: int, work: Callable[[Store], T]) -> T:
        self.unsubmitted.discard(feed_id)
        return await self.writer.submit(work)

    def known(self, feed_id: int) -> dict[str, str]:
        """Key -> source hash of the feed's stored articles (read beside the writer)."""
        return self.reader().known_hashes(feed_id)

    def reader(self) -> Store:
        """The store to read from beside the writer: its own read-only connection when one
        can be opened (called in worker threads)."""
        with self._reader_lock:
            if not self._reader_tried:
                self._reader_tried = True
                if self.store.path is not None:
                    from newsreader.store.connection import StoreError

                    with contextlib.suppress(StoreError):
                        self._reader = Store.open_reader(self.store.path)
        return self._reader or self.store

    def _titles(self, store: Store) -> dict[int, str]:
        """Every feed's title, read once (by the writer) and kept up to date as it names."""
        if self.titles is None:
            self.titles = {feed.id: feed.title for feed in store.feeds(counts=False)}
        return self.titles

    def _filtered(self, store: Store, outcome: FeedOutcome) -> FeedOutcome:
        """``outcome`` after the config's filters ran on its new articles (in the writer:
        for a feed, in the same savepoint as its articles, so no reader ever sees them
        unfiltered)."""
        counts = filter_new(store, self.config.filters, outcome.counts)
        return outcome if counts is outcome.counts else replace(outcome, counts=counts)

    def close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()

    async def run(self, feed: FeedRow, now: datetime) -> FeedOutcome:
        try:
            return await self._run(feed, now)
        finally:
            self.unsubmitted.discard(feed.id)

    async def _run(self, feed: FeedRow, now: datetime) -> FeedOutcome:
        try:
            if feed.kind is FeedKind.STORED:
                scanned = await asyncio.to_thread(self._scan, feed)
                if not scanned.counts.new_ids:
                    return scanned
                return await self._submit(feed.id, lambda store: self._filtered(store, scanned))
            return await self._feed(feed, now)
        except Exception as error:  # one source's bug must not sink the others
            message = f"{type(error).__name__}: {error}".splitlines()[0]
            with contextlib.suppress(Exception):
                await self._submit(
                    feed.id, lambda store: store.record_fetch(feed.id, FetchStatus.ERROR, message)
                )
            return FeedOutcome(feed.id, feed.title, "error", UpsertCounts(), message)

    # -- stored folders ---------------------------------------------------------------------

    def _scan(self, feed: FeedRow) -> FeedOutcome:
        from newsreader.importing import scan_folder

        folder = self.folders[feed.url]
        report = scan_folder(self.store, feed.id, Path(folder.path))
        if report.errors and not report.files:
            error = report.errors[0]
            self.store.record_fetch(feed.id, FetchStatus.ERROR, error)
            return FeedOutcome(feed.id, feed.title, "error", report.counts, error)
        warning = ""
        if report.errors:
            warning = f"{len(report.errors)} file(s) unreadable, e.g. {report.errors[0]}"
        self.store.record_fetch(feed.id, FetchStatus.OK, warning)
        return FeedOutcome(feed.id, feed.title, "ok", report.counts, warning)

    # -- feeds ------------------------------------------------------------------------------

    async def _feed(self, feed: FeedRow, now: datetime) -> FeedOutcome:
        if not self.force:
            reason = _skip_reason(feed, now)
            if reason is not None:
                return FeedOutcome(feed.id, feed.title, "skipped", UpsertCounts(), reason)
        assert self.fetcher is not None
        etag, modified = feed.etag, feed.last_modified
        if self.force and feed.last_status in ("gone", "error"):
            etag = modified = None
        result = await self.fetcher.fetch(feed.url, etag, modified)
        if result.permanent_redirect and result.final_url:
            await asyncio.to_thread(self._moved, feed, result.final_url)
        if result.error:
            return await self._submit(feed.id, lambda store: self._failed(store, feed, result))
        if result.not_modified:
            await self._submit(
                feed.id,
                lambda store: store.record_fetch(
                    feed.id,
                    FetchStatus.NOT_MODIFIED,
                    "",
                    result.etag or feed.etag,
                    result.last_modified or feed.last_modified,
                ),
            )
            return FeedOutcome(feed.id, feed.title, "not modified", UpsertCounts())
        outcome = await self._parse_and_store(feed, result)
        if outcome.status == "ok":
            pages = None
            if self.full_text is not None:
                pages = self.full_text.for_feed(feed.id, feed.url)  # of summary-only entries
            if self.pictures is not None:  # once the pages are in: they may bring pictures
                self.pictures.for_feed(feed.id, feed.url, outcome.counts.new_ids, after=pages)
        return outcome

    async def _parse_and_store(self, feed: FeedRow, result: FetchResult) -> FeedOutcome:
        """Parse (in a worker process when there is a pool) what changed; the writer stores."""
        known = await asyncio.to_thread(self.known, feed.id)
        parsed = await self._parse(result, known)
        keep, configured = self._keep(feed.url), self._configured_title(feed.url)
        return await self._submit(
            feed.id,
            lambda store: self._filtered(
                store,
                store_parsed(
                    store,
                    feed,
                    parsed,
                    result.etag,
                    result.last_modified,
                    keep,
                    configured,
                    self._titles(store),
                ),
            ),
        )

    async def _parse(self, result: FetchResult, known: dict[str, str]) -> ParsedFeed:
        base = result.final_url or result.url
        self.parsing_bytes += len(result.body)
        if self.parsing_bytes >= PROCESS_POOL_MIN_BYTES and not self.pool.started:
            self.pool.wanted = True  # (started now, and this feed waits for it)
        executor = await self.pool.get()
        loop = asyncio.get_running_loop()
        if executor is not None:
            try:
                return await loop.run_in_executor(
                    executor, parse_changed, result.body, base, result.content_type, known
                )
            except Exception:  # a broken pool: parse here instead
                self.pool.stop()
        if self._parsing_thread is None:
            self._parsing_thread = ThreadPoolExecutor(1, thread_name_prefix="refresh-parse")
        return await loop.run_in_executor(
            self._parsing_thread, parse_changed, result.body, base, result.content_type, known
        )

    def stop_parsing_thread(self) -> None:
        if self._parsing_thread is not None:
            self._parsing_thread.shutdown(wait=False, cancel_futures=True)

    def _failed(self, store: Store, feed: FeedRow, result: FetchResult) -> FeedOutcome:
        status = FetchStatus.GONE if result.status == 410 else FetchStatus.ERROR
        if status is FetchStatus.GONE:
            error = "gone (HTTP 410): the server says this feed was removed; no longer fetched"
            next_fetch = None
        else:
            error = result.error
            next_fetch = None
            if result.retry_after is not None:
                wait = min(timedelta(seconds=result.retry_after), RETRY_AFTER_MAX)
                next_fetch = now_utc() + wait
            else:
                delay = backoff_delay(feed.failures + 1)
                if delay is not None:
                    next_fetch = now_utc() + delay
        store.record_fetch(feed.id, status, error, next_fetch=next_fetch, keep_validators=True)
        return FeedOutcome(feed.id, feed.title, status, UpsertCounts(), error)

    def _moved(self, feed: FeedRow, url: str) -> None:
        """Remember a permanent redirect: in the cache and in ``feeds.toml``."""
        from newsreader.config_edit import ConfigEditError, replace_feed_url

        if url == feed.url or self.store.feed_by_url(url) is not None:
            return
        in_config = any(entry.url == feed.url for entry in self.config.feeds)
        if in_config:
            try:
                replace_feed_url(self.config.path, feed.url, url)
            except (ConfigEditError, OSError):
                return  # keep the old URL everywhere rather than let the two disagree
        self.store.set_feed_url(feed.id, url)

    def _keep(self, url: str) -> int | None:
        return self.retention.get(url) or self.config.settings.retention

    def _configured_title(self, url: str) -> bool:
        return url in self.titled


def run_refresh(
    store: Store,
    config: Config,
    feed_ids: Collection[int] | None = None,
    on_progress: ProgressCallback | None = None,
    force: bool = False,
) -> RefreshSummary:
    """:func:`refresh` for synchronous callers (the command line).

    SIGTERM and SIGHUP cancel the refresh, which stops its worker processes, and then end
    the process with status 128 + the signal's number, as the signal itself would.
    """
    from newsreader.workers import until_signalled

    received: list[int] = []
    summary = asyncio.run(
        until_signalled(refresh(store, config, feed_ids, on_progress, force), received)
    )
    if summary is None:
        raise SystemExit(128 + received[0])
    return summary
