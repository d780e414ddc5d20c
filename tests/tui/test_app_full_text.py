"""``F`` in the app: the open article's page is fetched from 127.0.0.1 and shown in full."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer
from tui_helpers import NOW

from feed_server import conditional
from fulltext_feeds import Entry, article_page, configure, summary_feed
from newsreader.context import AppContext
from newsreader.refresh import refresh
from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp

SUMMARY = "The council weighs a plan for the old depot. Read more"


def notes_of(app: NewsreaderApp) -> list[str]:
    """Every notification's text, from now on."""
    notes: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: object) -> None:
        notes.append(message)
        original(message, **kwargs)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    return notes


def outline_of(app: NewsreaderApp) -> list[str]:
    outline = app.main.pane.outline
    return [str(outline.get_option_at_index(i).prompt) for i in range(outline.option_count)]


async def open_titled(app: NewsreaderApp, pilot: object, title: str) -> None:
    """Move down the list to the article called ``title`` and open it with Enter."""
    await app.workers.wait_for_complete()
    listing = app.main.articles
    titles = [listing.article_at(r).title for r in range(listing.count)]  # type: ignore[union-attr]
    for _ in range(titles.index(title)):
        await pilot.press("j")  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    for _ in range(40):
        await pilot.pause(0.05)  # type: ignore[attr-defined]
        if app.main.pane.article is not None:
            break
    await app.workers.wait_for_complete()
    assert app.main.pane.article is not None
    assert app.main.pane.article.title == title


async def wait_for(pilot: object, condition: object) -> None:
    for _ in range(100):
        await pilot.pause(0.05)  # type: ignore[attr-defined]
        if condition():  # type: ignore[operator]
            return


async def test_f_fetches_the_page_and_shows_its_full_text(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    hits: list[str] = []
    server.expect_request("/post/depot").respond_with_handler(
        conditional(article_page("Depot").encode(), "text/html; charset=utf-8", hits=hits)
    )
    page = server.url_for("/post/depot")
    server.expect_request("/feed.xml").respond_with_data(
        summary_feed([Entry("depot", "Depot", page, SUMMARY)]),
        content_type="application/rss+xml",
    )
    config = configure(tmp_path, store, [(server.url_for("/feed.xml"), False)])
    await refresh(store, config)
    app = NewsreaderApp(AppContext(config=config, store=store), clock=lambda: NOW)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_titled(app, pilot, "Depot")
        assert "What the residents said" not in outline_of(app)
        notes = notes_of(app)
        await pilot.press("F")
        await wait_for(pilot, lambda: "What the residents said" in outline_of(app))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert hits, "the page was not requested"
        assert any(n.startswith("Full text fetched (") for n in notes), notes
        assert "What the residents said" in outline_of(app)
        assert app.main.pane.article is not None and app.main.pane.article.title == "Depot"
        # Asked again, the page is not fetched again.
        before = len(hits)
        await pilot.press("F")
        await wait_for(pilot, lambda: any("already fetched" in n for n in notes))
        assert any("already fetched" in n for n in notes), notes
        assert len(hits) == before


async def test_a_page_that_fails_is_said_and_the_summary_stays(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    server.expect_request("/post/gone").respond_with_data("down", status=500)
    page = server.url_for("/post/gone")
    server.expect_request("/feed.xml").respond_with_data(
        summary_feed([Entry("gone", "Gone", page, SUMMARY)]),
        content_type="application/rss+xml",
    )
    config = configure(tmp_path, store, [(server.url_for("/feed.xml"), False)])
    await refresh(store, config)
    app = NewsreaderApp(AppContext(config=config, store=store), clock=lambda: NOW)
    async with app.run_test(size=(120, 35)) as pilot:
        await open_titled(app, pilot, "Gone")
        notes = notes_of(app)
        await pilot.press("F")
        await wait_for(pilot, lambda: any(n.startswith("Could not fetch") for n in notes))
        assert any(n.startswith("Could not fetch the full text: ") for n in notes), notes
        assert app.main.pane.article is not None and app.main.pane.article.title == "Gone"
        await pilot.press("j", "k")  # still answering keys
        assert app.is_running


async def test_f_without_an_open_article_does_nothing(
    server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    server.expect_request("/feed.xml").respond_with_data(
        summary_feed([Entry("x", "X", server.url_for("/post/x"), SUMMARY)]),
        content_type="application/rss+xml",
    )
    config = configure(tmp_path, store, [(server.url_for("/feed.xml"), False)])
    await refresh(store, config)
    app = NewsreaderApp(AppContext(config=config, store=store), clock=lambda: NOW)
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        notes = notes_of(app)
        await pilot.press("F")
        await pilot.pause()
        await app.workers.wait_for_complete()
        # Nothing is fetched; the key says why it did nothing (it used to be silent).
        assert notes == ["No article is open: highlight one and press Enter."]
        assert not any(request.path == "/post/x" for request, _ in server.log)
