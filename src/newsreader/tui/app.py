"""The reading app: feeds, articles and the open article, all from the keyboard.

The App composes the panes, owns the key bindings and routes messages between widgets. Store
writes, article rendering, search and refresh run in workers that answer with messages or
``call_from_thread``; only the visible page of the article list is read on the UI thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from newsreader.context import AppContext
from newsreader.ingest.sanitize import clean_line, safe_link
from newsreader.model import Article, ArticleSummary
from newsreader.store import ArticleFilter, StoreError
from newsreader.tui.article_list import ArticleList
from newsreader.tui.article_pane import ArticlePane
from newsreader.tui.feed_list import FeedList
from newsreader.tui.help_screen import HelpScreen
from newsreader.tui.search_bar import SearchBar
from newsreader.tui.views import ALL, View, build_views

UNDO_SECONDS = 10.0
SEARCH_LIMIT = 500


def _local_now() -> datetime:
    return datetime.now().astimezone()


def summary_of(article: Article) -> ArticleSummary:
    """The list's view of a whole article."""
    return ArticleSummary(
        id=article.id,
        feed_id=article.feed_id,
        feed_title=article.feed_title,
        title=article.title,
        link=article.link,
        author=article.author,
        published=article.published,
        read=article.read,
        starred=article.starred,
    )


def _empty_text(view: View) -> str:
    if view.key == "unread":
        return "No unread articles."
    if view.key == "starred":
        return "No starred articles. Press s on an article to star it."
    failed = view.failed_feeds
    if view.feed is not None and failed:
        error = clean_line(view.feed.last_error, 200) or "unknown error"
        return f"No articles. The last refresh failed:\n{error}\n\nPress r to try again."
    if failed:
        return f"No articles here yet. {_failures_text(view)}\n\nPress r to try again."
    if view.kind in ("feed", "tag"):
        return "No articles here yet. Press r to refresh."
    return "No articles yet. Press R to refresh your feeds."


def _failures_text(view: View) -> str:
    """Which of ``view``'s feeds failed to refresh, and why ("" when none did)."""
    failed = view.failed_feeds
    if not failed:
        return ""
    if view.feed is not None:
        error = clean_line(view.feed.last_error, 300) or "unknown error"
        return f"The last refresh of {clean_line(view.title, 80)} failed: {error}"
    shown = "; ".join(
        f"{clean_line(f.title or f.url, 40)}: {clean_line(f.last_error, 80) or 'unknown error'}"
        for f in failed[:3]
    )
    more = f"; and {len(failed) - 3} more" if len(failed) > 3 else ""
    total = len(view.members)
    return (
        f"{len(failed)} of {total} feed{'s' if total != 1 else ''} failed to refresh: {shown}{more}"
    )


