"""The main screen's search: typing in the search bar lists the matching articles."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from textual import on, work
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from newsreader.config import Config, SavedSearch
from newsreader.context import AppContext
from newsreader.ingest.sanitize import clean_line
from newsreader.model import ArticleSummary, SearchHit
from newsreader.search import CompiledQuery
from newsreader.store import ArticleFilter, Store, StoreError
from newsreader.tui import wording
from newsreader.tui.screens.confirm import Confirm
from newsreader.tui.screens.name_prompt import NamePrompt
from newsreader.tui.screens.panes import FULL_ARTICLE
from newsreader.tui.views import SavedView, View
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.article_row import MARK_END, MARK_START
from newsreader.tui.widgets.feed_list import FeedList
from newsreader.tui.widgets.search_bar import SearchBar

SEARCH_LIMIT = 500


def run_query(
    store: Store, query: CompiledQuery, limit: int, mark: tuple[str, str]
) -> list[SearchHit]:
    """The hits of a compiled query, best first, with snippets marked with ``mark``."""
    return store.search_query(query, limit=limit, mark=mark)


def saved_counts(store: Store, searches: Sequence[SavedSearch]) -> list[SavedView]:
    """Each saved search with its unread count (-1 for a query that cannot be read)."""
    from newsreader.search import QueryError, compile_query

    compiled: list[CompiledQuery] = []
    good: list[int] = []
    for index, saved in enumerate(searches):
        try:
            compiled.append(compile_query(saved.query))
        except QueryError:
            continue
        good.append(index)
    counts = [-1] * len(searches)
    if compiled:
        try:
            found = store.count_queries(compiled, ArticleFilter(unread=True))
        except StoreError:
            found = [-1] * len(compiled)
        for index, count in zip(good, found, strict=True):
            counts[index] = count
    return [SavedView(s.name, s.query, c) for s, c in zip(searches, counts, strict=True)]


def add_saved_search_to(name: str, query: str, path: Path) -> Config:
    from newsreader.config_edit import add_saved_search

    return add_saved_search(path, name, query)


def remove_saved_search_from(name: str, path: Path) -> Config:
    from newsreader.config_edit import remove_saved_search

    return remove_saved_search(path, name)


class SearchScreen(Screen[None]):
    """A screen whose search bar lists matching articles in its article list.

    The panes are the subclass's (:class:`~newsreader.tui.screens.main.MainScreen`).
    """

    articles: ArticleList
    feeds: FeedList
    search_bar: SearchBar
    search_note: Static
    feed_status: Static
    background: Store
    _before_search: int | None
    ctx: AppContext

    def load_feeds(self) -> None:
        raise NotImplementedError

    hide_read: bool = False  # the lists show unread articles only (starred ones all)

    def _show_feed_status(self, view: View) -> None:
        raise NotImplementedError

    def show_view(self, view: View, *, keep: int | None = None) -> None:
        """List ``view``'s articles (its unread ones while read articles are hidden)."""
        if view.kind == "search":
            self.articles.border_title = clean_line(view.title, 80)
            self._saved_search(view.query, view.title)
            return
        where = view.where
        hidden = self.hide_read and view.key != "starred"
        if hidden:
            where = dataclasses.replace(where, unread=True)
        title = clean_line(view.title, 80)
        self.articles.border_title = (
            f"{title} (unread)" if hidden and view.key != "unread" else title
        )
        self.articles.show_view(where, wording.empty_text(view, hide_read=hidden), keep=keep)

    def action_search(self) -> None:
        if not self.articles.searching:
            current = self.articles.current
            self._before_search = current.id if current else None
        self.remove_class(FULL_ARTICLE)  # the results are listed beside the article
        self.search_bar.results = self.articles
        self.search_bar.enter()

    def follow_writes(self) -> None:
        """List the view again after another connection wrote (new articles, marks).

        A saved search is run again, its highlighted article kept; a search being typed is
        left as it is (it runs again as the user types).
        """
        listing = self.articles
        if not listing.searching:
            listing.reload()
            return
        view = self.feeds.current
        if view.kind == "search" and not self.search_bar.value.strip():
            current = listing.current
            self._saved_search(view.query, view.title, current.id if current else None)

    @on(SearchBar.QueryChanged)
    def _search_changed(self, event: SearchBar.QueryChanged) -> None:
        query = event.query.strip()
        if not query:
            self._show_note("")
            if self.articles.searching:
                self._restore_view()
            return
        if not self.articles.searching:
            current = self.articles.current
            self._before_search = current.id if current else None
        self._search(query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str) -> None:
        from newsreader.search import QueryError, compile_query

        try:
            compiled = compile_query(query, prefix_last=True)
        except QueryError as problem:
            # Said in the bar; the results of the last good query stay listed.
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._query_problem, query, str(problem))
            return
        hits: list[ArticleSummary] = []
        snippets: dict[int, str] = {}
        error = ""
        try:
            found = run_query(self.background, compiled, SEARCH_LIMIT, (MARK_START, MARK_END))
        except StoreError as failure:
            error = str(failure)
        else:
            hits = [h.article for h in found]
            snippets = {h.article.id: h.snippet for h in found if h.snippet}
        note = "; ".join(compiled.warnings)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_hits, query, hits, error, snippets, note)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _saved_search(self, query: str, name: str, keep: int | None = None) -> None:
        """List a saved search's articles, newest first."""
        from newsreader.search import QueryError, compile_query

        hits: list[ArticleSummary] = []
        snippets: dict[int, str] = {}
        error = ""
        try:
            compiled = compile_query(query)
            where = ArticleFilter(unread=True) if self.hide_read else ArticleFilter()
            found = self.background.search_query(
                compiled, where, limit=SEARCH_LIMIT, sort="date", mark=(MARK_START, MARK_END)
            )
        except (QueryError, StoreError) as failure:
            error = str(failure)
        else:
            hits = [h.article for h in found]
            snippets = {h.article.id: h.snippet for h in found if h.snippet}
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_saved, query, hits, error, snippets, keep)

    def _show_saved(
        self,
        query: str,
        hits: list[ArticleSummary],
        error: str,
        snippets: dict[int, str],
        keep: int | None,
    ) -> None:
        if self.feeds.current.query != query or self.search_bar.value.strip():
            return  # another view was chosen meanwhile
        listing = self.articles
        row = listing.cursor
        listing.show_hits(hits, wording.no_hits(query, error), snippets)
        if keep is not None:
            kept = next((a for a in hits if a.id == keep), None)
            if kept is not None:
                listing.move_to_article(kept)
            else:  # gone from the view (read, with read articles hidden): the row it was on
                listing.move_to(row)
        self.feed_status.display = False

    # -- saved searches ---------------------------------------------------------------------

    def action_save_search(self) -> None:
        query = self.search_bar.value.strip()
        if not query:
            self.notify(wording.nothing_to_save(), severity="warning")
            return

        def named(name: str | None) -> None:
            if name:
                self._edit_searches(partial(add_saved_search_to, name, query), name, saved=True)

        self.app.push_screen(NamePrompt(wording.save_search_question(query), query[:40]), named)

    def action_delete_saved_search(self) -> None:
        view = self.feeds.current
        if view.kind != "search":
            self.notify(wording.no_saved_search_here(), severity="warning")
            return
        name = view.title

        def answered(yes: bool | None) -> None:
            if yes:
                self._edit_searches(partial(remove_saved_search_from, name), name, saved=False)

        self.app.push_screen(Confirm(wording.delete_saved_search_question(name)), answered)

    @work(thread=True, group="write", exit_on_error=False)
    def _edit_searches(self, edit: Callable[[Path], Config], name: str, *, saved: bool) -> None:
        """Write feeds.toml (comments kept) in a worker; the feed list follows."""
        from newsreader.config import ConfigError
        from newsreader.config_edit import ConfigEditError

        try:
            config = edit(self.ctx.config.path)
        except (ConfigError, ConfigEditError, OSError) as problem:
            self.app.call_from_thread(
                self.notify, clean_line(str(problem), 300), severity="error", markup=False
            )
            return
        self.ctx.config = config
        self.app.call_from_thread(self._searches_edited, name, saved)

    def _searches_edited(self, name: str, saved: bool) -> None:
        self.notify(wording.saved_search_changed(name, saved=saved), markup=False)
        self.load_feeds()

    def _query_problem(self, query: str, problem: str) -> None:
        if self.search_bar.value.strip() != query:
            return
        self._show_note(problem, error=True)

    def _show_note(self, text: str, *, error: bool = False) -> None:
        """One line beside the search bar: what is wrong with the query, or a warning."""
        note = self.search_note
        note.update(clean_line(text, 200))
        note.set_class(error, "-error")
        note.display = bool(text)

    def _show_hits(
        self,
        query: str,
        hits: list[ArticleSummary],
        error: str,
        snippets: dict[int, str] | None = None,
        note: str = "",
    ) -> None:
        if self.search_bar.value.strip() != query:
            return  # the user typed on; a newer search is coming
        self._show_note(note)
        listing = self.articles
        listing.border_title = wording.search_title(query)
        listing.show_hits(hits, wording.no_hits(query, error), snippets)
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
        self._show_note("")
        self.search_bar.value = ""
        if self.articles.searching:
            self._restore_view()
        self.set_focus(self.articles)

    def _restore_view(self) -> None:
        view = self.feeds.current
        self.show_view(view, keep=self._before_search)
        self._show_feed_status(view)
