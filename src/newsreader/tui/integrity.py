"""The session's cache damage check, in a thread worker after the first paint.

The app opens the cache without reading it all (that would slow its start); this check
(:func:`newsreader.context.verify_cache`) runs while the first screen is up, holding the
writer's lock so that no write of the session lands before it is done. On damage every
later write is refused with the check's message.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker

from newsreader.context import AppContext
from newsreader.store import Store, StoreError


def writes_refused(store: Store) -> str:
    """Why writes to ``store``'s file are refused ("" if they are not), once the session's
    check is done (it holds the writer's lock: this waits for it). For a worker that is about
    to write through a connection of its own."""
    try:
        with store.database.transaction():
            pass
    except StoreError as error:
        return str(error)
    except sqlite3.Error as error:
        return str(error) or type(error).__name__
    return "" if store.writable else store.database.refusal


class CacheCheck(Widget):
    """Checks the cache file for damage once; draws nothing."""

    DEFAULT_CSS = """
    CacheCheck {
        display: none;
    }
    """

    @dataclass
    class Finished(Message):
        """The check ended: ``problem`` is the one-line message ("" if the file is sound)."""

        problem: str

    def __init__(self, ctx: AppContext, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ctx = ctx
        self._worker: Worker[None] | None = None

    def start(self) -> None:
        """Check the file in the background; :class:`Finished` says what was found."""
        self._worker = self._check()

    @work(thread=True, exclusive=True, group="cache-check", exit_on_error=False)
    def _check(self) -> None:
        from newsreader.context import verify_cache

        store = self.ctx.store
        try:
            if store.writable:
                # Writes through the app's writer (marking read, a refresh) wait for this.
                with store.database.transaction():
                    problem = verify_cache(self.ctx)
            else:
                problem = self.ctx.warning
        except (StoreError, sqlite3.Error):
            # The file could not even be locked for writing: check it without the lock.
            problem = verify_cache(self.ctx)
        self.post_message(self.Finished(problem))
