"""The help screen: every key, as currently mapped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """Lists (keys, what they do) rows; any of Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="close_help"),
        # The keys that move everywhere else move here too (the arrows are the box's own).
        Binding("j", "scroll(1)", "Down", show=False),
        Binding("k", "scroll(-1)", "Up", show=False),
        Binding("space", "scroll(0)", "Page down", show=False),
        Binding("g", "scroll_edge(False)", "Top", show=False),
        Binding("G", "scroll_edge(True)", "End", show=False),
    ]

    def __init__(self, rows: Sequence[tuple[str, str]]) -> None:
        super().__init__(id="help")
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for keys, description in self.rows:
            table.add_row(Text(keys), Text(description))
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "j k space to scroll · Esc to close"
            yield Static(table, id="help-table")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        """Scroll ``lines`` down (up when negative); a page down when 0."""
        box = self.query_one("#help-box", VerticalScroll)
        if lines == 0:
            box.scroll_page_down(animate=False)
        else:
            box.scroll_relative(y=lines, animate=False)

    def action_scroll_edge(self, end: bool) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        if end:
            box.scroll_end(animate=False)
        else:
            box.scroll_home(animate=False)
