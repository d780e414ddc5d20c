"""The main screen: feeds, articles and the open article, and the messages between them.

The screen composes the panes and routes their messages. Store reads that take longer than a
few milliseconds, every write, article rendering, search and refresh run in workers that
answer with messages or ``call_from_thread``.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Footer, Header, Static
from textual.worker import Worker, get_current_worker

from newsreader.context import AppContext
from newsreader.model import ArticleSummary
from newsreader.store import ArticleFilter, Store
from newsreader.tui import wording
from newsreader.tui.actions import Scope, bindings
from newsreader.tui.full_text import FullTextFetcher
from newsreader.tui.integrity import CacheCheck
from newsreader.tui.messages import ArticleLoaded, FeedsLoaded
from newsreader.tui.pager import summary_of
from newsreader.tui.screens.links import LinksScreen
from newsreader.tui.screens.panes import PanesScreen
from newsreader.tui.screens.search import saved_counts
from newsreader.tui.screens.tasks import TasksScreen
from newsreader.tui.sync_runner import Syncer
from newsreader.tui.views import ALL, View, build_views
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.article_pane import ArticlePane
from newsreader.tui.widgets.feed_list import FeedList
from newsreader.tui.widgets.refresher import Refresher
from newsreader.tui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from newsreader.images.loader import ImageLoader, ImageResult

POLL_SECONDS = 2.0  # how often to look for writes by other processes
POSITION_SECONDS = 0.2  # how often "N of M" may change while the cursor moves
HIDE_READ = "hide_read"  # meta key: "1" while the lists hide read articles
FOLDED_TAGS = "folded_tags"  # meta key: the folded tags, a JSON list


def open_reader(store: Store) -> Store:
    """A read-only connection to ``store``'s file (``store`` itself when it has no file)."""
    return Store.open_reader(store.path) if store.path is not None else store


