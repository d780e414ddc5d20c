"""Work the main screen starts in the background: refresh, sync, full text, the cache check.

Each task runs in a widget of its own (:class:`Refresher`, :class:`Syncer`,
:class:`FullTextFetcher`, :class:`CacheCheck`) that answers with messages; this screen starts
them and says in the header and in notifications what they did.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import on

from newsreader.context import AppContext
from newsreader.ingest.sanitize import clean_line
from newsreader.tui import wording
from newsreader.tui.full_text import FullTextFetcher, full_text_notice
from newsreader.tui.integrity import CacheCheck
from newsreader.tui.messages import RefreshFinished, RefreshProgressed
from newsreader.tui.screens.marking import MarkingScreen
from newsreader.tui.sync_runner import Syncer
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.feed_list import FeedList
from newsreader.tui.widgets.refresher import Refresher


class TasksScreen(MarkingScreen):
    """A screen that refreshes, syncs and fetches full text in the background (a base class).

    The widgets and the context are the subclass's (:class:`~newsreader.tui.screens.main.MainScreen`).
    """

    ctx: AppContext
    clock: Callable[[], datetime]
    feeds: FeedList
    articles: ArticleList
    refresher: Refresher
    syncer: Syncer
    full_text: FullTextFetcher
    cache_check: CacheCheck
    last_updated: str | None = None  # when a refresh last went through ("HH:MM")

    def open_article(self, article_id: int) -> None:
        raise NotImplementedError

    # -- refresh ----------------------------------------------------------------------------

    def action_refresh(self) -> None:
        view = self.feeds.current
        self.start_refresh(view.feed_ids, clean_line(view.title, 60))

    def action_refresh_all(self) -> None:
        self.start_refresh(None, "all feeds")
        if self.syncer.configured:
            self.start_sync()

    def start_refresh(
        self, feed_ids: tuple[int, ...] | None, label: str, *, force: bool = True
    ) -> None:
        """Refresh in the background; a refresh the user asks for ignores back-off."""
        if self.refresher.running:
            self.notify("A refresh is already running.")
            return
        self.app.sub_title = wording.refreshing(label)
        self.refresher.start(feed_ids, force=force)

    def stop_refresh(self) -> None:
        """Cancel a running refresh (its fetches stop; what was stored stays)."""
        self.refresher.stop()

    @on(RefreshProgressed)
    def _refresh_progressed(self, event: RefreshProgressed) -> None:
        self.app.sub_title = wording.refresh_progress(event.done, event.total)

    @on(RefreshFinished)
    def _refresh_finished(self, event: RefreshFinished) -> None:
        stamp = self.clock().strftime("%H:%M")
        if event.summary is None:
            self.app.sub_title = (
                f"Refresh failed · updated {self.last_updated}"
                if self.last_updated
                else "Refresh failed"
            )
            self.notify(wording.refresh_failed(event.error), severity="error", markup=False)
            return
        if not wording.all_failed(event.summary):
            self.last_updated = stamp
        self.app.sub_title = wording.updated_header(self.last_updated, event.summary)
        text, title, severity = wording.refresh_report(event.summary)
        self.notify(text, title=title, severity=severity, markup=False)
        self.load_feeds()
        if not self.articles.searching:
            self.articles.reload()

    @on(CacheCheck.Finished)
    def _cache_checked(self, event: CacheCheck.Finished) -> None:
        if event.problem:
            self.app.sub_title = "Cache damaged: read only"
            self.notify(
                event.problem, title="Cache damaged", severity="error", markup=False, timeout=60
            )
            return
        if self.ctx.config.settings.refresh_on_start:
            self.start_refresh(None, "all feeds", force=False)
            if self.syncer.configured:
                self.start_sync()

    # -- sync with the feed server -----------------------------------------------------------

    def start_sync(self) -> None:
        """Sync with the account's server in the background (once at a time)."""
        if self.syncer.start():
            self.app.sub_title = "Syncing…"

    @on(Syncer.Progressed)
    def _sync_progressed(self, event: Syncer.Progressed) -> None:
        if self.syncer.running:
            self.app.sub_title = event.text

    @on(Syncer.Finished)
    def _sync_finished(self, event: Syncer.Finished) -> None:
        from newsreader.sync import summary_line

        if event.report is None:
            self.app.sub_title = "Sync failed"
            self.notify(f"Sync failed: {event.error}", severity="error", markup=False)
            return
        if not self.refresher.running:
            self.app.sub_title = f"Synced {self.clock().strftime('%H:%M')}"
        warnings = "; ".join(event.report.warnings)
        text = summary_line(event.report).capitalize() + (f". {warnings}" if warnings else "")
        self.notify(text, severity="warning" if warnings else "information", markup=False)
        self.load_feeds()
        if not self.articles.searching:
            self.articles.reload()

    # -- full text --------------------------------------------------------------------------

    def action_fetch_full_text(self) -> None:
        article = self.pane.article
        if article is not None:
            self.notify("Fetching the full text…", timeout=3)
            self.full_text.fetch(article.id)

    @on(FullTextFetcher.Fetched)
    def _full_text_fetched(self, event: FullTextFetcher.Fetched) -> None:
        text, severity = full_text_notice(event.result)
        self.notify(text, severity=severity, markup=False)
        article = self.pane.article
        shown = article is not None and article.id == event.result.article_id
        if event.result.status == "ok" and shown:
            self.open_article(event.result.article_id)