class NewsreaderApp(App[None]):
    """The terminal news reader."""

    CSS_PATH = "newsreader.tcss"
    TITLE = "newsreader"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"),
        (100, "-wide"),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Leave newsreader"),
        Binding("question_mark", "help", "Help", id="help", tooltip="Show every key"),
        Binding("slash", "search", "Search", id="search", tooltip="Search all articles"),
        Binding("s", "toggle_star", "Star", id="toggle_star", tooltip="Star or unstar"),
        Binding("m", "toggle_read", "Read", id="toggle_read", tooltip="Toggle read/unread"),
        Binding("n", "next_unread", "Next unread", id="next_unread", show=False),
        Binding("p", "previous_unread", "Prev unread", id="previous_unread", show=False),
        Binding("right_square_bracket", "next_section", "Section", id="next_section"),
        Binding(
            "left_square_bracket",
            "previous_section",
            "Prev section",
            id="previous_section",
            show=False,
        ),
        Binding("space", "page_down", "Page down", id="page_down", show=False),
        Binding("r", "refresh", "Refresh", id="refresh", tooltip="Refresh the selected feed"),
        Binding("R", "refresh_all", "Refresh all", id="refresh_all", show=False),
        Binding("A", "mark_all_read", "All read", id="mark_all_read", show=False),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("o", "open_browser", "Browser", id="open_browser", show=False),
        Binding("t", "toggle_outline", "Outline", id="toggle_outline", show=False),
        Binding("f", "toggle_feeds", "Feeds", id="toggle_feeds", show=False),
        Binding("escape", "back", "Back", id="back", show=False),
        *[
            Binding(str(n), f"open_link({n})", f"Open link {n}", id=f"open_link_{n}", show=False)
            for n in range(1, 10)
        ],
    ]

    # Shown in the help screen and the command palette, in this order.
    HELP: ClassVar[list[tuple[str, str, str]]] = [
        ("open", "Open article", "Open the highlighted article (marks it read)"),
        ("cursor_down", "Down", "Next article"),
        ("cursor_up", "Up", "Previous article"),
        ("first", "First article", "Go to the newest article"),
        ("last", "Last article", "Go to the oldest article"),
        ("next_unread", "Next unread", "Open the next unread article"),
        ("previous_unread", "Previous unread", "Open the previous unread article"),
        ("next_section", "Next section", "Jump to the next section heading"),
        ("previous_section", "Previous section", "Jump to the previous section heading"),
        ("page_down", "Page down", "Page down the open article"),
        ("toggle_star", "Star / unstar", "Star or unstar the article"),
        ("toggle_read", "Read / unread", "Mark the article read or unread"),
        ("mark_all_read", "Mark all read", "Mark every article in this view read"),
        ("undo", "Undo mark all read", "Undo the last mark-all-read"),
        ("open_browser", "Open in browser", "Open the article's web page"),
        ("open_link_1", "Open link 1-9", "Open the article's numbered links"),
        ("toggle_outline", "Toggle outline", "Show or hide the section outline"),
        ("toggle_feeds", "Toggle feed list", "Show or hide the feed list"),
        ("refresh", "Refresh feed", "Refresh the selected feed (or tag)"),
        ("refresh_all", "Refresh all", "Refresh every feed"),
        ("search", "Search", "Search all articles as you type"),
        ("help", "Help", "Show every key"),
        ("quit", "Quit", "Leave newsreader"),
    ]

    @dataclass
    class RefreshProgressed(Message):
        """A refresh finished ``done`` of ``total`` feeds."""

        done: int
        total: int

    @dataclass
    class RefreshFinished(Message):
        """A refresh ended; ``summary`` is the refresh module's summary (None: failed)."""

        summary: Any
        error: str = ""

    def __init__(
        self,
        ctx: AppContext,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.store = ctx.store
        self.clock: Callable[[], datetime] = clock or _local_now
        self._undo: tuple[list[int], float] | None = None
        self._refresh_cancel: Callable[[], None] | None = None
        self._before_search: int | None = None
        self.feeds = FeedList(id="feeds")
        self.articles = ArticleList(self.store, self.clock, id="articles")
        self.pane = ArticlePane(self.clock, id="article")
        self.search_bar = SearchBar(id="search")
        self.feed_status = Static("", id="feed-status", markup=False)

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield self.feeds
            with Vertical(id="list-column"):
                yield self.feed_status
                yield self.articles
            yield self.pane
        yield self.search_bar
        yield Footer()

    def on_mount(self) -> None:
        settings = self.ctx.config.settings
        saved = self.store.get_meta("theme")
        for name in (saved, settings.theme):
            if name and name in self.available_themes:
                self.theme = name
                break
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.ctx.config.keys:
            self._apply_keymap(self.ctx.config.keys)
        self.pane.outline_wanted = settings.show_outline
        self.feeds.border_title = "Feeds"
        self.feeds.loading = True
        self.articles.border_title = ALL.title
        self.articles.show_view(ALL.where, _empty_text(ALL))
        self.articles.focus()
        # Counting unread per feed reads every article: start it once the list is on screen.
        self.call_after_refresh(self._load_feeds)
        if settings.refresh_on_start:
            self.call_after_refresh(self._start_refresh, None, "all feeds", False)

    def _apply_keymap(self, keys: dict[str, str]) -> None:
        known = {b.id for b in self._all_bindings() if b.id}
        unknown = sorted(set(keys) - known)
        if unknown:
            self.notify(
                f"Unknown action(s) in [keys]: {', '.join(unknown)}",
                severity="warning",
                markup=False,
            )
        self.set_keymap({k: v for k, v in keys.items() if k in known})

    def _remember_theme(self, theme: Any) -> None:
        self.store.set_meta("theme", str(theme.name))

    # -- feeds ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False)
    def _load_feeds(self) -> None:
        feeds = self.store.feeds()
        starred = self.store.count_articles(ArticleFilter(starred=True))
        views = build_views(feeds, starred)
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_views, views)

    def _show_views(self, views: Sequence[View]) -> None:
        self.feeds.set_views(views)
        self.feeds.loading = False
        view = self.feeds.current
        if not self.articles.searching:
            self.articles.set_empty_text(_empty_text(view))
        self._show_feed_status(view)

    def _show_feed_status(self, view: View) -> None:
        """Say above the list (and in the feed list's tooltip) which feeds failed and why."""
        text = _failures_text(view)
        text_with_urls = ""
        if text:
            urls = "\n".join(clean_line(f.url, 200) for f in view.failed_feeds[:5])
            text_with_urls = f"{text}\n{urls}"
        self.feeds.tooltip = text_with_urls if text else None
        # An empty list already says why, in its place.
        listing = self.articles
        shown = bool(text) and listing.count > 0 and not listing.searching
        if shown:
            self.feed_status.update(f"! {text}")
        self.feed_status.tooltip = text_with_urls if text else None
        self.feed_status.display = shown

    @on(FeedList.ViewChosen)
    def _view_chosen(self, event: FeedList.ViewChosen) -> None:
        view = event.view
        if self.articles.searching:
            self.search_bar.value = ""
        self.articles.border_title = clean_line(view.title, 80)
        self.articles.show_view(view.where, _empty_text(view))
        self._show_feed_status(view)
        if event.focus_articles:
            self.articles.focus()

    # -- reading ----------------------------------------------------------------------------

    @on(ArticleList.Highlighted)
    def _highlighted(self, event: ArticleList.Highlighted) -> None:
        listing = self.articles
        listing.border_subtitle = (
            f"{listing.cursor + 1} of {listing.count}" if listing.count else ""
        )
        self.refresh_bindings()

    @on(ArticleList.Opened)
    def _opened(self, event: ArticleList.Opened) -> None:
        self.open_article(event.article.id)

    def open_article(self, article_id: int) -> None:
        """Render and show an article (in a worker) and mark it read."""
        self._open_article(article_id)

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def _open_article(self, article_id: int) -> None:
        from newsreader.render import article_markdown

        article = self.store.article(article_id)
        if article is None:
            return
        markdown = article_markdown(self.store, article)
        if not article.read:
            self.store.set_read([article.id], read=True)
            article = dataclasses.replace(article, read=True)
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_article, article, markdown)

    async def _show_article(self, article: Article, markdown: str) -> None:
        self.articles.update_article(summary_of(article))
        await self.pane.show(article, markdown)
        self.pane.border_title = "Article"
        self.refresh_bindings()
        self._load_feeds()

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
            return
        changed = dataclasses.replace(target, starred=not target.starred)
        self._changed(changed)
        self._write(partial(self.store.set_starred, [target.id], starred=changed.starred))

    def action_toggle_read(self) -> None:
        target = self._target()
        if target is None:
            return
        changed = dataclasses.replace(target, read=not target.read)
        self._changed(changed)
        self._write(partial(self.store.set_read, [target.id], read=changed.read))

    @work(thread=True, group="write", exit_on_error=False)
    def _write(self, change: Callable[[], object]) -> None:
        change()
        self.call_from_thread(self._load_feeds)

    def action_mark_all_read(self) -> None:
        listing = self.articles
        if listing.count == 0:
            return
        if listing.hits is not None:
            where = ArticleFilter(article_ids=tuple(a.id for a in listing.hits))
        else:
            where = listing.where
        self._mark_all(where)

    @work(thread=True, group="write", exit_on_error=False)
    def _mark_all(self, where: ArticleFilter) -> None:
        ids = self.store.mark_all_read(where)
        self.call_from_thread(self._marked_all, ids)

    def _marked_all(self, ids: list[int]) -> None:
        if not ids:
            self.notify("Everything here was already read.")
            return
        self._undo = (ids, time.monotonic() + UNDO_SECONDS)
        self.articles.update_state(ids, read=True)
        self.notify(
            f"Marked {len(ids)} article{'s' if len(ids) != 1 else ''} read. Press u to undo.",
            timeout=UNDO_SECONDS,
        )
        self.set_timer(UNDO_SECONDS, self.refresh_bindings)
        self.refresh_bindings()
        self._load_feeds()

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
        self.clear_notifications()
        self.notify(f"Marked {len(ids)} article{'s' if len(ids) != 1 else ''} unread again.")
        self._write(partial(self.store.set_read, ids, read=False))
        self.refresh_bindings()

    def _step_unread(self, forward: bool) -> None:
        listing = self.articles
        current = listing.current
        open_id = self.pane.article.id if self.pane.article else None
        if forward and current is not None and not current.read and current.id != open_id:
            self.open_article(current.id)
            return
        found: ArticleSummary | None = None
        if listing.hits is not None:
            rows = (
                range(listing.cursor + 1, listing.count)
                if forward
                else range(listing.cursor - 1, -1, -1)
            )
            found = next((listing.hits[r] for r in rows if not listing.hits[r].read), None)
        else:
            found = self.store.neighbour_unread(
                listing.where, None if current is None else current.key, forward=forward
            )
        if found is None:
            self.notify("No more unread articles " + ("below." if forward else "above."))
            return
        listing.move_to_article(found.id)
        self.open_article(found.id)

    def action_next_unread(self) -> None:
        self._step_unread(True)

    def action_previous_unread(self) -> None:
        self._step_unread(False)

    def action_next_section(self) -> None:
        if not self.pane.next_section():
            self.bell()

    def action_previous_section(self) -> None:
        if not self.pane.previous_section():
            self.bell()

    def action_page_down(self) -> None:
        self.pane.page_down()

    def action_toggle_outline(self) -> None:
        self.pane.toggle_outline()

    def action_toggle_feeds(self) -> None:
        self.screen.toggle_class("-show-feeds")
        self.screen.toggle_class("-hide-feeds")

    def _open_url(self, url: str) -> None:
        link = safe_link(url)
        if not link:
            self.notify("Only http and https links open in the browser.", severity="warning")
            return
        self.open_url(link)

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Open ``url`` in the web browser, saying so, or why it could not."""
        self._launch_browser(url)

    @work(thread=True, group="browser", exit_on_error=False)
    def _launch_browser(self, url: str) -> None:
        # webbrowser may run a program and wait for it: never on the UI thread.
        import webbrowser

        shown = clean_line(url, 200)
        try:
            browser = webbrowser.get()
        except webbrowser.Error:
            self.call_from_thread(
                self.notify,
                f"No web browser found (set $BROWSER). The link is:\n{shown}",
                title="Cannot open",
                severity="warning",
                markup=False,
                timeout=15,
            )
            return
        if type(browser) is webbrowser.GenericBrowser:
            # A terminal browser (lynx, w3m...) needs the terminal: lend it while it runs.
            self.call_from_thread(self._open_in_terminal, browser, url)
            return
        try:
            opened = browser.open(url)
        except Exception:  # a browser that fails to start is reported, never a crash
            opened = False
        self.call_from_thread(self._report_open, url, opened)

    def _open_in_terminal(self, browser: Any, url: str) -> None:
        from textual.app import SuspendNotSupported

        try:
            with self.suspend():
                opened = bool(browser.open(url))
        except SuspendNotSupported:
            opened = False
        self._report_open(url, opened)

    def _report_open(self, url: str, opened: bool) -> None:
        shown = clean_line(url, 200)
        if opened:
            self.notify(shown, title="Opening", markup=False)
        else:
            self.notify(
                f"The web browser could not open:\n{shown}",
                title="Cannot open",
                severity="warning",
                markup=False,
                timeout=15,
            )

    def action_open_browser(self) -> None:
        target = self._target()
        if target is None:
            return
        if not safe_link(target.link):
            if target.link.lower().startswith("file:"):
                name = unquote(urlsplit(target.link).path).rsplit("/", 1)[-1]
                self.notify(
                    f"This article is a local file ({clean_line(name, 100)}), not a web page: "
                    "it is all here to read.",
                    markup=False,
                )
            else:
                self.notify("This article has no web page to open.", severity="warning")
            return
        self._open_url(target.link)

    def action_open_link(self, number: int) -> None:
        links = self.pane.links
        if 1 <= number <= len(links):
            self._open_url(links[number - 1])
        else:
            self.notify(f"The article has no link {number}.", severity="warning")

    @on(ArticlePane.LinkRequested)
    def _link_requested(self, event: ArticlePane.LinkRequested) -> None:
        self._open_url(event.url)

    def action_back(self) -> None:
        if self.articles.searching:
            self._cancel_search()
        elif self.focused is not self.articles:
            self.articles.focus()

    # -- search -----------------------------------------------------------------------------

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
                hits = [h.article for h in self.store.search(match, limit=SEARCH_LIMIT)]
            except StoreError as failure:
                error = str(failure)
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_hits, query, hits, error)

    def _show_hits(self, query: str, hits: list[ArticleSummary], error: str) -> None:
        if self.search_bar.value.strip() != query:
            return  # the user typed on; a newer search is coming
        listing = self.articles
        listing.border_title = f"Search: {clean_line(query, 60)}"
        empty = f"No articles match “{clean_line(query, 60)}”."
        if error:
            empty = f"Cannot search for that: {clean_line(error, 200)}"
        listing.show_hits(hits, empty)
        self.feed_status.display = False

    @on(SearchBar.Accepted)
    def _search_accepted(self, event: SearchBar.Accepted) -> None:
        if event.query.strip():
            self.articles.focus()

    @on(SearchBar.Cancelled)
    def _search_cancelled(self, event: SearchBar.Cancelled) -> None:
        self._cancel_search()

    def _cancel_search(self) -> None:
        self.workers.cancel_group(self, "search")
        self.search_bar.value = ""
        if self.articles.searching:
            self._restore_view()
        self.articles.focus()

    def _restore_view(self) -> None:
        view = self.feeds.current
        self.articles.border_title = clean_line(view.title, 80)
        self.articles.show_view(self.articles.where, _empty_text(view), keep=self._before_search)
        self._show_feed_status(view)

    # -- refresh ----------------------------------------------------------------------------

    def action_refresh(self) -> None:
        view = self.feeds.current
        self._start_refresh(view.feed_ids, clean_line(view.title, 60))

    def action_refresh_all(self) -> None:
        self._start_refresh(None, "all feeds")

    def _start_refresh(
        self, feed_ids: tuple[int, ...] | None, label: str, force: bool = True
    ) -> None:
        """Refresh in the background; a refresh the user asks for ignores back-off."""
        if self._refresh_cancel is not None:
            self.notify("A refresh is already running.")
            return
        self.sub_title = f"Refreshing {label}…"
        self._refresh_cancel = lambda: None
        self._refresh(feed_ids, force)

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def _refresh(self, feed_ids: tuple[int, ...] | None, force: bool) -> None:
        try:
            from newsreader.refresh import refresh
        except ImportError as error:
            self.post_message(self.RefreshFinished(None, f"refreshing is unavailable: {error}"))
            return

        def progress(outcome: Any, done: int, total: int) -> None:
            self.post_message(self.RefreshProgressed(done, total))

        loop = asyncio.new_event_loop()
        try:
            task = loop.create_task(
                refresh(self.store, self.ctx.config, feed_ids, on_progress=progress, force=force)
            )
            self._refresh_cancel = partial(loop.call_soon_threadsafe, task.cancel)
            summary = loop.run_until_complete(task)
        except asyncio.CancelledError:
            return
        except Exception as error:  # reported to the user, never a crash
            self.post_message(self.RefreshFinished(None, str(error) or type(error).__name__))
            return
        finally:
            if self._refresh_cancel is not None:
                self._refresh_cancel = lambda: None
            loop.close()
        self.post_message(self.RefreshFinished(summary))

    @on(RefreshProgressed)
    def _refresh_progressed(self, event: RefreshProgressed) -> None:
        self.sub_title = f"Refreshing {event.done}/{event.total} feeds…"

    @on(RefreshFinished)
    def _refresh_finished(self, event: RefreshFinished) -> None:
        self._refresh_cancel = None
        stamp = self.clock().strftime("%H:%M")
        if event.summary is None:
            self.sub_title = "Refresh failed"
            self.notify(
                f"Refresh failed: {clean_line(event.error, 300)}", severity="error", markup=False
            )
            return
        self.sub_title = f"Updated {stamp}"
        text, title, severity = _refresh_report(event.summary)
        self.notify(text, title=title, severity=severity, markup=False)
        self._load_feeds()
        if not self.articles.searching:
            self.articles.reload()

    def action_quit(self) -> None:  # type: ignore[override]
        self._stop_refresh()
        self.exit()

    def _stop_refresh(self) -> None:
        cancel, self._refresh_cancel = self._refresh_cancel, None
        if cancel is not None:
            # The refresh's loop may have closed already: then there is nothing to stop.
            with contextlib.suppress(RuntimeError):
                cancel()

    def on_unmount(self) -> None:
        self._stop_refresh()

    # -- help and commands ------------------------------------------------------------------

    def _all_bindings(self) -> list[Binding]:
        found: list[Binding] = []
        for source in (self, ArticleList, ArticlePane, SearchBar):
            for binding in source.BINDINGS:
                if isinstance(binding, Binding):
                    found.append(binding)
        return found

    def _keys_for(self, binding_id: str) -> str:
        keymap = self._keymap
        for binding in self._all_bindings():
            if binding.id == binding_id:
                keys = keymap.get(binding_id, binding.key)
                shown = [
                    self.get_key_display(
                        dataclasses.replace(binding, key=k.strip(), key_display=None)
                    )
                    for k in keys.split(",")
                ]
                return " ".join(shown)
        return ""

    def help_rows(self) -> list[tuple[str, str]]:
        """(keys, description) for every action, with the user's key map applied."""
        rows = []
        for binding_id, _title, description in self.HELP:
            keys = self._keys_for(binding_id)
            if binding_id == "open_link_1":
                keys = f"{keys}…{self._keys_for('open_link_9')}"
            rows.append((keys, description))
        rows += [
            ("tab shift+tab", "Move between panes"),
            ("esc", "Clear the search / back to the article list"),
            ("^p", "Command palette (every action, themes)"),
        ]
        return rows

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.help_rows()))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding_id, title, description in self.HELP:
            if binding_id == "open_link_1":
                for number, url in enumerate(self.pane.links[:9], start=1):
                    yield SystemCommand(
                        f"Open link {number}",
                        clean_line(url, 100),
                        partial(self.action_open_link, number),
                    )
                continue
            action = next(
                (b.action for b in self._all_bindings() if b.id == binding_id), binding_id
            )
            yield SystemCommand(title, description, partial(self._run_command, action))

    async def _run_command(self, action: str) -> None:
        if action in {b.action for b in ArticleList.BINDINGS if isinstance(b, Binding)}:
            await self.articles.run_action(action)
        else:
            await self.run_action(action)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        has_article = self.pane.article is not None
        if action in ("next_section", "previous_section", "page_down", "toggle_outline"):
            return True if has_article else None
        if action == "open_link":
            return True if has_article and self.pane.links else None
        if action == "undo":
            return self._undo_ids() is not None
        return True


def _refresh_report(summary: Any) -> tuple[str, str, Any]:
    """The notification text, title and severity for a finished refresh."""
    outcomes = list(getattr(summary, "outcomes", []))
    failures = [o for o in outcomes if getattr(o, "status", "") in ("error", "gone")]
    new = int(getattr(summary, "new", 0))
    updated = int(getattr(summary, "updated", 0))
    text = f"{len(outcomes)} feed{'s' if len(outcomes) != 1 else ''}: {new} new, {updated} updated"
    if failures:
        names = ", ".join(clean_line(f.title, 40) for f in failures[:3])
        more = f" and {len(failures) - 3} more" if len(failures) > 3 else ""
        text += f"; {len(failures)} failed ({names}{more})"
        first = clean_line(getattr(failures[0], "error", ""), 200)
        if first:
            text += f"\n{first}"
        return text, "Refreshed", "warning"
    return text, "Refreshed", "information"


def run_app(ctx: AppContext) -> int:
    """Run the app until the user quits; returns the exit status."""
    app = NewsreaderApp(ctx)
    app.run()
    return app.return_code or 0
