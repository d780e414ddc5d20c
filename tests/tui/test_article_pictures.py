"""Pictures in the opened article: a placeholder where each stands, then the picture in
half-blocks, the alt text and why when it fails; i hides them; images = "off" fetches nothing."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PIL import Image
from pytest_httpserver import HTTPServer
from tui_helpers import NOW, write_config

from newsreader.model import FeedKind, NewArticle
from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp

App = Callable[..., NewsreaderApp]


def red_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (255, 0, 0)).save(out, format="PNG")
    return out.getvalue()


def add_article(store: Store, server: HTTPServer) -> None:
    feed = store.ensure_feed("https://x.example/feed", "Feed", FeedKind.FEED)
    body = (
        "Text above the picture.\n\n"
        f"![A red card]({server.url_for('/red.png')})\n\n"
        "Text between.\n\n"
        f"![A lost chart]({server.url_for('/gone.png')})\n\n"
        "Text below.\n"
    )
    store.upsert_articles(
        feed.id,
        [NewArticle(key="p", title="Pictures", published=NOW - timedelta(hours=1), body=body)],
    )


def body_lines(app: NewsreaderApp) -> list[str]:
    return [strip.text.rstrip() for strip in app.main.pane.long_body.lines]


async def until(condition: Callable[[], bool], pilot: object, tries: int = 300) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)  # type: ignore[attr-defined]
    raise AssertionError("condition never became true")


def has_red_blocks(app: NewsreaderApp) -> bool:
    for strip in app.main.pane.long_body.lines:
        for segment in strip:
            style = segment.style
            if (
                segment.text[:1] in ("▀", "▄", "█")
                and style is not None
                and style.color is not None
                and style.color.get_truecolor()[0] > 200
            ):
                return True
    return False


async def test_pictures_placeholder_then_drawn_failure_says_why_and_i_hides(
    store: Store, make_app: App, server: HTTPServer
) -> None:
    server.expect_request("/red.png").respond_with_data(red_png(), content_type="image/png")
    server.expect_request("/gone.png").respond_with_data("nope", status=404)
    add_article(store, server)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert not server.log  # nothing fetched before an article is opened
        await pilot.press("enter")
        await until(lambda: bool(app.main.pane.long_body.lines), pilot)
        lines = body_lines(app)
        text = "\n".join(lines)
        # Where each picture stands: its placeholder and caption, between the paragraphs.
        assert text.index("Text above") < text.index("🖼 A red card") < text.index("Text between")
        assert text.index("Text between") < text.index("🖼 A lost chart") < text.index("Text below")
        await until(lambda: has_red_blocks(app), pilot)
        await until(lambda: any("A lost chart (" in line for line in body_lines(app)), pilot)
        # A picture that will not be drawn leaves no empty space: its caption follows the text.
        lines = body_lines(app)
        lost = next(y for y, line in enumerate(lines) if "A lost chart (" in line)
        assert lines[lost - 2] == "Text between."
        assert len(server.log) == 2
        await pilot.press("i")
        await until(lambda: bool(app.main.pane.long_body.lines), pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not has_red_blocks(app)
        assert "🌆 A red card" in body_lines(app)  # Rich's own stand-in for an image


async def test_images_off_fetches_nothing(
    store: Store, make_app: App, server: HTTPServer, tmp_path: Path
) -> None:
    server.expect_request("/red.png").respond_with_data(red_png(), content_type="image/png")
    add_article(store, server)
    app = make_app(write_config(tmp_path / "off.toml", images="off"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        assert body_lines(app)
        assert not has_red_blocks(app)
    assert not server.log
