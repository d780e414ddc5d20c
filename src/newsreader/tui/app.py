"""The reading app: its theme, key map and screens; quitting.

Everything on the screen (the panes and the messages between them) is the
:class:`~newsreader.tui.screens.main.MainScreen`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual.app import App
from textual.binding import Binding

from newsreader.context import AppContext
from newsreader.tui import actions, browser, wording
from newsreader.tui.palette import ActionsProvider
from newsreader.tui.screens.help import HelpScreen
from newsreader.tui.screens.main import MainScreen


def _local_now() -> datetime:
    return datetime.now().astimezone()


class NewsreaderApp(App[None]):
    """The terminal news reader."""

    CSS_PATH = "newsreader.tcss"
    TITLE = "newsreader"
    # Textual types this `ClassVar[list[...]] | None`, which a ClassVar annotation cannot repeat.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    COMMANDS = App.COMMANDS | {ActionsProvider}

    def __init__(
        self,
        ctx: AppContext,
        clock: Callable[[], datetime] | None = None,
        image_mode: str = "blocks",
    ) -> None:
        """``image_mode``: how pictures are drawn (``detect_image_mode``'s answer)."""
        super().__init__()
        self.ctx = ctx
        self.store = ctx.store
        self.clock: Callable[[], datetime] = clock or _local_now
        self.main = MainScreen(ctx, self.clock)
        self.main.pane.pictures.mode = image_mode

    def on_mount(self) -> None:
        settings = self.ctx.config.settings
        saved = self.main.reader.get_meta("theme")
        for name in (saved, settings.theme):
            if name and name in self.available_themes:
                self.theme = name
                break
        if settings.theme and settings.theme not in self.available_themes:
            self.notify(
                wording.unknown_theme(settings.theme, list(self.available_themes)),
                severity="warning",
                markup=False,
                timeout=15,
            )
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.ctx.config.keys:
            self._apply_keymap(self.ctx.config.keys)
        self.push_screen(self.main)

    # -- key map and theme ------------------------------------------------------------------

    def _apply_keymap(self, keys: dict[str, str]) -> None:
        for problem in actions.keymap_problems(keys):
            self.notify(problem, severity="warning", markup=False, timeout=15)
        self.set_keymap({k: v for k, v in keys.items() if k in actions.BY_ID})

    def _remember_theme(self, theme: Any) -> None:
        name = str(theme.name)
        self.run_worker(
            lambda: self.store.set_meta("theme", name),
            thread=True,
            group="write",
            exit_on_error=False,
        )

    def help_rows(self) -> list[tuple[str, str]]:
        """(keys, description) for every action, with the user's key map applied."""

        def display(binding: Binding) -> str:
            return self.get_key_display(binding)

        return actions.help_rows(self._keymap, display)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.help_rows()))

    # -- browser and quitting ---------------------------------------------------------------

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Open ``url`` in the web browser, saying so, or why it could not."""
        browser.launch(self, url)

    def action_quit(self) -> None:  # type: ignore[override]
        self.main.stop_refresh()
        self.exit()


def run_app(ctx: AppContext) -> int:
    """Run the app until the user quits; returns the exit status."""
    from newsreader.tui.terminal_graphics import detect_image_mode

    # The terminal is asked what pictures it can draw before Textual takes it over.
    app = NewsreaderApp(ctx, image_mode=detect_image_mode(ctx.config.settings.images))
    app.run()
    return app.return_code or 0