class MainScreen(PanesScreen, TasksScreen, LinksScreen):
    """Feed list, article list and article pane, with the search bar below."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings(Scope.MAIN)]

    def __init__(self, ctx: AppContext, clock: Callable[[], datetime]) -> None:
        super().__init__(id="main-screen")
        self.ctx = ctx
        # The writer is used only from workers. The UI thread reads through its own read-only
        # connection, the article list's workers and this screen's through two others: none
        # of them waits for a writer (WAL), nor for each other.
        self.store = ctx.store
        self.reader = open_reader(ctx.store)
        self.background = open_reader(ctx.store)
        self.clock = clock
        self._feeds_worker: Worker[None] | None = None
        self._feeds_again = False
        self._position_timer: Timer | None = None
        self._position_shown = 0.0
        self._before_search: int | None = None
        self.last_updated: str | None = None  # when a refresh last went through ("HH:MM")
        self._data_version = self.reader.data_version()
        self._image_loader: ImageLoader | None = None
        self.feeds = FeedList(id="feeds")
        self.articles = ArticleList(self.reader, open_reader(ctx.store), clock, id="articles")
        self.feeds.reader = self.articles  # Enter on a feed gives it the keys
        self.pane = ArticlePane(clock, id="article")
        self.search_bar = SearchBar(id="search")
        self.search_note = Static("", id="search-note", markup=False)
        self.feed_status = Static("", id="feed-status", markup=False)
        self.refresher = Refresher(ctx.store, ctx.config, id="refresher")
        self.syncer = Syncer(ctx.store, ctx.config, id="syncer")
        self.full_text = FullTextFetcher(ctx.store, ctx.config, id="full-text")
        self.cache_check = CacheCheck(ctx, id="cache-check")

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield self.feeds
            with Vertical(id="list-column"):
                yield self.feed_status
                yield self.articles
            yield self.pane
        with Horizontal(id="search-row"):
            yield self.search_bar
            yield self.search_note
        yield Footer()
        yield self.refresher
        yield self.syncer
        yield self.full_text
        yield self.cache_check

    def on_mount(self) -> None:
        settings = self.ctx.config.settings
        self.pane.outline_wanted = settings.show_outline
        # Pictures are fetched only when an article showing them is opened.
        self.pane.loader = self._load_picture if settings.images != "off" else None
        self.feeds.border_title = "Feeds"
        self.feeds.loading = True
        self.hide_read = self.reader.get_meta(HIDE_READ) == "1"
        self.feeds.set_folded(json.loads(self.reader.get_meta(FOLDED_TAGS) or "[]"))
        self.show_view(ALL)
        self.articles.focus()
        if self.ctx.first_run:
            # The first launch opens the newest article: the guide, on a fresh install.
            self.call_after_refresh(self._open_first)
        # Counting unread per feed reads every article: start it once the list is on screen.
        self.call_after_refresh(self.load_feeds)
        # The file is checked for damage once the screen is up; refreshing waits for it.
        self.call_after_refresh(self.cache_check.start)
        self.set_interval(POLL_SECONDS, self._poll)

    def _open_first(self) -> None:
        article = self.articles.current
        if article is None or self.pane.article is not None:
            return
        self.open_article(article.id)

    async def on_unmount(self) -> None:
        if self._image_loader is not None:
            await self._image_loader.__aexit__(None, None, None)
        for store in {self.reader, self.background, self.articles.fetcher} - {self.store}:
            store.close()

    def _poll(self) -> None:
        """Show what another connection (a worker, another process) wrote since last time."""
        version = self.reader.data_version()
        if version == self._data_version:
            return
        self._data_version = version
        self.load_feeds()
        self.follow_writes()

    # -- feeds ------------------------------------------------------------------------------

    def load_feeds(self) -> None:
        """Read the feeds and their unread counts again (in a worker) and show them."""
        running = self._feeds_worker
        if running is not None and not running.is_finished:
            self._feeds_again = True  # once more when this read is done
            return
        self._feeds_again = False
        self._feeds_worker = self._load_feeds()

    @work(thread=True, group="feeds", exit_on_error=False)
    def _load_feeds(self) -> None:
        feeds = self.background.feeds()
        starred = self.background.count_articles(ArticleFilter(starred=True))
        searches = saved_counts(self.background, self.ctx.config.searches)
        self.post_message(FeedsLoaded(build_views(feeds, starred, searches)))

    @on(FeedsLoaded)
    def _feeds_loaded(self, event: FeedsLoaded) -> None:
        if self._feeds_again:
            self._feeds_worker = None
            self.load_feeds()
        self.feeds.set_views(event.views)
        self.feeds.loading = False
        view = self.feeds.current
        if not self.articles.searching:
            hidden = self.hide_read and view.key != "starred"
            self.articles.set_empty_text(wording.empty_text(view, hide_read=hidden))
        self._show_feed_status(view)

    def _show_feed_status(self, view: View) -> None:
        """Say above the list (and in the feed list's tooltip) which feeds failed and why."""
        text = wording.failures_text(view)
        tooltip = wording.failures_tooltip(view)
        self.feeds.tooltip = tooltip
        # An empty list already says why, in its place.
        listing = self.articles
        shown = bool(text) and listing.count > 0 and not listing.searching
        if shown:
            self.feed_status.update(f"! {text}")
        self.feed_status.tooltip = tooltip
        self.feed_status.display = shown

    @on(FeedList.ViewChosen)
    def _view_chosen(self, event: FeedList.ViewChosen) -> None:
        view = event.view
        if self.articles.searching:
            self.search_bar.value = ""
        self.show_view(view)
        self._show_feed_status(view)
        if event.focus_articles:
            self.articles.focus()

    @on(FeedList.FoldsChanged)
    def _folds_changed(self, event: FeedList.FoldsChanged) -> None:
        self._remember(FOLDED_TAGS, json.dumps(sorted(event.folded)))

    def action_toggle_hide_read(self) -> None:
        self.hide_read = not self.hide_read
        self._remember(HIDE_READ, "1" if self.hide_read else "0")
        self.notify(wording.hide_read_notice(self.hide_read))
        if self.articles.searching:
            return
        current = self.articles.current
        view = self.feeds.current
        self.show_view(view, keep=current.id if current else None)
        self._show_feed_status(view)

    def _remember(self, key: str, value: str) -> None:
        """Keep a setting of the lists in the store's meta (written in a worker)."""
        self.run_worker(
            lambda: self.store.set_meta(key, value),
            thread=True,
            group="write",
            exit_on_error=False,
        )

    # -- reading ----------------------------------------------------------------------------

    @on(ArticleList.Highlighted)
    def _highlighted(self, event: ArticleList.Highlighted) -> None:
        # A new subtitle redraws the whole list: while a key is held down, at most every
        # POSITION_SECONDS (and once more when it is let go), so each move redraws two rows.
        if self._position_timer is not None:
            return
        if time.monotonic() - self._position_shown >= POSITION_SECONDS:
            self._show_position()
        else:
            self._position_timer = self.set_timer(POSITION_SECONDS, self._show_position)

    def _show_position(self) -> None:
        self._position_timer = None
        self._position_shown = time.monotonic()
        listing = self.articles
        listing.border_subtitle = (
            f"{listing.cursor + 1} of {listing.count}" if listing.count else ""
        )

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
        if article.body is None:
            self.store.set_body(article.id, markdown)

    @on(ArticleLoaded)
    def _show_article(self, event: ArticleLoaded) -> None:
        article, markdown = event.article, event.markdown
        self.articles.update_article(summary_of(article))
        # Laid out by the pane on its own queue: this screen keeps drawing (and moving the
        # list) while the article's widgets are made.
        self.pane.set_search(self.search_bar.value if self.articles.searching else "")
        self.pane.show_soon(article, markdown)
        self.load_feeds()

    @on(ArticlePane.Shown)
    def _article_shown(self, event: ArticlePane.Shown) -> None:
        self.pane.border_title = "Article"
        self.refresh_bindings()

    def _step_unread(self, *, forward: bool) -> None:
        listing = self.articles
        current = listing.current
        open_id = self.pane.article.id if self.pane.article else None
        if forward and current is not None and not current.read and current.id != open_id:
            self.open_article(current.id)
            return
        found: ArticleSummary | None = None
        if listing.hits is None and listing.current_key is None:
            return  # the view is still being read
        if listing.hits is not None:
            rows = (
                range(listing.cursor + 1, listing.count)
                if forward
                else range(listing.cursor - 1, -1, -1)
            )
            found = next((listing.hits[r] for r in rows if not listing.hits[r].read), None)
        else:
            found = self.reader.neighbour_unread(
                listing.where, listing.current_key, forward=forward
            )
        if found is None:
            self.notify(wording.no_more_unread(forward))
            return
        listing.move_to_article(found)
        self.open_article(found.id)

    def action_next_unread(self) -> None:
        self._step_unread(forward=True)

    def action_previous_unread(self) -> None:
        self._step_unread(forward=False)

    def action_next_section(self) -> None:
        if not self.pane.next_section():
            self.app.bell()

    def action_previous_section(self) -> None:
        if not self.pane.previous_section():
            self.app.bell()

    def action_page_down(self) -> None:
        if not self.pane.page_down():
            self._step_unread(forward=True)  # at the end: on to the next unread (newsboat)

    async def _load_picture(self, url: str, box: tuple[int, int]) -> ImageResult:
        if self._image_loader is None:
            from newsreader.images.loader import ImageLoader

            loader = ImageLoader()
            await loader.__aenter__()
            self._image_loader = loader
        return await self._image_loader.load(url, box)

    def action_toggle_images(self) -> None:
        if self.pane.loader is None:
            self.notify('Pictures are off: images = "off" in [settings].', markup=False)
            return
        shown = self.pane.toggle_pictures()
        self.notify("Pictures shown." if shown else "Pictures hidden (i shows them).")

    def action_next_match(self) -> None:
        if not self.pane.jump_to_match(forward=True):
            self.app.bell()

    def action_previous_match(self) -> None:
        if not self.pane.jump_to_match(forward=False):
            self.app.bell()

    def _cancel_search(self) -> None:
        super()._cancel_search()
        self.pane.set_search("")

    def action_back(self) -> None:
        if self.articles.searching:
            self._cancel_search()
        elif self.focused is not self.articles:
            self.set_focus(self.articles)  # at once: the keys typed next are for the list

    # -- availability -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        has_article = self.pane.article is not None
        if action in (
            "next_section",
            "previous_section",
            "page_down",
            "toggle_outline",
            "fetch_full_text",
            "next_match",
            "previous_match",
        ):
            return True if has_article else None
        return super().check_action(action, parameters)
