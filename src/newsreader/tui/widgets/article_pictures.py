"""The pictures of the article open in the pane: marked in its Markdown, fetched once per
article when it is opened, and drawn over the rows the line-drawn body keeps for them.

Inline pictures are drawn with the Kitty graphics protocol (Unicode placeholders: lines of
text that the terminal shows as the picture), with Sixel (each row of cells encoded once in
a thread, sent with the body's lines: ``sixel_rows``; half-blocks until encoded) or as
half-blocks.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from newsreader.ingest.sanitize import clean_line
from newsreader.tui.article_links import mark_pictures
from newsreader.tui.terminal_graphics import (
    INLINE_MODES,
    PictureLines,
    cell_pixels,
    fitted_cells,
    picture_lines,
)

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage
    from textual.widget import Widget

    from newsreader.images.loader import ImageResult
    from newsreader.tui.widgets.long_article import LongArticleBody

#: Loads one picture: (url, box in pixels) -> result (``ImageLoader.load`` fits).
Loader = Callable[[str, tuple[int, int]], Awaitable["ImageResult"]]
#: A cached copy of one picture without a request, or None (``ImageLoader.cached`` fits).
Peek = Callable[[str, tuple[int, int]], Awaitable["ImageResult | None"]]
#: Asks whether a cached picture (url, box, its version) changed: the new picture, or None
#: when it did not (``ImageLoader.revalidate`` fits).
Revalidate = Callable[[str, tuple[int, int], str], Awaitable["ImageResult | None"]]
PICTURE_MAX_ROWS = 20


class ArticlePictures:
    """Picture state of one article pane (``owner``), drawing into its ``body``."""

    def __init__(self, owner: Widget, body: Callable[[], LongArticleBody]) -> None:
        self.owner = owner
        self._body = body
        self.on = True  # shown (``i`` toggles it for the session)
        self.loader: Loader | None = None  # None: pictures are off (nothing is fetched)
        self.mode = "blocks"  # "kitty", "sixel" or "blocks" (the terminal's, at start)
        #: Writes escapes to the terminal (Kitty pictures are sent before they show); by
        #: default through Textual's driver, in order with the screen's updates.
        self.write: Callable[[str], None] | None = None
        self.placed: dict[int, tuple[str, str]] = {}  # (url, alt) by picture index
        #: Gives a cached copy without a request (``ImageLoader.cached`` fits); None: none.
        self.peek: Peek | None = None
        #: Asks about a stale cached copy (a 304 costs no decoding); None: the loader is
        #: asked again and the versions compared.
        self.revalidate: Revalidate | None = None
        self.results: dict[str, ImageResult] = {}
        self._loading: dict[str, asyncio.Future[ImageResult]] = {}
        self._prepared = -1  # the body's drawing the pictures were prepared for
        #: Lines made for each picture of the drawing (or why not), with what they show.
        self._ready: dict[int, tuple[PictureLines | str, ImageResult]] = {}
        self._revalidating: set[str] = set()  # stale cached copies asked about
        self._stale: list[ImageResult] = []  # drawn, to be asked about
        self._loaded = False  # every picture of the body's drawing loaded and made
        self._sent: dict[int, str] = {}  # picture index -> escapes that free it (Kitty)
        self._article: object = None

    @property
    def inline_mode(self) -> str:
        """How pictures are drawn inside the article body (``kitty``, ``sixel``, ``blocks``)."""
        return INLINE_MODES.get(self.mode, "blocks")

    def new_article(self, article_id: object) -> None:
        """Another article opens: forget the last one's pictures (and free them)."""
        if article_id == self._article:
            return
        self._article = article_id
        self.results = {}
        self._loading = {}
        self._ready = {}
        self._prepared = -1
        self._revalidating = set()
        self._stale = []
        self._loaded = False
        self.release()

    def release(self) -> None:
        """Free the pictures sent to the terminal."""
        sent, self._sent = self._sent, {}
        if sent:
            self._send("".join(sent.values()))

    def mark(self, markdown: str) -> tuple[str, dict[int, str]]:
        """``markdown`` with each picture replaced by its marker (when pictures are shown),
        and each picture's caption by index."""
        self.placed = {}
        if self.on and self.loader is not None:
            markdown, self.placed = mark_pictures(markdown)
        captions = {index: clean_line(alt, 200) for index, (_, alt) in self.placed.items()}
        return markdown, captions

    def rows(self, columns: int) -> int:
        """Rows kept for each picture in a body ``columns`` wide."""
        return max(4, min(PICTURE_MAX_ROWS, round(max(10, columns) * 9 / 16 / 2)))

    def _columns(self) -> int:
        return max(1, self._body().size.width - 2)

    def box(self) -> tuple[int, int]:
        """The largest picture (pixels) that fits the body's width and the kept rows."""
        cell_width, cell_height = cell_pixels(self.inline_mode)
        return self._columns() * cell_width, self._body().picture_rows * cell_height

    # -- loading and drawing ----------------------------------------------------------------
    #
    # Each picture is loaded (and made into lines) as soon as the first lines of the body's
    # drawing are on screen, not when the drawing reaches the picture's place: whichever of
    # the two comes second draws it. A cached copy is drawn at once (``peek``); when it is stale,
    # a conditional request follows the drawing and only a changed picture is drawn again.

    def prepare(self) -> None:
        """Load and make every picture of the article for the body's drawing (once the
        drawing's first lines are on screen, or when it reaches a picture's place)."""
        loader = self.loader
        body = self._body()
        generation = body.generation
        if self._prepared == generation:
            return
        self._prepared = generation
        self._ready = {}
        self._loaded = False
        if loader is None or not self.placed:
            return
        pictures = [
            self._prepare(loader, index, picture, generation)
            for index, picture in self.placed.items()
        ]

        async def prepare_all() -> None:
            await asyncio.gather(*pictures, return_exceptions=True)
            if self._prepared == generation:
                self._loaded = True
                self._ask_about_stale()

        # One worker for them all (a worker each costs the UI its messages).
        self.owner.run_worker(prepare_all(), group="pictures", exit_on_error=False)

    def load(self, placed: list[tuple[int, int]]) -> None:
        """Pictures got their place in the body: draw those that are ready (the others are
        drawn as they become ready)."""
        if self.loader is None:
            return
        if self._prepared != self._body().generation:
            self.prepare()
        for index, _ in placed:
            if index in self._ready:
                self._draw(index)

    async def _result(self, loader: Loader, url: str) -> ImageResult:
        """The picture at ``url``, loaded once per article however often it is drawn."""
        result = self.results.get(url)
        if result is not None:
            return result
        pending = self._loading.get(url)
        if pending is None:
            pending = self._loading[url] = asyncio.ensure_future(self._first(loader, url))
        article = self._article
        result = await asyncio.shield(pending)  # one drawing given up stops no other
        if article == self._article:
            self._loading.pop(url, None)
            self.results[url] = result
        return result

    async def _first(self, loader: Loader, url: str) -> ImageResult:
        """The cached copy when there is one to draw, else the picture as loaded."""
        box = self.box()
        if self.peek is not None:
            found = await self.peek(url, box)
            if found is not None and found.ok:
                return found
        return await loader(url, box)

    async def _prepare(
        self, loader: Loader, index: int, picture: tuple[str, str], generation: int
    ) -> None:
        """Picture ``index`` made into lines for the drawing ``generation``; drawn when its
        place is already there."""
        article = self._article
        result = await self._result(loader, picture[0])
        body = self._body()

        def current() -> bool:
            # Not another article since, nor the body drawn again (that prepares it anew).
            return (
                article == self._article
                and body.generation == generation
                and self.placed.get(index) == picture
            )

        if not current():
            return
        ready: PictureLines | str
        if result.decoded is None:
            reason = clean_line(result.error or "not available", 120)
            ready = f"🖼 {clean_line(picture[1], 200)} ({reason})"
        else:
            image = result.decoded.image
            mode = self.inline_mode
            columns, rows = fitted_cells(image, mode, self._columns(), body.picture_rows)
            if mode == "sixel":
                await self._sixel(index, result, image, columns, rows, current)
                return
            if mode == "blocks":
                # Only the pixels are prepared now (0.1 ms): each line is made when drawn.
                ready = picture_lines(image, mode, columns, rows)
            else:
                # Kitty: the pixels are encoded in a thread (twenty pictures cost the event
                # loop nothing).
                ready = await asyncio.to_thread(picture_lines, image, mode, columns, rows)
                if not current():
                    return
        self._ready[index] = ready, result
        if index in body.pictures:  # its place is drawn already
            self._draw(index)

    async def _sixel(
        self,
        index: int,
        result: ImageResult,
        image: PILImage,
        columns: int,
        rows: int,
        current: Callable[[], bool],
    ) -> None:
        """Picture ``index`` in half-blocks at once, then in Sixel once its rows are encoded
        (in the encoder's thread, 20 ms a row of 100 cells; a picture at a time)."""
        from newsreader.tui.widgets.sixel_rows import ENCODER, blank_rows, encode_rows

        body = self._body()
        self._ready[index] = picture_lines(image, "blocks", columns, rows), result
        if index in body.pictures:
            self._draw(index)
        colour = body.background_colors[1]
        encode = functools.partial(
            encode_rows,
            image,
            columns,
            rows,
            cell_pixels("sixel"),
            (colour.r, colour.g, colour.b),
            current,
        )
        encoded = await asyncio.get_running_loop().run_in_executor(ENCODER, encode)
        if encoded is None or not current():
            return
        lines = PictureLines(blank_rows(len(encoded.rows)), sixel=encoded)
        self._ready[index] = lines, result
        if index in body.pictures:
            self._draw(index)

    def _draw(self, index: int) -> None:
        """Draw the lines made for picture ``index`` over its place (or say why not); the
        stale cached copies are asked about once every picture is loaded."""
        ready, result = self._ready.pop(index)
        body = self._body()
        if isinstance(ready, str):
            body.drop_picture(index, ready)
            return
        if ready.escapes:
            old = self._sent.pop(index, "")
            self._send(old + ready.escapes)
            self._sent[index] = ready.release
        body.set_picture(index, ready.strips, sixel=ready.sixel)
        if result.stale and result.url not in self._revalidating:
            self._revalidating.add(result.url)
            self._stale.append(result)
            if self._loaded:
                self._ask_about_stale()

    def _ask_about_stale(self) -> None:
        # The requests wait for the last picture: they would take the event loop from the
        # drawing (twenty conditional GETs cost more than drawing twenty cached pictures).
        if self._stale:
            self.owner.call_after_refresh(self._revalidate_stale)

    def _revalidate_stale(self) -> None:
        stale, self._stale = self._stale, []
        loader = self.loader
        if stale and loader is not None:
            self.owner.run_worker(
                asyncio.gather(
                    *(self._revalidate(loader, shown) for shown in stale), return_exceptions=True
                ),
                group="pictures",
                exit_on_error=False,
            )

    async def _revalidate(self, loader: Loader, shown: ImageResult) -> None:
        """Ask the server about the stale cached copy ``shown``; draw the picture again where
        it stands if it changed (an error keeps the cached copy)."""
        article = self._article
        url = shown.url
        if self.revalidate is not None:
            changed = await self.revalidate(url, self.box(), shown.version)
        else:
            changed = await loader(url, self.box())
        if article != self._article or changed is None:
            return
        result = changed
        if not result.ok or result.version == shown.version:
            return
        self.results[url] = result
        body = self._body()
        generation = body.generation
        await asyncio.gather(
            *(
                self._prepare(loader, index, picture, generation)
                for index, picture in self.placed.items()
                if picture[0] == url and index in body.pictures
            )
        )

    def _send(self, data: str) -> None:
        if self.write is not None:
            self.write(data)
            return
        driver = self.owner.app._driver  # Textual's own clipboard code writes the same way
        if driver is not None:
            driver.write(data)
