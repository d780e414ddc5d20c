"""The rows of one article view: its key list and the pages of it that are loaded.

The list of a view is its keys in display order (row -> ``(published, id)``), read in a
worker; the articles themselves are read a page at a time, by id, into a small LRU cache. A
row whose page is not loaded yet has no article until the page arrives. Plain Python: the
widget decides when to load what.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence

from newsreader.model import Article, ArticleSummary, PageKey
from newsreader.store import ArticleFilter, Store

PAGE_SIZE = 100
MAX_PAGES = 64


def _descending(key: PageKey) -> tuple[float, int]:
    return (-key[0], -key[1])


class ViewRows:
    """Row -> article for one view, from its keys and an LRU cache of pages."""

    def __init__(self, page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES) -> None:
        self.page_size = page_size
        self.max_pages = max_pages
        self.where = ArticleFilter()
        self.generation = 0
        self.keys: list[PageKey] | None = None
        self.count = 0
        self._pages: OrderedDict[int, list[ArticleSummary | None]] = OrderedDict()

    @property
    def complete(self) -> bool:
        """Whether every row's key is known (else only the first page is)."""
        return self.keys is not None

    def start(self, where: ArticleFilter, first: Sequence[ArticleSummary]) -> None:
        """A new view whose first page is ``first`` (its keys are all known if it is short)."""
        self.generation += 1
        self.where = where
        self._pages.clear()
        self._pages[0] = list(first)
        self.count = len(first)
        self.keys = [a.key for a in first] if len(first) < self.page_size else None

    def set_keys(self, keys: list[PageKey], pages: Mapping[int, Sequence[ArticleSummary]]) -> None:
        """Every key of the view (read again: cached pages are dropped) and some pages."""
        self.keys = keys
        self.count = len(keys)
        self._pages.clear()
        for number, found in pages.items():
            self.put(number, {a.id: a for a in found})

    def page_of(self, row: int) -> int:
        return row // self.page_size

    def get(self, row: int) -> ArticleSummary | None:
        """The article at ``row``; None when its page is not loaded (or it was deleted)."""
        if not 0 <= row < self.count:
            return None
        number, index = divmod(row, self.page_size)
        page = self._pages.get(number)
        if page is None:
            return None
        self._pages.move_to_end(number)
        return page[index] if index < len(page) else None

    def loaded(self, number: int) -> bool:
        return number in self._pages

    def missing(self, rows: range) -> list[int]:
        """The pages covering ``rows`` that are not loaded (only known rows count)."""
        if self.keys is None or not rows:
            return []
        first = self.page_of(max(0, rows.start))
        last = self.page_of(max(0, min(rows.stop, self.count) - 1))
        return [n for n in range(first, last + 1) if n not in self._pages]

    def ids_of(self, number: int) -> list[int]:
        """The article ids of page ``number`` (the keys must be loaded)."""
        if self.keys is None:
            return []
        start = number * self.page_size
        return [article_id for _, article_id in self.keys[start : start + self.page_size]]

    def put(self, number: int, found: Mapping[int, ArticleSummary]) -> None:
        """Page ``number`` as read: its rows in key order (a vanished article is None)."""
        self._pages[number] = [found.get(article_id) for article_id in self.ids_of(number)]
        self._pages.move_to_end(number)
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)

    def unread_near(self, row: int, *, forward: bool) -> tuple[bool, int | None]:
        """The first unread row after (``forward``) or before ``row``, from the loaded pages.

        Returns ``(known, found)``: ``known`` is False when an unloaded page came first (the
        store must be asked); ``found`` is None when no row there is unread.
        """
        step = 1 if forward else -1
        candidate = row + step
        while 0 <= candidate < self.count:
            page = self._pages.get(self.page_of(candidate))
            if page is None:
                return False, None
            index = candidate % self.page_size
            listed = page[index] if index < len(page) else None
            if listed is None:
                return False, None
            if not listed.read:
                return True, candidate
            candidate += step
        return self.complete, None

    def row_of(self, key: PageKey) -> int | None:
        """The row of the article with ``key``, by bisection of the keys (None: not listed)."""
        keys = self.keys
        if keys is None:
            page = self._pages.get(0, [])
            return next((i for i, a in enumerate(page) if a is not None and a.key == key), None)
        row = bisect_left(keys, _descending(key), key=_descending)
        return row if row < len(keys) and keys[row] == key else None

    def replace(self, article: ArticleSummary) -> None:
        """Show ``article``'s new state wherever it is loaded."""
        for page in self._pages.values():
            for index, listed in enumerate(page):
                if listed is not None and listed.id == article.id:
                    page[index] = article

    def set_read(self, ids: Iterable[int], *, read: bool) -> None:
        wanted = set(ids)
        for page in self._pages.values():
            for index, listed in enumerate(page):
                if listed is not None and listed.id in wanted:
                    page[index] = dataclasses.replace(listed, read=read)


def view_keys(store: Store, where: ArticleFilter, known: list[PageKey] | None) -> list[PageKey]:
    """A view's keys. Given the ``known`` keys of an earlier read, only the keys newer than
    those are read when that accounts for every change (a refresh adds articles on top):
    the view's count and sum of ids are checked, not all its rows read again."""
    if known:
        with store.database.snapshot():  # both from one state of the file
            count, ids = store.view_fingerprint(where)
            newer = store.view_keys(where, newer_than=known[0])
        if count == len(known) + len(newer) and ids == sum(i for _, i in known) + sum(
            i for _, i in newer
        ):
            return newer + known
    return store.view_keys(where)


def read_view(
    store: Store,
    where: ArticleFilter,
    keep: int | None,
    cursor: int | None,
    known: list[PageKey] | None = None,
) -> tuple[list[PageKey], dict[int, list[ArticleSummary]], int]:
    """A view's keys (see :func:`view_keys`), the row of article ``keep`` (else ``cursor``,
    else 0) and the pages around that row, at the top and at the bottom. For a worker: tens
    of ms at 100,000 articles (a few when only new articles came on top)."""
    keys = view_keys(store, where, known)
    rows = ViewRows()
    rows.set_keys(keys, {})
    row = cursor
    if keep is not None:
        found = store.summaries([keep]).get(keep)
        kept = rows.row_of(found.key) if found is not None else None
        row = kept if kept is not None else row
    row = max(0, min(row or 0, len(keys) - 1))
    last = rows.page_of(max(0, len(keys) - 1))
    around = rows.page_of(row)
    numbers = {0, last, *range(max(0, around - 1), min(last, around + 1) + 1)}
    pages = {n: list(store.summaries(rows.ids_of(n)).values()) for n in sorted(numbers)}
    return keys, pages, row


def summary_of(article: Article) -> ArticleSummary:
    """The list's view of a whole article."""
    return ArticleSummary(
        id=article.id,
        feed_id=article.feed_id,
        feed_title=article.feed_title,
        title=article.title,
        link=article.link,
        author=article.author,
        published=article.published,
        read=article.read,
        starred=article.starred,
    )
