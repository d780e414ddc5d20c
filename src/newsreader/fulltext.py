"""Full text for feeds that send only a summary: fetch each article's page and keep its article.

Which articles, and which pages may be fetched, is :mod:`newsreader.fulltext_policy`'s
call (a feed's ``full_text`` setting; unset is false: fetching every article's page is
extra traffic to the sites, so a feed opts in). A refresh calls :meth:`FullTextJob.for_feed`
after storing a feed; one article's page is fetched on demand with :func:`fetch_full_text`.

Pages come through the refresh's polite :class:`~newsreader.sources.feeds.Fetcher` (its
per-host limits, size cap and timeouts) and are read by the same extraction as saved pages
(:func:`~newsreader.ingest.html.extract_article`), in a pool of processes when there are
many. A page read once is not fetched again unless forced (then conditionally, with its
ETag). The entry's own text stays shown when the page cannot be fetched or gives no more.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

from newsreader.config import Config
from newsreader.fulltext_policy import feed_mode, needs_full_text, page_allowed, web_link
from newsreader.store import Store
from newsreader.store.fulltext import (
    ERROR,
    OK,
    SHORT,
    PageState,
    PageText,
    feed_page_states,
    page_state,
    record_page,
    show_stored_page,
)

if TYPE_CHECKING:
    from newsreader.sources.feeds import Fetcher

MAX_ATTEMPTS = 3  # a page that keeps failing is retried on this many refreshes at most
MAX_PER_FEED = 100  # pages fetched for one feed in one refresh, newest articles first
PAGE_MAX_BYTES = 5 * 1024 * 1024  # for a single article's fetch (a refresh uses its own cap)
POOL_MIN_PAGES = 4  # pages to read before a pool of processes pays for its start-up
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"

_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FullTextResult:
    """What fetching one article's full text did.

    ``status`` is one of: ``"ok"`` (the page's text is stored and shown), ``"short"`` (the
    page gave no more than the entry, which stays shown), ``"cached"`` (fetched before, not
    fetched again), ``"not modified"`` (a forced fetch found the page unchanged),
    ``"error"`` (``error`` says why; the entry stays shown), ``"no link"`` (nothing to
    fetch).
    """

    article_id: int
    status: str
    words: int = 0  # words of the page's text (ok, cached, not modified)
    url: str = ""
    error: str = ""

    @property
    def failed(self) -> bool:
        return self.status in ("error", "no link")


# -- reading a page (runs in a worker process or thread) -------------------------------------


def decode_page(body: bytes, content_type: str) -> str:
    """A page's bytes as text: the HTTP charset, else the page's <meta>, else UTF-8."""
    charsets: list[str] = []
    lowered = content_type.lower()
    if "charset=" in lowered:
        charsets.append(lowered.split("charset=", 1)[1].split(";")[0].strip(" \"'"))
    if body.startswith(b"\xef\xbb\xbf"):
        charsets.insert(0, "utf-8-sig")
    match = _META_CHARSET.search(body[:4096])
    if match:
        charsets.append(match.group(1).decode("ascii", "replace"))
    charsets.append("utf-8")
    for charset in charsets:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", errors="replace")


def read_page(body: bytes, content_type: str, url: str, entry_words: int) -> PageText:
    """A fetched page → its article as Markdown, or why not; SHORT when it adds nothing."""
    from newsreader.ingest.html import extract_article
    from newsreader.ingest.markdown_text import markdown_to_text

    kind = content_type.split(";")[0].strip().lower()
    if kind not in _HTML_TYPES:
        return PageText(status=ERROR, url=url, error=f"not a web page ({kind})")
    page = extract_article(decode_page(body, content_type), url)
    markdown = page.markdown.strip()
    text = markdown_to_text(markdown)
    words = len(text.split())
    if not markdown or words <= entry_words:
        return PageText(status=SHORT, url=url, word_count=words)
    return PageText(status=OK, url=url, markdown=markdown + "\n", text=text, word_count=words)


# One page at a time in this process: extraction is CPU-bound Python (threads would not run
# it faster), and readability-lxml and lxml-html-clean share module-level parser and cleaner
# objects between calls.
_READ_LOCK = threading.Lock()


def _read_page_alone(body: bytes, content_type: str, url: str, entry_words: int) -> PageText:
    with _READ_LOCK:
        return read_page(body, content_type, url, entry_words)


# -- the job -------------------------------------------------------------------------------


class FullTextJob:
    """Fetches and stores full texts through one fetcher; use as an async context manager.

    Pages share the fetcher's limits (overall, per host) but take at most half of its
    overall slots, so that feeds fetched in the same refresh are never held up by them.
    Pages are read in a pool of processes (started on first need when a batch has
    :data:`POOL_MIN_PAGES` or more pages and there is more than one core), else in a
    thread, one at a time.
    Leaving the context waits for the pages scheduled with :meth:`for_feed`.
    """

    def __init__(self, store: Store, config: Config, fetcher: Fetcher) -> None:
        self.store = store
        self.config = config
        self.fetcher = fetcher
        self.results: list[FullTextResult] = []
        self._slots = asyncio.Semaphore(max(1, fetcher.limits.concurrency // 2))
        self._tasks: list[asyncio.Task[list[FullTextResult]]] = []
        self._executor: Executor | None = None
        self._pool_tried = False

    async def __aenter__(self) -> FullTextJob:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if error is None:
                for done in await asyncio.gather(*self._tasks):
                    self.results.extend(done)
            else:
                for task in self._tasks:
                    task.cancel()
        finally:
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None

    def for_feed(self, feed_id: int, feed_url: str) -> asyncio.Task[list[FullTextResult]]:
        """After a feed's entries are stored: fetch the pages its articles need, in the
        background of the refresh (leaving the context waits for them). Returns the task,
        done when the feed's pages are."""
        task = asyncio.ensure_future(self.feed_pages(feed_id, feed_url))
        self._tasks.append(task)
        return task

    async def feed_pages(self, feed_id: int, feed_url: str) -> list[FullTextResult]:
        """Fetch the pages a feed's articles need, concurrently; never raises for a page."""
        mode = feed_mode(self.config, feed_url)
        if mode is False:
            return []
        states = await asyncio.to_thread(
            feed_page_states, self.store, feed_id, MAX_PER_FEED, MAX_ATTEMPTS
        )
        wanted = [
            state
            for state in states
            if web_link(state.link)
            and (state.status == OK or needs_full_text(mode, state.entry_text, state.entry_words))
        ]
        return await self.fetch_many(wanted)

    async def fetch_many(
        self, states: Sequence[PageState], force: bool = False
    ) -> list[FullTextResult]:
        """Fetch the pages of ``states`` concurrently (the fetcher's limits apply)."""
        if len(states) >= POOL_MIN_PAGES:
            self._start_pool()
        tasks = [self._guarded(state, force) for state in states]
        return list(await asyncio.gather(*tasks))

    async def _guarded(self, state: PageState, force: bool) -> FullTextResult:
        try:
            return await self.fetch(state, force)
        except Exception as error:  # one page's bug must not sink the others
            message = f"{type(error).__name__}: {error}".splitlines()[0]
            with contextlib.suppress(Exception):
                page = PageText(status=ERROR, url=state.link, error=message)
                await asyncio.to_thread(record_page, self.store, state.article_id, page)
            return FullTextResult(state.article_id, "error", url=state.link, error=message)

    async def fetch(self, state: PageState, force: bool = False) -> FullTextResult:
        """Fetch, read and store one article's page (unless stored already and not forced)."""
        article_id = state.article_id
        if not web_link(state.link):
            return FullTextResult(article_id, "no link", error="the article has no web link")
        if not page_allowed(state.feed_url, state.link):
            error = "refused: a feed on a public address links to a private one"
            return FullTextResult(article_id, "error", url=state.link, error=error)
        if state.status == OK and state.markdown is not None and not force:
            words = state.words
            if not state.shown and words > state.entry_words:
                # The feed changed the entry, which put its own text back: show the page's.
                await asyncio.to_thread(show_stored_page, self.store, article_id)
            return FullTextResult(article_id, "cached", words=words, url=state.link)
        if state.status == SHORT and not force:
            return FullTextResult(article_id, "short", url=state.link)
        etag = state.etag if force and state.status == OK else None
        modified = state.last_modified if force and state.status == OK else None
        async with self._slots:
            result = await self.fetcher.fetch(
                state.link, etag, modified, extra_headers={"Accept": PAGE_ACCEPT}
            )
        url = result.final_url or state.link
        if result.error:
            page = PageText(status=ERROR, url=url, error=result.error)
            await asyncio.to_thread(record_page, self.store, article_id, page)
            return FullTextResult(article_id, "error", url=url, error=result.error)
        if result.not_modified and await asyncio.to_thread(
            show_stored_page, self.store, article_id
        ):
            return FullTextResult(article_id, "not modified", words=state.words, url=url)
        page = await self._read(result.body, result.content_type, url, state.entry_words)
        page = PageText(
            status=page.status,
            url=url,
            markdown=page.markdown,
            text=page.text,
            word_count=page.word_count,
            error=page.error,
            etag=result.etag,
            last_modified=result.last_modified,
        )
        await asyncio.to_thread(record_page, self.store, article_id, page)
        status = {OK: "ok", SHORT: "short"}.get(page.status, "error")
        return FullTextResult(article_id, status, page.word_count, url, page.error)

    async def _read(self, body: bytes, content_type: str, url: str, words: int) -> PageText:
        if self._executor is not None:
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(
                    self._executor, read_page, body, content_type, url, words
                )
            except Exception:  # a broken pool: read here instead
                broken, self._executor = self._executor, None
                broken.shutdown(wait=False, cancel_futures=True)
        return await asyncio.to_thread(_read_page_alone, body, content_type, url, words)

    def _start_pool(self) -> None:
        if self._pool_tried:
            return
        self._pool_tried = True
        self._executor = _page_executor()


