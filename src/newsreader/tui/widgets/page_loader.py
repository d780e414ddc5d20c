"""Reading an article view's keys and pages off the UI thread, nearest the cursor first.

The article list draws rows from a :class:`~newsreader.tui.pager.ViewRows`; this loader fills
it: a view's keys (tens of milliseconds at 100,000 articles) and then pages of articles by
id, one read at a time, in thread workers of the list's. Answers come back on the UI thread
through the callbacks given; an answer for an older view (``generation``) is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from textual.widget import Widget
from textual.worker import get_current_worker

from newsreader.model import ArticleSummary, PageKey
from newsreader.store import ArticleFilter, Store
from newsreader.tui.pager import PAGE_SIZE, ViewRows, read_view

PREFETCH_PAGES = 2  # pages read ahead above and below the visible rows
PAGES_PER_READ = 8  # pages read by one worker before the nearest missing ones are chosen again

#: (generation, keys, pages read with them, row of the kept article, the row asked to keep)
KeysLoaded = Callable[[int, list[PageKey], dict[int, list[ArticleSummary]], int, int | None], None]


class PageLoader:
    """Reads ``rows``' keys and pages through ``fetcher`` in ``owner``'s thread workers."""

    def __init__(
        self,
        owner: Widget,
        rows: ViewRows,
        fetcher: Store,
        *,
        cursor: Callable[[], int],
        keys_loaded: KeysLoaded,
        pages_loaded: Callable[[set[int]], None],
    ) -> None:
        self.owner = owner
        self.rows = rows
        self.fetcher = fetcher
        self._cursor = cursor
        self._keys_loaded = keys_loaded
        self._pages_loaded = pages_loaded
        self._wanted: set[int] = set()
        self._fetching = False

    # -- keys -------------------------------------------------------------------------------

    def load_keys(
        self,
        where: ArticleFilter,
        keep: int | None,
        cursor: int | None,
        known: list[PageKey] | None = None,
    ) -> None:
        """Read every key of view ``where`` (and the pages of ``keep``, else of ``cursor``);
        ``known``: the keys read before (the same view read again)."""
        self._wanted.clear()
        self.owner.run_worker(
            partial(self._read_keys, self.rows.generation, where, keep, cursor, known),
            # Named here: Textual would describe the worker by the repr of its arguments,
            # on the UI thread (the keys known: 100,000 of them, 50 ms).
            description="read the view's keys",
            thread=True,
            exclusive=True,
            group="article-keys",
            exit_on_error=False,
        )

    def _read_keys(
        self,
        generation: int,
        where: ArticleFilter,
        keep: int | None,
        cursor: int | None,
        known: list[PageKey] | None,
    ) -> None:
        keys, pages, row = read_view(self.fetcher, where, keep, cursor, known)
        if not get_current_worker().is_cancelled:
            self.owner.app.call_from_thread(self._keys_loaded, generation, keys, pages, row, cursor)

    # -- pages ------------------------------------------------------------------------------

    def request(self, numbers: Iterable[int]) -> None:
        """Read these pages (nearest the cursor's first), then say which arrived."""
        rows = self.rows
        self._wanted.update(n for n in numbers if not rows.loaded(n))
        if self._wanted and not self._fetching:
            near = rows.page_of(self._cursor())
            wanted = sorted(self._wanted, key=lambda n: abs(n - near))
            self._wanted = set(wanted[PAGES_PER_READ:])
            self._fetching = True
            pages = {n: rows.ids_of(n) for n in wanted[:PAGES_PER_READ]}
            self.owner.run_worker(
                partial(self._read_pages, rows.generation, pages),
                description=f"read pages {sorted(pages)}",
                thread=True,
                group="article-pages",
                exit_on_error=False,
            )

    def around(self, top: int, height: int) -> None:
        """Ask for the pages of rows ``top`` to ``top + height`` and those around them."""
        rows = self.rows
        if not rows.complete:
            return
        ahead = PREFETCH_PAGES * PAGE_SIZE
        wanted = rows.missing(range(top, top + height))
        wanted += rows.missing(range(top - ahead, top + height + ahead))
        if wanted:
            self.request(wanted)

    def _read_pages(self, generation: int, pages: dict[int, list[int]]) -> None:
        found: dict[int, dict[int, ArticleSummary]] = {}
        try:
            for number, ids in pages.items():
                found[number] = self.fetcher.summaries(ids)
        finally:
            self.owner.app.call_from_thread(self._pages_read, generation, found)

    def _pages_read(self, generation: int, found: dict[int, dict[int, ArticleSummary]]) -> None:
        self._fetching = False
        if generation != self.rows.generation:
            self._wanted.clear()
            return
        for number, page in found.items():
            self.rows.put(number, page)
        self._pages_loaded(set(found))
        self.request(())
