"""Pictures in the article in Kitty mode: the picture is sent to the terminal through the
app's driver and shown by placeholder lines in the body; nothing from the feed is sent."""

from __future__ import annotations

import re
from datetime import timedelta

from pytest_httpserver import HTTPServer
from test_article_pictures import red_png, until
from tui_helpers import NOW

from newsreader.config import Config
from newsreader.context import AppContext
from newsreader.model import FeedKind, NewArticle
from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp

PLACEHOLDER = chr(0x10EEEE)
HOSTILE_ALT = "\x1b]0;pwned\x07 \\[b\\]bold\\[/b\\] \x1b_Gevil\x1b\\\\ card"


def add_articles(store: Store, server: HTTPServer) -> None:
    feed = store.ensure_feed("https://x.example/feed", "Feed", FeedKind.FEED)
    picture = server.url_for("/red.png")
    store.upsert_articles(
        feed.id,
        [
            NewArticle(
                key="p",
                title="Pictures",
                published=NOW - timedelta(hours=1),
                body=f"Text above.\n\n![{HOSTILE_ALT}]({picture})\n\nText below.\n",
            ),
            NewArticle(
                key="q", title="Plain", published=NOW - timedelta(hours=2), body="No pictures."
            ),
        ],
    )


async def test_kitty_mode_sends_the_picture_and_draws_placeholders(
    store: Store, config: Config, server: HTTPServer
) -> None:
    server.expect_request("/red.png").respond_with_data(red_png(), content_type="image/png")
    add_articles(store, server)
    app = NewsreaderApp(AppContext(config=config, store=store), lambda: NOW, image_mode="kitty")
    sent: list[str] = []
    app.main.pane.pictures.write = sent.append
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        body = app.main.pane.long_body
        await until(lambda: any(PLACEHOLDER in strip.text for strip in body.lines), pilot)
        placeholder_lines = [s for s in body.lines if PLACEHOLDER in s.text]
        # 40 x 20 pixels in 10 x 20 cells: 4 columns, 1 row.
        assert [line.text.count(PLACEHOLDER) for line in placeholder_lines] == [4]
        escapes = "".join(sent)
        commands = re.findall(r"\x1b_G([^;\x1b]*)(?:;[A-Za-z0-9+/=]*)?\x1b\\", escapes)
        assert commands[0].startswith("a=t,f=24,s=40,v=20")
        image_id = int(re.search(r"i=(\d+)", commands[0]).group(1))  # type: ignore[union-attr]
        assert f"a=p,U=1,i={image_id},c=4,r=1,q=2" in commands
        # Only graphics commands, and nothing of the article's text.
        assert re.sub(r"\x1b_G[^\x1b]*\x1b\\", "", escapes) == ""
        assert "pwned" not in escapes and "evil" not in escapes
        style = next(iter(placeholder_lines[0])).style
        assert style is not None and style.color is not None
        red, green, blue = style.color.get_truecolor()
        assert (red << 16) | (green << 8) | blue == image_id
        # The alt text under the picture is plain text: no escape reaches the screen.
        text = "\n".join(strip.text for strip in body.lines)
        assert "\x1b" not in text and "card" in text
        sent.clear()
        await pilot.press("j", "enter")  # the next article: the picture is freed
        await until(lambda: bool(sent), pilot)
        assert sent == [f"\x1b_Ga=d,d=I,i={image_id},q=2\x1b\\"]
