"""Refreshing from the app against a feed served on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import NOW, write_config

from newsreader.config import Config
from newsreader.context import AppContext, sync_sources
from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp

pytest.importorskip("pytest_httpserver")
from pytest_httpserver import HTTPServer

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Local News</title><link>http://127.0.0.1/</link><description>test</description>
<item><title>First local story</title><link>http://127.0.0.1/1</link><guid>local-1</guid>
<pubDate>Fri, 27 Nov 2026 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;.&lt;/p&gt;</description></item>
<item><title>Second local story</title><link>http://127.0.0.1/2</link><guid>local-2</guid>
<pubDate>Fri, 27 Nov 2026 11:00:00 GMT</pubDate>
<description>&lt;h2&gt;Part one&lt;/h2&gt;&lt;p&gt;Text.&lt;/p&gt;</description></item>
</channel></rss>
"""


def local_config(tmp_path: Path, url: str) -> Config:
    feeds = f'\n[[feeds]]\ntitle = "Local News"\nurl = "{url}"\ntags = ["local"]\n'
    return write_config(tmp_path / "local.toml", feeds)


async def test_refresh_all_fetches_stores_and_reports(
    store: Store, tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(
        RSS, content_type="application/rss+xml"
    )
    config = local_config(tmp_path, httpserver.url_for("/feed.xml"))
    sync_sources(store, config)
    app = NewsreaderApp(AppContext(config=config, store=store), clock=lambda: NOW)
    notes: list[str] = []
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        before = app.main.articles.count
        original = app.notify

        def notify(message: str, **kwargs: object) -> None:
            notes.append(message)
            original(message, **kwargs)  # type: ignore[arg-type]

        app.notify = notify  # type: ignore[method-assign]
        titles_seen: list[str] = []
        app.watch(app, "sub_title", lambda title: titles_seen.append(title), init=False)
        await pilot.press("R")
        for _ in range(100):
            await pilot.pause(0.05)
            if app.sub_title.startswith("Updated"):
                break
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.sub_title.startswith("Updated"), app.sub_title
        assert "Refreshing 1/1 feeds…" in titles_seen, titles_seen
        assert app.main.articles.count == before + 2
        titles = {app.main.articles.article_at(r).title for r in range(app.main.articles.count)}  # type: ignore[union-attr]
        assert {"First local story", "Second local story"} <= titles
        assert any("2 new" in note for note in notes), notes
        local = next(v for v in app.main.feeds.views if v.title == "Local News")
        assert local.unread == 2


async def test_failed_refresh_is_reported_and_shown(
    store: Store, tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/gone.xml").respond_with_data("nope", status=500)
    config = local_config(tmp_path, httpserver.url_for("/gone.xml"))
    sync_sources(store, config)
    app = NewsreaderApp(AppContext(config=config, store=store), clock=lambda: NOW)
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("R")
        for _ in range(100):
            await pilot.pause(0.05)
            if not app.sub_title.startswith("Refreshing"):
                break
        await app.workers.wait_for_complete()
        await pilot.pause()
        local = next(v for v in app.main.feeds.views if v.title == "Local News")
        assert local.feed is not None and local.feed.failed
        notices = [n.message for n in app._notifications]
        assert any("1 failed" in n and "Local News" in n for n in notices), notices
