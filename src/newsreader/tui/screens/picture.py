"""One picture of the article, full screen, in the best way the terminal draws pictures.

Kitty graphics (sent through the driver, shown by placeholder lines), Sixel (textual-image's
``SixelImage`` widget: here the picture has a screen of its own, so nothing is drawn over
it), or half-blocks. ``o`` opens the picture in the web browser, ``n``/``p`` (or the arrows)
go to the article's next and previous pictures, Escape or ``q`` go back to the article.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer, Static

from newsreader.ingest.sanitize import clean_line
from newsreader.tui import browser
from newsreader.tui.terminal_graphics import cell_pixels, fitted_cells, picture_lines
from newsreader.tui.widgets.article_pictures import Loader

if TYPE_CHECKING:
    from newsreader.images.loader import ImageResult

LOADING = "🖼 loading…"


class PictureCells(Widget):
    """Lines of cells showing a picture (Kitty placeholders or half-blocks)."""

    DEFAULT_CSS = """
    PictureCells {
        width: auto;
        height: auto;
    }
    """

    def __init__(self, strips: Sequence[Strip], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.strips = strips

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((strip.cell_length for strip in self.strips), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.strips)

    def render_line(self, y: int) -> Strip:
        strip = self.strips[y] if 0 <= y < len(self.strips) else Strip([])
        return strip.crop_extend(0, self.size.width, self.rich_style)


class PictureScreen(ModalScreen[None]):
    """Shows ``pictures[index]`` (alt, url) as large as the screen allows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,I", "close", "Back", id="close_picture"),
        Binding("o", "open_browser", "Open in browser", id="picture_browser"),
        Binding("n,right", "step(1)", "Next", id="next_picture"),
        Binding("p,left", "step(-1)", "Previous", id="previous_picture"),
    ]

    DEFAULT_CSS = """
    PictureScreen {
        background: $background;
        align: center middle;
    }
    PictureScreen #picture-title {
        dock: top;
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    PictureScreen #picture-frame {
        height: 1fr;
        width: 1fr;
    }
    PictureScreen #picture-status {
        width: auto;
        color: $text-muted;
    }
    """

    def __init__(
        self,
        pictures: Sequence[tuple[str, str]],
        index: int,
        loader: Loader,
        mode: str,
        write: Callable[[str], None] | None = None,
    ) -> None:
        """Args:
        pictures: (alt, url) of the article's pictures.
        index: the one shown first.
        loader: loads a picture fitted into a box of pixels (``ImageLoader.load``).
        mode: ``kitty``, ``sixel`` or ``blocks``.
        write: sends escapes to the terminal (default: Textual's driver).
        """
        super().__init__(id="picture-screen")
        self.pictures = list(pictures)
        self.index = max(0, min(index, len(self.pictures) - 1))
        self.loader = loader
        self.mode = mode
        self.write = write
        self.error = ""
        self.shown_size: tuple[int, int] | None = None  # (columns, rows) of the drawn picture
        self._release = ""
        self._box: tuple[int, int] = (0, 0)

    def compose(self) -> ComposeResult:
        yield Static("", id="picture-title")
        with Middle(id="picture-frame"), Center():
            yield Static(LOADING, id="picture-status")
        yield Footer()

    @property
    def url(self) -> str:
        return self.pictures[self.index][1]

    def on_mount(self) -> None:
        self._title()

    def on_resize(self) -> None:
        frame = self.query_one("#picture-frame")
        box = (frame.size.width, frame.size.height)
        if box != self._box and box[0] > 0 and box[1] > 0:
            self._box = box
            self._load()

    def _title(self) -> None:
        alt, url = self.pictures[self.index]
        title = Text(f"{self.index + 1}/{len(self.pictures)}  ", style="bold", end="")
        title.append(clean_line(alt or "image", limit=200))
        title.append(f"  {clean_line(url, limit=300)}", style="dim")
        self.query_one("#picture-title", Static).update(title)

    @work(exclusive=True, group="picture", exit_on_error=False)
    async def _load(self) -> None:
        columns, rows = self._box
        cell_width, cell_height = cell_pixels(self.mode)
        url = self.url
        result = await self.loader(url, (columns * cell_width, rows * cell_height))
        if url != self.url or not self.is_attached:
            return
        await self._show(result)

    async def _show(self, result: ImageResult) -> None:
        await self.query("#picture-frame Center > *").remove()
        self._free()
        center = self.query_one("#picture-frame Center")
        if result.decoded is None:
            self.error = result.error or "cannot be drawn"
            self.shown_size = None
            failed = Text(f"🖼 {clean_line(self.pictures[self.index][0] or 'image', 200)}  ")
            failed.append(f"({clean_line(self.error, 200)})", style="dim")
            await center.mount(Static(failed, id="picture-status"))
            return
        self.error = ""
        image = result.decoded.image
        columns, rows = fitted_cells(image, self.mode, *self._box)
        self.shown_size = (columns, rows)
        widget: Widget
        if self.mode == "sixel":
            # Imported before Textual started (its import asks the terminal questions).
            from textual_image.widget import SixelImage

            widget = SixelImage(image, id="picture")
            widget.styles.width = columns
            widget.styles.height = rows
        else:
            lines = picture_lines(image, self.mode, columns, rows)
            if lines.escapes:
                self._send(lines.escapes)
                self._release = lines.release
            widget = PictureCells(lines.strips, id="picture")
        await center.mount(widget)

    def _send(self, data: str) -> None:
        if self.write is not None:
            self.write(data)
            return
        driver = self.app._driver  # as Textual's own clipboard code writes
        if driver is not None:
            driver.write(data)

    def _free(self) -> None:
        release, self._release = self._release, ""
        if release:
            self._send(release)

    def on_unmount(self) -> None:
        self._free()

    async def action_step(self, step: int) -> None:
        if len(self.pictures) < 2:
            return
        self.index = (self.index + step) % len(self.pictures)
        self._title()
        await self.query("#picture-frame Center > *").remove()
        self._free()
        await self.query_one("#picture-frame Center").mount(Static(LOADING, id="picture-status"))
        self._load()

    def action_open_browser(self) -> None:
        browser.open_checked(self.app, self.url)

    def action_close(self) -> None:
        self.dismiss(None)
