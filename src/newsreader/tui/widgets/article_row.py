"""One row of the article list as text: state marks, title, feed and age."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from newsreader.model import ArticleSummary
from newsreader.tui.text import plain, relative_date


@dataclass(frozen=True, slots=True)
class RowStyles:
    """The list's component styles, looked up once per drawing."""

    unread: Style
    read: Style
    star: Style
    meta: Style
    loading: Style


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
