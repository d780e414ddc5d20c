"""Pilot tests of rough edges found by using the app: failed feeds, empty states, opening
links without a browser, terminal sizes and colours."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from typing import Any

import pytest
from rich.color import ColorSystem
from tui_helpers import add_articles

from newsreader.model import FeedKind
from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.widgets.article_list import ArticleList

App = Callable[..., NewsreaderApp]


def list_text(listing: ArticleList) -> str:
    """Every drawn row of the list, joined with spaces (wrapped lines read as one)."""
    rows = [listing.render_line(y).text.strip() for y in range(listing.size.height)]
    return " ".join(row for row in rows if row)


async def settle(app: NewsreaderApp, pilot: Any) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def capture_notes(app: NewsreaderApp) -> list[str]:
    notes: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        notes.append(f"{kwargs.get('title', '')}: {message}")
        original(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return notes


@pytest.mark.parametrize("size", [(120, 35), (100, 30)])
async def test_failed_feed_error_is_readable_in_the_empty_list(
    store: Store, make_app: App, size: tuple[int, int]
) -> None:
    feed = store.ensure_feed("https://lwn.net/headlines/rss", "LWN.net", FeedKind.FEED)
    store.record_fetch(feed.id, "error", "host not found")
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        keys = [v.key for v in app.main.feeds.views]
        app.main.feeds.focus()
        app.main.feeds.highlighted = keys.index(f"feed:{feed.id}")
        await pilot.pause()
        text = list_text(app.main.articles)
        assert "The last refresh failed" in text
        assert "host not found" in text
        assert "Press r to try again" in text


async def test_failed_feed_with_cached_articles_shows_its_error_above_the_list(
    store: Store, make_app: App
) -> None:
    feed_id = add_articles(store, 3)
    store.record_fetch(feed_id, "error", "host not found")
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        status = app.main.feed_status
        assert not status.display
        app.main.feeds.focus()
        app.main.feeds.highlighted = [v.key for v in app.main.feeds.views].index(
            f"tag:world/feed:{feed_id}"
        )
        await pilot.pause()
        assert app.main.articles.count == 3
        assert status.display and status.region.height >= 1
        assert status.region.y < app.main.articles.region.y
        shown = str(status.render())
        assert "host not found" in shown and "Example News" in shown
        assert "host not found" in str(app.main.feeds.tooltip)
        # The tag holding the feed says which of its feeds failed.
        app.main.feeds.highlighted = [v.key for v in app.main.feeds.views].index("tag:world")
        await pilot.pause()
        assert status.display and "Example News" in str(status.render())
        app.main.feeds.highlighted = 0
        await pilot.pause()
        assert not status.display
        assert app.main.feeds.tooltip is None


async def test_empty_state_wraps_in_a_narrow_list(store: Store, make_app: App) -> None:
    add_articles(store, 1)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.main.feeds.highlighted = [v.key for v in app.main.feeds.views].index("starred")
        await pilot.pause()
        assert app.main.articles.size.width < 40
        assert "No starred articles. Press s on an article to star it." in list_text(
            app.main.articles
        )


async def test_no_browser_is_reported_not_claimed(
    store: Store, make_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_browser(using: str | None = None) -> webbrowser.BaseBrowser:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    add_articles(store, 1)
    app = make_app()
    notes = capture_notes(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
    assert not any(n.startswith("Opening") for n in notes), notes
    assert sum("No web browser" in n for n in notes) == 2, notes
    assert any("https://example.com/one" in n for n in notes)


async def test_browser_failure_is_reported(
    store: Store, make_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Refusing(webbrowser.BaseBrowser):
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            return False

    monkeypatch.setattr(webbrowser, "get", lambda using=None: Refusing("refusing"))
    add_articles(store, 1)
    app = make_app()
    notes = capture_notes(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("o")
        await settle(app, pilot)
    assert any("could not open" in n.lower() for n in notes), notes


async def test_file_link_is_refused_politely(store: Store, make_app: App) -> None:
    feed = store.ensure_feed("file:///tmp/articles", "Saved", FeedKind.STORED)
    from datetime import timedelta

    from tui_helpers import NOW

    from newsreader.model import ContentType, NewArticle

    store.upsert_articles(
        feed.id,
        [
            NewArticle(
                key="f1",
                title="A saved page",
                published=NOW - timedelta(hours=1),
                content="Text [local](file:///etc/passwd) and [web](https://example.com/x).",
                content_type=ContentType.MARKDOWN,
                body="Text [local](file:///etc/passwd) and [web](https://example.com/x).",
                text="Text",
                link="file:///tmp/articles/saved%20page.html",
            )
        ],
    )
    app = make_app()
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    notes = capture_notes(app)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.main.pane.links == ["https://example.com/x"]
        await pilot.press("o")
        await pilot.pause()
    assert opened == []
    assert any("saved page.html" in n for n in notes), notes


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    def luminance(rgb: tuple[int, int, int]) -> float:
        def channel(c: int) -> float:
            v = c / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _in_16_colours(segment_style: Any, foreground: bool) -> tuple[int, int, int]:
    from rich.color import ColorSystem

    if segment_style.reverse:
        foreground = not foreground
    color = segment_style.color if foreground else segment_style.bgcolor
    assert color is not None
    triplet = color.downgrade(ColorSystem.STANDARD).get_truecolor(foreground=foreground)
    return (triplet.red, triplet.green, triplet.blue)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "nord", "gruvbox"])
async def test_rows_stay_distinct_in_16_colours(store: Store, make_app: App, theme: str) -> None:
    add_articles(store, 5)
    ids = [a.id for a in store.list_articles()]
    store.set_read(ids[1:3], read=True)
    store.set_starred([ids[2]], starred=True)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        app.console._color_system = ColorSystem.STANDARD  # as with TEXTUAL_COLOR_SYSTEM=standard
        app.theme = theme
        await settle(app, pilot)
        listing = app.main.articles
        for focused in (True, False):
            if not focused:
                app.main.feeds.focus()
                await pilot.pause()
            # The highlighted row (unread, row 0): its title readable on the cursor colour.
            title = next(s for s in listing.render_line(0) if "Article number 0" in s.text)
            fore, back = _in_16_colours(title.style, True), _in_16_colours(title.style, False)
            assert _contrast(fore, back) >= 3.0, (theme, focused, fore, back)
            # ... and it stands out from the other rows.
            other = next(s for s in listing.render_line(3) if "Article number 3" in s.text)
            differs = back != _in_16_colours(other.style, False)
            assert differs or (title.style.underline and not other.style.underline)
        unread = next(s for s in listing.render_line(3) if "Article number 3" in s.text)
        read = next(s for s in listing.render_line(1) if "Article number 1" in s.text)
        assert unread.style.bold and not read.style.bold
        assert read.style.dim or _in_16_colours(read.style, True) != _in_16_colours(
            unread.style, True
        )
        assert "★" in listing.render_line(2).text


async def test_quitting_during_a_refresh_exits_cleanly(
    store: Store, make_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    import newsreader.refresh

    started = asyncio.Event()
    loop = asyncio.get_running_loop()

    async def slow_refresh(*args: Any, **kwargs: Any) -> None:
        loop.call_soon_threadsafe(started.set)
        await asyncio.sleep(60)

    monkeypatch.setattr(newsreader.refresh, "refresh", slow_refresh)
    add_articles(store, 2)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("R")
        await asyncio.wait_for(started.wait(), 5)
        assert "Refreshing" in app.sub_title
        await pilot.press("q")
        await asyncio.wait_for(app.workers.wait_for_complete(), 5)
    assert app._exception is None
    assert app.return_code in (0, None)
