"""Sync: one job that brings the cache and a feed server account into step.

1. Ask for the items above the highest id seen: the first answer also checks the
   credentials (nothing is sent before it); remember which account this cache syncs with.
2. From then on, the queued local read/unread/star/unstar changes are sent, several at
   once, alongside everything else; each leaves the queue only once the server has taken it.
3. Pull the server's groups and feeds: each server feed is a feed of kind ``server`` in the
   cache, its groups are its tags. Refresh never fetches these feeds itself (the server
   does); their articles arrive only by sync.
4. Pull the rest of the new items, a page at a time (``since_id``). Pages are turned into
   articles and stored while the next ones download: in a worker process for big pulls (so
   parsing never holds the interpreter lock the downloads need), else in a thread. Pages
   that arrive while a batch is being stored are stored together, in one transaction.
5. Pull the full unread and saved id lists (after the pages, so that they cover every item
   stored; at once when there were no new items) and apply them to every server article
   with no local change still queued, including the changes being sent in this sync (so
   changes made on other devices arrive, and ours are not undone by a list read before
   the server took them).

A failure stops the job with one line (:class:`~newsreader.sources.accounts.AccountError`);
what was stored stays stored, the queue keeps whatever was not sent, and the next sync
carries on from there. Conflicts: see the README's "Sync with a feed server".
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from newsreader.config import Config
from newsreader.sources.accounts import AccountError, Backend, ItemGone, ItemPage, open_backend
from newsreader.store import Store
from newsreader.store import sync_state as state
from newsreader.sync_items import Page, PageStored, server_feeds, store_pages, store_pages_here

PAGES_WAITING = 8  # pages downloaded ahead of storing before the download waits
PUSH_AT_ONCE = 8  # changes sent at once
POOL_MIN_ITEMS = 500  # items to pull that pay for starting a worker process
# Seconds a pulled list of feeds and groups is used before it is asked for again; sooner when
# an item of a feed not in it arrives. (Fever cannot say whether it changed, and the list
# costs coldsweat as much server time as 15 marks.)
FEEDS_MAX_AGE = 600.0


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
        """Add what storing some items did."""
        self.new_items += stored.new
        self.ignored += stored.ignored
        self.cpu["convert"] = self.cpu.get("convert", 0.0) + stored.convert_cpu
        self.cpu["store"] = self.cpu.get("store", 0.0) + stored.store_cpu


class SyncError(AccountError):
    """A sync stopped; ``report`` says what it had done (all of it kept)."""

    def __init__(self, message: str, report: SyncReport) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class _Pushed:
    """What sending the queue did: the changes the server took (or no longer needs: its
    item is gone), how many of those were for gone items, and the first failure."""

    sent: list[state.QueuedChange] = field(default_factory=list)
    dropped: int = 0
    failure: AccountError | None = None


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
        same_account = state.get_state(store, "account") == backend.identity
        since = int(state.get_state(store, "max_item_id", "0") or 0) if same_account else 0
        first = backend.items_since(since)  # also checks the credentials
        state.use_account(store, backend.identity)
        changes = state.pending(store)
        with ThreadPoolExecutor(2, thread_name_prefix="sync") as runner:
            pushing = runner.submit(_push, backend, changes, progress)
            pushed: _Pushed | None = None
            try:
                # No new items: the lists cover every stored item already; ask at once.
                lists = None if first.items else runner.submit(backend.item_states)
                listed = _listed_recently(store) if same_account else False
                feed_ids = state.server_feed_ids(store) if listed else _pull_feeds(store, backend)
                progress("feeds")
                again = None if not listed else (lambda: _pull_feeds(store, backend))
                _pull_items(store, backend, feed_ids, report, progress, first, since, again)
                report.feeds = len(feed_ids)
                if report.ignored:
                    report.warnings.append(
                        f"{report.ignored} item(s) of feeds the server does not list were skipped"
                    )
                progress("state")
                unread, saved = lists.result() if lists else backend.item_states()
                _pull_missing(store, backend, feed_ids, report, unread | saved)
                pushed = pushing.result()
                # Before the sent changes leave the queue: the lists may predate them.
                report.pulled_changes = state.apply_server_state(store, unread, saved)
            finally:
                pushed = pushed or pushing.result()
                state.drop_sent(store, pushed.sent)
                report.pushed += len(pushed.sent) - pushed.dropped
                report.dropped += pushed.dropped
        if report.dropped:
            report.warnings.append(
                f"{report.dropped} change(s) were for items the server no longer has; "
                "they stay here only"
            )
        if pushed.failure is not None:
            raise pushed.failure
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


# -- pulling ---------------------------------------------------------------------------------


def _listed_recently(store: Store) -> bool:
    """Whether the server's feeds were listed less than :data:`FEEDS_MAX_AGE` ago."""
    try:
        age = time.time() - float(state.get_state(store, "feeds_listed_at", "0"))
    except ValueError:
        return False
    return 0 <= age < FEEDS_MAX_AGE


