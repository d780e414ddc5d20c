"""The article list: a virtual list that draws the visible rows of a view.

A widget per row would crawl with 100,000 articles, so this is a ``ScrollView`` whose
``render_line`` draws one row from a small cache of pages (:class:`ViewRows`). The pages
around the visible rows are read ahead in a worker, by keyset, never on the UI thread; a row
whose page has not arrived yet is drawn as a placeholder and drawn again when it does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from newsreader.model import ArticleSummary, PageKey
from newsreader.store import ArticleFilter, Store
from newsreader.tui.actions import Scope, bindings
from newsreader.tui.pager import PAGE_SIZE, ViewRows, read_view
from newsreader.tui.widgets.article_row import (
    ListLook,
    article_row,
    centred,
    make_look,
    placeholder_row,
    to_strip,
)

PREFETCH_PAGES = 2  # pages read ahead above and below the visible rows


class ArticleList(ScrollView, can_focus=True):
    """Articles of the current view (or search results), newest first, one per row.

    ``reader`` is read on the UI thread, in queries of a few milliseconds (the first page of
    a view); ``fetcher`` only in this list's workers (a view's keys and its pages).
    """

    BINDINGS: ClassVar[list[BindingType]] = [*bindings(Scope.ARTICLE_LIST)]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--read",
        "article-list--star",
        "article-list--meta",
        "article-list--empty",
        "article-list--loading",
    }

    @dataclass
    class Highlighted(Message):
        """The cursor moved to ``article`` (``None``: the list is empty or not loaded yet)."""

        article: ArticleSummary | None

        def can_replace(self, message: Message) -> bool:
            # Only where the cursor ends up matters: holding j must not queue a message a row.
            return isinstance(message, ArticleList.Highlighted)

    @dataclass
    class Opened(Message):
        """The user asked to read ``article``."""

        article: ArticleSummary

    def __init__(
        self,
        reader: Store,
        fetcher: Store,
        clock: Callable[[], datetime],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.reader = reader
        self.fetcher = fetcher
        self.clock = clock
        self.rows = ViewRows()
        self.hits: list[ArticleSummary] | None = None
        self.cursor = 0
        self.empty_text = "No articles yet. Press R to refresh your feeds."
        self._wanted: set[int] = set()
        self._fetching = False
        self._empty_cache: tuple[tuple[str, int, Style], list[Text]] | None = None
        self._looks: dict[tuple[str, str | None, bool], ListLook] = {}
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(1000)

    # -- data -------------------------------------------------------------------------------

    @property
    def where(self) -> ArticleFilter:
        return self.rows.where

    @property
    def count(self) -> int:
        return len(self.hits) if self.hits is not None else self.rows.count

    @property
    def searching(self) -> bool:
        return self.hits is not None

    @property
    def current(self) -> ArticleSummary | None:
        """The highlighted article (None while its page is being read)."""
        return self.article_at(self.cursor)

    @property
    def current_key(self) -> PageKey | None:
        """The highlighted row's place in the view, known before its article is read."""
        keys = self.rows.keys
        if self.hits is None and keys is not None and 0 <= self.cursor < len(keys):
            return keys[self.cursor]
        current = self.current
        return current.key if current is not None else None

    def article_at(self, row: int) -> ArticleSummary | None:
        if self.hits is not None:
            return self.hits[row] if 0 <= row < len(self.hits) else None
        return self.rows.get(row)

    def show_view(self, where: ArticleFilter, empty_text: str, keep: int | None = None) -> None:
        """List the articles matching ``where``; keep article ``keep`` highlighted if listed.

        The first page is read at once (a keyset query of a few milliseconds); the view's
        keys, and the page of ``keep``, are read in a worker.
        """
        self.hits = None
        self.empty_text = empty_text
        self.rows.start(where, self.reader.page(where, limit=PAGE_SIZE))
        row = 0
        if keep is not None:
            listed = (self.rows.get(r) for r in range(self.rows.count))
            row = next((r for r, a in enumerate(listed) if a is not None and a.id == keep), 0)
        self._reset(row)
        if not self.rows.complete:
            self._load_keys(self.rows.generation, where, keep if row == 0 else None, None)

    def reload(self) -> None:
        """Read the view again (another write changed it), keeping the highlighted article."""
        if self.hits is not None:
            self.refresh()
            return
        current = self.current
        self.rows.generation += 1
        self._load_keys(
            self.rows.generation, self.where, current.id if current else None, self.cursor
        )

    @work(thread=True, exclusive=True, group="article-keys", exit_on_error=False)
    def _load_keys(
        self, generation: int, where: ArticleFilter, keep: int | None, cursor: int | None
    ) -> None:
        keys, pages, row = read_view(self.fetcher, where, keep, cursor)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._keys_loaded, generation, keys, pages, row, cursor)

    def _keys_loaded(
        self,
        generation: int,
        keys: list[PageKey],
        pages: dict[int, list[ArticleSummary]],
        row: int,
        old_row: int | None,
    ) -> None:
        if generation != self.rows.generation or self.hits is not None:
            return
        self.rows.set_keys(keys, pages)
        self._wanted.clear()
        self.virtual_size = Size(0, self.count)
        if old_row is None:
            # A new view: the cursor may have moved on its first page meanwhile.
            self.cursor = max(0, min(row or self.cursor, self.count - 1))
            self._scroll_cursor_into_view()
        else:
            # Read again: rows added above move the highlighted article down by as many;
            # keep it where it is on the screen (and any move the user made meanwhile).
            moved = row - old_row
            self.cursor = max(0, min(self.cursor + moved, self.count - 1))
            if moved:
                self.scroll_to(y=self.scroll_offset.y + moved, animate=False, force=True)
        self.refresh()
        self.post_message(self.Highlighted(self.current))

    def _request(self, numbers: Iterable[int]) -> None:
        """Read these pages in a worker (one read at a time), then draw them."""
        self._wanted.update(n for n in numbers if not self.rows.loaded(n))
        if self._wanted and not self._fetching:
            wanted = sorted(self._wanted, key=lambda n: abs(n - self.rows.page_of(self.cursor)))
            self._wanted.clear()
            self._fetching = True
            pages = {n: self.rows.ids_of(n) for n in wanted[:8]}
            self._wanted.update(wanted[8:])
            self._fetch_pages(self.rows.generation, pages)

    @work(thread=True, group="article-pages", exit_on_error=False)
    def _fetch_pages(self, generation: int, pages: dict[int, list[int]]) -> None:
        found: dict[int, dict[int, ArticleSummary]] = {}
        try:
            for number, ids in pages.items():
                found[number] = self.fetcher.summaries(ids)
        finally:
            self.app.call_from_thread(self._pages_fetched, generation, found)

    def _pages_fetched(self, generation: int, found: dict[int, dict[int, ArticleSummary]]) -> None:
        self._fetching = False
        if generation == self.rows.generation and self.hits is None:
            for number, page in found.items():
                self.rows.put(number, page)
            self.refresh()
            if self.rows.page_of(self.cursor) in found:
                self.post_message(self.Highlighted(self.current))
        else:
            self._wanted.clear()
        self._request(())

    def _prefetch(self) -> None:
        """Ask for the pages around the visible rows."""
        if self.hits is not None or not self.rows.complete:
            return
        top = self.scroll_offset.y
        height = max(1, self.size.height)
        ahead = PREFETCH_PAGES * PAGE_SIZE
        wanted = self.rows.missing(range(top, top + height))
        wanted += self.rows.missing(range(top - ahead, top + height + ahead))
        if wanted:
            self._request(wanted)

    def set_empty_text(self, empty_text: str) -> None:
        """Change what the list says when it is empty."""
        if empty_text != self.empty_text:
            self.empty_text = empty_text
            if self.count == 0:
                self.refresh()

    def show_hits(self, hits: Sequence[ArticleSummary], empty_text: str) -> None:
        """List search results in their order."""
        self.hits = list(hits)
        self.rows.generation += 1
        self.empty_text = empty_text
        self._reset(0)

    def update_article(self, article: ArticleSummary) -> None:
        """Show ``article``'s new state wherever it is listed."""
        if self.hits is not None:
            self.hits = [article if a.id == article.id else a for a in self.hits]
        self.rows.replace(article)
        self.refresh()

    def update_state(self, ids: Sequence[int], read: bool | None = None) -> None:
        """Mark listed articles ``ids`` read or unread without reading the store."""
        if read is None:
            return
        wanted = set(ids)
        if self.hits is not None:
            self.hits = [
                dataclasses.replace(a, read=read) if a.id in wanted else a for a in self.hits
            ]
        self.rows.set_read(wanted, read=read)
        self.refresh()

    def _reset(self, row: int) -> None:
        self.virtual_size = Size(0, self.count)
        self.cursor = max(0, min(row, self.count - 1))
        self.scroll_to(y=max(0, self.cursor - self.size.height // 3), animate=False, force=True)
        self.refresh()
        self.post_message(self.Highlighted(self.current))

    # -- moving -----------------------------------------------------------------------------

    def move_to(self, row: int) -> None:
        """Highlight ``row`` and scroll it into view."""
        if self.count == 0:
            return
        row = max(0, min(row, self.count - 1))
        if row == self.cursor:
            return
        self.refresh_line(self.cursor)
        self.cursor = row
        self.refresh_line(row)
        self._scroll_cursor_into_view()
        self._prefetch()
        self.post_message(self.Highlighted(self.current))

    def _scroll_cursor_into_view(self) -> None:
        row = self.cursor
        height = self.scrollable_content_region.height
        if row < self.scroll_offset.y:
            self.scroll_to(y=row, animate=False)
        elif row >= self.scroll_offset.y + height:
            self.scroll_to(y=row - height + 1, animate=False)

    def move_to_article(self, article: ArticleSummary) -> bool:
        """Highlight ``article``; False if it is not listed."""
        if self.hits is not None:
            for row, hit in enumerate(self.hits):
                if hit.id == article.id:
                    self.move_to(row)
                    return True
            return False
        found = self.rows.row_of(article.key)
        if found is None:
            return False
        self.move_to(found)
        return True

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.move_to(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self.count - 1)

    def action_open(self) -> None:
        article = self.current
        if article is not None:
            self.post_message(self.Opened(article))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = self.scroll_offset.y + offset.y
        if 0 <= row < self.count:
            self.move_to(row)
            self.action_open()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(0, self.count)

    # -- drawing ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        look = self._look()
        base = look.base
        row = self.scroll_offset.y + y
        if self.count == 0:
            lines = self._empty_lines(width, look.empty)
            if 1 <= y <= len(lines):
                return to_strip(lines[y - 1], width, base, self.app.console)
            return Strip.blank(width, base)
        if y == 0:
            self._prefetch()
        if row >= self.count:
            return Strip.blank(width, base)
        article = self.article_at(row)
        if article is None:
            # Its page is being read: a placeholder until it arrives (then drawn again).
            self._request([self.rows.page_of(row)])
        now = self.clock()
        # Rows are drawn again whenever the list scrolls or its title changes: keep the
        # drawn rows (by everything that shows in them) rather than lay out text each time.
        key = (article, row == self.cursor, width, now.replace(second=0, microsecond=0), look)
        strip = self._strips.get(key)
        if strip is None:
            if article is None:
                line = placeholder_row(width, look.rows)
            else:
                line = article_row(article, width, now, look.rows)
            if row == self.cursor:
                line.stylize(look.cursor)
            strip = to_strip(line, width, base, self.app.console)
            self._strips[key] = strip
        return strip

    def _empty_lines(self, width: int, style: Style) -> list[Text]:
        """The empty-state message wrapped to ``width`` (with a margin), centred."""
        key = (self.empty_text, width, style)
        if self._empty_cache is None or self._empty_cache[0] != key:
            self._empty_cache = (key, centred(self.empty_text, width, style, self.app.console))
        return self._empty_cache[1]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._looks.clear()

    def _look(self) -> ListLook:
        """The styles the rows are drawn with (looked up once per theme, colours and focus)."""
        key = (self.app.theme, self.app.console.color_system, self.has_focus)
        look = self._looks.get(key)
        if look is None:
            look = make_look(
                self.rich_style,
                self.get_component_rich_style,
                sixteen_colours=self.app.console.color_system in ("standard", "windows"),
                focused=self.has_focus,
            )
            self._looks[key] = look
        return look

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
