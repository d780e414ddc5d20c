"""Sync: one job that brings the cache and a feed server account into step.

1. Check the credentials; remember which account this cache syncs with.
2. Pull the server's groups and feeds: each server feed is a feed of kind ``server`` in the
   cache, its groups are its tags. Refresh never fetches these feeds itself (the server
   does); their articles arrive only by sync.
3. Pull the items added since the last sync, a page at a time (``since_id``). Pages are
   turned into articles and stored while the next page downloads: in a worker process for
   big pulls (so parsing never holds the interpreter lock the downloads need), else in a
   thread.
4. Push the queued local read/unread/star/unstar changes (alongside step 3); each leaves
   the queue only once the server has taken it.
5. Pull the full unread and saved id lists and apply them to every server article that has
   no local change still queued (so changes made on other devices arrive).

A failure stops the job with one line (:class:`~newsreader.sources.accounts.AccountError`);
what was stored stays stored, the queue keeps whatever was not sent, and the next sync
carries on from there. Conflicts: see the README's "Sync with a feed server".
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import (
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    as_completed,
    wait,
)
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsreader.config import Config
from newsreader.model import ContentType, NewArticle
from newsreader.sources.accounts import (
    AccountError,
    Backend,
    ItemGone,
    RemoteFeed,
    RemoteGroup,
    RemoteItem,
    open_backend,
)
from newsreader.store import Store
from newsreader.store import sync_state as state

SUMMARY_CHARS = 300
PAGES_AHEAD = 2  # pages being stored while the next one downloads
PUSH_AT_ONCE = 8  # changes sent at once
POOL_MIN_ITEMS = 500  # items to pull that pay for starting a worker process


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Where a sync is: ``stage`` is "connect", "feeds", "items", "push", "state" or "done";
    ``done``/``total`` count items (pull), changes (push) or are 0 when not counted."""

    stage: str
    done: int = 0
    total: int = 0
    message: str = ""


ProgressCallback = Callable[[SyncProgress], None]


@dataclass
class SyncReport:
    """What one sync did."""

    feeds: int = 0
    new_items: int = 0
    pushed: int = 0
    pulled_changes: int = 0  # read/starred fields changed here by the server's state
    dropped: int = 0  # queued changes for items the server no longer has
    ignored: int = 0  # ids or items the server listed that could not be used
    queued: int = 0  # local changes still waiting after this sync
    warnings: list[str] = field(default_factory=list)
    # CPU seconds spent turning items into articles ("convert") and storing them ("store"),
    # wherever that ran (a worker process or a thread).
    cpu: dict[str, float] = field(default_factory=dict)

    def count(self, stored: PageStored) -> None:
        """Add what storing one page did."""
        self.new_items += stored.new
        self.ignored += stored.ignored
        self.cpu["convert"] = self.cpu.get("convert", 0.0) + stored.convert_cpu
        self.cpu["store"] = self.cpu.get("store", 0.0) + stored.store_cpu


@dataclass(frozen=True, slots=True)
class PageStored:
    """What storing one page of items did: new articles, items left out (their feed is
    unknown) and the CPU seconds of turning them into articles and of storing them."""

    new: int = 0
    ignored: int = 0
    convert_cpu: float = 0.0
    store_cpu: float = 0.0


class SyncError(AccountError):
    """A sync stopped; ``report`` says what it had done (all of it kept)."""

    def __init__(self, message: str, report: SyncReport) -> None:
        super().__init__(message)
        self.report = report


