"""Fetching the open article's web page for its full text, in a thread worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from textual import work
from textual.message import Message
from textual.widget import Widget

from newsreader.config import Config
from newsreader.store import Store
from newsreader.tui.integrity import writes_refused

if TYPE_CHECKING:
    from newsreader.fulltext import FullTextResult

Severity = Literal["information", "warning", "error"]


def full_text_notice(result: FullTextResult) -> tuple[str, Severity]:
    """What to tell the user about one fetch, and how loudly."""
    status = result.status
    if status == "ok":
        return f"Full text fetched ({result.words} words).", "information"
    if status == "cached":
        return f"Full text already fetched ({result.words} words).", "information"
    if status == "not modified":
        return "The page has not changed since it was fetched.", "information"
    if status == "short":
        return "The page has no more text than the feed's; the feed's text stays.", "warning"
    if status == "no link":
        return "This article has no web page to fetch.", "warning"
    return f"Could not fetch the full text: {result.error or status}", "error"


class FullTextFetcher(Widget):
    """Fetches one article's page when asked, posting what happened; draws nothing."""

    DEFAULT_CSS = """
    FullTextFetcher {
        display: none;
    }
    """

    @dataclass
    class Fetched(Message):
        """A fetch ended; ``result`` says how (it never failed silently)."""

        result: FullTextResult

    def __init__(self, store: Store, config: Config, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.config = config

    def fetch(self, article_id: int, *, force: bool = False) -> None:
        """Fetch ``article_id``'s page (in the background)."""
        self._fetch(article_id, force)

    @work(thread=True, group="full-text", exit_on_error=False)
    def _fetch(self, article_id: int, force: bool) -> None:
        from newsreader.fulltext import FullTextResult, fetch_full_text

        refused = writes_refused(self.store)  # waits for the session's damage check
        if refused:
            self.post_message(self.Fetched(FullTextResult(article_id, "error", error=refused)))
            return
        path = self.store.path
        try:
            writer = Store.open(path) if path is not None else self.store
        except Exception as error:  # a damaged or locked cache: said, never a crash
            failed = FullTextResult(article_id, "error", error=str(error) or type(error).__name__)
            self.post_message(self.Fetched(failed))
            return
        try:
            result = fetch_full_text(writer, self.config, article_id, force=force)
        finally:
            if writer is not self.store:
                writer.close()
        self.post_message(self.Fetched(result))
