"""The main screen's search: typing in the search bar lists the matching articles."""

from __future__ import annotations

from textual import on, work
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from newsreader.ingest.sanitize import clean_line
from newsreader.model import ArticleSummary
from newsreader.store import Store, StoreError
from newsreader.tui import wording
from newsreader.tui.views import View
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.feed_list import FeedList
from newsreader.tui.widgets.search_bar import SearchBar

SEARCH_LIMIT = 500


class SearchScreen(Screen[None]):
    """A screen whose search bar lists matching articles in its article list.

    The panes are the subclass's (:class:`~newsreader.tui.screens.main.MainScreen`).
    """

    articles: ArticleList
    feeds: FeedList
    search_bar: SearchBar
    feed_status: Static
    background: Store
    _before_search: int | None

    def _show_feed_status(self, view: View) -> None:
        raise NotImplementedError

    def action_search(self) -> None:
        if not self.articles.searching:
            current = self.articles.current
            self._before_search = current.id if current else None
        self.search_bar.focus()

    @on(SearchBar.QueryChanged)
    def _search_changed(self, event: SearchBar.QueryChanged) -> None:
        query = event.query.strip()
        if not query:
            if self.articles.searching:
                self._restore_view()
            return
        if not self.articles.searching:
            current = self.articles.current
            self._before_search = current.id if current else None
        self._search(query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str) -> None:
        from newsreader.search import to_fts_query

        match = to_fts_query(query)
        hits: list[ArticleSummary] = []
        error = ""
        if match:
            try:
                hits = [h.article for h in self.background.search(match, limit=SEARCH_LIMIT)]
            except StoreError as failure:
                error = str(failure)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_hits, query, hits, error)

    def _show_hits(self, query: str, hits: list[ArticleSummary], error: str) -> None:
        if self.search_bar.value.strip() != query:
            return  # the user typed on; a newer search is coming
        listing = self.articles
        listing.border_title = wording.search_title(query)
        listing.show_hits(hits, wording.no_hits(query, error))
        self.feed_status.display = False

    @on(SearchBar.Accepted)
    def _search_accepted(self, event: SearchBar.Accepted) -> None:
        if event.query.strip():
            self.articles.focus()

    @on(SearchBar.Cancelled)
    def _search_cancelled(self, event: SearchBar.Cancelled) -> None:
        self._cancel_search()

    def _cancel_search(self) -> None:
        self.app.workers.cancel_group(self, "search")
        self.search_bar.value = ""
        if self.articles.searching:
            self._restore_view()
        self.articles.focus()

    def _restore_view(self) -> None:
        view = self.feeds.current
        self.articles.border_title = clean_line(view.title, 80)
        self.articles.show_view(
            self.articles.where, wording.empty_text(view), keep=self._before_search
        )
        self._show_feed_status(view)
