"""Pilot tests of the reading app: navigation, reading, state, search, sections, keys."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from tui_helpers import NOW, add_articles, import_seed, write_config

from newsreader.model import FeedKind, NewArticle
from newsreader.store import ArticleFilter, Store
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.palette import ActionsProvider
from newsreader.tui.widgets.article_list import ArticleList

App = Callable[..., NewsreaderApp]


def row_text(listing: ArticleList, y: int) -> str:
    return listing.render_line(y).text


async def settle(app: NewsreaderApp, pilot: object) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


async def test_starts_on_the_newest_article_with_the_list_focused(
    store: Store, make_app: App
) -> None:
    add_articles(store, 30)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        assert app.focused is app.main.articles
        assert app.main.articles.cursor == 0
        assert app.main.articles.current is not None
        assert app.main.articles.current.title == "Article number 0"
        assert app.main.articles.count == 30
        assert "Article number 0" in row_text(app.main.articles, 0)
        assert app.main.pane.article is None
        assert [v.key for v in app.main.feeds.views][:3] == ["all", "unread", "starred"]


async def test_moving_and_opening_marks_read(store: Store, make_app: App) -> None:
    add_articles(store, 30)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("j", "down", "j", "k")
        assert app.main.articles.cursor == 2
        await pilot.press("G")
        assert app.main.articles.cursor == 29
        await pilot.press("g", "j", "enter")
        await settle(app, pilot)
        opened = app.main.pane.article
        assert opened is not None and opened.title == "Article number 1"
        assert store.article(opened.id).read  # type: ignore[union-attr]
        assert "●" not in row_text(app.main.articles, 1)[:2]
        assert app.focused is app.main.articles


async def test_star_and_read_toggles_reach_the_store(store: Store, make_app: App) -> None:
    add_articles(store, 5)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        first = app.main.articles.current
        assert first is not None
        await pilot.press("s")
        await settle(app, pilot)
        assert store.article(first.id).starred  # type: ignore[union-attr]
        assert "★" in row_text(app.main.articles, 0)
        await pilot.press("m")
        await settle(app, pilot)
        assert store.article(first.id).read  # type: ignore[union-attr]
        await pilot.press("m", "s")
        await settle(app, pilot)
        article = store.article(first.id)
        assert article is not None and not article.read and not article.starred


async def test_mark_all_read_and_undo(store: Store, make_app: App) -> None:
    add_articles(store, 12)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("A")
        await settle(app, pilot)
        assert store.count_articles(ArticleFilter(unread=True)) == 0
        assert app.main.check_action("undo", ()) is True
        await pilot.press("u")
        await settle(app, pilot)
        assert store.count_articles(ArticleFilter(unread=True)) == 12
        assert app.main.check_action("undo", ()) is False


async def test_next_and_previous_unread(store: Store, make_app: App) -> None:
    add_articles(store, 6)
    ids = [a.id for a in store.list_articles()]
    store.set_read([ids[1], ids[2]], read=True)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("n")
        await settle(app, pilot)
        assert app.main.pane.article is not None and app.main.pane.article.id == ids[0]
        await pilot.press("n")
        await settle(app, pilot)
        assert app.main.pane.article.id == ids[3]
        assert app.main.articles.cursor == 3
        await pilot.press("m")  # back to unread
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert app.main.pane.article.id == ids[4]
        await pilot.press("p")
        await settle(app, pilot)
        assert app.main.pane.article.id == ids[3]
        await pilot.press("p")
        await settle(app, pilot)
        assert app.main.pane.article.id == ids[3]  # nothing unread above: stays


async def test_search_as_you_type_enter_and_escape(store: Store, make_app: App) -> None:
    add_articles(store, 30)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("j", "j")
        await pilot.press("slash")
        assert app.focused is app.main.search_bar
        await pilot.press(*"tomahawk1")
        await pilot.pause(0.4)
        await settle(app, pilot)
        assert app.main.articles.searching
        assert app.main.articles.count == 10
        assert all(int(a.title.split()[-1]) % 3 == 1 for a in app.main.articles.hits or [])
        await pilot.press("enter")
        assert app.focused is app.main.articles
        await pilot.press("slash", "ctrl+a", *"zzzzqqq")
        await pilot.pause(0.4)
        await settle(app, pilot)
        assert app.main.articles.count == 0
        assert "No articles match" in row_text(app.main.articles, 1)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not app.main.articles.searching
        assert app.main.search_bar.value == ""
        assert app.main.articles.count == 30
        assert app.main.articles.cursor == 2
        assert app.focused is app.main.articles


async def test_section_jumps_scroll_headings_into_view(store: Store, make_app: App) -> None:
    add_articles(store, 3)
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        scroller = app.main.pane.scroller
        assert scroller.scroll_y == 0
        headings = app.main.pane._headings()
        assert len(headings) == 4
        for index in range(3):
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert app.main.pane._section == index
            top = headings[index].region.y
            assert scroller.region.y <= top < scroller.region.y + 2
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.main.pane._section == 1
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert scroller.scroll_y == 0
        await pilot.press("space")
        await pilot.pause()
        assert scroller.scroll_y > 0


async def test_seed_article_jumps_to_the_tomahawk_section(
    store: Store, make_app: App, shared_dir: Path, tmp_path: Path
) -> None:
    import_seed(store, shared_dir, tmp_path)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        labels = [str(o.prompt) for o in app.main.pane.outline.options]
        assert "The Tomahawk Missile Debate" in " ".join(labels)
        for _ in range(5):
            await pilot.press("right_square_bracket")
            await pilot.pause()
            heading = app.main.pane._headings()[app.main.pane._section]
            if "Tomahawk" in str(heading.source or ""):
                break
        visible = app.main.pane.scroller.region
        heading = next(h for h in app.main.pane._headings() if "Tomahawk" in str(h.source))
        assert visible.contains(heading.region.x, heading.region.y)


async def test_untrusted_text_is_shown_literally(store: Store, make_app: App) -> None:
    feed = store.ensure_feed("https://x.example/feed", "[b]Feed[/b]", FeedKind.FEED)
    store.upsert_articles(
        feed.id,
        [
            NewArticle(
                key="evil",
                title="[bold red]x[/] [link=https://evil.example]y\x1b[31m\x07",
                published=NOW - timedelta(hours=1),
                body="Body with [link=https://evil.example]markup[/link] and \x1b]52;c;AAAA\x07 text.",
                author="[i]Mallory[/i]",
            )
        ],
    )
    app = make_app()
    async with app.run_test(size=(140, 35)) as pilot:
        line = row_text(app.main.articles, 0)
        assert "[bold red]x[/] [link=https://evil" in line
        assert "\x1b" not in line and "\x07" not in line
        await pilot.press("enter")
        await settle(app, pilot)
        shown = "\n".join(
            strip.text
            for strip in app.screen._compositor.render_strips()  # type: ignore[attr-defined]
        )
        assert "[bold red]x[/]" in shown
        assert "[i]Mallory[/i]" in shown
        assert "[bold red]x[/] [link=https://evil.example]y" in shown
        assert "Body with [link=https://evil.example]markup[/link] and" in shown
        assert "\x1b" not in shown and "\x07" not in shown and "]52;" not in shown


async def test_keys_can_be_remapped_from_the_config(
    store: Store, make_app: App, tmp_path: Path
) -> None:
    add_articles(store, 3)
    path = tmp_path / "keys.toml"
    config = write_config(path)
    path.write_text(path.read_text() + '\n[keys]\ntoggle_star = "x"\n')
    from newsreader.config import load_config

    config = load_config(path)
    app = make_app(config)
    async with app.run_test(size=(120, 35)) as pilot:
        first = app.main.articles.current
        assert first is not None
        await pilot.press("x")
        await settle(app, pilot)
        assert store.article(first.id).starred  # type: ignore[union-attr]
        assert any(keys == "x" for keys, what in app.help_rows() if "Star" in what)


async def test_feed_list_views_and_failed_feed(store: Store, make_app: App) -> None:
    feed_id = add_articles(store, 4)
    other = store.ensure_feed("https://down.example/rss", "Down Feed", FeedKind.FEED)
    store.record_fetch(other.id, "error", "HTTP 500 from down.example")
    app = make_app()
    async with app.run_test(size=(140, 35)) as pilot:
        await settle(app, pilot)
        keys = [v.key for v in app.main.feeds.views]
        assert keys[:4] == ["all", "unread", "starred", "tag:world"]
        assert f"tag:world/feed:{feed_id}" in keys
        down = app.main.feeds.view_for(f"feed:{other.id}")
        assert down is not None and down.feed is not None and down.feed.failed
        app.main.feeds.focus()
        app.main.feeds.highlighted = keys.index(f"feed:{other.id}")
        await pilot.pause()
        assert app.main.articles.count == 0
        assert "failed" in row_text(app.main.articles, 1)
        app.main.feeds.highlighted = keys.index("starred")
        await pilot.pause()
        assert "No starred articles" in row_text(app.main.articles, 1)


async def test_links_open_only_http_urls(store: Store, make_app: App) -> None:
    add_articles(store, 2)
    app = make_app()
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.main.pane.links == ["https://example.com/one", "https://example.org/two"]
        await pilot.press("2", "o", "9")
        assert opened == ["https://example.org/two", "https://news.example/0"]


async def test_command_palette_lists_every_action(store: Store, make_app: App) -> None:
    add_articles(store, 1)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        titles = {hit.text async for hit in ActionsProvider(app.screen).discover()}
        for wanted in ("Refresh all", "Search", "Star / unstar", "Next section", "Quit"):
            assert wanted in titles
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.id == "help"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.id != "help"


async def test_narrow_terminal_hides_the_feed_list(store: Store, make_app: App) -> None:
    add_articles(store, 40)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.main.feeds.display or app.main.feeds.region.width == 0
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.main.pane.region.height > 5
        await pilot.press("f")
        await pilot.pause()
        assert app.main.feeds.region.height > 0


async def test_theme_is_remembered(store: Store, make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert store.get_meta("theme") == "nord"
    again = make_app()
    async with again.run_test(size=(100, 30)):
        assert again.theme == "nord"


async def test_quick_section_jumps_land_on_the_right_heading(store: Store, make_app: App) -> None:
    add_articles(store, 1)
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press(*["right_square_bracket"] * 3)
        await pilot.pause()
        heading = app.main.pane._headings()[2]
        assert app.main.pane.scroller.scroll_y == app.main.pane._y(heading)
        assert app.main.pane.scroller.region.contains(heading.region.x, heading.region.y)


async def test_outline_beside_wide_panes_and_toggles(store: Store, make_app: App) -> None:
    add_articles(store, 1)
    app = make_app()
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.main.pane.has_class("-outline-beside")
        assert not app.main.pane.has_class("-outline-hidden")
        assert app.main.pane.outline.option_count == 4
        await pilot.press("t")
        assert app.main.pane.has_class("-outline-hidden")
        await pilot.press("t")
        assert not app.main.pane.has_class("-outline-hidden")
