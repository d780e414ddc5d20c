"""The feed list: special views, tags (folders) and feeds with their unread counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newsreader.tui.actions import Scope, bindings
from newsreader.tui.text import plain
from newsreader.tui.views import ALL, View

_GLYPHS = {"all": "≡", "unread": "●", "starred": "★"}


class FeedOption(Option):
    """An entry of the feed list, carrying its view."""

    def __init__(self, view: View) -> None:
        super().__init__(_prompt(view), id=view.key, disabled=view.kind == "section")
        self.view = view


def _prompt(view: View) -> Table | Text:
    if view.kind == "section":
        return Text(view.title, style="bold dim")
    grid = Table.grid(expand=True, padding=(0, 0, 0, 1))
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(justify="right", no_wrap=True)
    label = Text("  " * view.depth, end="")
    if view.kind == "special":
        label.append(_GLYPHS.get(view.key, " ") + " ")
    elif view.kind == "tag":
        label.append("▸ ", style="dim")
    feed = view.feed
    if feed is not None and feed.failed:
        label.append("! ", style="bold red")
    label.append_text(plain(view.title, style="bold" if view.kind == "tag" else ""))
    count = Text(str(view.unread) if view.unread else "", style="bold")
    if view.key == "starred":
        count = Text(str(view.total) if view.total else "", style="dim")
    grid.add_row(label, count)
    return grid


class FeedList(OptionList):
    """Lists views; highlighting one shows its articles."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings(Scope.FEED_LIST)]

    @dataclass
    class ViewChosen(Message):
        """The user highlighted a view (``focus_articles``: and asked to read it)."""

        view: View
        focus_articles: bool = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.views: list[View] = []

    @property
    def current(self) -> View:
        """The highlighted view (All when nothing is highlighted)."""
        if self.highlighted is None or not self.views:
            return ALL
        option = self.get_option_at_index(self.highlighted)
        return option.view if isinstance(option, FeedOption) else ALL

    def set_views(self, views: Sequence[View]) -> None:
        """Show ``views``, keeping the highlighted one when it still exists."""
        key = self.current.key if self.views else "all"
        self.views = list(views)
        with self.prevent(OptionList.OptionHighlighted):
            self.clear_options()
            self.add_options(FeedOption(view) for view in self.views)
            keys = [view.key for view in self.views]
            self.highlighted = keys.index(key) if key in keys else 0

    def view_for(self, key: str) -> View | None:
        return next((v for v in self.views if v.key == key), None)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if isinstance(event.option, FeedOption):
            self.post_message(self.ViewChosen(event.option.view))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if isinstance(event.option, FeedOption):
            self.post_message(self.ViewChosen(event.option.view, focus_articles=True))
