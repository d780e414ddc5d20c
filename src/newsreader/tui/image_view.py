"""One picture of an article, drawn inline: a placeholder, then the image, and its caption.

Pictures are drawn by ``textual-image``: the Kitty graphics protocol (``kitty``), Sixel
(``sixel``) or coloured Unicode half-blocks (``blocks``, which work in every terminal, tmux and
SSH included). ``textual-image`` asks the terminal what it supports and how large a cell is in
pixels when it is first imported, and it can only ask before Textual takes over the terminal,
so :func:`detect_image_mode` must run before ``App.run()``.

The widget never fetches: the article pane hands it a loader (an async callable, normally
``ImageLoader.load``), which it runs in a worker after it has been laid out, so the text of the
article is on screen first and the picture follows.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from newsreader.images.refs import ImageRef
from newsreader.ingest.sanitize import clean_line
from newsreader.tui.terminal_graphics import (
    DRAWN_MODES,
    cell_pixels,
    detect_image_mode,
    half_block_lines,
)

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage
    from textual.strip import Strip
    from textual_image.widget._base import Image as BaseImage

    from newsreader.images.loader import ImageResult

#: Loads one picture: (url, box in pixels) → result. ``ImageLoader.load`` fits.
Loader = Callable[[str, tuple[int, int]], Awaitable["ImageResult"]]

DEFAULT_MAX_HEIGHT = 20  # rows; a picture taller than this is shrunk, keeping its shape
PLACEHOLDER_ASPECT = 9 / 16  # height / width of a picture whose size is not known yet
ICON = "🖼 "

__all__ = ["DRAWN_MODES", "ImageView", "PictureSwaps", "detect_image_mode", "mount_images"]


def image_widget_class(mode: str) -> type[BaseImage]:
    """The ``textual-image`` widget that draws in ``mode``."""
    from textual_image.widget import HalfcellImage, SixelImage, TGPImage

    classes: dict[str, type[BaseImage]] = {
        "kitty": TGPImage,
        "sixel": SixelImage,
        "blocks": HalfcellImage,
    }
    return classes[mode]


class ImageView(Vertical):
    """An inline picture with its caption; shows the alt text when it cannot be drawn."""

    DEFAULT_CSS = """
    ImageView {
        height: auto;
        width: 1fr;
        margin: 0 0 1 0;
    }
    ImageView > .image-placeholder {
        width: 1fr;
        background: $boost;
        color: $text-muted;
        content-align: center middle;
    }
    ImageView > .image-failed {
        height: auto;
        color: $text-muted;
    }
    ImageView > .image-caption {
        height: auto;
        color: $text-muted;
        text-style: italic;
    }
    """

    @dataclass
    class Drawn(Message):
        """The picture was drawn, or replaced by its alt text (``error`` says why)."""

        view: ImageView
        error: str = ""

        @property
        def control(self) -> ImageView:
            return self.view

    def __init__(
        self,
        ref: ImageRef,
        mode: str,
        *,
        max_height: int = DEFAULT_MAX_HEIGHT,
        columns: int | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Args:
        ref: the picture's place in the article.
        mode: ``kitty``, ``sixel``, ``blocks`` (from :func:`detect_image_mode`) or ``off``.
        max_height: the most rows a picture takes; taller ones are shrunk.
        columns: the width it will have, when known before it is laid out (sizes the
            placeholder at once, saving the article a second layout).
        """
        super().__init__(id=id, classes=classes)
        self.ref = ref
        self.mode = mode
        self.max_height = max(2, max_height)
        self._columns_hint = columns
        self.error = ""
        self.drawn = False
        self._loader: Loader | None = None
        self._swaps: PictureSwaps | None = None

    # -- sizes -------------------------------------------------------------------------------

    @property
    def columns(self) -> int:
        """The width the picture may take, in cells."""
        return max(4, self.content_size.width or self._columns_hint or 40)

    def pixel_box(self) -> tuple[int, int]:
        """The largest picture (in pixels) that fits the pane's width and the height limit."""
        cell_width, cell_height = cell_pixels(self.mode)
        return self.columns * cell_width, self.max_height * cell_height

    def cells_for(self, width: int, height: int) -> tuple[int, int]:
        """The cells (columns, rows) a picture of ``width`` x ``height`` pixels takes."""
        cell_width, cell_height = cell_pixels(self.mode)
        columns = min(self.columns, max(1, math.ceil(width / cell_width)))
        rows = min(self.max_height, max(1, math.ceil(height / cell_height)))
        return columns, rows

    def placeholder_rows(self) -> int:
        """Rows to keep for a picture of unknown size, so that the text does not jump much."""
        cell_width, cell_height = cell_pixels(self.mode)
        pixels_high = self.columns * cell_width * PLACEHOLDER_ASPECT
        return max(1, min(self.max_height, round(pixels_high / cell_height)))

    # -- content -----------------------------------------------------------------------------

    def alt_text(self) -> Text:
        label = clean_line(self.ref.alt or "image", limit=300)
        return Text(ICON + label, end="")

    def compose(self) -> ComposeResult:
        if self.mode == "off":
            yield Static(self.alt_text(), classes="image-failed")
            return
        placeholder = Static(Text(ICON + "loading…", end=""), classes="image-placeholder")
        placeholder.styles.height = self.placeholder_rows()
        yield placeholder
        caption = clean_line(self.ref.caption, limit=500)
        caption_widget = Static(Text(caption, end=""), classes="image-caption")
        caption_widget.display = bool(caption)
        yield caption_widget

    def on_resize(self) -> None:
        found = self.query(".image-placeholder")
        if self.mode == "off" or not found:
            return
        placeholder = found.first()
        rows = self.placeholder_rows()
        if placeholder.styles.height is None or placeholder.styles.height.value != rows:
            placeholder.styles.height = rows

    def load_with(self, loader: Loader, swaps: PictureSwaps | None = None) -> None:
        """Fetch and draw the picture with ``loader`` once the widget has its width.

        With ``swaps`` (shared by the pictures of one article), pictures that arrive close
        together are drawn together, in one layout of the article.
        """
        if self.mode == "off":
            return
        self._loader = loader
        self._swaps = swaps
        self.call_after_refresh(self._start)

    def _start(self) -> None:
        if self._loader is not None and self.is_mounted:
            self.run_worker(
                self._load(self._loader), group="image", exclusive=True, exit_on_error=False
            )

    async def _load(self, loader: Loader) -> None:
        from newsreader.images.loader import ImageResult

        try:
            result = await loader(self.ref.url, self.pixel_box())
        except Exception as error:  # a loader bug must not take the article down
            result = ImageResult(self.ref.url, error=f"{type(error).__name__}: {error}")
        if self._swaps is not None:
            self._swaps.add(self, result)
        else:
            await self.show_result(result)

    async def show_result(self, result: ImageResult) -> None:
        """Draw a loaded picture in place of the placeholder, or the alt text and the reason."""
        replacement: Widget
        if result.decoded is None:
            self.error = result.error or "cannot be drawn"
            failed = Text(ICON, end="")
            failed.append(clean_line(self.ref.alt or "image", limit=300))
            failed.append(f"  ({clean_line(self.error, limit=200)})", style="dim")
            replacement = Static(failed, classes="image-failed")
        else:
            picture = result.decoded.image
            columns, rows = self.cells_for(picture.width, picture.height)
            replacement = image_widget_class(self.mode)(picture, classes="image-picture")
            replacement.styles.width = columns
            replacement.styles.height = rows
        with self.app.batch_update():  # swap in one layout, not two
            mounted = self.mount(replacement, before=0)
            removed = self.query(".image-placeholder").remove()
            if result.decoded is None and not self.ref.title:
                # The caption would only repeat the alt text.
                self.query_one(".image-caption").display = False
        await mounted
        await removed
        self.drawn = result.decoded is not None
        self.post_message(self.Drawn(self, self.error))


