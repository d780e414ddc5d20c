"""The link picker: every link, image and attachment of the open article, numbered.

Typing a number (any number of digits) highlights that entry; Enter opens the highlighted one,
so links past 9 are reachable. The screen answers with the chosen entry (or ``None``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newsreader.tui.text import plain


@dataclass(frozen=True, slots=True)
class PickerEntry:
    """One entry: what kind it is ("link", "image", "attachment"), its label and URL."""

    kind: str
    label: str
    url: str


class LinkPicker(ModalScreen[PickerEntry | None]):
    """Lists ``entries`` numbered from 1; a number or Enter opens one, Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,L", "close", "Close", id="close_links"),
    ]

    def __init__(self, entries: list[PickerEntry]) -> None:
        super().__init__(id="link-picker")
        self.entries = entries
        self.typed = ""

    def compose(self) -> ComposeResult:
        options = []
        width = len(str(len(self.entries)))
        for number, entry in enumerate(self.entries, start=1):
            prompt = Text(f"[{number}]".rjust(width + 2) + " ", style="bold", end="")
            if entry.kind != "link":
                prompt.append(f"{entry.kind}: ", style="italic")
            label = entry.label if entry.label and entry.label != entry.url else ""
            if label:
                prompt.append_text(plain(label, limit=200))
                prompt.append("  ")
            prompt.append_text(plain(entry.url, limit=300, style="dim"))
            options.append(Option(prompt, id=str(number)))
        picker = OptionList(*options, id="link-list")
        picker.border_title = "Links"
        picker.border_subtitle = "number or Enter to open · Esc to close"
        yield picker

    @property
    def listing(self) -> OptionList:
        return self.query_one("#link-list", OptionList)

    def on_mount(self) -> None:
        self.listing.focus()
        if self.entries:
            self.listing.highlighted = 0

    def on_key(self, event: events.Key) -> None:
        if event.character is not None and event.character.isdigit():
            event.stop()
            typed = self.typed + event.character
            if not 1 <= int(typed) <= len(self.entries):
                typed = event.character  # a fresh number
            self.typed = typed
            if 1 <= int(typed) <= len(self.entries):
                self.listing.highlighted = int(typed) - 1
                # The number is complete when no longer one could follow it.
                if int(typed) * 10 > len(self.entries):
                    self.dismiss(self.entries[int(typed) - 1])
        elif event.key == "backspace":
            self.typed = self.typed[:-1]

    @on(OptionList.OptionSelected, "#link-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.entries[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)
