"""Pictures in the article in Sixel mode: the picture's lines in the body are blank cells and
its last line on screen carries the Sixel data of exactly the rows on screen, placed by
cursor moves; half-blocks until the rows are encoded; nothing of the feed in the escapes."""

from __future__ import annotations

import io
import re
import threading
from datetime import timedelta

from PIL import Image
from pytest_httpserver import HTTPServer
from test_article_pictures import until
from test_article_pictures_kitty import HOSTILE_ALT
from textual.geometry import Region
from textual.strip import Strip
from tui_helpers import NOW

from newsreader.config import Config
from newsreader.context import AppContext
from newsreader.model import FeedKind, NewArticle
from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.widgets.long_article import LongArticleBody
from newsreader.tui.widgets.sixel_rows import ENCODER

CELL_HEIGHT = 20  # textual-image's cell size in tests: 10 x 20 pixels
# One control segment: (cursor move, Sixel image) for each row, then a cursor move back.
CONTROL = re.compile(r"((?:\x1b\[\d+;\d+H\x1bP0;0;0q\"1;1;\d+;\d+[^\x1b]*\x1b\\)+)\x1b\[\d+;\d+H")
DCS = re.compile(r"\x1b\[(\d+);(\d+)H\x1bP0;0;0q\"1;1;(\d+);(\d+)[^\x1b]*\x1b\\")


def halves_png() -> bytes:
    """200 x 200 pixels (20 x 10 cells): red above, blue below."""
    image = Image.new("RGB", (200, 200), (255, 0, 0))
    image.paste((0, 0, 255), (0, 100, 200, 200))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def add_article(store: Store, server: HTTPServer) -> None:
    feed = store.ensure_feed("https://x.example/feed", "Feed", FeedKind.FEED)
    after = "\n\n".join(f"Paragraph {n} after the picture." for n in range(60))
    body = f"Text above.\n\n![{HOSTILE_ALT}]({server.url_for('/halves.png')})\n\n{after}\n"
    store.upsert_articles(
        feed.id,
        [NewArticle(key="p", title="Pictures", published=NOW - timedelta(hours=1), body=body)],
    )


def visible_lines(body: LongArticleBody) -> tuple[Region, list[Strip]]:
    """The body's lines as the compositor asks for them: its part on screen."""
    geometry = body.screen.find_widget(body)
    region = geometry.region
    crop = region.intersection(geometry.clip).translate((-region.x, -region.y))
    return crop, body.render_lines(crop)


def controls(strip: Strip) -> list[str]:
    return [segment.text for segment in strip if segment.control]