def _page_executor() -> Executor | None:
    """A process pool for reading pages, when there is more than one core."""
    from newsreader.workers import process_pool

    # Workers fork from a server that has already imported the extraction.
    return process_pool(
        4,
        [
            "newsreader.fulltext",
            "newsreader.ingest.html",
            "readability",
            "lxml.html",
            "markdownify",
            "bs4",
            "nh3",
        ],
    )


# -- one article, for the command line and the app's workers ------------------------------


async def fetch_full_text_async(
    store: Store, config: Config, article_id: int, *, force: bool = False
) -> FullTextResult:
    """:func:`fetch_full_text` for callers already in an event loop."""
    from newsreader.sources.feeds import Fetcher, FetchLimits

    state = await asyncio.to_thread(page_state, store, article_id)
    if state is None:
        return FullTextResult(article_id, "error", error=f"no article with id {article_id}")
    settings = config.settings
    limits = FetchLimits(
        concurrency=1, per_host=1, timeout=settings.timeout, max_bytes=PAGE_MAX_BYTES
    )
    async with Fetcher(limits) as fetcher, FullTextJob(store, config, fetcher) as job:
        return await job.fetch(state, force)


def fetch_full_text(
    store: Store, config: Config, article_id: int, *, force: bool = False
) -> FullTextResult:
    """Fetch one article's page and show its text in place of the entry's summary.

    Blocking (network and extraction): call it from a worker thread, never the UI thread.
    The article's ``full_text`` feed setting does not apply: asking is enough. A page read
    before is not fetched again unless ``force`` (then conditionally). Never raises for
    network or page errors; the result says what happened.
    """
    return asyncio.run(fetch_full_text_async(store, config, article_id, force=force))
