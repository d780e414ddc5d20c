"""``prefetch_images``: a refresh fetches the pictures of new articles into the image cache,
so that opening an article later finds them, even with the server gone."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from email.utils import formatdate
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import newsreader.image_prefetch as prefetch_module
from feed_server import conditional, start_server, stop_server
from fulltext_feeds import Entry, article_page, summary_feed
from image_samples import picture
from newsreader.cli import main
from newsreader.config import Config, load_config
from newsreader.context import sync_sources
from newsreader.image_prefetch import MAX_ARTICLES, picture_urls
from newsreader.images.cache import ImageCache
from newsreader.images.loader import ImageLoader
from newsreader.refresh import refresh
from newsreader.render import article_markdown, image_refs
from newsreader.store import ArticleFilter, Store

BOX = (40, 30)
PICTURES = {
    "red": picture("PNG", colour=(200, 30, 30)),
    "green": picture("PNG", colour=(30, 200, 30)),
    "grey": picture("PNG", colour=(90, 90, 90)),
}


@pytest.fixture
def own_server() -> Iterator[HTTPServer]:
    """A server of the test's own, which it may stop (the module's is shared)."""
    running = start_server()
    yield running
    stop_server(running)


def entry(server: HTTPServer, n: int, pictures: list[str]) -> str:
    images = "".join(
        f'&lt;p&gt;&lt;img src="{server.url_for(f"/pics/{name}.png")}" alt="{name}"&gt;&lt;/p&gt;'
        for name in pictures
    )
    return (
        f"<item><title>Post {n}</title><link>{server.url_for(f'/post/{n}')}</link>"
        f"<guid>post-{n}</guid><pubDate>{formatdate(1_700_000_000 + n * 60, usegmt=True)}</pubDate>"
        f"<description>&lt;p&gt;Words of post {n}.&lt;/p&gt;{images}</description></item>"
    )


def feed(server: HTTPServer, items: dict[int, list[str]]) -> bytes:
    entries = "".join(entry(server, n, names) for n, names in items.items())
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Pictures</title><link>{server.url_for('/')}</link>{entries}</channel></rss>"
    ).encode()


def serve(server: HTTPServer, items: dict[int, list[str]], hits: list[str]) -> str:
    """The feed of ``items`` (post number -> its pictures) and the PNG files; each picture
    request is noted in ``hits`` (its name)."""
    server.clear()
    server.expect_request("/feed.xml").respond_with_data(
        feed(server, items), content_type="application/rss+xml"
    )
    for name, body in PICTURES.items():
        server.expect_request(f"/pics/{name}.png").respond_with_handler(
            counted(conditional(body, "image/png"), name, hits)
        )
    return server.url_for("/feed.xml")


def counted(
    handler: Callable[[Request], Response], name: str, hits: list[str]
) -> Callable[[Request], Response]:
    def noted(request: Request) -> Response:
        hits.append(name)
        return handler(request)

    return noted


def configure(tmp_path: Path, store: Store, url: str, settings: str) -> Config:
    path = tmp_path / "feeds.toml"
    path.write_text(
        f"[settings]\nrefresh_on_start = false\ntimeout = 5\n{settings}\n"
        f'[[feeds]]\nurl = "{url}"\n',
        "utf-8",
    )
    config = load_config(path)
    sync_sources(store, config)
    return config


def pic(server: HTTPServer, name: str) -> str:
    return server.url_for(f"/pics/{name}.png")


async def test_a_refresh_fetches_new_articles_pictures_which_then_show_offline(
    own_server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    hits: list[str] = []
    # The grey picture stands in two articles: it is fetched once.
    url = serve(own_server, {1: ["red", "grey"], 2: ["green", "grey"], 3: []}, hits)
    config = configure(tmp_path, store, url, "prefetch_images = true")

    summary = await refresh(store, config)

    assert not summary.failures
    assert sorted(hits) == ["green", "grey", "red"]
    assert summary.pictures == 3
    cache = ImageCache()
    for name, body in PICTURES.items():
        cached = cache.get(pic(own_server, name))
        assert cached is not None, name
        assert cached.body == body and cached.content_type == "image/png"
    # The pictures fetched are the very ones the article view asks for.
    for summary_row in store.list_articles(ArticleFilter()):
        article = store.article(summary_row.id)
        assert article is not None
        wanted = [url for _, url in image_refs(article_markdown(None, article))]
        assert picture_urls(article) == wanted

    # Opening an article later, with the server gone: its pictures come from the cache.
    stop_server(own_server)
    async with ImageLoader() as loader:
        for name in PICTURES:
            shown = await loader.cached(pic(own_server, name), BOX)
            assert shown is not None and shown.ok, name
            assert shown.decoded is not None and shown.decoded.image.size == BOX


@pytest.mark.parametrize(
    "settings", ["", "prefetch_images = false", 'prefetch_images = true\nimages = "off"']
)
async def test_no_pictures_are_fetched_unless_asked_for(
    own_server: HTTPServer, store: Store, tmp_path: Path, settings: str
) -> None:
    hits: list[str] = []
    url = serve(own_server, {1: ["red"], 2: ["green"]}, hits)
    config = configure(tmp_path, store, url, settings)

    summary = await refresh(store, config)

    assert not summary.failures and summary.new == 2
    assert hits == [] and summary.pictures == 0
    assert ImageCache().get(pic(own_server, "red")) is None


async def test_a_missing_picture_does_not_fail_the_refresh_or_the_others(
    own_server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    hits: list[str] = []
    url = serve(own_server, {1: ["missing", "red"], 2: ["green"]}, hits)
    config = configure(tmp_path, store, url, "prefetch_images = true")

    summary = await refresh(store, config)

    assert not summary.failures and summary.new == 2
    assert sorted(hits) == ["green", "red"]
    assert summary.pictures == 2
    cache = ImageCache()
    assert cache.get(pic(own_server, "red")) is not None
    assert cache.get(pic(own_server, "green")) is not None
    assert cache.get(pic(own_server, "missing")) is None
    missing = [request for request, _ in own_server.log if request.path == "/pics/missing.png"]
    assert len(missing) == 1  # asked for once, answered 404


async def test_pictures_cached_already_are_not_asked_for_again(
    own_server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    hits: list[str] = []
    url = serve(own_server, {1: ["red"]}, hits)
    config = configure(tmp_path, store, url, "prefetch_images = true")
    await refresh(store, config)
    assert hits == ["red"]

    # A new post with the same picture and another one.
    serve(own_server, {1: ["red"], 2: ["red", "green"]}, hits)
    summary = await refresh(store, config)

    assert summary.new == 1 and summary.pictures == 1
    assert hits == ["red", "green"]


async def test_only_the_newest_unread_new_articles_are_looked_at(
    own_server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    hits: list[str] = []
    names = ["red", "green", "grey"]
    # The oldest posts carry the pictures; the newest MAX_ARTICLES carry none.
    items = {n: [names[n]] if n < len(names) else [] for n in range(MAX_ARTICLES + len(names))}
    url = serve(own_server, items, hits)
    config = configure(tmp_path, store, url, "prefetch_images = true")

    summary = await refresh(store, config)

    assert summary.new == MAX_ARTICLES + len(names)
    assert hits == [] and summary.pictures == 0


async def test_a_full_text_feed_gets_the_pictures_of_its_pages(
    own_server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    hits: list[str] = []
    page = own_server.url_for("/post/depot")
    own_server.expect_request("/post/depot").respond_with_data(
        article_page("Council weighs depot plan"), content_type="text/html; charset=utf-8"
    )
    own_server.expect_request("/images/chart.png").respond_with_handler(
        counted(conditional(PICTURES["red"], "image/png"), "chart", hits)
    )
    own_server.expect_request("/feed.xml").respond_with_data(
        summary_feed([Entry("depot", "Council weighs depot plan", page, "A plan. Read more")]),
        content_type="application/rss+xml",
    )
    url = own_server.url_for("/feed.xml")
    config = configure(tmp_path, store, url, "prefetch_images = true")
    with (tmp_path / "feeds.toml").open("a", encoding="utf-8") as out:
        out.write('full_text = "auto"\n')
    config = load_config(tmp_path / "feeds.toml")

    summary = await refresh(store, config)

    # The entry has no picture; the page it links to has one, fetched once the page is in.
    assert not summary.failures and hits == ["chart"] and summary.pictures == 1
    cached = ImageCache().get(own_server.url_for("/images/chart.png"))
    assert cached is not None and cached.body == PICTURES["red"]


def test_the_refresh_command_says_how_many_pictures_it_fetched(
    own_server: HTTPServer, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hits: list[str] = []
    url = serve(own_server, {1: ["red"], 2: ["green", "missing"]}, hits)
    config = isolated_home / "feeds.toml"
    config.write_text(
        f'[settings]\nrefresh_on_start = false\nprefetch_images = true\n[[feeds]]\nurl = "{url}"\n',
        "utf-8",
    )

    status = main(["refresh"])
    out, err = capsys.readouterr()

    assert status == 0, err
    assert "2 new, 0 updated, 0 unchanged, 0 failed, 2 picture(s) fetched" in out
    assert ImageCache().get(pic(own_server, "green")) is not None

    status = main(["refresh"])  # nothing new: no pictures, and the line says nothing of them
    out, _ = capsys.readouterr()
    assert status == 0 and "picture" not in out


async def test_pictures_take_a_share_of_the_concurrency_and_stop_at_the_refresh_cap(
    own_server: HTTPServer, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prefetch_module, "MAX_PER_REFRESH", 5)
    busy, most = [0], [0]
    lock = threading.Lock()

    def slow(request: Request) -> Response:
        with lock:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        time.sleep(0.2)
        with lock:
            busy[0] -= 1
        return Response(PICTURES["red"], content_type="image/png")

    own_server.expect_request("/feed.xml").respond_with_data(
        feed(own_server, {n: [f"p{n}a", f"p{n}b"] for n in range(6)}),
        content_type="application/rss+xml",
    )
    for n in range(6):
        for part in "ab":
            own_server.expect_request(f"/pics/p{n}{part}.png").respond_with_handler(slow)
    url = own_server.url_for("/feed.xml")
    # 8 fetches at once, 8 to a host: pictures take a quarter (2), and 2 to a host at most.
    settings = "prefetch_images = true\nconcurrency = 8\nper_host = 8"
    config = configure(tmp_path, store, url, settings)

    summary = await refresh(store, config)

    assert not summary.failures and summary.new == 6
    requested = [r.path for r, _ in own_server.log if r.path.startswith("/pics/")]
    # The newest articles' pictures first, five in all.
    assert sorted(requested) == sorted(
        ["/pics/p5a.png", "/pics/p5b.png", "/pics/p4a.png", "/pics/p4b.png", "/pics/p3a.png"]
    )
    assert summary.pictures == 5
    assert most[0] == 2


async def test_articles_the_filters_hide_or_mark_read_get_no_pictures(
    own_server: HTTPServer, store: Store, tmp_path: Path
) -> None:
    hits: list[str] = []
    url = serve(own_server, {1: ["red"], 2: ["green"], 3: ["grey"]}, hits)
    filters = (
        '[[filter]]\nquery = "title:\\"Post 1\\""\naction = "hide"\n'
        '[[filter]]\nquery = "title:\\"Post 2\\""\naction = "read"\n'
    )
    config = configure(tmp_path, store, url, "prefetch_images = true\n" + filters)

    summary = await refresh(store, config)

    assert not summary.failures and summary.new == 3
    assert hits == ["grey"] and summary.pictures == 1
