"""Opening articles and stepping to the next or previous unread one.

Nothing here waits on the store on the UI thread: an article is read and rendered in a
worker, marked read by the writer in another, and the next unread article is found in the
list's loaded pages or, when a page on the way is not loaded, by a worker's query.
"""

from __future__ import annotations

import dataclasses

from textual import on, work
from textual.worker import get_current_worker

from newsreader.model import ArticleSummary, PageKey
from newsreader.store import ArticleFilter, Store
from newsreader.tui import wording
from newsreader.tui.messages import ArticleLoaded, ReadMarked
from newsreader.tui.pager import summary_of
from newsreader.tui.screens.marking import MarkingScreen
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.article_pane import ArticlePane


class ReadingScreen(MarkingScreen):
    """A screen that opens the articles of its list in its pane (a base class).

    The widgets and the connections are the subclass's
    (:class:`~newsreader.tui.screens.main.MainScreen`).
    """

    background: Store
    _bindings_with_article = False  # whether the bindings were last worked out with one open

    @on(ArticleList.Opened)
    def _opened(self, event: ArticleList.Opened) -> None:
        self.open_article(event.article.id)

    def open_article(self, article_id: int) -> None:
        """Render and show an article (in a worker) and mark it read."""
        self._open_article(article_id)

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def _open_article(self, article_id: int) -> None:
        from newsreader.render import article_markdown

        article = self.background.article(article_id)
        if article is None:
            return
        markdown = article_markdown(None, article)
        unread = not article.read
        if not get_current_worker().is_cancelled:
            self.post_message(ArticleLoaded(dataclasses.replace(article, read=True), markdown))
        # Shown first: the writer may have to wait for a refresh's transaction.
        if unread:
            self.store.set_read([article.id], read=True)
            # The counts are read again once the mark is written (in a worker; the feed list
            # redraws only the entries whose counts changed).
            self.post_message(ReadMarked())
        if article.body is None:
            self.store.set_body(article.id, markdown)

    @on(ArticleLoaded)
    def _show_article(self, event: ArticleLoaded) -> None:
        self.articles.update_article(summary_of(event.article))
        # The list's move (n, p, space) is drawn first, in a frame of its own of a few ms; the
        # article is laid out after it (the worker often answers before that frame).
        self.call_after_refresh(self._lay_out, event)

    def _lay_out(self, event: ArticleLoaded) -> None:
        # Laid out by the pane on its own queue: this screen keeps drawing (and moving the
        # list) while the article's widgets are made.
        self.pane.set_search(self.search_bar.value if self.articles.searching else "")
        self.pane.show_soon(event.article, event.markdown)

    @on(ReadMarked)
    def _read_marked(self, event: ReadMarked) -> None:
        self.load_feeds()

    @on(ArticlePane.Shown)
    def _article_shown(self, event: ArticlePane.Shown) -> None:
        if self.pane.border_title != "Article":  # setting it draws the whole pane again
            self.pane.border_title = "Article"
        # The footer is built again whenever bindings are refreshed: only when the keys
        # that need an open article become available.
        if not self._bindings_with_article:
            self._bindings_with_article = True
            self.refresh_bindings()

    # -- the next unread article -----------------------------------------------------------

    def _step_unread(self, *, forward: bool) -> None:
        listing = self.articles
        current = listing.current
        open_id = self.pane.article.id if self.pane.article else None
        if forward and current is not None and not current.read and current.id != open_id:
            self.open_article(current.id)
            return
        if listing.hits is not None:
            rows = (
                range(listing.cursor + 1, listing.count)
                if forward
                else range(listing.cursor - 1, -1, -1)
            )
            hits = listing.hits
            self._unread_found(next((hits[r] for r in rows if not hits[r].read), None), forward)
            return
        key = listing.current_key
        if key is None:
            return  # the view is still being read
        known, row = listing.rows.unread_near(listing.cursor, forward=forward)
        if known:
            found = None if row is None else listing.article_at(row)
            self._unread_found(found, forward)
        else:
            self._find_unread(listing.rows.generation, listing.where, key, forward)

    @work(thread=True, exclusive=True, group="unread", exit_on_error=False)
    def _find_unread(
        self, generation: int, where: ArticleFilter, key: PageKey, forward: bool
    ) -> None:
        found = self.background.neighbour_unread(where, key, forward=forward)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._unread_read, generation, key, found, forward)

    def _unread_read(
        self, generation: int, key: PageKey, found: ArticleSummary | None, forward: bool
    ) -> None:
        listing = self.articles
        if listing.rows.generation == generation and listing.current_key == key:
            self._unread_found(found, forward)  # else the list moved on meanwhile

    def _unread_found(self, found: ArticleSummary | None, forward: bool) -> None:
        if found is None:
            self.notify(wording.no_more_unread(forward))
            return
        self.articles.move_to_article(found)
        self.open_article(found.id)

    def action_next_unread(self) -> None:
        self._step_unread(forward=True)

    def action_previous_unread(self) -> None:
        self._step_unread(forward=False)

    def action_page_down(self) -> None:
        if not self.pane.page_down():
            self._step_unread(forward=True)  # at the end: on to the next unread (newsboat)
