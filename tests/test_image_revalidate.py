"""A cached picture shown at once and then asked about: the header names its bytes, so the
decoded copy is found without reading the original, and a 304 refreshes the entry without
reading or decoding anything."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from image_samples import picture
from newsreader.images import loader as loader_module
from newsreader.images.cache import CachedImage, ImageCache, body_version
from newsreader.images.loader import ImageLoader

BOX = (80, 60)


class CountingCache(ImageCache):
    """The real cache, noting which entries had their bodies read."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.bodies_read: list[str] = []

    def get(self, url: str, *, body: bool = True) -> CachedImage | None:
        if body:
            self.bodies_read.append(url)
        return super().get(url, body=body)


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which decoders ran (the real ones do the work)."""
    ran: list[str] = []
    for name in ("decode_image", "decode_sized"):
        real: Callable[..., Any] = getattr(loader_module, name)

        def counted(*args: Any, real: Callable[..., Any] = real, name: str = name) -> Any:
            ran.append(name)
            return real(*args)

        monkeypatch.setattr(loader_module, name, counted)
    return ran


def serve(server: HTTPServer, bodies: list[bytes], max_age: int = 0) -> str:
    """Serves ``bodies[0]`` with an ETag naming it (304 when asked with it)."""

    def handler(request: Request) -> Response:
        etag = f'"{body_version(bodies[0])}"'
        headers = {"ETag": etag, "Cache-Control": f"max-age={max_age}"}
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers=headers)
        return Response(bodies[0], content_type="image/jpeg", headers=headers)

    server.expect_request("/photo.jpg").respond_with_handler(handler)
    return server.url_for("/photo.jpg")


async def test_the_cached_copy_is_found_without_reading_the_original(
    server: HTTPServer, tmp_path: Path, decodes: list[str]
) -> None:
    cache = CountingCache(tmp_path / "images")
    url = serve(server, [picture("JPEG", (800, 600))])
    async with ImageLoader(cache) as loader:
        cold = await loader.load(url, BOX)
    assert cold.ok and decodes == ["decode_image"]
    cache.bodies_read.clear()
    async with ImageLoader(cache) as loader:
        warm = await loader.cached(url, BOX)
    assert warm is not None and warm.ok and warm.stale
    assert warm.version == cold.version == body_version(picture("JPEG", (800, 600)))
    assert url not in cache.bodies_read  # the original's 300 KB stay on disk
    assert decodes == ["decode_image", "decode_sized"]
    assert len(server.log) == 1  # and nobody was asked


async def test_a_304_refreshes_the_entry_and_decodes_nothing(
    server: HTTPServer, tmp_path: Path, decodes: list[str]
) -> None:
    cache = CountingCache(tmp_path / "images")
    bodies = [picture("JPEG", (800, 600))]
    url = serve(server, bodies, max_age=600)
    async with ImageLoader(cache) as loader:
        shown = await loader.load(url, BOX)
    cache.put(url, bodies[0], "image/jpeg", etag=f'"{body_version(bodies[0])}"', fresh_for=0)
    decodes.clear()
    cache.bodies_read.clear()
    async with ImageLoader(cache) as loader:
        assert await loader.revalidate(url, BOX, shown.version) is None
    assert decodes == []
    assert len(server.log) == 2
    assert server.log[1][0].headers.get("If-None-Match") == f'"{body_version(bodies[0])}"'
    entry = cache.get(url)
    assert entry is not None and entry.is_fresh()  # max-age from the 304
    assert entry.body == bodies[0] and entry.version == shown.version


async def test_a_changed_picture_is_given_and_an_error_keeps_the_copy(
    server: HTTPServer, tmp_path: Path
) -> None:
    cache = ImageCache(tmp_path / "images")
    bodies = [picture("JPEG", (800, 600))]
    url = serve(server, bodies)
    async with ImageLoader(cache) as loader:
        shown = await loader.load(url, BOX)
        bodies[0] = picture("JPEG", (800, 600), colour=(20, 200, 20))
        changed = await loader.revalidate(url, BOX, shown.version)
        assert changed is not None and changed.ok
        assert changed.version == body_version(bodies[0]) != shown.version
        assert await loader.revalidate(url, BOX, changed.version) is None  # now a 304
        missing = server.url_for("/gone.jpg")
        server.expect_request("/gone.jpg").respond_with_data("", status=404)
        assert await loader.revalidate(missing, BOX, "whatever") is None
