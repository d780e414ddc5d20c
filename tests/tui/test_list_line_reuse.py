"""The article list styles again only the lines a move changed, and draws its scrollbar again
only when the thumb moves; the feed list draws again only the entries whose counts changed.
What they draw is what Textual draws without those caches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.segment import Segment
from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import OptionList
from tui_helpers import add_articles

from newsreader.model import FetchStatus
from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.widgets.article_list import ArticleList

App = Callable[..., NewsreaderApp]


async def settle(app: NewsreaderApp, pilot: Any) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def count_styled(widget: Widget) -> list[int]:
    """A counter (its one item) of the lines Textual styles for ``widget`` from now on."""
    counter = [0]
    cache = widget._styles_cache
    original = cache.render_line

    def render_line(*args: Any) -> Strip:
        counter[0] += 1
        return original(*args)

    cache.render_line = render_line  # type: ignore[method-assign]
    return counter


def cells(strips: list[Strip]) -> list[list[Segment]]:
    return [list(strip) for strip in strips]


def fresh_list_lines(listing: ArticleList) -> list[list[Segment]]:
    """The list's lines as Textual alone draws them now (nothing kept from before)."""
    listing._styles_cache.clear()
    region = Region(0, 0, *listing.region.size)
    return cells(ScrollView.render_lines(listing, region))


def fresh_bar_lines(bar: ScrollBar) -> list[list[Segment]]:
    """The scrollbar's lines as Textual alone draws them now."""
    bar._render_content()
    bar._styles_cache.clear()
    return cells(ScrollBar.render_lines(bar, Region(0, 0, *bar.region.size)))


async def test_a_scroll_by_a_row_styles_only_the_lines_that_changed(
    store: Store, make_app: App
) -> None:
    add_articles(store, 300)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        listing = app.main.articles
        rows = listing.scrollable_content_region.height
        for _ in range(rows):
            await pilot.press("j")
        await settle(app, pilot)
        assert listing.scroll_offset.y > 0  # the last presses scrolled the list
        styled = count_styled(listing)
        for _ in range(10):
            top = listing.scroll_offset.y
            await pilot.press("j")
            await pilot.pause()
            assert listing.scroll_offset.y == top + 1
        # Each scroll brings one new row; the row left and the cursor's row change, and
        # the line under the list says where the cursor is. Without reuse: every line (34).
        assert styled[0] <= 10 * 4
        shown = cells(listing.render_lines(Region(0, 0, *listing.region.size)))
        assert shown == fresh_list_lines(listing)


async def test_reused_lines_follow_every_change_of_look(store: Store, make_app: App) -> None:
    add_articles(store, 300)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        listing = app.main.articles

        def same_as_fresh() -> bool:
            region = Region(0, 0, *listing.region.size)
            return cells(listing.render_lines(region)) == fresh_list_lines(listing)

        for keys in (("j",) * 40, ("k",) * 5, ("G",), ("g",), ("tab",), ("shift+tab",)):
            await pilot.press(*keys)
            await settle(app, pilot)
            assert same_as_fresh(), keys
        app.theme = "nord"
        await settle(app, pilot)
        assert same_as_fresh()
        await pilot.resize_terminal(100, 30)
        await settle(app, pilot)
        assert same_as_fresh()


async def test_the_scrollbar_is_drawn_again_only_when_its_thumb_moves(
    store: Store, make_app: App
) -> None:
    add_articles(store, 2000)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        listing = app.main.articles
        bar = listing.vertical_scrollbar
        await pilot.press("j")
        await pilot.press("G")
        await pilot.press("g")  # the bar has been drawn
        await settle(app, pilot)
        styled = count_styled(bar)
        rows = listing.scrollable_content_region.height
        region = Region(0, 0, *bar.region.size)
        for _ in range(rows + 40):
            await pilot.press("j")
            await pilot.pause()
        # 2,000 rows over a bar of about 30 cells: the thumb moves an eighth of a cell every
        # eight rows or so; 40 scrolls move it about five times (30 lines each), not 40.
        assert listing.scroll_offset.y >= 40
        assert 0 < styled[0] <= 8 * bar.region.height
        for _ in range(12):  # and at each step the bar is the one Textual draws
            await pilot.press("j")
            await pilot.pause()
            assert cells(bar.render_lines(region)) == fresh_bar_lines(bar)


def fresh_feed_lines(feeds: OptionList) -> list[list[Segment]]:
    """The feed list's lines as Textual alone draws them now (every entry drawn again)."""
    feeds._clear_caches()
    return cells(feeds.render_lines(Region(0, 0, *feeds.region.size)))


async def test_a_count_change_draws_only_its_entry_again(store: Store, make_app: App) -> None:
    import dataclasses

    add_articles(store, 5)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        feeds = app.main.feeds
        region = Region(0, 0, *feeds.region.size)
        feeds.render_lines(region)
        styled = count_styled(feeds)
        changed = [
            dataclasses.replace(v, unread=v.unread + 40) if v.key == "all" else v
            for v in feeds.views
        ]
        feeds.set_views(changed)
        shown = cells(feeds.render_lines(region))
        assert styled[0] == 1  # the one line of "All" (every line of the list before)
        assert "45" in "".join(segment.text for segment in shown[1])  # below the border
        assert shown == fresh_feed_lines(feeds)
        # An entry that grows a line (a failed feed's reason) is laid out again.
        failed = [
            dataclasses.replace(
                v,
                feed=dataclasses.replace(
                    v.feed, last_error="It broke", last_status=FetchStatus.ERROR
                ),
            )
            if v.feed is not None
            else v
            for v in feeds.views
        ]
        feeds.set_views(failed)
        assert cells(feeds.render_lines(region)) == fresh_feed_lines(feeds)
        assert any("It broke" in feeds.render_line(y).text for y in range(8))


async def test_opening_another_article_leaves_the_pane_frame_alone(
    store: Store, make_app: App
) -> None:
    add_articles(store, 5)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        pane = app.main.pane
        styled = count_styled(pane)  # the pane's border and background, under its parts
        await pilot.press("j", "enter")
        await settle(app, pilot)
        await pilot.pause(0.1)
        assert pane.article is not None and pane.article.title == "Article number 1"
        assert pane.border_title == "Article"
        assert styled[0] == 0


async def test_full_collections_are_rarer_while_the_screen_is_up(
    store: Store, make_app: App
) -> None:
    import gc

    from newsreader.tui.screens.main import FULL_GC_EVERY

    before = gc.get_threshold()
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        assert gc.get_threshold()[:2] == before[:2]
        assert gc.get_threshold()[2] == max(before[2], FULL_GC_EVERY) > 10
    assert gc.get_threshold() == before