def run_sync(
    store: Store, backend: Backend, on_progress: ProgressCallback | None = None
) -> SyncReport:
    """Sync the cache with ``backend``'s account. Blocking: run it in a thread from the app.
    ``on_progress`` is called from the sync's own threads (the app hands it on with
    ``call_from_thread``).

    Raises:
        SyncError: the server could not be used; the message is one line and the queue and
            everything stored so far are kept.
    """
    report = SyncReport()

    def progress(stage: str, done: int = 0, total: int = 0, message: str = "") -> None:
        if on_progress is not None:
            with contextlib.suppress(Exception):  # a view's callback must not stop the sync
                on_progress(SyncProgress(stage, done, total, message))

    try:
        progress("connect")
        groups, feeds = backend.groups_and_feeds()  # also checks the credentials
        state.use_account(store, backend.identity)
        progress("feeds")
        # Sending the queue and pulling new items do not depend on each other: they overlap.
        with ThreadPoolExecutor(1, thread_name_prefix="sync-push") as runner:
            pushing = runner.submit(_push, store, backend, report, progress)
            try:
                feed_ids = state.save_feeds(store, _server_feeds(groups, feeds))
                report.feeds = len(feed_ids)
                _pull_items(store, backend, feed_ids, report, progress)
            finally:
                wait([pushing])  # the queue must say what was sent before anything else
            pushing.result()
        if report.ignored:
            report.warnings.append(
                f"{report.ignored} item(s) of feeds the server does not list were skipped"
            )
        progress("state")
        unread, saved = backend.unread_ids(), backend.saved_ids()
        missing = (unread | saved) - state.known_items(store, unread | saved)
        if missing:
            items = backend.items_with_ids(sorted(missing))
            stored = _store_items(store, feed_ids, items)
            report.count(stored)
            still = missing - {i.id for i in items}
            if still:
                report.ignored += len(still)
                report.warnings.append(
                    f"the server listed {len(still)} unread or saved item id(s) it does not "
                    "have; they were ignored"
                )
        report.pulled_changes = state.apply_server_state(store, unread, saved)
        state.set_state(store, {"last_sync": str(time.time())})
    except AccountError as error:
        report.queued = state.queue_size(store)
        raise SyncError(str(error), report) from None
    report.queued = state.queue_size(store)
    progress("done", message=summary_line(report))
    return report


def sync_account(
    config: Config,
    store: Store,
    on_progress: ProgressCallback | None = None,
    ask: Callable[[str], str] | None = None,
) -> SyncReport:
    """Sync with the config's ``[account]``: open its backend (``ask`` prompts for a password
    when neither ``password_command`` nor ``NEWSREADER_PASSWORD`` gives one), run
    :func:`run_sync`, close. What the app's refresh-all and start-up call, in a thread.

    Raises:
        AccountError: no account, no password, or the sync stopped (a :class:`SyncError`).
    """
    if config.account is None:
        raise AccountError(f"no [account] in {config.path}")
    backend = open_backend(config.account, ask, timeout=config.settings.timeout)
    try:
        return run_sync(store, backend, on_progress)
    finally:
        backend.close()


def summary_line(report: SyncReport) -> str:
    parts = [
        f"{report.feeds} feed(s)",
        f"{report.new_items} new article(s)",
        f"{report.pushed} change(s) sent",
        f"{report.pulled_changes} change(s) received",
    ]
    if report.dropped:
        parts.append(f"{report.dropped} change(s) for items gone from the server dropped")
    if report.queued:
        parts.append(f"{report.queued} change(s) still queued")
    return "synced: " + ", ".join(parts)


# -- feeds and items -------------------------------------------------------------------------


def _server_feeds(
    groups: Sequence[RemoteGroup], feeds: Sequence[RemoteFeed]
) -> list[state.ServerFeed]:
    from newsreader.ingest.sanitize import clean_line, safe_link

    names = {g.id: clean_line(g.title, limit=200) for g in groups}
    result = []
    for feed in feeds:
        tags = tuple(dict.fromkeys(names[g] for g in feed.group_ids if names.get(g)))
        url = feed.url.strip() or f"server-feed:{feed.id}"
        title = clean_line(feed.title, limit=500) or url
        result.append(state.ServerFeed(feed.id, url, title, safe_link(feed.site_url), tags))
    return result


