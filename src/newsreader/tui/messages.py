"""Messages that workers post to the main screen (widgets' own messages live with them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual.message import Message

from newsreader.model import Article
from newsreader.tui.views import View


@dataclass
class ArticleLoaded(Message):
    """An article was read and rendered to Markdown, ready to show."""

    article: Article
    markdown: str


class ReadMarked(Message):
    """An opened article was marked read in the store: the unread counts changed."""

    def can_replace(self, message: Message) -> bool:
        # Counted again once for any number of articles read meanwhile (n held down).
        return isinstance(message, ReadMarked)


@dataclass
class RefreshProgressed(Message):
    """A refresh finished ``done`` of ``total`` feeds."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        # Only the latest count is shown: a fast refresh must not queue one message a feed.
        return isinstance(message, RefreshProgressed)


@dataclass
class RefreshFinished(Message):
    """A refresh ended; ``summary`` is the refresh module's summary (None: failed)."""

    summary: Any
    error: str = ""


@dataclass
class FeedsLoaded(Message):
    """The feed list's views, with fresh unread counts, were read from the store."""

    views: Sequence[View]

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FeedsLoaded)
