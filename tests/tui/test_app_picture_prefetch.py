"""A picture fetched during a refresh (``prefetch_images``) is drawn in the app when its article
opens, with the server gone."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from test_article_pictures import has_red_blocks, until
from tui_helpers import write_config

from feed_server import start_server, stop_server
from newsreader.refresh import refresh
from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp

App = Callable[..., NewsreaderApp]


def red_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (255, 0, 0)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("prefetch", [True, False])
async def test_a_prefetched_picture_is_drawn_offline(
    store: Store, make_app: App, tmp_path: Path, prefetch: bool
) -> None:
    server = start_server()
    try:
        picture = server.url_for("/red.png")
        server.expect_request("/red.png").respond_with_data(red_png(), content_type="image/png")
        server.expect_request("/feed.xml").respond_with_data(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Cards</title>'
            f"<link>{server.url_for('/')}</link><item><title>A card</title>"
            f"<link>{server.url_for('/card')}</link><guid>card</guid>"
            "<description>&lt;p&gt;Text above the picture.&lt;/p&gt;"
            f'&lt;p&gt;&lt;img src="{picture}" alt="A red card"&gt;&lt;/p&gt;'
            "&lt;p&gt;Text below.&lt;/p&gt;</description></item></channel></rss>",
            content_type="application/rss+xml",
        )
        feeds = f'[[feeds]]\nurl = "{server.url_for("/feed.xml")}"\n'
        config = write_config(tmp_path / "feeds.toml", feeds, prefetch_images=prefetch)
        from newsreader.context import sync_sources

        sync_sources(store, config)
        summary = await refresh(store, config)
        assert summary.new == 1 and summary.pictures == (1 if prefetch else 0)
    finally:
        stop_server(server)  # offline from here on

    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await until(
            lambda: any("Text below" in strip.text for strip in app.main.pane.long_body.lines),
            pilot,
        )
        if prefetch:
            await until(lambda: has_red_blocks(app), pilot)
        else:  # nothing to draw it from: its caption says why
            await until(
                lambda: any(
                    "A red card (" in strip.text for strip in app.main.pane.long_body.lines
                ),
                pilot,
            )
            assert not has_red_blocks(app)
