"""What a key or a count change draws again: as little as shows the change, never less."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable

from textual.widgets import Footer
from tui_helpers import add_articles

from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.screens.main import POLL_SECONDS
from newsreader.tui.widgets.article_list import POSITION_SECONDS

App = Callable[..., NewsreaderApp]


async def settle(app: NewsreaderApp, pilot: object) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


async def test_the_footer_is_built_once_for_the_open_article_keys(
    store: Store, make_app: App
) -> None:
    add_articles(store, 5)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.pause(0.1)
        footer = app.main.query_one(Footer)
        keys = list(footer.children)
        assert keys
        for _ in range(3):
            await pilot.press("j", "enter")
            await settle(app, pilot)
            await pilot.pause(0.1)
        assert app.main.pane.article is not None
        assert app.main.pane.article.title == "Article number 3"
        assert list(footer.children) == keys  # the same widgets: not composed again


async def test_counts_change_in_place_and_follow_reading(store: Store, make_app: App) -> None:
    add_articles(store, 5)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        feeds = app.main.feeds
        options = list(feeds.options)
        everything = feeds.view_for("all")
        assert everything is not None and everything.unread == 5
        changed = [
            dataclasses.replace(v, unread=v.unread + 40) if v.key == "all" else v
            for v in feeds.views
        ]
        feeds.set_views(changed)
        await pilot.pause()
        assert list(feeds.options) == options  # the same entries, one prompt replaced
        assert "45" in feeds.render_line(0).text
        assert "5" in feeds.render_line(1).text and "45" not in feeds.render_line(1).text
        # Reading an article: the count follows through the screen's poll of the file.
        await pilot.press("enter")
        await settle(app, pilot)
        for _ in range(int(POLL_SECONDS * 20) + 20):
            await asyncio.sleep(0.05)
            view = feeds.view_for("all")
            if view is not None and view.unread == 4:
                break
        await settle(app, pilot)
        view = feeds.view_for("all")
        assert view is not None and view.unread == 4
        assert "4" in feeds.render_line(0).text


async def test_position_line_follows_the_cursor(store: Store, make_app: App) -> None:
    add_articles(store, 120)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        listing = app.main.articles
        assert listing.border_subtitle == "1 of 120"
        await pilot.press("j")
        # A move on screen draws two rows; the line under the list follows once it rests.
        assert listing.cursor == 1 and listing.border_subtitle == "1 of 120"
        await pilot.pause(POSITION_SECONDS * 2)
        await pilot.pause()
        assert listing.border_subtitle == "2 of 120"
        # A move that scrolls draws every row anyway: the line changes with it.
        await pilot.press("G")
        assert listing.cursor == 119 and listing.border_subtitle == "120 of 120"
        await pilot.press("g")
        assert listing.border_subtitle == "1 of 120"
