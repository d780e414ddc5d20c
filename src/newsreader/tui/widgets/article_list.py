"""The article list: a virtual list that draws the visible rows of a view.

A widget per row would crawl with 100,000 articles, so this is a ``ScrollView`` whose
``render_line`` draws one row from a small cache of pages (:class:`ViewRows`). The pages
around the visible rows are read ahead in a worker, by keyset, never on the UI thread; a row
whose page has not arrived yet is drawn as a placeholder and drawn again when it does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer

from newsreader.model import ArticleSummary, PageKey
from newsreader.store import ArticleFilter, Store
from newsreader.tui.actions import Scope, bindings
from newsreader.tui.pager import PAGE_SIZE, ViewRows
from newsreader.tui.widgets.article_row import ROW_CLASSES, ListLook, RowPainter
from newsreader.tui.widgets.line_reuse import ReusingScrollView
from newsreader.tui.widgets.page_loader import PageLoader

POSITION_SECONDS = 0.2  # "N of M" follows a cursor that moves without scrolling this late


class ArticleList(ReusingScrollView, can_focus=True):
    """Articles of the current view (or search results), newest first, one per row.

    ``reader`` is read on the UI thread, in queries of a few milliseconds (the first page of
    a view); ``fetcher`` only in this list's workers (a view's keys and its pages).
    """

    BINDINGS: ClassVar[list[BindingType]] = [*bindings(Scope.ARTICLE_LIST)]

    COMPONENT_CLASSES: ClassVar[set[str]] = set(ROW_CLASSES)

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
        self.loader = PageLoader(
            self,
            self.rows,
            fetcher,
            cursor=lambda: self.cursor,
            keys_loaded=self._keys_loaded,
            pages_loaded=self._pages_loaded,
        )
        self.hits: list[ArticleSummary] | None = None
        # Search results' snippets by article id, drawn on a line under each hit.
        self.snippets: dict[int, str] = {}
        self.cursor = 0
        self.empty_text = "No articles yet. Press R to refresh your feeds."
        self._position_timer: Timer | None = None
        self._painter: RowPainter | None = None
        self._drawing: tuple[int, ListLook, datetime] | None = None

    # -- data -------------------------------------------------------------------------------

    @property
    def where(self) -> ArticleFilter:
        return self.rows.where

    @property
    def count(self) -> int:
        return len(self.hits) if self.hits is not None else self.rows.count

    @property
    def lines_per_row(self) -> int:
        """Lines an article takes: two for search results with snippets (title, snippet)."""
        return 2 if self.hits is not None and self.snippets else 1

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
        self.snippets = {}
        self.empty_text = empty_text
        self.rows.start(where, self.reader.page(where, limit=PAGE_SIZE))
        row = 0
        if keep is not None:
            listed = (self.rows.get(r) for r in range(self.rows.count))
            row = next((r for r, a in enumerate(listed) if a is not None and a.id == keep), 0)
        self._reset(row)
        if not self.rows.complete:
            self.loader.load_keys(where, keep if row == 0 else None, None)

    def reload(self) -> None:
        """Read the view again (another write changed it), keeping the highlighted article."""
        if self.hits is not None:
            self.refresh()
            return
        current, known = self.current, self.rows.keys
        self.rows.generation += 1
        self.loader.load_keys(self.where, current.id if current else None, self.cursor, known)

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
        self.resize_content(Size(0, self.count))
        if old_row is None:
            # A new view: the cursor may have moved on its first page meanwhile.
            self.cursor = max(0, min(row or self.cursor, self.count - 1))
            self._scroll_cursor_into_view()
        else:
            # Read again: rows added above move the highlighted article down by as many;
            # keep it where it is on the screen (and any move the user made meanwhile).
            moved = row - old_row
            self.cursor = max(0, min(self.cursor + moved, self.count - 1))
            if moved:  # in this update, not one with the rows moved and the list not yet
                y = self.scroll_offset.y + moved
                self.scroll_to(y=y, animate=False, force=True, immediate=True)
        self._redraw()
        self.post_message(self.Highlighted(self.current))

    def _pages_loaded(self, numbers: set[int]) -> None:
        if self.hits is not None:
            return
        # Pages read ahead of the visible rows draw nothing now.
        shown = range(self.scroll_offset.y, self.scroll_offset.y + max(1, self.size.height))
        if numbers & {self.rows.page_of(row) for row in shown}:
            self.refresh()
        if self.rows.page_of(self.cursor) in numbers:
            self.post_message(self.Highlighted(self.current))

    def _prefetch(self) -> None:
        """Ask for the pages around the visible rows."""
        if self.hits is None:
            self.loader.around(self.scroll_offset.y, max(1, self.size.height))

    def set_empty_text(self, empty_text: str) -> None:
        """Change what the list says when it is empty."""
        if empty_text != self.empty_text:
            self.empty_text = empty_text
            if self.count == 0:
                self.refresh()

    def show_hits(
        self,
        hits: Sequence[ArticleSummary],
        empty_text: str,
        snippets: dict[int, str] | None = None,
    ) -> None:
        """List search results in their order (each with its snippet, if given, below it)."""
        self.hits = list(hits)
        self.snippets = dict(snippets or {})
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
        lines = self.lines_per_row
        self.virtual_size = Size(0, self.count * lines)
        self.cursor = max(0, min(row, self.count - 1))
        top = max(0, self.cursor - self.size.height // lines // 3) * lines
        self.scroll_to(y=top, animate=False, force=True)
        self._redraw()
        self.post_message(self.Highlighted(self.current))

    def _redraw(self) -> None:
        """Draw every visible row again, and "N of M" below them with no extra cost."""
        self.refresh()
        self._show_position()

    def _show_position(self) -> None:
        # A new subtitle draws the whole list again: it changes with frames that do anyway
        # (scrolling, a new view), else once the cursor has rested for POSITION_SECONDS.
        if self._position_timer is not None:
            self._position_timer.stop()
            self._position_timer = None
        self.border_subtitle = f"{self.cursor + 1} of {self.count}" if self.count else ""

    # -- moving -----------------------------------------------------------------------------

    def move_to(self, row: int) -> None:
        """Highlight ``row`` and scroll it into view."""
        if self.count == 0:
            return
        row = max(0, min(row, self.count - 1))
        if row == self.cursor:
            return
        lines = self.lines_per_row
        for line in range(lines):
            self.refresh_line(self.cursor * lines + line)
            self.refresh_line(row * lines + line)
        self.cursor = row
        if self._scroll_cursor_into_view():
            self._show_position()  # every row is drawn again anyway
        elif self._position_timer is None:
            self._position_timer = self.set_timer(POSITION_SECONDS, self._show_position)
        else:
            self._position_timer.reset()
        self._prefetch()
        self.post_message(self.Highlighted(self.current))

    def _scroll_cursor_into_view(self) -> bool:
        """Scroll now (not after the next screen update: the cursor's row and the rows
        around it are drawn in one update); False if the cursor's row was on screen."""
        lines = self.lines_per_row
        first = self.cursor * lines
        last = first + lines - 1
        height = self.scrollable_content_region.height
        if first < self.scroll_offset.y:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last >= self.scroll_offset.y + height:
            self.scroll_to(y=last - height + 1, animate=False, immediate=True)
        else:
            return False
        return True

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

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // self.lines_per_row - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + self._page())

    def action_page_up(self) -> None:
        self.move_to(self.cursor - self._page())

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
        row = (self.scroll_offset.y + offset.y) // self.lines_per_row
        if 0 <= row < self.count:
            self.move_to(row)
            self.action_open()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(0, self.count * self.lines_per_row)

    # -- drawing ----------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # What all rows of one update are drawn with, worked out once for them all.
        self._drawing = (self.scrollable_content_region.width, self._look(), self.clock())
        try:
            return super().render_lines(crop)
        finally:
            self._drawing = None

    def render_line(self, y: int) -> Strip:
        drawing = self._drawing
        if drawing is None:
            drawing = (self.scrollable_content_region.width, self._look(), self.clock())
        width, look, now = drawing
        row, part = divmod(self.scroll_offset.y + y, self.lines_per_row)
        if self.count == 0:
            return self.painter.empty(self.empty_text, y, width, look)
        if y == 0:
            self._prefetch()
        if row >= self.count:
            return Strip.blank(width, look.base)
        article = self.article_at(row)
        cursor = row == self.cursor
        if part == 1:
            snippet = self.snippets.get(article.id, "") if article is not None else ""
            return self.painter.snippet(snippet, cursor=cursor, width=width, look=look)
        if article is None:
            # Its page is being read: a placeholder until it arrives (then drawn again).
            self.loader.request([self.rows.page_of(row)])
        return self.painter.row(article, cursor=cursor, width=width, now=now, look=look)

    @property
    def painter(self) -> RowPainter:
        if self._painter is None:
            self._painter = RowPainter(self.app.console)
        return self._painter

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self._painter is not None:
            self._painter.looks.clear()

    def _look(self) -> ListLook:
        return self.painter.look(self, focused=self.has_focus)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
