"""Rows written above the visible ones (a refresh storing newer articles) cost one update:
the screen is not laid out again, and pages read ahead off screen draw nothing."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from tui_helpers import add_articles, write_newer

from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp

App = Callable[..., NewsreaderApp]


async def settle(app: NewsreaderApp, pilot: Any) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def reload_until(app: NewsreaderApp, pilot: Any, count: int) -> None:
    listing = app.main.articles
    listing.reload()
    began = time.monotonic()
    while listing.count != count and time.monotonic() - began < 6:
        await asyncio.sleep(0.05)
    await settle(app, pilot)
    assert listing.count == count


def watch_layouts(app: NewsreaderApp) -> list[bool]:
    """For each screen layout from now on: whether it laid out every widget (not a scroll)."""
    screen = app.main
    layouts: list[bool] = []
    original = screen._refresh_layout

    def refresh_layout(*args: Any, **kwargs: Any) -> None:
        layouts.append(screen._layout_required)
        original(*args, **kwargs)

    screen._refresh_layout = refresh_layout  # type: ignore[method-assign]
    return layouts


async def test_rows_written_above_move_the_thumb_without_laying_out(
    store: Store, make_app: App
) -> None:
    feed_id = add_articles(store, 300)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        listing = app.main.articles
        for _ in range(40):
            await pilot.press("j")
        await settle(app, pilot)
        highlighted, row = listing.current, listing.cursor
        screen_row = row - listing.scroll_offset.y
        assert highlighted is not None and listing.show_vertical_scrollbar
        layouts = watch_layouts(app)
        write_newer(store, feed_id, 50)
        await reload_until(app, pilot, 350)
        assert not any(layouts), "the whole screen was laid out again"
        # The same article, 50 rows further down, on the same line of the screen.
        assert listing.current == highlighted and listing.cursor == row + 50
        assert listing.cursor - listing.scroll_offset.y == screen_row
        assert highlighted.title in listing.render_line(screen_row).text
        assert listing.virtual_size.height == 350
        assert listing.vertical_scrollbar.window_virtual_size == 350
        # The thumb is where Textual alone would draw it.
        drawn = listing.vertical_scrollbar.render_lines(listing.vertical_scrollbar.region)
        listing.vertical_scrollbar._drawn = None
        listing.vertical_scrollbar.refresh()
        await pilot.pause()
        assert listing.vertical_scrollbar.render_lines(listing.vertical_scrollbar.region) == drawn


async def test_a_list_growing_past_the_screen_gets_its_scrollbar(
    store: Store, make_app: App
) -> None:
    feed_id = add_articles(store, 5)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        listing = app.main.articles
        highlighted = listing.current
        assert highlighted is not None and not listing.show_vertical_scrollbar
        write_newer(store, feed_id, 100)
        await reload_until(app, pilot, 105)
        assert listing.show_vertical_scrollbar
        assert listing.vertical_scrollbar.window_virtual_size == 105
        # The highlighted article stays highlighted, on screen.
        assert listing.current == highlighted and listing.cursor == 100
        line = listing.cursor - listing.scroll_offset.y
        assert highlighted.title in listing.render_line(line).text


async def test_pages_read_ahead_off_screen_draw_nothing(store: Store, make_app: App) -> None:
    add_articles(store, 900)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        listing = app.main.articles
        refreshes: list[object] = []
        original = listing.refresh

        def refresh(*regions: Any, **kwargs: Any) -> Any:
            refreshes.append(regions)
            return original(*regions, **kwargs)

        listing.refresh = refresh  # type: ignore[method-assign]
        assert not listing.rows.loaded(6)
        listing.loader.request([6])  # rows 600-699, far below the screen
        await settle(app, pilot)
        assert listing.rows.loaded(6)
        assert refreshes == []
        # A page on screen still draws its rows when it arrives.
        listing.move_to(640)
        await settle(app, pilot)
        assert (
            "Article number 640"
            in listing.render_line(listing.cursor - listing.scroll_offset.y).text
        )
