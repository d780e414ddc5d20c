"""Starring, marking read and unread, marking a whole view read and undoing it.

Each change shows at once in the list and the open article; the store is written in a
worker (the writer may wait for a refresh's transaction, the screen never does).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from functools import partial

from textual import events, work

from newsreader.model import ArticleSummary
from newsreader.store import ArticleFilter, Store
from newsreader.tui import wording
from newsreader.tui.pager import summary_of
from newsreader.tui.screens.search import SearchScreen
from newsreader.tui.widgets.article_pane import ArticlePane

UNDO_SECONDS = 10.0


class MarkingScreen(SearchScreen):
    """A screen whose article list and pane can star and mark articles (a base class)."""

    pane: ArticlePane
    store: Store
    _undo: tuple[list[int], float] | None = None

    def load_feeds(self) -> None:
        raise NotImplementedError

    def _target(self) -> ArticleSummary | None:
        """The article an action applies to: the open one when the pane has focus."""
        focused = self.focused
        article = self.pane.article
        if article is not None and focused is not None and self.pane in focused.ancestors_with_self:
            return summary_of(article)
        return self.articles.current

    def _changed(self, summary: ArticleSummary) -> None:
        self.articles.update_article(summary)
        article = self.pane.article
        if article is not None and article.id == summary.id:
            self.pane.update_state(
                dataclasses.replace(article, read=summary.read, starred=summary.starred)
            )

    def action_toggle_star(self) -> None:
        target = self._target()
        if target is None:
            self.notify(wording.nothing_highlighted())
            return
        changed = dataclasses.replace(target, starred=not target.starred)
        self._changed(changed)
        self._write(partial(self.store.set_starred, [target.id], starred=changed.starred))

    def action_toggle_read(self) -> None:
        target = self._target()
        if target is None:
            self.notify(wording.nothing_highlighted())
            return
        changed = dataclasses.replace(target, read=not target.read)
        self._changed(changed)
        self._write(partial(self.store.set_read, [target.id], read=changed.read))

    @work(thread=True, group="write", exit_on_error=False)
    def _write(self, change: Callable[[], object]) -> None:
        change()
        self.app.call_from_thread(self.load_feeds)

    def action_mark_all_read(self) -> None:
        listing = self.articles
        if listing.count == 0:
            self.notify(wording.nothing_highlighted())
            return
        if listing.hits is not None:
            where = ArticleFilter(article_ids=tuple(a.id for a in listing.hits))
        else:
            where = listing.where
        self._mark_all(where)

    @work(thread=True, group="write", exit_on_error=False)
    def _mark_all(self, where: ArticleFilter) -> None:
        ids = self.store.mark_all_read(where)
        self.app.call_from_thread(self._marked_all, ids)

    def _marked_all(self, ids: list[int]) -> None:
        if not ids:
            self.notify("Everything here was already read.")
            return
        self._undo = (ids, time.monotonic() + UNDO_SECONDS)
        self.articles.update_state(ids, read=True)
        self.notify(wording.marked_read(len(ids)), timeout=UNDO_SECONDS)
        self.set_timer(UNDO_SECONDS, self.refresh_bindings)
        self.refresh_bindings()
        self.load_feeds()

    def _undo_ids(self) -> list[int] | None:
        if self._undo is None or time.monotonic() > self._undo[1]:
            return None
        return self._undo[0]

    def action_undo(self) -> None:
        ids = self._undo_ids()
        self._undo = None
        if not ids:
            return
        self.articles.update_state(ids, read=False)
        self.app.clear_notifications()
        self.notify(wording.marked_unread_again(len(ids)))
        self._write(partial(self.store.set_read, ids, read=False))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return self._undo_ids() is not None
        return True

    def on_key(self, event: events.Key) -> None:
        # A disabled binding does nothing at all: say why, rather than nothing.
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            name, _, rest = binding.action.partition("(")
            parameters = tuple(int(p) for p in rest.rstrip(")").split(",") if p.strip().isdigit())
            if self.check_action(name, parameters):
                return  # enabled: it runs
            reason = self.disabled_reason(name)
            if reason:
                event.stop()
                self.notify(reason)
                return

    def disabled_reason(self, action: str) -> str | None:
        """Why ``action`` does nothing now (``None``: it needs no word)."""
        if action == "undo":
            expired = self._undo is not None
            self._undo = None
            return wording.nothing_to_undo(expired=expired)
        if self.pane.article is None:
            return wording.no_article_open()
        return None