def _pull_items(
    store: Store,
    backend: Backend,
    feed_ids: dict[int, int],
    report: SyncReport,
    progress: Callable[..., None],
) -> None:
    """Page through the items above the highest id seen. Pages are turned into articles and
    stored in a worker process (a thread without a cache file or a second core) while the
    next page downloads, so that parsing never holds up the downloads."""
    since = int(state.get_state(store, "max_item_id", "0") or 0)
    fetched = 0
    pending: list[tuple[Future[PageStored], tuple[RemoteItem, ...], int]] = []
    db_path = str(store.path.absolute()) if store.path is not None else None
    pool: ProcessPoolExecutor | None = None
    pool_decided = False
    thread = ThreadPoolExecutor(1, thread_name_prefix="sync-store")

    def submit(items: tuple[RemoteItem, ...], top: int) -> Future[PageStored]:
        if pool is not None and db_path is not None:
            return pool.submit(store_page, db_path, feed_ids, items, top)
        return thread.submit(store_page_here, store, feed_ids, items, top)

    def collect(limit: int) -> None:
        nonlocal pool
        while len(pending) > limit:
            future, items, top = pending.pop(0)
            try:
                stored = future.result()
            except (AccountError, sqlite3.Error):
                raise
            except Exception:  # a broken worker process: store the page here instead
                if pool is not None:
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = None
                stored = store_page_here(store, feed_ids, items, top)
            report.count(stored)

    try:
        while True:
            page = backend.items_since(since)
            if not page.items:
                break
            top = max(item.id for item in page.items)
            if top <= since:  # a server that ignores since_id would loop forever
                break
            since = top
            fetched += len(page.items)
            if not pool_decided and db_path is not None:
                # Many pages to come: store them in a process, so that the downloads never
                # wait for the interpreter lock held by parsing.
                pool_decided = True
                _, stored = state.server_counts(store)
                if (page.total or 0) - stored >= POOL_MIN_ITEMS:
                    pool = _process_pool()
            pending.append((submit(page.items, top), page.items, top))
            collect(PAGES_AHEAD)
            progress("items", fetched, max(page.total or 0, fetched))
    finally:
        try:
            collect(0)
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            thread.shutdown(wait=True, cancel_futures=True)


def _process_pool() -> ProcessPoolExecutor | None:
    """One worker process for storing pages, when there is more than one core. Its
    start-up (importing the parser) overlaps with the first downloads."""
    import multiprocessing
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if not cores or cores < 2:
        return None
    try:
        if os.name != "posix":
            return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["newsreader.sync", "newsreader.ingest.feed", "nh3"])
        return ProcessPoolExecutor(max_workers=1, mp_context=context)
    except (OSError, ValueError):
        return None


# A worker process's own connection to the cache, opened on its first page.
_worker_stores: dict[str, Store] = {}


def store_page(
    db_path: str, feed_ids: dict[int, int], items: tuple[RemoteItem, ...], top: int
) -> PageStored:
    """In a worker process: :func:`store_page_here` through its own connection to the cache
    (WAL lets it write beside the syncing process)."""
    store = _worker_stores.get(db_path)
    if store is None:
        store = _worker_stores[db_path] = Store.open(db_path)
    return store_page_here(store, feed_ids, items, top)


def store_page_here(
    store: Store, feed_ids: dict[int, int], items: tuple[RemoteItem, ...], top: int
) -> PageStored:
    """Store one page of items, then remember ``top`` as the highest item id stored (pages
    are stored in order, so a stopped sync resumes after the last whole page)."""
    stored = _store_items(store, feed_ids, items)
    state.set_state(store, {"max_item_id": str(top)})
    return stored


def _store_items(store: Store, feed_ids: dict[int, int], items: Iterable[RemoteItem]) -> PageStored:
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


# -- pushing ---------------------------------------------------------------------------------


def _push(
    store: Store, backend: Backend, report: SyncReport, progress: Callable[..., None]
) -> None:
    """Send the queued changes, a few at once (the Fever API takes one per request)."""
    changes = state.pending(store)
    if not changes:
        return
    sent: list[state.QueuedChange] = []
    failure: AccountError | None = None
    with ThreadPoolExecutor(max_workers=PUSH_AT_ONCE, thread_name_prefix="sync-push") as pool:
        futures = {pool.submit(backend.mark, c.remote_id, c.field, c.value): c for c in changes}
        for done, future in enumerate(as_completed(futures), start=1):
            change = futures[future]
            try:
                future.result()
            except ItemGone:
                report.dropped += 1
            except AccountError as error:
                failure = failure or error
                continue
            sent.append(change)
            if done % 10 == 0 or done == len(changes):
                progress("push", done, len(changes))
    state.drop_sent(store, sent)
    report.pushed += len(sent) - report.dropped
    if report.dropped:
        report.warnings.append(
            f"{report.dropped} change(s) were for items the server no longer has; "
            "they stay here only"
        )
    if failure is not None:
        raise failure
