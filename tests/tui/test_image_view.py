"""The inline picture widget alone, in a tiny app, loading from a real HTTP server."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from PIL import Image
from pytest_httpserver import HTTPServer
from rich.color import Color
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import Static

from newsreader.images.cache import ImageCache
from newsreader.images.loader import ImageLoader, ImageResult
from newsreader.images.refs import ImageRef
from newsreader.tui.image_view import ImageView, detect_image_mode

RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)


def quadrants() -> bytes:
    """An 8 x 4 PNG: red, green on top; blue, white below."""
    image = Image.new("RGB", (8, 4), WHITE)
    image.paste(RED, (0, 0, 4, 2))
    image.paste(GREEN, (4, 0, 8, 2))
    image.paste(BLUE, (0, 2, 4, 4))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class PictureApp(App[None]):
    def __init__(self, ref: ImageRef, loader: ImageLoader, gate: asyncio.Event) -> None:
        super().__init__()
        self.ref = ref
        self.loader = loader
        self.gate = gate
        self.drawn: list[ImageView.Drawn] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Text above the picture.")
            yield ImageView(self.ref, "blocks", max_height=10, id="picture")
            yield Static("Text below the picture.")

    def on_mount(self) -> None:
        self.query_one(ImageView).load_with(self.load)

    async def load(self, url: str, box: tuple[int, int]) -> ImageResult:
        await self.gate.wait()  # hold the picture back, as a slow network would
        return await self.loader.load(url, box)

    def on_image_view_drawn(self, message: ImageView.Drawn) -> None:
        self.drawn.append(message)


async def until(condition: object, pilot: object, tries: int = 500) -> None:
    for _ in range(tries):
        if callable(condition) and condition():
            return
        await pilot.pause(0.02)  # type: ignore[attr-defined]
    raise AssertionError("condition never became true")


def test_detect_image_mode_honours_the_setting_and_tmux() -> None:
    assert detect_image_mode("off") == "off"
    assert detect_image_mode("kitty") == "kitty"
    assert detect_image_mode("sixel") == "sixel"
    assert detect_image_mode("blocks") == "blocks"
    assert detect_image_mode("auto", {"TMUX": "/tmp/tmux-0/default,1,0"}) == "blocks"
    # Not a terminal (the tests' stdout): textual-image finds no graphics protocol.
    assert detect_image_mode("auto", {"TERM": "xterm-256color"}) == "blocks"


async def test_placeholder_first_then_the_picture_in_half_blocks(
    server: HTTPServer, tmp_path: Path
) -> None:
    server.expect_request("/q.png").respond_with_data(quadrants(), content_type="image/png")
    ref = ImageRef(0, server.url_for("/q.png"), alt="Four colours", title="A test card")
    gate = asyncio.Event()
    async with ImageLoader(ImageCache(tmp_path / "images")) as loader:
        app = PictureApp(ref, loader, gate)
        async with app.run_test(size=(40, 20)) as pilot:
            await pilot.pause()
            view = app.query_one(ImageView)
            placeholder = view.query_one(".image-placeholder", Static)
            assert placeholder.region.height == view.placeholder_rows()  # 40 cols at 16:9
            assert view.placeholder_rows() == 10  # capped by max_height
            assert not view.query(".image-picture")
            caption = view.query_one(".image-caption", Static)
            assert str(caption.render()) == "A test card"

            gate.set()
            await until(lambda: app.drawn, pilot)
            assert app.drawn[0].error == ""
            assert not view.query(".image-placeholder")
            picture = view.query_one(".image-picture")
            # Never enlarged: 8 x 4 pixels are 8 columns by 2 rows of half-blocks.
            assert (picture.region.width, picture.region.height) == (8, 2)
            assert caption.region.y == picture.region.bottom  # the caption is under it

            lines = picture.render_lines(Region(0, 0, 8, 2))
            cells = [
                [(seg.text, seg.style.color, seg.style.bgcolor) for seg in line if seg.style]
                for line in lines
            ]
            triplet = Color.from_rgb
            expected_rows = [
                [("▀", triplet(*RED), triplet(*RED))] * 4
                + [("▀", triplet(*GREEN), triplet(*GREEN))] * 4,
                [("▀", triplet(*BLUE), triplet(*BLUE))] * 4
                + [("▀", triplet(*WHITE), triplet(*WHITE))] * 4,
            ]
            got = [
                [(text, color, bgcolor) for text, color, bgcolor in row if text] for row in cells
            ]
            assert got == expected_rows

            # The long-article body's lines show the same cells (neighbours of one colour
            # share a segment there).
            from newsreader.tui.image_view import picture_strips

            assert view.drawn
            strips = picture_strips(Image.open(io.BytesIO(quadrants())), 8, 2)
            assert [strip.cell_length for strip in strips] == [8, 8]
            assert [
                [(cell, seg.style.color, seg.style.bgcolor) for seg in strip for cell in seg.text]
                for strip in strips
            ] == expected_rows


async def test_a_failed_picture_shows_its_alt_text_and_why(
    server: HTTPServer, tmp_path: Path
) -> None:
    server.expect_request("/gone.png").respond_with_data("nope", status=404)
    ref = ImageRef(0, server.url_for("/gone.png"), alt="A chart of prices")
    gate = asyncio.Event()
    gate.set()
    async with ImageLoader(ImageCache(tmp_path / "images")) as loader:
        app = PictureApp(ref, loader, gate)
        async with app.run_test(size=(60, 20)) as pilot:
            await until(lambda: app.drawn, pilot)
            view = app.query_one(ImageView)
            text = str(view.query_one(".image-failed", Static).render())
            assert "A chart of prices" in text
            assert "404" in text
            assert not view.query(".image-placeholder")
            assert view.region.height <= 3  # the space kept for the picture is given back


async def test_images_off_shows_the_alt_text_and_fetches_nothing(
    server: HTTPServer, tmp_path: Path
) -> None:
    ref = ImageRef(0, server.url_for("/never.png"), alt="[bold]not markup[/]")

    class OffApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ImageView(ref, "off")

        def on_mount(self) -> None:
            self.query_one(ImageView).load_with(self.load)

        async def load(self, url: str, box: tuple[int, int]) -> ImageResult:
            raise AssertionError("nothing is loaded when images are off")

    app = OffApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        text = str(app.query_one(".image-failed", Static).render())
        assert text == "🖼 [bold]not markup[/]"
    assert not server.log


async def test_mount_images_places_each_picture_after_its_block(
    server: HTTPServer, tmp_path: Path
) -> None:
    from textual.widgets import Markdown

    from newsreader.images.refs import find_image_refs, without_images
    from newsreader.tui.image_view import mount_images

    server.expect_request("/q.png").respond_with_data(quadrants(), content_type="image/png")
    url = server.url_for("/q.png")
    article = (
        f"First paragraph.\n\n![one]({url})\n\nSecond paragraph ![two]({url}) inline.\n\n"
        "## A heading\n\nLast paragraph.\n"
    )
    refs = find_image_refs(article)

    class ArticleApp(App[None]):
        def compose(self) -> ComposeResult:
            with VerticalScroll():
                yield Markdown(id="body")

    async with ImageLoader(ImageCache(tmp_path / "images")) as loader:
        app = ArticleApp()
        async with app.run_test(size=(50, 40)) as pilot:
            body = app.query_one(Markdown)
            await body.update(without_images(article))
            views = await mount_images(body, refs, "blocks", loader.load, max_height=6)
            assert [view.id for view in views] == ["image-0", "image-1"]
            order = [
                child.id if isinstance(child, ImageView) else type(child).__name__
                for child in body.children
            ]
            assert order == [
                "MarkdownParagraph",
                "image-0",  # its own paragraph vanished with without_images
                "MarkdownParagraph",
                "image-1",  # after the paragraph that holds it
                "MarkdownH2",
                "MarkdownParagraph",
            ]
            await until(lambda: all(view.drawn for view in views), pilot)
            # Showing the next article removes the old pictures before mounting new ones.
            await body.update("Another article.")
            assert await mount_images(body, [], "blocks", loader.load) == []
            await pilot.pause()
            assert not body.query(ImageView)
