"""The search bar: typing searches (debounced), Enter goes to the results, Esc cancels.

It is entered with ``/`` (or a click) only: Tab and Shift+Tab move between the panes and pass
it by, so keys meant for a list never end up typed into a search.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.binding import BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

from newsreader.tui.actions import Scope, bindings

DEBOUNCE_SECONDS = 0.2


class SearchBar(Input):
    """An input whose text, once the user pauses, becomes a search."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings(Scope.SEARCH_BAR)]

    @dataclass
    class QueryChanged(Message):
        """The user paused typing ``query`` (empty: the search was cleared)."""

        query: str

    @dataclass
    class Cancelled(Message):
        """The user pressed Esc: clear the search and go back."""

    @dataclass
    class Accepted(Message):
        """The user pressed Enter: go to the results."""

        query: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder='/ to search: words, "a phrase"', id=id, compact=True)
        self._timer: Timer | None = None
        self.can_focus = False  # in the focus chain only while entered
        # Where Enter and Esc send the focus (the results). At once, as with ``enter``: the
        # keys typed after them are meant for the list, not for the query.
        self.results: Widget | None = None

    def enter(self) -> None:
        """Take the focus (the only way in: ``/``, or a click).

        At once, not on the next turn of the event loop: keys typed right after ``/`` are
        routed to the focused widget as they arrive, and must land here.
        """
        self.can_focus = True
        self.screen.set_focus(self)

    def on_blur(self) -> None:
        self.can_focus = False

    def on_click(self) -> None:
        if not self.has_focus:
            self.enter()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self._settled)

    def _settled(self) -> None:
        self._timer = None
        self.post_message(self.QueryChanged(self.value))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
            self.post_message(self.QueryChanged(self.value))
        self.post_message(self.Accepted(self.value))

    # Enter (or Down) and Esc are priority bindings: they run as the key arrives, before the
    # keys typed after them are routed, and give the focus to the results at once so that
    # those keys land there. What they do with the query waits its turn in this widget's
    # queue, behind the letters typed before them.

    @dataclass
    class _Left(Message):
        submit: bool

    def _leave(self, *, submit: bool) -> None:
        results = self.results
        if results is not None and results.focusable:
            self.screen.set_focus(results)
        self.post_message(self._Left(submit))

    async def action_submit(self) -> None:
        self._leave(submit=True)

    def action_cancel(self) -> None:
        self._leave(submit=False)

    @on(_Left)
    async def _left(self, event: _Left) -> None:
        event.stop()
        if event.submit:
            await super().action_submit()  # Submitted, with the query as typed
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.post_message(self.Cancelled())
