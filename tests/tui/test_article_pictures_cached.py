"""A cached picture is drawn at once, without waiting for the server: a stale copy is drawn
first, then asked about (a conditional GET), and drawn again only when it changed."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from datetime import timedelta

from PIL import Image
from pytest_httpserver import HTTPServer
from test_article_pictures import until
from tui_helpers import NOW
from werkzeug import Request, Response

from feed_server import conditional
from newsreader.images.cache import ImageCache
from newsreader.model import FeedKind, NewArticle
from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp

App = Callable[..., NewsreaderApp]


def png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), colour).save(out, format="PNG")
    return out.getvalue()


RED, BLUE = png((255, 0, 0)), png((0, 0, 255))


def add_article(store: Store, url: str) -> None:
    feed = store.ensure_feed("https://x.example/feed", "Feed", FeedKind.FEED)
    body = f"Text above the picture.\n\n![A card]({url})\n\nText below.\n"
    store.upsert_articles(
        feed.id,
        [NewArticle(key="p", title="Pictures", published=NOW - timedelta(hours=1), body=body)],
    )


def drawn_colours(app: NewsreaderApp) -> set[str]:
    """The colours of the half-blocks drawn in the body: "red", "blue"."""
    found: set[str] = set()
    for strip in app.main.pane.long_body.lines:
        for segment in strip:
            style = segment.style
            if segment.text[:1] == "▀" and style is not None and style.color is not None:
                red, _, blue = style.color.get_truecolor()
                found.add("red" if red > 200 else "blue" if blue > 200 else "other")
    return found


def cache_stale(url: str, body: bytes, etag: str) -> None:
    """``body`` in the app's picture cache, to be revalidated before it is trusted again."""
    ImageCache().put(url, body, "image/png", etag=etag, fresh_for=0)


async def test_a_stale_cached_picture_is_drawn_before_the_server_answers_then_replaced(
    store: Store, make_app: App, server: HTTPServer
) -> None:
    answer = threading.Event()
    asked: list[str | None] = []

    def slow(request: Request) -> Response:
        asked.append(request.headers.get("If-None-Match"))
        answer.wait(10)  # the server is slow: the cached copy must not wait for it
        return Response(BLUE, content_type="image/png", headers={"ETag": '"blue"'})

    server.expect_request("/card.png").respond_with_handler(slow)
    url = server.url_for("/card.png")
    cache_stale(url, RED, '"red"')
    add_article(store, url)
    app = make_app()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter")
            await until(lambda: drawn_colours(app) == {"red"}, pilot)
            assert not answer.is_set()  # drawn from the cache while the server says nothing
            await until(lambda: asked == ['"red"'], pilot)  # then asked about, conditionally
            answer.set()
            # It changed: the new picture replaces the cached copy where it stands.
            await until(lambda: drawn_colours(app) == {"blue"}, pilot)
            text = "\n".join(strip.text for strip in app.main.pane.long_body.lines)
            assert text.index("Text above") < text.index("🖼 A card") < text.index("Text below")
    finally:
        answer.set()
    entry = ImageCache().get(url)
    assert entry is not None and entry.body == BLUE and entry.etag == '"blue"'


async def test_an_unchanged_stale_picture_is_asked_about_and_not_drawn_again(
    store: Store, make_app: App, server: HTTPServer
) -> None:
    hits: list[str] = []
    server.expect_request("/card.png").respond_with_handler(
        conditional(RED, "image/png", hits=hits)
    )
    url = server.url_for("/card.png")
    from feed_server import etag_of

    cache_stale(url, RED, etag_of(RED))
    add_article(store, url)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        body = app.main.pane.long_body
        # (the body's drawing, picture): a new drawing (the pane's width settling as it
        # opens) draws its pictures anew, which is not what is counted here.
        drawn: list[tuple[int, int]] = []
        set_picture = body.set_picture

        def counted(index: int, *args: object, **kwargs: object) -> None:
            drawn.append((body.generation, index))
            set_picture(index, *args, **kwargs)  # type: ignore[arg-type]

        body.set_picture = counted  # type: ignore[method-assign]
        await pilot.press("enter")
        await until(lambda: drawn_colours(app) == {"red"}, pilot)
        await until(lambda: hits == ["304"], pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        # Once per drawing: the answer "not modified" draws nothing again.
        assert drawn and len(drawn) == len(set(drawn)), drawn
        assert drawn[-1] == (body.generation, 0)
        assert drawn_colours(app) == {"red"}


async def test_a_fresh_cached_picture_asks_nobody(
    store: Store, make_app: App, server: HTTPServer
) -> None:
    hits: list[str] = []
    server.expect_request("/card.png").respond_with_handler(
        conditional(BLUE, "image/png", hits=hits)
    )
    url = server.url_for("/card.png")
    ImageCache().put(url, RED, "image/png", etag='"red"', fresh_for=3600)
    add_article(store, url)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await until(lambda: drawn_colours(app) == {"red"}, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert drawn_colours(app) == {"red"}
    assert hits == []


async def test_stale_pictures_are_asked_about_once_every_picture_is_in(
    store: Store, make_app: App, server: HTTPServer
) -> None:
    """The conditional requests would take the event loop from the drawing: they wait for
    the last picture (here one the server is slow to send)."""
    answer = threading.Event()
    asked: list[str | None] = []

    def card(request: Request) -> Response:
        asked.append(request.headers.get("If-None-Match"))
        return Response(status=304, headers={"ETag": '"red"'})

    def slow(request: Request) -> Response:
        answer.wait(10)
        return Response(BLUE, content_type="image/png")

    server.expect_request("/card.png").respond_with_handler(card)
    server.expect_request("/slow.png").respond_with_handler(slow)
    url = server.url_for("/card.png")
    cache_stale(url, RED, '"red"')
    feed = store.ensure_feed("https://x.example/feed", "Feed", FeedKind.FEED)
    body = f"Above.\n\n![A card]({url})\n\n![Slow]({server.url_for('/slow.png')})\n\nBelow.\n"
    store.upsert_articles(
        feed.id,
        [NewArticle(key="p", title="Pictures", published=NOW - timedelta(hours=1), body=body)],
    )
    app = make_app()
    try:
        async with app.run_test(size=(120, 60)) as pilot:
            await pilot.press("enter")
            await until(lambda: "red" in drawn_colours(app), pilot)
            for _ in range(10):
                await pilot.pause(0.02)
            assert asked == []  # the slow picture is not in yet
            answer.set()
            await until(lambda: drawn_colours(app) == {"red", "blue"}, pilot)
            await until(lambda: asked == ['"red"'], pilot)
    finally:
        answer.set()