async def test_sixel_picture_is_blank_lines_with_the_sixel_on_its_last_row(
    store: Store, config: Config, server: HTTPServer
) -> None:
    server.expect_request("/halves.png").respond_with_data(halves_png(), content_type="image/png")
    add_article(store, server)
    app = NewsreaderApp(AppContext(config=config, store=store), lambda: NOW, image_mode="sixel")
    sent: list[str] = []
    app.main.pane.pictures.write = sent.append
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        body = app.main.pane.long_body
        await until(lambda: bool(body.sixels), pilot, tries=1000)
        await pilot.pause()
        picture = body.sixels[0]
        first = body.pictures[0]
        assert (picture.columns, len(picture.rows)) == (20, 10)
        crop, strips = visible_lines(body)
        assert crop.y == 0 and crop.height > first + 10
        for y in range(first, first + 9):
            assert strips[y].text.strip(" ") == "" and not controls(strips[y]), y
        (control,) = controls(strips[first + 9])
        assert CONTROL.fullmatch(control)
        rows = DCS.findall(control)
        region = body.content_region
        # One Sixel image a row, each 200 x 20 pixels, at the rows of the picture on screen.
        assert [(int(r), int(c)) for r, c, _, _ in rows] == [
            (region.y + first + n + 1, region.x + 1) for n in range(10)
        ]
        assert {(int(w), int(h)) for _, _, w, h in rows} == {(200, CELL_HEIGHT)}
        # The cursor goes back to the end of the picture on its last row.
        assert control.endswith(f"\x1b[{region.y + first + 10};{region.x + 21}H")
        # The blank cells of the last row stand before and after the data, as wide as the line.
        text = "".join(segment.text for segment in strips[first + 9] if not segment.control)
        assert text.strip(" ") == "" and len(text) == crop.width
        # Nothing of the feed in the escapes: only pixels and cursor moves.
        assert "pwned" not in control and "evil" not in control and "card" not in control
        assert DCS.sub("", CONTROL.fullmatch(control).group(1)) == ""  # type: ignore[union-attr]
        # The caption under it is text, without escapes.
        caption = body.lines[first + body.picture_rows].text
        assert "card" in caption and "\x1b" not in caption
        assert not sent  # nothing goes to the terminal beside the lines
        assert all(not controls(s) for y, s in enumerate(strips) if y != first + 9)

        # Scrolled so that the picture is half above the top: the rows on screen only.
        top = app.main.pane._y(body) + first + 5
        app.main.pane.scroller.scroll_to(y=top, animate=False, immediate=True)
        await pilot.pause()
        crop, strips = visible_lines(body)
        assert crop.y == first + 5
        (control,) = controls(strips[first + 9 - crop.y])
        rows = DCS.findall(control)
        assert len(rows) == 5 and {(int(w), int(h)) for _, _, w, h in rows} == {(200, 20)}
        # Placed at the top of the visible part of the body.
        visible_top = body.screen.find_widget(body).clip.y
        assert [int(r) for r, _, _, _ in rows] == [visible_top + 1 + n for n in range(5)]
        # The lower half of the picture: the same encoded rows (nothing encoded again).
        assert re.findall(r"\x1bP.*?\x1b\\", control, flags=re.S) == list(picture.rows[5:])


async def test_half_blocks_until_the_sixel_rows_are_encoded(
    store: Store, config: Config, server: HTTPServer
) -> None:
    server.expect_request("/halves.png").respond_with_data(halves_png(), content_type="image/png")
    add_article(store, server)
    app = NewsreaderApp(AppContext(config=config, store=store), lambda: NOW, image_mode="sixel")
    gate = threading.Event()
    ENCODER.submit(gate.wait, 10)  # the encoder is busy until the gate opens
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter")
            body = app.main.pane.long_body
            await until(lambda: any("▀" in strip.text for strip in body.lines), pilot)
            assert not body.sixels
            _, strips = visible_lines(body)
            assert not any(controls(strip) for strip in strips)
            gate.set()
            await until(lambda: bool(body.sixels), pilot, tries=1000)
            assert not any("▀" in strip.text for strip in body.all_lines())
    finally:
        gate.set()


async def test_other_modes_send_no_sixel(store: Store, config: Config, server: HTTPServer) -> None:
    server.expect_request("/halves.png").respond_with_data(halves_png(), content_type="image/png")
    add_article(store, server)
    app = NewsreaderApp(AppContext(config=config, store=store), lambda: NOW, image_mode="blocks")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        body = app.main.pane.long_body
        await until(lambda: any("▀" in strip.text for strip in body.lines), pilot)
        await pilot.pause()
        _, strips = visible_lines(body)
        assert not body.sixels
        assert not any("\x1bP" in segment.text for strip in strips for segment in strip)


async def test_no_sixel_from_the_body_while_another_screen_is_on_top(
    store: Store, config: Config, server: HTTPServer
) -> None:
    server.expect_request("/halves.png").respond_with_data(halves_png(), content_type="image/png")
    add_article(store, server)
    app = NewsreaderApp(AppContext(config=config, store=store), lambda: NOW, image_mode="sixel")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        body = app.main.pane.long_body
        await until(lambda: bool(body.sixels), pilot, tries=1000)
        await pilot.pause()
        _, strips = visible_lines(body)
        assert sum(len(controls(strip)) for strip in strips) == 1
        await pilot.press("I")  # the picture full screen, over the article
        await until(lambda: app.screen is not body.screen, pilot)
        _, strips = visible_lines(body)
        assert not any(controls(strip) for strip in strips)
        await pilot.press("escape")
        await until(lambda: app.screen is body.screen, pilot)
        _, strips = visible_lines(body)
        assert sum(len(controls(strip)) for strip in strips) == 1
