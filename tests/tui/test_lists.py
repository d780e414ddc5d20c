"""The feed list, the article list and search: what they say and how the keys move in them."""

from __future__ import annotations

import socket
from datetime import timedelta
from pathlib import Path

import pytest
from tui_helpers import NOW, write_config

from newsreader.context import AppContext, sync_sources
from newsreader.store import ArticleFilter, Store
from newsreader.tui.app import NewsreaderApp

pytest.importorskip("pytest_httpserver")
from pytest_httpserver import HTTPServer

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local</title><link>http://127.0.0.1/</link>
<description>t</description>
<item><title>A story</title><link>http://127.0.0.1/1</link><guid>one</guid>
<pubDate>Fri, 27 Nov 2026 10:00:00 GMT</pubDate><description>Hello.</description></item>
</channel></rss>
"""


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _refresh_all(app: NewsreaderApp, pilot: object) -> None:
    await pilot.press("R")  # type: ignore[attr-defined]
    for _ in range(600):
        await pilot.pause(0.05)  # type: ignore[attr-defined]
        if not app.main.refresher.running and not app.sub_title.startswith("Refreshing"):
            break
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


async def test_refresh_where_every_feed_failed_says_so_and_keeps_the_last_time(
    store: Store, tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(
        RSS, content_type="application/rss+xml"
    )
    feeds = f'\n[[feeds]]\ntitle = "Up"\nurl = "{httpserver.url_for("/feed.xml")}"\n'
    config = write_config(tmp_path / "feeds.toml", feeds)
    sync_sources(store, config)
    clock_now = [NOW]

    def clock() -> object:
        return clock_now[0]

    app = NewsreaderApp(AppContext(config=config, store=store), clock=clock)  # type: ignore[arg-type]
    async with app.run_test(size=(120, 35)) as pilot:
        await _refresh_all(app, pilot)
        assert app.sub_title == "Updated 12:00"
        # Every feed now points at a port nobody listens on.
        port = closed_port()
        dead = "".join(
            f'\n[[feeds]]\ntitle = "Dead {n}"\nurl = "http://127.0.0.1:{port}/{n}.xml"\n'
            for n in range(2)
        )
        config = write_config(tmp_path / "dead.toml", dead)
        sync_sources(store, config)
        app.main.refresher.config = config
        clock_now[0] = NOW + timedelta(hours=1)
        notes: list[tuple[str, str]] = []
        original = app.notify

        def notify(message: str, **kwargs: object) -> None:
            notes.append((message, str(kwargs.get("title", ""))))
            original(message, **kwargs)  # type: ignore[arg-type]

        app.main.notify = notify  # type: ignore[method-assign]
        await _refresh_all(app, pilot)
        texts = [n for n, _ in notes]
        offline = "Offline: 2 of 2 feeds failed: connection refused"
        assert any(t.startswith(offline) for t in texts), notes
        assert not any(title == "Refreshed" for _, title in notes), notes
        assert app.sub_title == "Offline · updated 12:00"


async def test_tab_passes_the_search_bar_by(store: Store, make_app: object) -> None:
    from tui_helpers import add_articles

    add_articles(store, 5)
    app = make_app()  # type: ignore[operator]
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        bar = app.main.search_bar
        for key in ["tab"] * 6 + ["shift+tab"] * 6:
            await pilot.press(key)
            assert app.focused is not bar, key
        await pilot.press("k", "k")
        assert bar.value == ""
        assert not app.main.articles.searching
        await pilot.press("slash")
        assert app.focused is bar
        await pilot.press("w", "o")
        assert bar.value == "wo"
        await pilot.press("escape")
        assert app.focused is app.main.articles
        await pilot.press("tab")
        assert app.focused is not bar


async def test_first_launch_opens_the_newest_article(tmp_path: Path) -> None:
    from newsreader.context import open_context

    config = tmp_path / "feeds.toml"
    write_config(config)
    cache = str(tmp_path / "new" / "cache.db")
    ctx = open_context(str(config), cache)  # a fresh cache: the bundled guide is imported
    app = NewsreaderApp(ctx, clock=lambda: NOW)
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        article = app.main.pane.article
        newest = ctx.store.list_articles(limit=1)[0]
        assert article is not None and article.id == newest.id
    ctx.close()
    # The next launch opens on the list, as the user left it.
    ctx = open_context(str(config), cache)
    app = NewsreaderApp(ctx, clock=lambda: NOW)
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        assert app.main.pane.article is None
    ctx.close()


def _notes(app: NewsreaderApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_undo_after_its_window_says_why_nothing_happened(
    store: Store, make_app: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui_helpers import add_articles

    from newsreader.tui.screens import marking

    add_articles(store, 3)
    monkeypatch.setattr(marking, "UNDO_SECONDS", 0.2)
    app = make_app()  # type: ignore[operator]
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        await pilot.press("u")
        assert any(n.startswith("Nothing to undo") for n in _notes(app)), _notes(app)
        await pilot.press("A")
        await app.workers.wait_for_complete()
        await pilot.pause(0.4)
        app.clear_notifications()
        await pilot.press("u")
        await pilot.pause()
        assert any("undo window has passed" in n for n in _notes(app)), _notes(app)
        assert store.count_articles(ArticleFilter(unread=True)) == 0


async def test_an_unknown_theme_in_the_config_is_warned_about(store: Store, tmp_path: Path) -> None:
    config = write_config(tmp_path / "feeds.toml", theme="nope")
    app = NewsreaderApp(AppContext(config=config, store=store), clock=lambda: NOW)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        assert any('theme = "nope"' in n for n in _notes(app)), _notes(app)


async def test_feed_list_keys_g_G_and_k_at_the_top_stops(store: Store, make_app: object) -> None:
    from tui_helpers import add_articles

    add_articles(store, 3)
    add_articles(store, 2, feed_url="https://other.example/feed")
    app = make_app()  # type: ignore[operator]
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        feeds = app.main.feeds
        feeds.focus()
        await pilot.press("g")
        first = feeds.highlighted
        assert feeds.current.key == "all"
        await pilot.press("k")
        assert feeds.highlighted == first
        await pilot.press("G")
        last = feeds.highlighted
        assert last is not None and last > first
        assert feeds.current.kind == "feed"
        await pilot.press("j")
        assert feeds.highlighted == last
        await pilot.press("g")
        assert feeds.highlighted == first


def _feed_rows(app: NewsreaderApp) -> list[str]:
    feeds = app.main.feeds
    return [feeds.get_option_at_index(i).id or "" for i in range(feeds.option_count)]


async def test_tags_fold_and_unfold_and_stay_folded(store: Store, make_app: object) -> None:
    from tui_helpers import add_articles

    from newsreader.model import FeedKind

    feed_id = add_articles(store, 3)  # tagged "world"
    store.ensure_feed("https://news.example/feed", "Example News", FeedKind.FEED, ("world",))
    app = make_app()  # type: ignore[operator]
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        feeds = app.main.feeds
        feeds.focus()
        assert f"tag:world/feed:{feed_id}" in _feed_rows(app)
        feeds.highlighted = _feed_rows(app).index(f"tag:world/feed:{feed_id}")
        await pilot.press("left")  # folds the tag the feed is under, landing on the tag
        await pilot.pause()
        assert f"tag:world/feed:{feed_id}" not in _feed_rows(app)
        assert feeds.current.key == "tag:world"
        await pilot.press("enter")  # Enter on a tag unfolds it
        assert f"tag:world/feed:{feed_id}" in _feed_rows(app)
        await pilot.press("enter")
        assert f"tag:world/feed:{feed_id}" not in _feed_rows(app)
        await app.workers.wait_for_complete()
    app = make_app()  # type: ignore[operator]
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "tag:world" in _feed_rows(app)
        assert f"tag:world/feed:{feed_id}" not in _feed_rows(app)
        app.main.feeds.focus()
        app.main.feeds.highlighted = _feed_rows(app).index("tag:world")
        await pilot.press("right")
        assert f"tag:world/feed:{feed_id}" in _feed_rows(app)


async def test_hide_read_articles_is_a_remembered_toggle(store: Store, make_app: object) -> None:
    from tui_helpers import add_articles

    add_articles(store, 4)
    ids = [a.id for a in store.list_articles()]
    store.set_read(ids[:3], read=True)
    app = make_app()  # type: ignore[operator]
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.main.articles.count == 4
        await pilot.press("H")
        await pilot.pause()
        assert app.main.articles.count == 1
        assert "(unread)" in str(app.main.articles.border_title)
        await app.workers.wait_for_complete()
    app = make_app()  # type: ignore[operator]
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.main.articles.count == 1
        await pilot.press("H")
        await pilot.pause()
        assert app.main.articles.count == 4


async def test_a_feed_under_two_tags_counts_once_and_its_error_shows_in_the_list(
    store: Store, make_app: object
) -> None:
    from tui_helpers import add_articles

    from newsreader.model import FeedKind, FetchStatus

    feed_id = add_articles(store, 3)
    store.ensure_feed("https://news.example/feed", "Example News", FeedKind.FEED, ("a", "b"))
    store.record_fetch(feed_id, FetchStatus.ERROR, "host not found: news.example")
    app = make_app()  # type: ignore[operator]
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        all_view = app.main.feeds.view_for("all")
        assert all_view is not None and all_view.unread == 3 and all_view.total == 3
        # The reason is on a line of its own under the feed, not only in a tooltip.
        lines = [
            "".join(s.text for s in app.main.feeds.render_line(y)).strip()
            for y in range(app.main.feeds.size.height)
        ]
        assert any(line.startswith("host not found") for line in lines), lines


async def test_search_results_show_a_snippet_with_the_matched_words_marked(
    store: Store, make_app: object
) -> None:
    from newsreader.model import ContentType, FeedKind, NewArticle

    feed = store.ensure_feed("https://hostile.example/feed", "Hostile", FeedKind.FEED, ())
    store.upsert_articles(
        feed.id,
        [
            NewArticle(
                key="h1",
                title="A plain title",
                published=NOW - timedelta(hours=1),
                content="x",
                content_type=ContentType.TEXT,
                text="Before [b]zanzibar[/b] after.",
                link="https://hostile.example/1",
            )
        ],
    )
    app = make_app()  # type: ignore[operator]
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("slash", *"zanzib")
        for _ in range(40):
            await pilot.pause(0.05)
            if app.main.articles.searching and app.main.articles.count:
                break
        listing = app.main.articles
        assert listing.count == 1 and listing.lines_per_row == 2
        title = listing.render_line(0)
        snippet = listing.render_line(1)
        assert "A plain title" in title.text
        # Markup from the feed is drawn literally; the matched word is styled.
        assert "Before [b]zanzibar[/b] after." in snippet.text, snippet.text
        marked = [seg for seg in snippet if "zanzibar" in seg.text]
        plainer = [seg for seg in snippet if "Before" in seg.text]
        assert marked and plainer
        assert marked[0].text.strip() == "zanzibar"
        assert marked[0].style != plainer[0].style
        assert marked[0].style is not None and marked[0].style.bold


async def test_a_bad_query_says_what_is_wrong_in_the_bar(store: Store, make_app: object) -> None:
    from tui_helpers import add_articles

    add_articles(store, 5)
    app = make_app()  # type: ignore[operator]
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("slash", *"tomahawk")
        await pilot.pause(0.4)
        await app.workers.wait_for_complete()
        await pilot.pause()
        found = app.main.articles.count
        assert app.main.articles.searching and found > 0
        note = app.main.search_note
        assert not note.display
        await pilot.press(*" since:banana")
        await pilot.pause(0.4)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert note.display and note.has_class("-error")
        assert "since:banana" in str(note.render()) and "expected a date" in str(note.render())
        assert app.main.articles.count == found  # the last good results stay
        await pilot.press(*["backspace"] * len(" since:banana"))
        await pilot.pause(0.4)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not note.display
        await pilot.press("escape")
        assert not note.display and not app.main.articles.searching


async def test_the_search_bar_reads_qualifiers(store: Store, make_app: object) -> None:
    from tui_helpers import add_articles

    add_articles(store, 5)
    ids = [a.id for a in store.list_articles()]
    store.set_starred(ids[1:3], starred=True)
    app = make_app()  # type: ignore[operator]
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("slash", *"is:starred")
        await pilot.pause(0.4)
        await app.workers.wait_for_complete()
        await pilot.pause()
        listing = app.main.articles
        assert listing.searching and listing.hits is not None
        assert sorted(a.id for a in listing.hits) == sorted(ids[1:3])


async def test_saved_searches_are_views_with_unread_counts(store: Store, tmp_path: Path) -> None:
    from tui_helpers import add_articles

    add_articles(store, 6)  # "tomahawk1" is in articles 1 and 4
    ids = [a.id for a in store.list_articles()]
    store.set_read([ids[4]], read=True)
    searches = (
        '\n[[search]]\nname = "Missiles"\nquery = "tomahawk1"\n'
        '\n[[search]]\nname = "Starred words"\nquery = "is:starred words"\n'
    )
    config = write_config(tmp_path / "feeds.toml", searches)
    app = NewsreaderApp(AppContext(config=config, store=store), clock=lambda: NOW)
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        feeds = app.main.feeds
        saved = feeds.view_for("search:Missiles")
        assert saved is not None and saved.kind == "search" and saved.unread == 1
        assert feeds.view_for("search:Starred words") is not None
        feeds.focus()
        feeds.highlighted = _feed_rows(app).index("search:Missiles")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        listing = app.main.articles
        assert listing.hits is not None
        assert [a.id for a in listing.hits] == [ids[1], ids[4]]
        assert listing.border_title == "Missiles"


async def test_save_the_search_and_delete_a_saved_search(store: Store, tmp_path: Path) -> None:
    from tui_helpers import add_articles

    from newsreader.config import load_config

    add_articles(store, 6)
    path = tmp_path / "feeds.toml"
    config = write_config(path, "\n# my saved searches, keep this comment\n")
    app = NewsreaderApp(AppContext(config=config, store=store), clock=lambda: NOW)
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("slash", *"tomahawk1", "enter")
        await pilot.pause(0.4)
        await pilot.press("S")
        await pilot.pause()
        await pilot.press(*["backspace"] * 20, *"Missiles", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        saved = load_config(path).searches
        assert [(s.name, s.query) for s in saved] == [("Missiles", "tomahawk1")]
        assert "keep this comment" in path.read_text("utf-8")
        view = app.main.feeds.view_for("search:Missiles")
        assert view is not None and view.unread == 2
        app.main.feeds.focus()
        app.main.feeds.highlighted = _feed_rows(app).index("search:Missiles")
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")  # the deletion is confirmed
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert load_config(path).searches == ()
        assert app.main.feeds.view_for("search:Missiles") is None
        assert "keep this comment" in path.read_text("utf-8")