def _pull_feeds(store: Store, backend: Backend) -> dict[int, int]:
    """The server's groups and feeds into the cache; returns server feed id → local id."""
    groups, feeds = backend.groups_and_feeds()
    feed_ids = state.save_feeds(store, server_feeds(groups, feeds))
    state.set_state(store, {"feeds_listed_at": str(time.time())})
    return feed_ids


def _pull_items(
    store: Store,
    backend: Backend,
    feed_ids: dict[int, int],
    report: SyncReport,
    progress: Callable[..., None],
    page: ItemPage,
    since: int,
    list_feeds: Callable[[], dict[int, int]] | None = None,
) -> None:
    """Page through the items above ``since`` (``page`` is the first page). One batch of
    pages is stored at a time, in a worker process (a thread without a cache file or a
    second core) while the next pages download; the pages that arrived meanwhile make the
    next batch, so that parsing never holds up the downloads. ``feed_ids`` is brought up to
    date by ``list_feeds`` (once) when an item of a feed not in it arrives."""
    fetched = 0
    db_path = str(store.path.absolute()) if store.path is not None else None
    pool: ProcessPoolExecutor | None = None
    pool_decided = False
    thread = ThreadPoolExecutor(1, thread_name_prefix="sync-store")
    storing: tuple[Future[PageStored], list[Page]] | None = None
    waiting: list[Page] = []

    def settle(block: bool) -> None:
        """Count the batch being stored if it is done (or wait for it), then start storing
        the pages waiting."""
        nonlocal pool, storing
        if storing is not None and (block or storing[0].done()):
            future, batch = storing
            storing = None
            try:
                stored = future.result()
            except (AccountError, sqlite3.Error):
                raise
            except Exception:  # a broken worker process: store the batch here instead
                if pool is not None:
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = None
                stored = store_pages_here(store, feed_ids, batch)
            report.count(stored)
        if storing is None and waiting:
            batch = list(waiting)
            waiting.clear()
            if pool is not None and db_path is not None:
                storing = (pool.submit(store_pages, db_path, feed_ids, batch), batch)
            else:
                storing = (thread.submit(store_pages_here, store, dict(feed_ids), batch), batch)

    try:
        while page.items:
            top = max(item.id for item in page.items)
            if top <= since:  # a server that ignores since_id would loop forever
                break
            since = top
            fetched += len(page.items)
            if list_feeds is not None and any(i.feed_id not in feed_ids for i in page.items):
                feed_ids.clear()  # (the batches being stored have their own copy)
                feed_ids.update(list_feeds())
                list_feeds = None
            if not pool_decided and db_path is not None:
                # Many pages to come: store them in a process, so that the downloads never
                # wait for the interpreter lock held by parsing.
                pool_decided = True
                _, stored = state.server_counts(store)
                if (page.total or 0) - stored >= POOL_MIN_ITEMS:
                    pool = _process_pool()
            waiting.append(page.items)
            settle(block=len(waiting) >= PAGES_WAITING)
            progress("items", fetched, max(page.total or 0, fetched))
            page = backend.items_since(since)
    finally:
        try:
            while storing is not None or waiting:
                settle(block=True)
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            thread.shutdown(wait=True, cancel_futures=True)


def _pull_missing(
    store: Store, backend: Backend, feed_ids: dict[int, int], report: SyncReport, ids: set[int]
) -> None:
    """Fetch and store the listed unread or saved items that are not here (older than the
    highest id seen, e.g. after the cache was emptied)."""
    missing = ids - state.known_items(store, ids)
    if not missing:
        return
    from newsreader.sync_items import store_items

    items = backend.items_with_ids(sorted(missing))
    report.count(store_items(store, feed_ids, items))
    still = missing - {i.id for i in items}
    if still:
        report.ignored += len(still)
        report.warnings.append(
            f"the server listed {len(still)} unread or saved item id(s) it does not "
            "have; they were ignored"
        )


def _process_pool() -> ProcessPoolExecutor | None:
    """One worker process for storing pages, when there is more than one core. Its
    start-up (importing the parser) overlaps with the first downloads."""
    from newsreader.workers import process_pool

    return process_pool(1, ["newsreader.sync_items", "newsreader.ingest.feed", "nh3"])


# -- pushing ---------------------------------------------------------------------------------


def _push(
    backend: Backend, changes: list[state.QueuedChange], progress: Callable[..., None]
) -> _Pushed:
    """Send the queued changes, a few at once (the Fever API takes one per request). At the
    first failure the changes not yet sent stay queued and nothing more is sent."""
    pushed = _Pushed()
    if not changes:
        return pushed
    pool = ThreadPoolExecutor(max_workers=PUSH_AT_ONCE, thread_name_prefix="sync-push")
    try:
        futures = {pool.submit(backend.mark, c.remote_id, c.field, c.value): c for c in changes}
        for done, future in enumerate(as_completed(futures), start=1):
            if future.cancelled():
                continue
            try:
                future.result()
            except ItemGone:
                pushed.dropped += 1
            except AccountError as error:
                if pushed.failure is None:
                    pushed.failure = error
                    for other in futures:
                        other.cancel()
                continue
            pushed.sent.append(futures[future])
            if done % 10 == 0 or done == len(changes):
                progress("push", done, len(changes))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return pushed