class PictureSwaps:
    """Draws the pictures of one article that arrive within ``delay`` seconds in one go.

    Each swap of a placeholder for its picture makes Textual lay the whole article out
    again; twenty pictures arriving one by one would cost twenty layouts.
    """

    def __init__(self, owner: Widget, delay: float = 0.05) -> None:
        self.owner = owner
        self.delay = delay
        self._pending: list[tuple[ImageView, ImageResult]] = []
        self._scheduled = False

    def add(self, view: ImageView, result: ImageResult) -> None:
        self._pending.append((view, result))
        if not self._scheduled and self.owner.is_mounted:
            self._scheduled = True
            self.owner.set_timer(self.delay, self._flush)

    async def _flush(self) -> None:
        self._scheduled = False
        pending, self._pending = self._pending, []
        with self.owner.app.batch_update():
            await asyncio.gather(
                *(view.show_result(result) for view, result in pending if view.is_attached)
            )


async def mount_images(
    body: Widget,
    refs: Sequence[ImageRef],
    mode: str,
    loader: Loader | None,
    *,
    max_height: int = DEFAULT_MAX_HEIGHT,
) -> list[ImageView]:
    """Put an :class:`ImageView` for each of ``refs`` where it stands in a ``Markdown`` widget.

    ``body`` is the ``Markdown`` widget after its ``update()`` has been awaited (and, so that
    the text is on screen first, after the next refresh: call this through
    ``call_after_refresh``); each picture
    goes after the last top-level block that starts at or before the picture's line (the
    block holding it, or, when the text was passed through ``without_images``, the block
    before it). Pictures already there are removed first (``Markdown.update`` leaves them).
    With a ``loader``, each picture starts loading once it is laid out.
    """
    from textual.widgets.markdown import MarkdownBlock

    await body.query_children(ImageView).remove()
    if mode == "off" or not refs:
        return []
    blocks = [child for child in body.children if isinstance(child, MarkdownBlock)]
    columns = body.content_size.width or None
    groups: dict[int, list[ImageView]] = {}
    for ref in refs:
        anchor = -1
        for position, block in enumerate(blocks):
            if block.source_range[0] <= ref.line:
                anchor = position
            else:
                break
        view = ImageView(ref, mode, max_height=max_height, columns=columns, id=f"image-{ref.index}")
        groups.setdefault(anchor, []).append(view)
    views: list[ImageView] = []
    pending: list[Awaitable[object]] = []
    with body.app.batch_update():  # one layout for all the pictures, not one per picture
        for anchor, group in groups.items():
            if anchor < 0 and body.children:
                pending.append(body.mount_all(group, before=0))
            elif anchor < 0:
                pending.append(body.mount_all(group))
            else:
                pending.append(body.mount_all(group, after=blocks[anchor]))
            views.extend(group)
    for waiting in pending:
        await waiting
    if loader is not None:
        swaps = PictureSwaps(body)
        for view in views:
            view.load_with(loader, swaps)
    return views


def picture_strips(image: PILImage, columns: int, rows: int) -> list[Strip]:
    """A picture as ``rows`` lines of ``columns`` half-blocks, for a line-drawn view."""
    return half_block_lines(image, columns, rows).strips
