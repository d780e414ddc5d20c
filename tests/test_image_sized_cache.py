"""Decoded pictures are cached beside the fetched ones: a warm load reads a small PNG instead
of decoding the large original again, for the same box and the same bytes only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from image_samples import picture
from newsreader.images import loader as loader_module
from newsreader.images.cache import ImageCache
from newsreader.images.decode import DecodedImage
from newsreader.images.loader import ImageLoader, ImageResult, body_version, sized_url


@pytest.fixture
def cache(tmp_path: Path) -> ImageCache:
    return ImageCache(tmp_path / "images")


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The boxes the original bytes were decoded for (the real decoder does the work)."""
    boxes: list[tuple[int, int]] = []
    real: Callable[..., DecodedImage] = loader_module.decode_image

    def counted(data: bytes, box: tuple[int, int], content_type: str = "") -> DecodedImage:
        boxes.append(box)
        return real(data, box, content_type)

    monkeypatch.setattr(loader_module, "decode_image", counted)
    return boxes


async def load(url: str, cache: ImageCache, box: tuple[int, int]) -> ImageResult:
    async with ImageLoader(cache) as loader:
        return await loader.load(url, box)


def serve(server: HTTPServer, bodies: list[bytes]) -> str:
    """Serves ``bodies[0]`` (fresh for an hour); the test may swap in another body."""

    def handler(request: Request) -> Response:
        return Response(
            bodies[0], content_type="image/jpeg", headers={"Cache-Control": "max-age=3600"}
        )

    server.expect_request("/photo.jpg").respond_with_handler(handler)
    return server.url_for("/photo.jpg")


async def test_a_warm_load_reads_the_decoded_copy_for_the_same_box(
    server: HTTPServer, cache: ImageCache, decodes: list[tuple[int, int]]
) -> None:
    url = serve(server, [picture("JPEG", (800, 600))])
    cold = await load(url, cache, (80, 60))
    assert cold.ok and not cold.from_cache
    copy = cache.path_for(sized_url(url, (80, 60), picture("JPEG", (800, 600))))
    written = copy.stat().st_ino
    warm = await load(url, cache, (80, 60))
    assert warm.ok and warm.from_cache
    assert copy.stat().st_ino == written  # read back, not written again
    assert decodes == [(80, 60)]  # decoded once; the warm load read the small copy
    assert cold.decoded is not None and warm.decoded is not None
    assert warm.decoded.image.size == cold.decoded.image.size == (80, 60)
    assert (warm.decoded.source_width, warm.decoded.source_height) == (800, 600)
    assert warm.decoded.format == "JPEG"
    assert warm.decoded.image.tobytes() == cold.decoded.image.tobytes()
    # Another box is decoded from the original again (and kept too).
    assert (await load(url, cache, (40, 30))).ok
    assert decodes == [(80, 60), (40, 30)]
    assert (await load(url, cache, (40, 30))).ok
    assert decodes == [(80, 60), (40, 30)]


async def test_new_bytes_are_decoded_again_and_a_damaged_copy_is_ignored(
    server: HTTPServer, cache: ImageCache, decodes: list[tuple[int, int]]
) -> None:
    bodies = [picture("JPEG", (800, 600))]
    url = serve(server, bodies)
    assert (await load(url, cache, (80, 60))).ok
    # The same URL, other bytes (the cache entry is replaced when it is fetched again).
    bodies[0] = picture("JPEG", (600, 800))
    entry = cache.get(url)
    assert entry is not None
    cache.put(url, bodies[0], "image/jpeg", fresh_for=3600)
    again = await load(url, cache, (80, 60))
    assert again.decoded is not None and again.decoded.source_width == 600
    assert decodes == [(80, 60), (80, 60)]
    # A damaged decoded copy: decoded from the original, no error.
    copy = cache.path_for(sized_url(url, (80, 60), bodies[0]))
    copy.write_bytes(copy.read_bytes()[:-40])
    damaged = await load(url, cache, (80, 60))
    assert damaged.ok
    assert decodes == [(80, 60)] * 3


async def test_no_store_keeps_no_decoded_copy_either(server: HTTPServer, cache: ImageCache) -> None:
    server.expect_request("/private.jpg").respond_with_data(
        picture("JPEG"), content_type="image/jpeg", headers={"Cache-Control": "no-store"}
    )
    assert (await load(server.url_for("/private.jpg"), cache, (40, 40))).ok
    assert cache.entries() == []


async def test_a_small_picture_keeps_no_decoded_copy(server: HTTPServer, cache: ImageCache) -> None:
    url = serve(server, [picture("JPEG", (100, 80))])
    assert (await load(url, cache, (80, 60))).ok  # 100 x 80 to 75 x 60: little to save
    assert len(cache.entries()) == 1


async def test_cached_says_when_its_copy_is_stale_and_names_the_bytes(
    server: HTTPServer, cache: ImageCache
) -> None:
    photo = picture("JPEG", (800, 600))
    url = serve(server, [photo])
    cache.put(url, photo, "image/jpeg", etag='"a"', fresh_for=0)
    async with ImageLoader(cache) as loader:
        stale = await loader.cached(url, (80, 60))
        assert stale is not None and stale.ok and stale.stale and stale.from_cache
        assert stale.version == body_version(photo)
        loaded = await loader.load(url, (80, 60))  # the server's 200 stores it, fresh
        assert loaded.ok and not loaded.stale and loaded.version == stale.version
        fresh = await loader.cached(url, (80, 60))
        assert fresh is not None and fresh.ok and not fresh.stale
        cache.put(url, picture("JPEG", (600, 800)), "image/jpeg", fresh_for=3600)
        other = await loader.cached(url, (80, 60))
        assert other is not None and other.version != stale.version
        assert await loader.cached("file:///etc/passwd", (80, 60)) is None
