"""The article list reads by keyset off the UI thread and follows writes of other processes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest
from tui_helpers import add_articles, write_newer

from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp

App = Callable[..., NewsreaderApp]


async def settle(app: NewsreaderApp, pilot: object) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


def no_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any query that skips rows with OFFSET (the app must find rows by key)."""
    from newsreader.store.connection import Database

    for name in ("query", "query_one", "scalar", "tuples"):
        original = getattr(Database, name)

        def checked(
            self: Database, sql: str, params: object = (), _original: object = original
        ) -> object:
            assert "OFFSET" not in sql.upper(), sql
            return _original(self, sql, params)  # type: ignore[operator]

        monkeypatch.setattr(Database, name, checked)


async def test_long_view_moves_by_keys_and_pages_arrive(
    store: Store, make_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_offsets(monkeypatch)
    add_articles(store, 450)
    ids = [a.id for a in store.list_articles(limit=450)]
    store.set_read(ids[:440], read=True)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        listing = app.main.articles
        assert listing.count == 450
        assert app.main.reader.read_only
        await pilot.press("G")
        await settle(app, pilot)
        assert listing.cursor == 449
        assert listing.current is not None and listing.current.title == "Article number 449"
        assert (
            "Article number 449"
            in listing.render_line(listing.cursor - listing.scroll_offset.y).text
        )
        await pilot.press("g", "n")
        await settle(app, pilot)
        # The first unread is row 440: found by key, its row by bisection of the view's keys.
        assert listing.cursor == 440
        opened = app.main.pane.article
        assert opened is not None and opened.title == "Article number 440"
        await pilot.press("G", "p")
        await settle(app, pilot)
        assert listing.cursor == 448
        # Leaving a search comes back to the article highlighted before it.
        await pilot.press("slash", *"number", "escape")
        await settle(app, pilot)
        assert not listing.searching and listing.cursor == 448


async def test_writes_by_another_process_show_within_seconds(store: Store, make_app: App) -> None:
    feed_id = add_articles(store, 5)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        listing = app.main.articles
        await pilot.press("j", "j")
        highlighted = listing.current
        assert listing.count == 5 and highlighted is not None
        # Another program (a cron refresh) stores three newer articles on its own connection.
        write_newer(store, feed_id, 3)
        began = time.monotonic()
        while listing.count != 8 and time.monotonic() - began < 6:
            await asyncio.sleep(0.1)
        await settle(app, pilot)
        assert listing.count == 8, "the list did not notice the other process's write"
        # The same article stays highlighted, three rows further down.
        assert listing.current == highlighted and listing.cursor == 5
        assert "Written elsewhere 2" in listing.render_line(0).text
        all_view = app.main.feeds.view_for("all")
        assert all_view is not None and all_view.unread == 8
