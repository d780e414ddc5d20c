"""The article list: a virtual list that reads pages from the store and draws visible rows.

A widget per row would crawl with 100,000 articles, so this is a ``ScrollView`` whose
``render_line`` draws one row from a small cache of pages read on demand.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newsreader.model import ArticleSummary
from newsreader.store import ArticleFilter, Store
from newsreader.tui.actions import Scope, bindings
from newsreader.tui.text import plain, relative_date

PAGE_SIZE = 100
MAX_PAGES = 64


class ArticleList(ScrollView, can_focus=True):
    """Articles of the current view (or search results), newest first, one per row."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings(Scope.ARTICLE_LIST)]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--read",
        "article-list--star",
        "article-list--meta",
        "article-list--empty",
    }

    @dataclass
    class Highlighted(Message):
        """The cursor moved to ``article`` (``None``: the list is empty)."""

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
        store: Store,
        clock: Callable[[], datetime],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.store = store
        self.clock = clock
        self.where = ArticleFilter()
        self.hits: list[ArticleSummary] | None = None
        self.count = 0
        self.cursor = 0
        self.empty_text = "No articles yet. Press R to refresh your feeds."
        self._pages: OrderedDict[int, list[ArticleSummary]] = OrderedDict()
        self._empty_cache: tuple[tuple[str, int, Style], list[Text]] | None = None

    # -- data -------------------------------------------------------------------------------

    @property
    def searching(self) -> bool:
        return self.hits is not None

    @property
    def current(self) -> ArticleSummary | None:
        """The highlighted article."""
        return self.article_at(self.cursor)

    def article_at(self, row: int) -> ArticleSummary | None:
        if row < 0 or row >= self.count:
            return None
        if self.hits is not None:
            return self.hits[row]
        number, index = divmod(row, PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            page = self.store.list_articles(self.where, limit=PAGE_SIZE, offset=number * PAGE_SIZE)
            self._pages[number] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page[index] if index < len(page) else None

    def show_view(self, where: ArticleFilter, empty_text: str, keep: int | None = None) -> None:
        """List the articles matching ``where``; keep article ``keep`` highlighted if listed."""
        self.where = where
        self.hits = None
        self.empty_text = empty_text
        self._pages.clear()
        self.count = self.store.count_articles(where)
        row = 0
        if keep is not None:
            kept = self.store.article_position(where, keep)
            row = kept if kept is not None else 0
        self._reset(row)

    def set_empty_text(self, empty_text: str) -> None:
        """Change what the list says when it is empty."""
        if empty_text != self.empty_text:
            self.empty_text = empty_text
            if self.count == 0:
                self.refresh()

    def show_hits(self, hits: Sequence[ArticleSummary], empty_text: str) -> None:
        """List search results in their order."""
        self.hits = list(hits)
        self.empty_text = empty_text
        self.count = len(self.hits)
        self._reset(0)

    def reload(self) -> None:
        """Read the view again (after a refresh), keeping the highlighted article."""
        if self.hits is not None:
            self.refresh()
            return
        current = self.current
        self.show_view(self.where, self.empty_text, current.id if current else None)

    def update_article(self, article: ArticleSummary) -> None:
        """Show ``article``'s new state wherever it is listed."""
        pages = [self.hits] if self.hits is not None else list(self._pages.values())
        for page in pages:
            for index, listed in enumerate(page):
                if listed.id == article.id:
                    page[index] = article
        self.refresh()

    def update_state(self, ids: Sequence[int], read: bool | None = None) -> None:
        """Mark listed articles ``ids`` read or unread without reading the store."""
        wanted = set(ids)
        pages = [self.hits] if self.hits is not None else list(self._pages.values())
        for page in pages:
            for index, listed in enumerate(page):
                if listed.id in wanted and read is not None:
                    page[index] = dataclasses.replace(listed, read=read)
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
        height = self.scrollable_content_region.height
        if row < self.scroll_offset.y:
            self.scroll_to(y=row, animate=False)
        elif row >= self.scroll_offset.y + height:
            self.scroll_to(y=row - height + 1, animate=False)
        self.post_message(self.Highlighted(self.current))

    def move_to_article(self, article_id: int) -> bool:
        """Highlight the article with ``article_id``; False if it is not listed."""
        if self.hits is not None:
            for row, hit in enumerate(self.hits):
                if hit.id == article_id:
                    self.move_to(row)
                    return True
            return False
        position = self.store.article_position(self.where, article_id)
        if position is None or position >= self.count:
            return False
        self.move_to(position)
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
        base = self.rich_style
        row = self.scroll_offset.y + y
        if self.count == 0:
            lines = self._empty_lines(width)
            if 1 <= y <= len(lines):
                return self._strip(lines[y - 1], width, base)
            return Strip.blank(width, base)
        article = self.article_at(row)
        if article is None:
            return Strip.blank(width, base)
        return self._strip(self._row(article, row, width), width, base)

    def _empty_lines(self, width: int) -> list[Text]:
        """The empty-state message wrapped to ``width`` (with a margin), centred."""
        style = self.get_component_rich_style("article-list--empty")
        key = (self.empty_text, width, style)
        if self._empty_cache is None or self._empty_cache[0] != key:
            text = Text(self.empty_text, style=style, justify="center", end="")
            wrapped = list(text.wrap(self.app.console, max(1, width - 2), justify="center"))
            for line in wrapped:
                line.pad_left(1)
                line.end = ""
            self._empty_cache = (key, wrapped)
        return self._empty_cache[1]

    def _row(self, article: ArticleSummary, row: int, width: int) -> Text:
        state = self.get_component_rich_style(
            "article-list--read" if article.read else "article-list--unread"
        )
        meta = self.get_component_rich_style("article-list--meta")
        star = self.get_component_rich_style("article-list--star")
        line = Text(end="", no_wrap=True)
        line.append("●" if not article.read else " ", style=state)
        line.append("★" if article.starred else " ", style=star)
        line.append(" ")
        date = relative_date(article.published, self.clock())
        feed_width = min(20, width // 4) if width >= 60 else 0
        title_width = max(1, width - 3 - len(date) - 1 - (feed_width + 1 if feed_width else 0))
        title = plain(article.title or "(untitled)", style=state)
        title.truncate(title_width, overflow="ellipsis", pad=True)
        line.append_text(title)
        if feed_width:
            feed = plain(article.feed_title, style=meta)
            feed.truncate(feed_width, overflow="ellipsis", pad=True)
            line.append(" ")
            line.append_text(feed)
        line.append(" ")
        line.append(date, style=meta)
        if row == self.cursor:
            line.stylize(self._cursor_style())
        return line

    def _cursor_style(self) -> Style:
        if self.app.console.color_system in ("standard", "windows"):
            # 16 colours flatten the theme's cursor colours into ones that may clash with the
            # text: reverse video is always readable (underlined when the list is not focused).
            return Style(reverse=True) if self.has_focus else Style(underline=True, bold=True)
        cursor = self.get_component_rich_style("article-list--cursor")
        if not self.has_focus:
            cursor = Style(bgcolor=cursor.bgcolor, dim=False) if cursor.bgcolor else cursor
        return cursor

    def _strip(self, text: Text, width: int, base: Style) -> Strip:
        segments = [
            Segment(s.text, base + s.style if s.style else base, s.control)
            for s in text.render(self.app.console)
            if s.text != "\n"
        ]
        return Strip(segments).crop_extend(0, width, base)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
