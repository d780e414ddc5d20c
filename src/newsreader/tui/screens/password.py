"""A dialog asking for the feed server's password (masked; never stored by newsreader)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class PasswordScreen(ModalScreen[str]):
    """Asks for a password: Enter gives it, Esc gives "" (no password)."""

    DEFAULT_CSS = """
    PasswordScreen {
        align: center middle;
    }
    PasswordScreen > #password-box {
        width: 70;
        max-width: 100%;
        height: auto;
        border: round $accent;
        padding: 0 1;
        background: $surface;
    }
    PasswordScreen #password-prompt {
        width: 100%;
        margin-bottom: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel_password"),
    ]

    def __init__(self, prompt: str) -> None:
        super().__init__(id="password")
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical(id="password-box") as box:
            box.border_title = "Feed server"
            box.border_subtitle = "Enter to sync · Esc to skip"
            yield Static(self.prompt, id="password-prompt", markup=False)
            yield Input(password=True, id="password-input")

    def on_mount(self) -> None:
        self.query_one("#password-input", Input).focus()

    @on(Input.Submitted, "#password-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss("")
