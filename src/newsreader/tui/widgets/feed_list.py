"""The feed list: special views, tags (folders) and feeds with their unread counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.text import Text
from textual import on
from textual._context import active_app
from textual.binding import BindingType
from textual.css.styles import RulesMap
from textual.message import Message
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions, Visual
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newsreader.ingest.sanitize import clean_line
from newsreader.tui.actions import Scope, bindings
from newsreader.tui.text import plain
from newsreader.tui.views import ALL, View
from newsreader.tui.widgets.line_reuse import steady_vertical_scrollbar

_GLYPHS = {"all": "≡", "unread": "●", "starred": "★"}
SEARCH_GLYPH = "⌕"


class FeedOption(Option):
    """An entry of the feed list, carrying its view."""

    def __init__(self, view: View, *, folded: bool = False) -> None:
        super().__init__(_prompt(view, folded), id=view.key, disabled=view.kind == "section")
        self.view = view


class FeedPrompt(Visual):
    """A feed list entry: its label on the left, its count on the right, and an optional
    second line (a failed feed's error) under the label.

    Drawn as a two-column grid would draw it (the label cut with an ellipsis, one space,
    the counts right-aligned in a column as wide as the widest), without a table's layout
    or a Rich render: the list measures and draws every entry again whenever any count
    changes, and its height is known without drawing it.
    """

    def __init__(self, label: Text, count: Text, second: Text | None = None) -> None:
        self.label = label
        self.count = count
        self.second = second

    def lines(self, width: int) -> list[Text]:
        """The entry's lines at ``width`` cells."""
        count_width = self.count.cell_len
        label_width = max(0, width - count_width - 1)
        rows = [(self.label, self.count)]
        if self.second is not None:
            rows.append((self.second, Text("")))
        lines = []
        for label, count in rows:
            left = label.copy()
            left.truncate(label_width, overflow="ellipsis", pad=True)
            line = Text(end="", no_wrap=True)
            line.append_text(left)
            line.append(" " * (count_width - count.cell_len + 1))
            line.append_text(count)
            lines.append(line)
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for index, line in enumerate(self.lines(options.max_width)):
            if index:
                yield Segment.line()
            yield from line.render(console)
        yield Segment.line()

    def render_strips(
        self, width: int, height: int | None, style: VisualStyle, options: RenderOptions
    ) -> list[Strip]:
        # As the list draws a Rich renderable: over the option's style, cut to ``width``.
        console = active_app.get().console
        base = style.rich_style
        strips = []
        for line in self.lines(width)[:height]:
            segments = [
                Segment(text, base + segment_style if base else segment_style)
                for text, segment_style, _ in line.render(console)
            ]
            strips.append(Strip(segments).crop(0, width))
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        labels = [self.label] if self.second is None else [self.label, self.second]
        return max(label.cell_len for label in labels) + 1 + self.count.cell_len

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1 if self.second is None else 2


def _prompt(view: View, folded: bool) -> FeedPrompt | Text:
    if view.kind == "section":
        return Text(view.title, style="bold dim")
    indent = "  " * view.depth
    label = Text(indent, end="")
    if view.kind == "special":
        label.append(_GLYPHS.get(view.key, " ") + " ")
    elif view.kind == "search":
        label.append(SEARCH_GLYPH + " ", style="dim")
    elif view.kind == "tag":
        label.append("▸ " if folded else "▾ ", style="dim")
    feed = view.feed
    if feed is not None and feed.failed:
        label.append("! ", style="bold red")
    label.append_text(plain(view.title, style="bold" if view.kind == "tag" else ""))
    count = Text(str(view.unread) if view.unread else "", style="bold")
    if view.key == "starred":
        count = Text(str(view.total) if view.total else "", style="dim")
    second = None
    if feed is not None and feed.failed:
        # The reason, readable where the feed is listed (a dim second line).
        error = clean_line(feed.last_error, 200) or "the last refresh failed"
        second = Text(f"{indent}  {error}", style="dim red", end="")
    return FeedPrompt(label, count, second)


def tag_of(view: View) -> str | None:
    """The tag a feed is listed under (``None``: not under a tag)."""
    head, sep, _ = view.key.partition("/")
    return head.removeprefix("tag:") if sep and head.startswith("tag:") else None


class FeedList(OptionList):
    """Lists views; highlighting one shows its articles."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings(Scope.FEED_LIST)]

    @dataclass
    class ViewChosen(Message):
        """The user highlighted a view (``focus_articles``: and asked to read it)."""

        view: View
        focus_articles: bool = False

    @dataclass
    class FoldsChanged(Message):
        """The user folded or unfolded a tag: ``folded`` is every folded tag now."""

        folded: frozenset[str]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.views: list[View] = []
        self.folded: set[str] = set()  # tags whose feeds are hidden
        # Where Enter on a view sends the focus (the article list), at once: Enter is a
        # priority binding, so the keys typed right after it land there, not here.
        self.reader: Widget | None = None

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        # Every layout of the screen refreshes it: drawn again only when its thumb moves.
        return steady_vertical_scrollbar(self)

    @property
    def current(self) -> View:
        """The highlighted view (All when nothing is highlighted)."""
        if self.highlighted is None or not self.views:
            return ALL
        option = self.get_option_at_index(self.highlighted)
        return option.view if isinstance(option, FeedOption) else ALL

    def set_views(self, views: Sequence[View]) -> None:
        """Show ``views``, keeping the highlighted one when it still exists.

        When the same entries are listed (only counts or errors changed, as after reading an
        article), only the changed entries are drawn again.
        """
        key = self.current.key if self.views else "all"
        old = self.views
        self.views = list(views)
        if [(v.key, v.kind, v.title) for v in old] != [(v.key, v.kind, v.title) for v in views]:
            self._show(key)
            if self.current.key != key:  # the view shown is gone (a deleted search, a feed)
                self.post_message(self.ViewChosen(self.current))
            return
        changed = {new.key: new for was, new in zip(old, views, strict=True) if was != new}
        if not changed:
            return
        for index, option in enumerate(self.options):
            if isinstance(option, FeedOption) and option.view.key in changed:
                view = changed[option.view.key]
                option.view = view
                folded = view.title in self.folded and view.kind == "tag"
                self._replace_prompt(index, option, _prompt(view, folded))

    def _replace_prompt(self, index: int, option: Option, prompt: FeedPrompt | Text) -> None:
        """Show ``prompt`` for option ``index``: when its height stays, only its lines are
        drawn again (``replace_option_prompt_at_index`` forgets every option's drawing and
        draws them all again, about 17 ms for one count)."""
        old = option.prompt
        same_height = (
            isinstance(old, FeedPrompt)
            and isinstance(prompt, FeedPrompt)
            and (old.second is None) == (prompt.second is None)
            and index in self._index_to_line
        )
        if not same_height:
            self.replace_option_prompt_at_index(index, prompt)
            return
        option._set_prompt(prompt)
        drawn = self._option_render_cache  # by (option, style, padding)
        for key in [key for key in drawn.keys() if key[0] is option]:  # noqa: SIM118 (no __iter__)
            drawn.discard(key)
        first = self._index_to_line[index]
        for line in range(first, first + self._heights[index]):
            self.refresh_line(line)

    def _show(self, key: str) -> None:
        """List the views (the feeds of folded tags left out); highlight ``key``'s."""
        shown = [v for v in self.views if tag_of(v) not in self.folded]
        with self.prevent(OptionList.OptionHighlighted):
            self.clear_options()
            self.add_options(
                FeedOption(view, folded=view.title in self.folded and view.kind == "tag")
                for view in shown
            )
            keys = [view.key for view in shown]
            if key not in keys:
                # A feed of a tag just folded: its tag.
                tag = next((v for v in self.views if v.key == key), None)
                parent = f"tag:{tag_of(tag)}" if tag is not None else ""
                key = parent if parent in keys else "all"
            self.highlighted = keys.index(key) if key in keys else 0

    def set_folded(self, tags: Iterable[str]) -> None:
        """Fold these tags (as remembered from last time)."""
        self.folded = set(tags)
        if self.views:
            self._show(self.current.key)

    def _fold(self, fold: bool | None) -> None:
        """Fold (``True``), unfold (``False``) or toggle (``None``) the highlighted tag."""
        view = self.current
        tag = view.title if view.kind == "tag" else tag_of(view)
        if tag is None:
            return
        folded = tag in self.folded
        wanted = not folded if fold is None else fold
        if wanted == folded:
            return
        if wanted:
            self.folded.add(tag)
        else:
            self.folded.discard(tag)
        before = self.current
        self._show(f"tag:{tag}")
        if self.current.key != before.key:
            self.post_message(self.ViewChosen(self.current))
        self.post_message(self.FoldsChanged(frozenset(self.folded)))

    def action_fold_tag(self) -> None:
        self._fold(True)

    def action_unfold_tag(self) -> None:
        self._fold(False)

    def view_for(self, key: str) -> View | None:
        return next((v for v in self.views if v.key == key), None)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_cursor_down(self) -> None:
        self._step(1)

    def _step(self, direction: Literal[-1, 1]) -> None:
        """Move the highlight; at either end it stays (as in the article list)."""
        from textual._widget_navigation import find_next_enabled_no_wrap

        found = find_next_enabled_no_wrap(self.options, self.highlighted, direction)
        if found is not None:
            self.highlighted = found

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if isinstance(event.option, FeedOption):
            self.post_message(self.ViewChosen(event.option.view))

    def action_choose(self) -> None:
        view = self.current
        if view.kind == "tag":
            self._fold(None)
            return
        if view.kind == "section":
            return
        reader = self.reader
        if reader is not None and reader.focusable:
            self.screen.set_focus(reader)
        self.post_message(self.ViewChosen(view, focus_articles=True))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if isinstance(event.option, FeedOption):
            if event.option.view.kind == "tag":
                self._fold(None)  # Enter on a tag folds or unfolds it
                return
            self.post_message(self.ViewChosen(event.option.view, focus_articles=True))
