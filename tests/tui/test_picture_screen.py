"""The full-screen picture view: from I on the article or from the link picker, as large as
the screen allows, n/p through the article's pictures, o to the browser, Escape back."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PIL import Image
from pytest_httpserver import HTTPServer
from test_article_pictures import until
from tui_helpers import NOW, write_config

from newsreader.config import Config
from newsreader.context import AppContext
from newsreader.model import FeedKind, NewArticle
from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.screens.picture import PictureCells, PictureScreen

App = Callable[..., NewsreaderApp]


def png(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def serve_pictures(server: HTTPServer, store: Store) -> tuple[str, str]:
    wide, tall = server.url_for("/wide.png"), server.url_for("/tall.png")
    server.expect_request("/wide.png").respond_with_data(
        png((400, 100), (255, 0, 0)), content_type="image/png"
    )
    server.expect_request("/tall.png").respond_with_data(
        png((100, 400), (0, 0, 255)), content_type="image/png"
    )
    feed = store.ensure_feed("https://x.example/feed", "Feed", FeedKind.FEED)
    body = f"Intro.\n\n![A wide one]({wide})\n\nMiddle.\n\n![A tall one]({tall})\n\nEnd.\n"
    store.upsert_articles(
        feed.id,
        [NewArticle(key="p", title="Pictures", published=NOW - timedelta(hours=1), body=body)],
    )
    return wide, tall


def colours(app: NewsreaderApp) -> set[tuple[int, int, int]]:
    cells = app.screen.query_one(PictureCells)
    found = set()
    for strip in cells.strips:
        for segment in strip:
            for colour in (segment.style.color, segment.style.bgcolor) if segment.style else ():
                if colour is not None:
                    found.add(colour.get_truecolor())
    return found


async def test_picture_view_from_the_article_steps_and_opens_the_browser(
    store: Store, make_app: App, server: HTTPServer
) -> None:
    wide, tall = serve_pictures(server, store)
    app = make_app()
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await until(lambda: bool(app.main.pane.images), pilot)
        await pilot.press("I")
        await until(lambda: isinstance(app.screen, PictureScreen), pilot)
        screen = app.screen
        assert isinstance(screen, PictureScreen)
        await until(lambda: screen.shown_size is not None, pilot)
        # 400 x 100 pixels in half-blocks (1 x 2 pixels a cell) fitted to 100 columns.
        assert screen.shown_size == (100, 13)
        assert (255, 0, 0) in colours(app)
        assert "A wide one" in str(screen.query_one("#picture-title").render())
        await pilot.press("n")
        await until(lambda: screen.shown_size is not None and screen.index == 1, pilot)
        await until(lambda: (0, 0, 255) in colours(app), pilot)
        columns, rows = screen.shown_size  # type: ignore[misc]
        assert rows > 30 and columns < 40  # tall: as high as the frame allows
        await pilot.press("o")
        assert opened == [tall]
        await pilot.press("p")
        await until(lambda: screen.index == 0 and (255, 0, 0) in colours(app), pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PictureScreen)
        # From the link picker: the second picture (no links, so pictures are 1 and 2).
        await pilot.press("L", "2")
        await until(lambda: isinstance(app.screen, PictureScreen), pilot)
        assert app.screen.index == 1  # type: ignore[attr-defined]
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, PictureScreen)
    assert opened == [tall]
    assert wide


async def test_picture_view_in_kitty_mode_sends_and_frees_the_picture(
    store: Store, config: Config, server: HTTPServer
) -> None:
    serve_pictures(server, store)
    app = NewsreaderApp(AppContext(config=config, store=store), lambda: NOW, image_mode="kitty")
    sent: list[str] = []
    app.main.pane.pictures.write = sent.append
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await until(lambda: bool(app.main.pane.images), pilot)

        def shown_inline() -> set[str]:
            escapes = "".join(sent)
            placed = set(re.findall(r"a=p,U=1,i=(\d+)", escapes))
            return placed - set(re.findall(r"a=d,d=I,i=(\d+)", escapes))

        await until(lambda: len(shown_inline()) == 2, pilot, tries=1500)  # both pictures
        inline = shown_inline()
        sent.clear()
        await pilot.press("I")
        await until(lambda: bool(sent), pilot)
        screen = app.screen
        assert isinstance(screen, PictureScreen)
        (shown,) = re.findall(r"a=t,f=24,s=\d+,v=\d+,t=d,i=(\d+)", "".join(sent))
        assert shown not in inline
        # 400 x 100 pixels at 10 x 20 pixels a cell: 40 x 5 cells.
        assert screen.shown_size == (40, 5)
        assert f"a=p,U=1,i={shown},c=40,r=5,q=2" in "".join(sent)
        sent.clear()
        await pilot.press("escape")
        await pilot.pause()
        assert sent == [f"\x1b_Ga=d,d=I,i={shown},q=2\x1b\\"]


async def test_with_pictures_off_the_picker_opens_a_picture_in_the_browser(
    store: Store, server: HTTPServer, tmp_path: Path
) -> None:
    wide, _ = serve_pictures(server, store)
    config = write_config(tmp_path / "off.toml", images="off")
    app = NewsreaderApp(AppContext(config=config, store=store), lambda: NOW)
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await until(lambda: bool(app.main.pane.images), pilot)
        await pilot.press("L", "1")
        await pilot.pause()
        assert opened == [wide]
        assert not isinstance(app.screen, PictureScreen)
    assert not server.log


async def test_picture_view_in_sixel_mode_draws_sixel_data(
    store: Store, config: Config, server: HTTPServer
) -> None:
    from textual.geometry import Region
    from textual_image.widget import SixelImage

    serve_pictures(server, store)
    app = NewsreaderApp(AppContext(config=config, store=store), lambda: NOW, image_mode="sixel")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        await until(lambda: bool(app.main.pane.images), pilot)
        await pilot.press("I")
        await until(lambda: bool(app.screen.query(SixelImage)), pilot, tries=1500)
        screen = app.screen
        assert isinstance(screen, PictureScreen)
        # 400 x 100 pixels at 10 x 20 pixels a cell: 40 x 5 cells.
        assert screen.shown_size == (40, 5)
        await pilot.pause()
        inner = screen.query_one(SixelImage).children[0]
        lines = inner.render_lines(Region(0, 0, inner.size.width, inner.size.height))
        output = "".join(segment.text for line in lines for segment in line)
        # Sixel data (DCS ... q ... ST), placed with cursor moves; no text of the article.
        start = output.index("\x1bP")
        assert output.index("q", start) < output.index("\x1b\\", start)
        assert "A wide one" not in output and "wide.png" not in output
        assert set(re.sub(r"\x1bP.*?\x1b\\|\x1b\[\d+;\d+H", "", output, flags=re.S)) <= {" "}
