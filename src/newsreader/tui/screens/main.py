"""The main screen: feeds, articles and the open article, and the messages between them.

The screen composes the panes and routes their messages. Store reads that take longer than a
few milliseconds, every write, article rendering, search and refresh run in workers that
answer with messages or ``call_from_thread``.
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Static
from textual.worker import Worker

from newsreader.context import AppContext
from newsreader.store import ArticleFilter, Store
from newsreader.tui import wording
from newsreader.tui.actions import Scope, bindings
from newsreader.tui.frame_timer import PromptUpdates
from newsreader.tui.full_text import FullTextFetcher
from newsreader.tui.integrity import CacheCheck
from newsreader.tui.messages import FeedsLoaded
from newsreader.tui.screens.links import LinksScreen
from newsreader.tui.screens.panes import PanesScreen
from newsreader.tui.screens.reading import ReadingScreen
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
FEEDS_PENDING_SECONDS = 0.15  # the feed list shows it is loading after this long
FULL_GC_EVERY = 100  # middle-generation collections between two full ones (Python: 10)
SWITCH_SECONDS = 0.001  # longest a thread holds the GIL while another waits for it
HIDE_READ = "hide_read"  # meta key: "1" while the lists hide read articles
FOLDED_TAGS = "folded_tags"  # meta key: the folded tags, a JSON list


def open_reader(store: Store) -> Store:
    """A read-only connection to ``store``'s file (``store`` itself when it has no file)."""
    return Store.open_reader(store.path) if store.path is not None else store


class MainScreen(PromptUpdates, ReadingScreen, PanesScreen, TasksScreen, LinksScreen):
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
        self._before_search: int | None = None
        self.last_updated: str | None = None  # when a refresh last went through ("HH:MM")
        self._data_version = self.reader.data_version()
        self._switch_interval = sys.getswitchinterval()
        self._gc_threshold = gc.get_threshold()
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
        self.pane.pictures.peek = self._cached_picture  # a cached copy drawn at once
        self.pane.pictures.revalidate = self._revalidate_picture
        self.feeds.border_title = "Feeds"
        # Counting is usually done within a frame or two: a loading indicator over the pane
        # (hiding its frame and title) shows only when it takes longer.
        self._feeds_pending = self.set_timer(FEEDS_PENDING_SECONDS, self._feeds_loading)
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
        # The objects made so far live as long as the screen: a full garbage collection
        # (tens of ms, in the middle of a key's frame) need not walk them again and again.
        self.call_after_refresh(gc.freeze)
        # After the freeze, few objects are left in the oldest generation, so a full
        # collection (20-50 ms of the UI thread at 100,000 articles) ran after every tenth
        # middle one: in about one article open of fifteen. It now runs after every 100th.
        self._gc_threshold = gc.get_threshold()
        young, middle, old = self._gc_threshold
        gc.set_threshold(young, middle, max(old, FULL_GC_EVERY))
        # A worker reading thousands of rows holds the GIL between its SQLite calls: the UI
        # thread gets it back within 1 ms instead of Python's default 5 ms.
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_SECONDS)
        self.set_interval(POLL_SECONDS, self._poll)

    def _feeds_loading(self) -> None:
        if not self.feeds.views:
            self.feeds.loading = True

    def _open_first(self) -> None:
        article = self.articles.current
        if article is None or self.pane.article is not None:
            return
        self.open_article(article.id)

    async def on_unmount(self) -> None:
        gc.unfreeze()
        gc.set_threshold(*self._gc_threshold)
        sys.setswitchinterval(self._switch_interval)
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
        self._feeds_pending.stop()
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

    # -- the open article -------------------------------------------------------------------

    def action_next_section(self) -> None:
        if not self.pane.next_section():
            self.app.bell()

    def action_previous_section(self) -> None:
        if not self.pane.previous_section():
            self.app.bell()

    async def _images(self) -> ImageLoader:
        if self._image_loader is None:
            from newsreader.images.loader import ImageLoader

            loader = ImageLoader()
            await loader.__aenter__()
            self._image_loader = loader
        return self._image_loader

    async def _load_picture(self, url: str, box: tuple[int, int]) -> ImageResult:
        return await (await self._images()).load(url, box)

    async def _cached_picture(self, url: str, box: tuple[int, int]) -> ImageResult | None:
        return await (await self._images()).cached(url, box)

    async def _revalidate_picture(
        self, url: str, box: tuple[int, int], version: str
    ) -> ImageResult | None:
        return await (await self._images()).revalidate(url, box, version)

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
