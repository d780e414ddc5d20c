"""What an article with pictures shows in half-block mode (deterministic: no terminal query),
drawn by the app's own article pane (the line-drawn body, pictures over its kept rows).

Update after an intended change with
``pytest tests/tui/test_image_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PIL import Image
from textual.app import App, ComposeResult
from textual.containers import Horizontal

from newsreader.images.decode import decode_image
from newsreader.images.loader import ImageResult
from newsreader.model import Article, ContentType
from newsreader.tui.widgets.article_pane import ArticlePane

STYLESHEET = Path(__file__).parents[2] / "src" / "newsreader" / "tui" / "newsreader.tcss"
WHEN = datetime(2026, 1, 1, 12, tzinfo=UTC)

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


def article() -> Article:
    return Article(
        id=1, feed_id=1, feed_title="Pictures", key="a", title="Pictures in an article",
        link="https://news.example/a", author="", published=WHEN, updated=None, summary="",
        content=ARTICLE, content_type=ContentType.MARKDOWN, body=ARTICLE,
        word_count=len(ARTICLE.split()), read=False, starred=False,
    )  # fmt: skip


class PicturesApp(App[None]):
    CSS_PATH = str(STYLESHEET)  # the app's own

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield ArticlePane(lambda: WHEN, id="article")

    def on_mount(self) -> None:
        pane = self.query_one(ArticlePane)
        pane.loader = self.load
        pane.pictures.mode = "blocks"

    async def load(self, url: str, box: tuple[int, int]) -> ImageResult:
        if url.endswith("sunset.png"):
            return ImageResult(url, decode_image(sunset(), box))
        return ImageResult(url, error="HTTP 404 Not Found")


async def _drawn(pilot: Any) -> None:
    await pilot.pause()  # laid out: the pane knows its width
    pane = pilot.app.query_one(ArticlePane)
    await pane.show(article(), ARTICLE)
    pictures = pane.pictures
    for _ in range(500):
        if len(pictures.results) == 2 and not pictures._ready and not pictures._loading:
            break
        await pilot.pause(0.02)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_article_with_a_picture_and_a_missing_one(snap_compare: Any) -> None:
    assert snap_compare(PicturesApp(), terminal_size=(70, 48), run_before=_drawn)
