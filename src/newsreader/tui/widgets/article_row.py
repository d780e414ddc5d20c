"""One row of the article list as text (state marks, title, feed and age), and the cache of
rows already drawn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.strip import Strip
from textual.widget import Widget

from newsreader.ingest.sanitize import clean_line
from newsreader.model import ArticleSummary
from newsreader.tui.text import plain, relative_date

#: The list's component classes, looked up by :func:`make_look`.
ROW_CLASSES = (
    "article-list--cursor",
    "article-list--unread",
    "article-list--read",
    "article-list--star",
    "article-list--meta",
    "article-list--empty",
    "article-list--loading",
    "article-list--snippet",
    "article-list--match",
)


@dataclass(frozen=True, slots=True)
class RowStyles:
    """The list's component styles, looked up once per drawing."""

    unread: Style
    read: Style
    star: Style
    meta: Style
    loading: Style
    snippet: Style
    match: Style


@dataclass(frozen=True, slots=True)
class ListLook:
    """Everything the list's rows are drawn with."""

    base: Style
    rows: RowStyles
    cursor: Style
    empty: Style


def make_look(
    base: Style, style: Callable[[str], Style], *, sixteen_colours: bool, focused: bool
) -> ListLook:
    r"""The list's look from its component ``style``\ s, its colours and focus."""
    rows = RowStyles(
        unread=style("article-list--unread"),
        read=style("article-list--read"),
        star=style("article-list--star"),
        meta=style("article-list--meta"),
        loading=style("article-list--loading"),
        snippet=style("article-list--snippet"),
        match=style("article-list--match"),
    )
    if sixteen_colours:
        # 16 colours flatten the theme's cursor colours into ones that may clash with the
        # text: reverse video is always readable (underlined when the list is not focused).
        cursor = Style(reverse=True) if focused else Style(underline=True, bold=True)
    else:
        cursor = style("article-list--cursor")
        if not focused:
            cursor = Style(bgcolor=cursor.bgcolor, dim=False) if cursor.bgcolor else cursor
    return ListLook(base, rows, cursor, style("article-list--empty"))


def article_row(article: ArticleSummary, width: int, now: datetime, styles: RowStyles) -> Text:
    """``article`` as one line of ``width`` cells (untrusted text drawn literally)."""
    state = styles.read if article.read else styles.unread
    line = Text(end="", no_wrap=True)
    line.append("●" if not article.read else " ", style=state)
    line.append("★" if article.starred else " ", style=styles.star)
    line.append(" ")
    date = relative_date(article.published, now)
    feed_width = min(20, width // 4) if width >= 60 else 0
    title_width = max(1, width - 3 - len(date) - 1 - (feed_width + 1 if feed_width else 0))
    title = plain(article.title or "(untitled)", style=state)
    title.truncate(title_width, overflow="ellipsis", pad=True)
    line.append_text(title)
    if feed_width:
        feed = plain(article.feed_title, style=styles.meta)
        feed.truncate(feed_width, overflow="ellipsis", pad=True)
        line.append(" ")
        line.append_text(feed)
    line.append(" ")
    line.append(date, style=styles.meta)
    return line


MARK_START = "\x02"  # what the store wraps a snippet's matched words in: control characters
MARK_END = "\x03"  # that cleaned feed text never holds (they cannot come from a feed)


def snippet_row(snippet: str, width: int, styles: RowStyles) -> Text:
    """A search hit's snippet as one line, the matched words styled (never markup)."""
    line = Text("   ", end="", no_wrap=True, style=styles.snippet)
    marked = False
    for part in snippet.replace(MARK_END, MARK_START).split(MARK_START):
        cleaned = clean_line(part, limit=2000)
        if cleaned:
            lead = " " if part[:1].isspace() else ""
            trail = " " if part[-1:].isspace() else ""
            line.append(lead + cleaned + trail, style=styles.match if marked else styles.snippet)
        marked = not marked
    line.truncate(max(1, width), overflow="ellipsis", pad=True)
    return line


def placeholder_row(width: int, styles: RowStyles) -> Text:
    """A row whose article is still being read."""
    line = Text("   …", style=styles.loading, end="", no_wrap=True)
    line.pad_right(max(0, width - 4))
    return line


def to_strip(text: Text, width: int, base: Style, console: Console) -> Strip:
    """``text`` over the widget's ``base`` style, cropped or padded to ``width``."""
    segments = [
        Segment(s.text, base + s.style if s.style else base, s.control)
        for s in text.render(console)
        if s.text != "\n"
    ]
    return Strip(segments).crop_extend(0, width, base)


def centred(message: str, width: int, style: Style, console: Console) -> list[Text]:
    """``message`` wrapped to ``width`` (with a margin), centred."""
    text = Text(message, style=style, justify="center", end="")
    wrapped = list(text.wrap(console, max(1, width - 2), justify="center"))
    for line in wrapped:
        line.pad_left(1)
        line.end = ""
    return wrapped


class RowPainter:
    """Draws the list's rows into strips, keeping those drawn (by everything shown in them):
    rows are drawn again whenever the list scrolls or its title changes."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(1000)
        self._empty: tuple[tuple[str, int, Style], list[Text]] | None = None
        self.looks: dict[tuple[str, str | None, bool], ListLook] = {}

    def look(self, widget: Widget, *, focused: bool) -> ListLook:
        """The styles ``widget``'s rows are drawn with (made once per theme, colours and
        focus; :attr:`looks` is cleared when its styles change)."""
        colours = widget.app.console.color_system
        key = (widget.app.theme, colours, focused)
        if key not in self.looks:
            self.looks[key] = make_look(
                widget.rich_style,
                widget.get_component_rich_style,
                sixteen_colours=colours in ("standard", "windows"),
                focused=focused,
            )
        return self.looks[key]

    def row(
        self,
        article: ArticleSummary | None,
        *,
        cursor: bool,
        width: int,
        now: datetime,
        look: ListLook,
    ) -> Strip:
        """``article``'s row (a placeholder while it is read), highlighted if ``cursor``."""
        key = (article, cursor, width, now.replace(second=0, microsecond=0), look)
        strip = self._strips.get(key)
        if strip is None:
            if article is None:
                line = placeholder_row(width, look.rows)
            else:
                line = article_row(article, width, now, look.rows)
            if cursor:
                line.stylize(look.cursor)
            strip = to_strip(line, width, look.base, self.console)
            self._strips[key] = strip
        return strip

    def snippet(self, snippet: str, *, cursor: bool, width: int, look: ListLook) -> Strip:
        """The line under a search hit: its snippet, the matched words marked."""
        key = ("snippet", snippet, cursor, width, look)
        strip = self._strips.get(key)
        if strip is None:
            line = snippet_row(snippet, width, look.rows)
            if cursor:
                line.stylize(look.cursor)
            strip = to_strip(line, width, look.base, self.console)
            self._strips[key] = strip
        return strip

    def empty(self, message: str, y: int, width: int, look: ListLook) -> Strip:
        """Line ``y`` of the empty-state ``message``, wrapped and centred (a blank margin)."""
        key = (message, width, look.empty)
        if self._empty is None or self._empty[0] != key:
            self._empty = (key, centred(message, width, look.empty, self.console))
        lines = self._empty[1]
        if 1 <= y <= len(lines):
            return to_strip(lines[y - 1], width, look.base, self.console)
        return Strip.blank(width, look.base)
