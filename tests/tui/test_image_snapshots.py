"""What an article with pictures shows in half-block mode (deterministic: no terminal query).

Update after an intended change with
``pytest tests/tui/test_image_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from newsreader.images.decode import decode_image
from newsreader.images.loader import ImageResult
from newsreader.images.refs import find_image_refs, without_images
from newsreader.tui.image_view import ImageView, mount_images

ARTICLE = """# Pictures in an article

The first paragraph comes before the photo.

![A sunset over the sea](https://img.example/sunset.png "Sunset, from the pier")

The second paragraph mentions a chart ![Prices, 2020-2025](https://img.example/missing.png)
that could not be fetched.

The end.
"""


def sunset() -> bytes:
    """A 48 x 24 picture: a sky fading from orange to purple over a blue sea."""
    image = Image.new("RGB", (48, 24))
    for y in range(24):
        for x in range(48):
            if y < 14:
                image.putpixel((x, y), (250 - y * 8, 120 + x, 40 + y * 10))
            else:
                image.putpixel((x, y), (10, 40 + (x % 8) * 10, 160 + y * 3))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class PicturesApp(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(id="body")

    async def on_mount(self) -> None:
        body = self.query_one(Markdown)
        await body.update(without_images(ARTICLE))
        await mount_images(body, find_image_refs(ARTICLE), "blocks", self.load, max_height=10)

    async def load(self, url: str, box: tuple[int, int]) -> ImageResult:
        if url.endswith("sunset.png"):
            return ImageResult(url, decode_image(sunset(), box))
        return ImageResult(url, error="HTTP 404 Not Found")


async def _drawn(pilot: Any) -> None:
    for _ in range(500):
        views = pilot.app.query(ImageView)
        if len(views) == 2 and all(view.drawn or view.error for view in views):
            break
        await pilot.pause(0.02)
    await pilot.pause()


def test_article_with_a_picture_and_a_missing_one(snap_compare: Any) -> None:
    assert snap_compare(PicturesApp(), terminal_size=(70, 30), run_before=_drawn)
