"""Fetching, caching and decoding pictures against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from feed_server import conditional
from image_samples import HTML_PAGE, SVG, bomb_png, many_frames_gif, picture
from newsreader.images.cache import (
    MAX_FRESHNESS,
    ImageCache,
    clear_image_cache,
    freshness,
    image_cache_dir,
)
from newsreader.images.decode import MAX_PIXELS, UndrawableImage, decode_image
from newsreader.images.loader import MAX_IMAGE_BYTES, ImageLoader, ImageResult
from newsreader.images.policy import host_is_private
from newsreader.sources.addresses import private_address

BOX = (40, 40)


async def load(
    url: str, cache: ImageCache, page_url: str | None = None, **kwargs: object
) -> ImageResult:
    async with ImageLoader(cache, **kwargs) as loader:  # type: ignore[arg-type]
        return await loader.load(url, BOX, page_url)


@pytest.fixture
def cache(tmp_path: Path) -> ImageCache:
    return ImageCache(tmp_path / "images")


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "GIF", "WEBP"])
async def test_each_format_is_fetched_decoded_and_fitted_to_the_box(
    server: HTTPServer, cache: ImageCache, kind: str
) -> None:
    server.expect_request("/pic").respond_with_data(
        picture(kind, (400, 200)), content_type=f"image/{kind.lower()}"
    )
    result = await load(server.url_for("/pic"), cache)
    assert result.ok, result.error
    assert result.decoded is not None
    assert result.decoded.format == kind
    assert (result.decoded.source_width, result.decoded.source_height) == (400, 200)
    assert result.decoded.image.size == (40, 20)  # aspect kept, never wider than the box
    red, _green, blue = result.decoded.image.convert("RGB").getpixel((5, 10))  # type: ignore[misc]
    assert red > 150 and blue < 90
    assert cache.get(server.url_for("/pic")) is not None


async def test_decompression_bomb_is_refused_from_its_header(
    server: HTTPServer, cache: ImageCache
) -> None:
    body = bomb_png()
    assert len(body) < 2000
    server.expect_request("/bomb.png").respond_with_data(body, content_type="image/png")
    result = await load(server.url_for("/bomb.png"), cache)
    assert not result.ok
    assert "too large" in result.error


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_an_image_just_over_the_pixel_limit_is_refused_before_decoding() -> None:
    # Under Pillow's own bomb threshold (2 x MAX_IMAGE_PIXELS) but over ours.
    side = int(MAX_PIXELS**0.5) + 10
    with pytest.raises(UndrawableImage, match="too large"):
        decode_image(bomb_png(side, side), BOX)


async def test_truncated_file_gives_a_reason_not_a_crash(
    server: HTTPServer, cache: ImageCache
) -> None:
    whole = picture("JPEG", (300, 300))
    server.expect_request("/cut.jpg").respond_with_data(
        whole[: len(whole) // 2], content_type="image/jpeg"
    )
    result = await load(server.url_for("/cut.jpg"), cache)
    assert not result.ok
    assert "truncated" in result.error
    assert cache.get(server.url_for("/cut.jpg")) is None  # a broken picture is not kept


async def test_gif_with_thousands_of_frames_draws_its_first_frame(
    server: HTTPServer, cache: ImageCache
) -> None:
    server.expect_request("/anim.gif").respond_with_data(
        many_frames_gif(3000), content_type="image/gif"
    )
    result = await load(server.url_for("/anim.gif"), cache)
    assert result.ok, result.error
    assert result.decoded is not None
    assert result.decoded.image.convert("RGB").getpixel((0, 0)) == (255, 0, 0)


async def test_svg_is_not_drawn(server: HTTPServer, cache: ImageCache) -> None:
    server.expect_request("/logo.svg").respond_with_data(SVG, content_type="image/svg+xml")
    server.expect_request("/logo-as-png").respond_with_data(SVG, content_type="image/png")
    assert "SVG" in (await load(server.url_for("/logo.svg"), cache)).error
    assert "SVG" in (await load(server.url_for("/logo-as-png"), cache)).error


async def test_html_served_as_png_is_refused(server: HTTPServer, cache: ImageCache) -> None:
    server.expect_request("/fake.png").respond_with_data(HTML_PAGE, content_type="image/png")
    result = await load(server.url_for("/fake.png"), cache)
    assert not result.ok
    assert "not an image" in result.error


async def test_endless_body_is_cut_off_at_the_cap(server: HTTPServer, cache: ImageCache) -> None:
    sent: list[int] = []

    def gigabyte() -> Iterator[bytes]:
        chunk = b"\xff" * (1024 * 1024)
        for _ in range(1024):  # 1 GB, if anyone read it all
            sent.append(len(chunk))
            yield chunk

    def handler(request: Request) -> Response:
        return Response(gigabyte(), content_type="image/jpeg", direct_passthrough=True)

    server.expect_request("/huge.jpg").respond_with_handler(handler)
    result = await load(server.url_for("/huge.jpg"), cache)
    assert not result.ok
    assert "too large" in result.error
    assert sum(sent) < 100 * MAX_IMAGE_BYTES  # the server was stopped long before 1 GB


async def test_declared_huge_length_is_refused_before_reading(
    server: HTTPServer, cache: ImageCache
) -> None:
    def handler(request: Request) -> Response:
        response = Response(b"x" * 10, content_type="image/png")
        response.headers["Content-Length"] = str(1024**3)
        return response

    server.expect_request("/declared.png").respond_with_handler(handler)
    result = await load(server.url_for("/declared.png"), cache)
    assert "too large" in result.error


async def test_redirect_to_a_file_is_refused(
    server: HTTPServer, cache: ImageCache, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(picture("PNG"))
    server.expect_request("/moved.png").respond_with_data(
        b"", status=302, headers={"Location": secret.as_uri()}
    )
    result = await load(server.url_for("/moved.png"), cache)
    assert not result.ok
    assert "not an http or https" in result.error


async def test_file_and_data_urls_are_never_read(cache: ImageCache, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(picture("PNG"))
    for url in (secret.as_uri(), str(secret), "data:image/png;base64,AAAA"):
        result = await load(url, cache)
        assert not result.ok
        assert "http" in result.error


async def test_redirect_from_a_public_host_to_a_private_address_is_refused(
    server: HTTPServer, cache: ImageCache
) -> None:
    """The test server is on 127.0.0.1; the name "localhost" stands in for a public host."""

    async def localhost_is_public(host: str) -> bool:
        return False if host == "localhost" else await host_is_private(host)

    private_target = server.url_for("/inside.png")
    public_origin = server.url_for("/out.png").replace("127.0.0.1", "localhost")
    server.expect_request("/out.png").respond_with_data(
        b"", status=302, headers={"Location": private_target}
    )
    server.expect_request("/inside.png").respond_with_data(picture("PNG"), content_type="image/png")
    result = await load(public_origin, cache, is_private=localhost_is_public)
    assert not result.ok
    assert "private address" in result.error
    # An image of a public page on a private address is refused the same way.
    page = "https://news.example/story"
    result = await load(private_target, cache, page, is_private=localhost_is_public)
    assert "private address" in result.error
    # The same redirect from a private host (an intranet, this server) is followed.
    server.expect_request("/here.png").respond_with_data(
        b"", status=302, headers={"Location": "/inside.png"}
    )
    assert (await load(server.url_for("/here.png"), cache)).ok


def test_private_addresses() -> None:
    for address in (
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "169.254.169.254",
        "::1",
        "fd00::1",
        "::ffff:10.0.0.1",
        "0.0.0.0",
    ):
        assert private_address(address), address
    for address in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"):
        assert not private_address(address), address


async def test_reuse_is_a_conditional_get_answered_from_the_cache(
    server: HTTPServer, cache: ImageCache
) -> None:
    hits: list[str] = []
    server.expect_request("/photo.jpg").respond_with_handler(
        conditional(picture("JPEG", (120, 80)), "image/jpeg", hits=hits)
    )
    url = server.url_for("/photo.jpg")
    first = await load(url, cache)
    second = await load(url, cache)
    assert first.ok and second.ok
    assert not first.from_cache and second.from_cache
    assert hits == ["200", "304"]
    entry = cache.get(url)
    assert entry is not None and entry.etag and entry.last_modified


async def test_cached_gives_the_picture_without_a_request(
    server: HTTPServer, cache: ImageCache
) -> None:
    hits: list[str] = []
    server.expect_request("/p.png").respond_with_handler(
        conditional(picture("PNG"), "image/png", hits=hits)
    )
    url = server.url_for("/p.png")
    async with ImageLoader(cache) as loader:
        assert await loader.cached(url, BOX) is None
        assert (await loader.load(url, BOX)).ok
        again = await loader.cached(url, BOX)
    assert again is not None and again.ok and again.from_cache
    assert hits == ["200"]


def test_cache_evicts_the_least_recently_used_under_its_cap(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "images", max_bytes=2500)
    now = time.time()
    cache.put("http://x/a", b"a" * 1000)
    os.utime(cache.path_for("http://x/a"), (now - 30, now - 30))
    cache.put("http://x/b", b"b" * 1000)
    os.utime(cache.path_for("http://x/b"), (now - 20, now - 20))
    assert cache.get("http://x/a") is not None  # a is now the most recently used
    cache.put("http://x/c", b"c" * 1000)
    assert cache.get("http://x/b") is None
    assert cache.get("http://x/a") is not None
    assert cache.get("http://x/c") is not None
    assert sum(size for _, size, _ in cache.entries()) <= 2500


def test_an_entry_larger_than_the_cap_is_not_kept(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "images", max_bytes=500)
    cache.put("http://x/small", b"s" * 10)
    cache.put("http://x/big", b"b" * 1000)
    assert cache.get("http://x/big") is None
    assert cache.get("http://x/small") is not None


def test_cache_lives_in_the_user_cache_dir_and_clears(isolated_home: Path) -> None:
    folder = image_cache_dir()
    assert folder == isolated_home / ".cache" / "newsreader" / "images"
    cache = ImageCache()
    cache.put("http://x/a", b"a" * 10)
    cache.put("http://x/b", b"b" * 10)
    (folder / "unrelated.txt").write_text("kept")
    files, size = clear_image_cache()
    assert files == 2 and size > 20
    assert cache.get("http://x/a") is None
    assert (folder / "unrelated.txt").exists()
    assert clear_image_cache() == (0, 0)


async def test_a_fresh_entry_is_reused_without_a_request(
    server: HTTPServer, cache: ImageCache
) -> None:
    hits: list[str] = []

    def handler(request: Request) -> Response:
        hits.append(request.headers.get("If-None-Match", "plain"))
        return Response(
            picture("PNG"),
            content_type="image/png",
            headers={"Cache-Control": "public, max-age=3600", "ETag": '"v1"'},
        )

    server.expect_request("/fresh.png").respond_with_handler(handler)
    url = server.url_for("/fresh.png")
    assert (await load(url, cache)).ok
    again = await load(url, cache)
    assert again.ok and again.from_cache
    assert hits == ["plain"]


async def test_a_304_with_max_age_makes_the_entry_fresh_again(
    server: HTTPServer, cache: ImageCache
) -> None:
    hits: list[str] = []

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            hits.append("304")
            return Response(status=304, headers={"ETag": '"v1"', "Cache-Control": "max-age=600"})
        hits.append("200")
        return Response(picture("PNG"), content_type="image/png", headers={"ETag": '"v1"'})

    server.expect_request("/r.png").respond_with_handler(handler)
    url = server.url_for("/r.png")
    for _ in range(4):
        assert (await load(url, cache)).ok
    assert hits == ["200", "304"]  # the third and fourth loads asked nobody
    entry = cache.get(url)
    assert entry is not None and entry.is_fresh() and entry.etag == '"v1"'


async def test_no_store_is_not_cached(server: HTTPServer, cache: ImageCache) -> None:
    server.expect_request("/private.png").respond_with_data(
        picture("PNG"), content_type="image/png", headers={"Cache-Control": "no-store"}
    )
    url = server.url_for("/private.png")
    assert (await load(url, cache)).ok
    assert cache.get(url) is None


def test_freshness_from_headers() -> None:
    now = 1_700_000_000.0
    assert freshness({}) == 0.0
    assert freshness({"cache-control": "max-age=60"}) == 60.0
    assert freshness({"cache-control": "public, max-age=999999999"}) == MAX_FRESHNESS
    assert freshness({"cache-control": "no-cache, max-age=60"}) == 0.0
    assert freshness({"cache-control": "no-store"}) is None
    assert freshness({"expires": formatdate(now + 120, usegmt=True)}, now) == 120.0
    assert freshness({"expires": "0"}, now) == 0.0


async def test_host_is_private_for_names_and_literals() -> None:
    assert await host_is_private("localhost")
    assert await host_is_private("127.0.0.1")
    assert await host_is_private("[::1]")
    assert not await host_is_private("93.184.216.34")
    assert not await host_is_private("no-such-host.invalid")  # unresolvable: the fetch fails
