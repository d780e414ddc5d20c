"""Keys of the daily reading loop: focus between panes, keys that say why they do nothing,
the feed list toggle, saved searches that follow other writers and ask before deletion."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from textual import events
from tui_helpers import NOW, add_articles, write_config

from newsreader.context import AppContext
from newsreader.model import ContentType, NewArticle
from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp

App = Callable[..., NewsreaderApp]


async def settle(app: NewsreaderApp, pilot: object) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


def notes(app: NewsreaderApp) -> list[str]:
    return [n.message for n in app._notifications]


def feed_rows(app: NewsreaderApp) -> list[str]:
    feeds = app.main.feeds
    return [feeds.get_option_at_index(i).id or "" for i in range(feeds.option_count)]


async def test_a_link_number_the_article_does_not_have_says_so(store: Store, make_app: App) -> None:
    add_articles(store, 2)  # each article has two numbered links
    app = make_app()
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("7")
        assert any(n.startswith("No article is open") for n in notes(app)), notes(app)
        app.clear_notifications()
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(app.main.pane.links) == 2
        await pilot.press("7")
        await pilot.pause()
        assert any("has 2 links; 7 is not one of them" in n for n in notes(app)), notes(app)
        assert opened == []
        await pilot.press("2")
        assert opened == ["https://example.org/two"]


async def test_tab_goes_round_the_shown_panes_body_before_outline(
    store: Store, make_app: App
) -> None:
    add_articles(store, 3)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        main = app.main
        body, outline = main.pane.scroller, main.pane.outline
        assert outline.display and outline.option_count > 0
        assert app.focused is main.articles
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(app.focused)
        assert seen == [body, outline, main.feeds, main.articles]
        seen = []
        for _ in range(4):
            await pilot.press("shift+tab")
            seen.append(app.focused)
        assert seen == [main.feeds, outline, body, main.articles]
        # From the search bar, Tab goes to the results, never back into the bar.
        await pilot.press("slash")
        assert app.focused is main.search_bar
        await pilot.press("tab")
        assert app.focused is main.articles
        for _ in range(5):
            await pilot.press("tab")
            assert app.focused is not main.search_bar


async def test_tab_passes_hidden_panes_by_in_a_narrow_terminal(store: Store, make_app: App) -> None:
    add_articles(store, 3)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        main = app.main
        for key in ["tab"] * 4 + ["shift+tab"] * 4:
            await pilot.press(key)
            assert app.focused is not main.feeds, key
            assert app.focused is not main.search_bar, key
        await pilot.press("f")
        await pilot.pause()
        assert app.focused is main.feeds  # shown to choose a feed: it has the keys
        await pilot.press("tab")
        assert app.focused is main.articles
        await pilot.press("shift+tab")
        assert app.focused is main.feeds


async def test_keys_typed_right_after_slash_land_in_the_search_bar(
    store: Store, make_app: App
) -> None:
    add_articles(store, 6)
    app = make_app()
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        # A fast typist: the keys arrive in one burst, before any of them is handled.
        for key, char in [("z", "z"), ("slash", "/"), *((c, c) for c in "tomahawk1")]:
            app.post_message(events.Key(key, char))
        await pilot.pause(0.5)
        await settle(app, pilot)
        main = app.main
        assert main.search_bar.value == "tomahawk1"
        assert app.focused is main.search_bar
        assert opened == []  # the "o" did not reach the list as "open in browser"
        # The results are listed: searching leaves full-screen reading.
        assert not main.has_class("-full-article")
        assert main.articles.searching and main.articles.count == 2


async def test_f_is_one_state_that_holds_at_every_width(store: Store, make_app: App) -> None:
    add_articles(store, 3)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        feeds = app.main.feeds
        assert feeds.region.width > 0
        await pilot.press("f")  # hidden in a wide terminal ...
        await pilot.pause()
        assert feeds.region.width == 0
        await pilot.resize_terminal(80, 24)  # ... stays hidden in a narrow one ...
        await pilot.pause()
        assert feeds.region.height == 0
        await pilot.resize_terminal(120, 35)  # ... and when it is wide again
        await pilot.pause()
        assert feeds.region.width == 0
        await pilot.press("f")
        await pilot.pause()
        assert feeds.region.width > 0
        await pilot.resize_terminal(80, 24)  # shown stays shown, narrow too
        await pilot.pause()
        assert feeds.region.height > 0
        await pilot.press("f")
        await pilot.pause()
        assert feeds.region.height == 0
        assert app.focused is app.main.articles  # not left in a hidden pane


async def test_a_saved_search_follows_writes_of_another_process(
    store: Store, tmp_path: Path, monkeypatch: object
) -> None:
    from newsreader.tui.screens import main as main_module

    monkeypatch.setattr(main_module, "POLL_SECONDS", 0.2)  # type: ignore[attr-defined]
    feed_id = add_articles(store, 6)  # "tomahawk1" is in articles 1 and 4
    searches = '\n[[search]]\nname = "Missiles"\nquery = "tomahawk1"\n'
    config = write_config(tmp_path / "feeds.toml", searches)
    app = NewsreaderApp(AppContext(config=config, store=store), clock=lambda: NOW)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        feeds, listing = app.main.feeds, app.main.articles
        feeds.focus()
        feeds.highlighted = feed_rows(app).index("search:Missiles")
        await settle(app, pilot)
        assert listing.hits is not None and listing.count == 2
        listing.focus()
        await pilot.press("j")  # on the second hit
        second = listing.current
        assert second is not None
        # A cron refresh stores a newer matching article; a CLI `mark` reads an old one.
        assert store.path is not None
        other = Store.open(store.path)
        try:
            other.upsert_articles(
                feed_id,
                [
                    NewArticle(
                        key="elsewhere",
                        title="Written elsewhere",
                        published=NOW + timedelta(minutes=5),
                        content="Text.",
                        content_type=ContentType.MARKDOWN,
                        body="Text.",
                        text="Written elsewhere tomahawk1",
                    )
                ],
            )
            other.set_read([second.id], read=True)
        finally:
            other.close()
        began = time.monotonic()
        while listing.count != 3 and time.monotonic() - began < 6:
            await asyncio.sleep(0.1)
        await settle(app, pilot)
        assert listing.count == 3, "the saved search did not notice the other process's write"
        assert listing.hits is not None and listing.hits[0].title == "Written elsewhere"
        assert listing.current is not None and listing.current.id == second.id  # kept
        assert listing.current.read
        saved = feeds.view_for("search:Missiles")
        assert saved is not None and saved.unread == 2


async def test_deleting_a_saved_search_asks_first(store: Store, tmp_path: Path) -> None:
    from newsreader.config import load_config

    add_articles(store, 3)
    path = tmp_path / "feeds.toml"
    config = write_config(path, '\n[[search]]\nname = "Missiles"\nquery = "tomahawk1"\n')
    app = NewsreaderApp(AppContext(config=config, store=store), clock=lambda: NOW)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        feeds = app.main.feeds
        feeds.focus()
        feeds.highlighted = feed_rows(app).index("search:Missiles")
        await settle(app, pilot)
        for answer in ("n", "escape"):
            await pilot.press("D")
            await pilot.pause()
            assert app.screen is not app.main  # a question, not a deletion
            assert "Delete the saved search “Missiles”" in str(
                app.screen.query_one("Label").render()
            )
            await pilot.press(answer)
            await settle(app, pilot)
            assert app.screen is app.main
            assert [s.name for s in load_config(path).searches] == ["Missiles"], answer
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert load_config(path).searches == ()
        assert feeds.view_for("search:Missiles") is None
        # The list shows the view highlighted now, not the deleted search's articles.
        assert feeds.current.key == "all"
        assert not app.main.articles.searching
        assert app.main.articles.border_title == "All articles"


async def test_t_on_an_article_without_headings_says_so(store: Store, make_app: App) -> None:
    from newsreader.model import FeedKind

    feed = store.ensure_feed("https://plain.example/feed", "Plain", FeedKind.FEED, ())
    store.upsert_articles(
        feed.id,
        [
            NewArticle(
                key="plain",
                title="No headings here",
                published=NOW,
                content="Just one paragraph.",
                content_type=ContentType.MARKDOWN,
                body="Just one paragraph.",
                text="Just one paragraph.",
            )
        ],
    )
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.main.pane.article is not None
        await pilot.press("t")
        await pilot.pause()
        assert any("no section headings" in n for n in notes(app)), notes(app)


async def test_f_while_reading_full_screen_brings_the_feed_list(
    store: Store, make_app: App
) -> None:
    add_articles(store, 3)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("z")
        await pilot.pause()
        assert app.main.feeds.region.width == 0
        await pilot.press("f")
        await pilot.pause()
        assert app.main.feeds.region.width > 0
        assert app.focused is app.main.feeds


async def test_keys_typed_right_after_enter_or_esc_in_the_search_bar_go_to_the_list(
    store: Store, make_app: App
) -> None:
    add_articles(store, 6)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        main = app.main

        def burst(*keys: str) -> None:
            named = {"slash": "/", "enter": "\r", "escape": "\x1b"}
            for key in keys:
                app.post_message(events.Key(key, named.get(key, key)))

        # Enter then j at once: the j moves in the results, it is not typed into the query.
        burst("slash", *"tomahawk1", "enter", "j")
        await pilot.pause(0.5)
        await settle(app, pilot)
        assert main.search_bar.value == "tomahawk1"
        assert app.focused is main.articles
        # Esc then j at once: the search is left and the j moves in the list.
        burst("slash", "escape", "j")
        await pilot.pause(0.5)
        await settle(app, pilot)
        assert main.search_bar.value == ""
        assert not main.articles.searching
        assert app.focused is main.articles
        assert main.articles.cursor == 1


async def test_a_key_typed_right_after_esc_in_the_article_moves_the_list(
    store: Store, make_app: App
) -> None:
    add_articles(store, 6)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("tab")
        main = app.main
        assert app.focused is main.pane.scroller
        for key, char in [("escape", "\x1b"), ("j", "j")]:
            app.post_message(events.Key(key, char))
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert app.focused is main.articles
        assert main.articles.cursor == 1
        assert main.pane.scroller.scroll_y == 0  # the j did not scroll the article


async def test_the_help_scrolls_with_the_keys_that_move_elsewhere(
    store: Store, make_app: App
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        box = app.screen.query_one("#help-box")
        assert box.max_scroll_y > 0  # more keys than rows at 80x24
        await pilot.press("j", "j")
        await pilot.pause()
        assert box.scroll_y == 2
        await pilot.press("k")
        await pilot.pause()
        assert box.scroll_y == 1
        await pilot.press("G")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert box.scroll_y == 0


async def test_keys_for_the_highlighted_article_say_so_in_an_empty_view(
    store: Store, make_app: App
) -> None:
    add_articles(store, 2)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        feeds = app.main.feeds
        feeds.focus()
        feeds.highlighted = feed_rows(app).index("starred")  # nothing starred: empty
        await settle(app, pilot)
        app.main.articles.focus()
        await pilot.pause()
        assert app.main.articles.count == 0
        for key in ("s", "m", "o", "A"):
            app.clear_notifications()
            await pilot.press(key)
            await pilot.pause()
            assert any(n.startswith("No article here") for n in notes(app)), (key, notes(app))


async def test_a_key_typed_right_after_enter_on_a_feed_moves_its_articles(
    store: Store, make_app: App
) -> None:
    add_articles(store, 6)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        main = app.main
        main.feeds.focus()
        await pilot.pause()
        await pilot.press("j")  # Unread
        await settle(app, pilot)
        assert main.feeds.current.key == "unread"
        for key, char in [("enter", "\r"), ("j", "j")]:
            app.post_message(events.Key(key, char))
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert main.feeds.current.key == "unread"  # the j did not move the feed list
        assert app.focused is main.articles
        assert main.articles.cursor == 1
