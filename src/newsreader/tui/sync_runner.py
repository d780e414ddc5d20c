"""Sync with the feed server in ``[account]``, in a thread worker on its own writer.

The sync itself (:func:`newsreader.sync.sync_account`) blocks on the network; it runs in a
thread with its own connection to the cache, posts its progress (only the latest is kept)
and its result. When no password source is configured it asks in a masked dialog.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker, get_current_worker

from newsreader.config import Config
from newsreader.store import Store
from newsreader.tui.integrity import writes_refused
from newsreader.tui.screens.password import PasswordScreen

if TYPE_CHECKING:
    from newsreader.sync import SyncProgress, SyncReport

ASK_POLL_SECONDS = 0.2  # how often a sync waiting for its password checks it was cancelled

_STAGES = {
    "connect": "connecting",
    "feeds": "feeds",
    "items": "new articles",
    "push": "sending changes",
    "state": "read and starred lists",
}


def progress_text(progress: SyncProgress) -> str:
    """One short line for the sub-title: "Syncing: new articles 50/120…"."""
    stage = _STAGES.get(progress.stage, progress.stage)
    counted = f" {progress.done}/{progress.total}" if progress.total else ""
    return f"Syncing: {stage}{counted}…"


def _refused(error: BaseException) -> bool:
    """Whether ``error`` (or what it was raised from) is the server refusing the password."""
    from newsreader.sources.accounts import AuthError

    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, AuthError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class Syncer(Widget):
    """Syncs the cache with the account's server when asked; draws nothing."""

    DEFAULT_CSS = """
    Syncer {
        display: none;
    }
    """

    @dataclass
    class Progressed(Message):
        """A sync moved on; ``text`` says where it is."""

        text: str

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, Syncer.Progressed)

    @dataclass
    class Finished(Message):
        """A sync ended: ``report`` is its :class:`~newsreader.sync.SyncReport` (None:
        it stopped, and ``error`` is the one line saying why)."""

        report: SyncReport | None
        error: str = ""

    def __init__(self, store: Store, config: Config, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.config = config
        self._worker: Worker[None] | None = None

    @property
    def configured(self) -> bool:
        """Whether the config has an account to sync with."""
        return self.config.account is not None

    @property
    def running(self) -> bool:
        return self._worker is not None and not self._worker.is_finished

    def start(self) -> bool:
        """Start a sync; False if one is running already."""
        if self.running:
            return False
        self._worker = self._sync()
        return True

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def _sync(self) -> None:
        from newsreader.sources.accounts import AccountError, forget_password
        from newsreader.sync import sync_account

        def progress(step: SyncProgress) -> None:
            self.post_message(self.Progressed(progress_text(step)))

        refused = writes_refused(self.store)  # waits for the session's damage check
        if refused:
            self.post_message(self.Finished(None, refused))
            return
        path = self.store.path
        try:
            writer = Store.open(path) if path is not None else self.store
        except Exception as error:  # a damaged or locked cache: said, never a crash
            self.post_message(self.Finished(None, str(error) or type(error).__name__))
            return
        try:
            report = sync_account(self.config, writer, on_progress=progress, ask=self._ask)
        except AccountError as error:
            if self.config.account is not None and _refused(error):
                forget_password(self.config.account)  # ask again next time
            self.post_message(self.Finished(None, str(error)))
            return
        except Exception as error:  # reported to the user, never a crash
            self.post_message(self.Finished(None, str(error) or type(error).__name__))
            return
        finally:
            if writer is not self.store:
                writer.close()
        self.post_message(self.Finished(report))

    def _ask(self, prompt: str) -> str:
        """From the sync's thread: ask for the password in a dialog and wait for it."""
        answer: Future[str] = Future()

        def show() -> None:
            self.app.push_screen(
                PasswordScreen(prompt.rstrip(": ")),
                callback=lambda value: answer.set_result(value or ""),
            )

        self.app.call_from_thread(show)
        worker = get_current_worker()
        while True:
            try:
                return answer.result(timeout=ASK_POLL_SECONDS)
            except TimeoutError:
                if worker.is_cancelled:
                    return ""
