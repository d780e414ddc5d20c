"""The refresh, run in the background by an async worker that Textual can cancel."""

from __future__ import annotations

from textual import work
from textual.widget import Widget
from textual.worker import Worker

from newsreader.config import Config
from newsreader.store import Store
from newsreader.tui.messages import RefreshFinished, RefreshProgressed


class Refresher(Widget):
    """Refreshes feeds when asked, posting progress and the result; draws nothing."""

    DEFAULT_CSS = """
    Refresher {
        display: none;
    }
    """

    def __init__(self, store: Store, config: Config, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.config = config
        self._worker: Worker[None] | None = None

    @property
    def running(self) -> bool:
        return self._worker is not None and not self._worker.is_finished

    def start(self, feed_ids: tuple[int, ...] | None, *, force: bool) -> None:
        """Refresh ``feed_ids`` (None: all); ``force`` ignores back-off."""
        self._worker = self._refresh(feed_ids, force=force)

    def stop(self) -> None:
        """Cancel a running refresh (its fetches stop; what was stored stays)."""
        self.workers.cancel_node(self)

    @work(exclusive=True, group="refresh", exit_on_error=False)
    async def _refresh(self, feed_ids: tuple[int, ...] | None, *, force: bool) -> None:
        # On the app's loop: the fetches are async and every store access of the refresh runs
        # in a thread (or a worker process); cancelling this worker cancels the refresh.
        try:
            from newsreader.refresh import refresh
        except ImportError as error:
            self.post_message(RefreshFinished(None, f"refreshing is unavailable: {error}"))
            return

        def progress(outcome: object, done: int, total: int) -> None:
            self.post_message(RefreshProgressed(done, total))

        try:
            summary = await refresh(
                self.store, self.config, feed_ids, on_progress=progress, force=force
            )
        except Exception as error:  # reported to the user, never a crash
            self.post_message(RefreshFinished(None, str(error) or type(error).__name__))
            return
        self.post_message(RefreshFinished(summary))
