"""Pictures as terminal output: which protocol the terminal speaks, and a picture as lines.

Three ways of drawing (the ``images`` setting, or what the terminal answers at start):

- ``kitty``: the Kitty graphics protocol with *Unicode placeholders*. The picture is sent to
  the terminal once (:attr:`PictureLines.escapes`, written through Textual's driver so that
  it cannot interleave with a screen update), and the lines hold placeholder characters whose
  colour names the picture and whose diacritics name the cell. The placeholders are text, so
  they scroll, clip and redraw with the line-drawn article body like any other line.
- ``sixel``: Sixel has no placeholders: the terminal paints the pixels at the cursor, and any
  text written over them erases them. In the line-drawn body a picture's lines are blank and
  the Sixel data goes with its last line on screen, each time the lines are drawn
  (``widgets/sixel_rows``); the full-screen picture view draws Sixel with textual-image's
  ``SixelImage`` widget.
- ``blocks``: coloured Unicode half-blocks, two pixels a cell; works everywhere (tmux, SSH).

``textual-image`` asks the terminal what it supports and how large a cell is when its
renderables are first imported; the terminal can only answer before Textual takes it over, so
:func:`detect_image_mode` must run before ``App.run()``.
"""

from __future__ import annotations

import base64
import itertools
import os
import random
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, overload

from rich.color import Color, ColorType
from rich.color_triplet import ColorTriplet
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

    from newsreader.tui.widgets.sixel_rows import SixelRows

DRAWN_MODES = ("kitty", "sixel", "blocks")
#: Inline pictures in the article body use these.
INLINE_MODES = {"kitty": "kitty", "sixel": "sixel", "blocks": "blocks"}

_APC_START = "\x1b_G"
_APC_END = "\x1b\\"
_CHUNK = 4096  # the Kitty protocol's largest payload chunk
_PLACEHOLDER = chr(0x10EEEE)


@dataclass(frozen=True, slots=True)
class TerminalGraphics:
    """What the terminal answered: Sixel (in its device attributes), Kitty graphics."""

    sixel: bool = False
    kitty: bool = False


_DA1_REPLY = re.compile(r"\x1b\[\?([\d;]*)c")
_KITTY_REPLY = re.compile(r"\x1b_G[^\x1b]*;OK\x1b\\")


def query_terminal(timeout: float = 0.3) -> TerminalGraphics:
    """Ask the terminal on stdin/stdout (only before Textual starts) what it draws.

    One round trip: a Kitty graphics query, then the device attributes (DA1), which every
    terminal answers (with ``4`` among them when it speaks Sixel). A terminal answers in
    order, so the Kitty answer, if any, has come once the DA1 answer has: no terminal makes
    the start wait for a timeout (textual-image's own queries wait 0.1 s for a Kitty answer
    that most terminals never send).
    """
    stdin, stdout = sys.__stdin__, sys.__stdout__
    if stdin is None or stdout is None or not (stdin.isatty() and stdout.isatty()):
        return TerminalGraphics()
    try:
        import select
        import termios
        import tty
    except ImportError:  # not a POSIX terminal
        return TerminalGraphics()
    fd = stdin.fileno()
    seen = ""
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)
        query = kitty_message("AAAA", i=31, s=1, v=1, a="q", t="d", f=24)
        stdout.write(query + "\x1b[c")
        stdout.flush()
        deadline = time.monotonic() + timeout
        while not _DA1_REPLY.search(seen):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                break
            seen += os.read(fd, 1024).decode("latin-1")
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, saved)
    attributes = _DA1_REPLY.search(seen)
    sixel = attributes is not None and "4" in attributes.group(1).split(";")
    return TerminalGraphics(sixel=sixel, kitty=bool(_KITTY_REPLY.search(seen)))


def prepare_textual_image() -> bool:
    """Import textual-image's renderables and widgets now, while the terminal can still answer
    the questions they ask on import (protocols, the cell size in pixels); once Textual runs,
    stdin is Textual's. False if that failed (pictures are half-blocks then)."""
    try:
        import textual_image.renderable
        import textual_image.widget  # noqa: F401
    except Exception:  # e.g. a terminal that says it is 0 columns wide
        return False
    return True


def detect_image_mode(
    setting: str,
    environ: Mapping[str, str] | None = None,
    ask: Callable[[], TerminalGraphics] | None = None,
    prepare: Callable[[], bool] | None = None,
) -> str:
    """The drawing mode for ``setting`` (``auto``, ``kitty``, ``sixel``, ``blocks``, ``off``).

    ``auto`` picks Sixel or Kitty graphics when the terminal (``ask``; by default the real one,
    :func:`query_terminal`) answers that it draws them, and half-blocks otherwise; inside tmux
    or screen it picks half-blocks without asking (graphics there need passthrough and are
    lost on redraw). Sixel wins when both are spoken (WezTerm and Konsole claim Kitty graphics
    but do not draw its placeholders; Kitty has no Sixel). ``kitty`` and ``sixel`` are taken
    as they are. For either, textual-image is made ready (``prepare``) before Textual starts.
    """
    if setting in ("off", "blocks"):
        return setting
    ready = prepare or prepare_textual_image
    if setting in DRAWN_MODES:
        return setting if ready() else "blocks"
    env = os.environ if environ is None else environ
    if env.get("TMUX") or env.get("TERM", "").startswith(("screen", "tmux")):
        return "blocks"
    answer = (ask or query_terminal)()
    mode = "sixel" if answer.sixel else "kitty" if answer.kitty else "blocks"
    if mode != "blocks" and not ready():
        return "blocks"
    return mode


def cell_pixels(mode: str) -> tuple[int, int]:
    """How many pixels of the picture one cell shows (width, height) in ``mode``."""
    if mode not in ("kitty", "sixel"):
        return 1, 2  # one pixel across, two down (upper and lower half-block)
    from textual_image._terminal import get_cell_size

    try:
        size = get_cell_size()
    except Exception:  # the terminal could not be measured: a common cell size
        return 10, 20
    return max(1, size.width), max(1, size.height)


def fitted_cells(image: PILImage, mode: str, columns: int, rows: int) -> tuple[int, int]:
    """The cells (columns, rows) ``image`` takes in ``mode``, at most ``columns`` x ``rows``."""
    cell_width, cell_height = cell_pixels(mode)
    width = -(-max(1, image.width) // cell_width)
    height = -(-max(1, image.height) // cell_height)
    return max(1, min(columns, width)), max(1, min(rows, height))


@dataclass(frozen=True, slots=True)
class PictureLines:
    """A picture as lines of cells, and what the terminal must be sent before they show."""

    strips: Sequence[Strip]
    escapes: str = ""  # written to the terminal once, before the lines are drawn
    image_id: int = 0  # the Kitty image id (0: none)
    release: str = field(default="", repr=False)  # frees the picture in the terminal
    sixel: SixelRows | None = field(default=None, repr=False)  # drawn in Sixel over strips


_LEVELS = [round(round(value * 63 / 255) * 255 / 63) for value in range(256)]


class HalfBlockRows(Sequence[Strip]):
    """A picture's lines of coloured half-blocks, each made the first time it is asked for.

    Making a line costs a Rich ``Style`` for each new pair of colours (about 0.15 ms for 53
    cells); an article's pictures are mostly below the screen, so their lines are made as
    they are drawn rather than all at once when the picture arrives. The pixels are prepared
    here, by Pillow, in one go.
    """

    def __init__(self, image: PILImage, columns: int, rows: int) -> None:
        from PIL import Image

        columns, rows = max(1, columns), max(1, rows)
        pixels = image.convert("RGB")
        if pixels.size != (columns, rows * 2):
            pixels = pixels.resize((columns, rows * 2), Image.Resampling.BILINEAR)
        # 64 levels a channel, black and white kept (a step of 4 in 255 is not seen in a
        # cell): neighbouring cells share colours and styles, half the work for a photograph.
        pixels = pixels.point(_LEVELS * 3)
        # One 32-bit integer a pixel (R, G, B, padding), read by C rather than sliced in Python.
        self._data = memoryview(pixels.convert("RGBX").tobytes()).cast("I")
        self.columns = columns
        self.rows = rows
        self._lines: list[Strip | None] = [None] * rows
        self._colours: dict[int, Color] = {}
        self._styles: dict[int, Style] = {}

    def __len__(self) -> int:
        return self.rows

    @overload
    def __getitem__(self, row: int) -> Strip: ...

    @overload
    def __getitem__(self, row: slice) -> list[Strip]: ...

    def __getitem__(self, row: int | slice) -> Strip | list[Strip]:
        if isinstance(row, slice):
            return [self[n] for n in range(*row.indices(self.rows))]
        if row < 0:
            row += self.rows
        if not 0 <= row < self.rows:
            raise IndexError(row)
        line = self._lines[row]
        if line is None:
            line = self._lines[row] = self._line(row)
        return line

    def _colour(self, pixel: int) -> Color:
        found = self._colours.get(pixel)
        if found is None:
            red, green, blue, _ = pixel.to_bytes(4, sys.byteorder)
            name = f"#{red:02x}{green:02x}{blue:02x}"  # as Color.from_rgb names it
            triplet = ColorTriplet(red, green, blue)
            found = self._colours[pixel] = Color(name, ColorType.TRUECOLOR, None, triplet)
        return found

    def _line(self, row: int) -> Strip:
        """Line ``row``: the upper half of each cell one pixel, the lower half the one under
        it; equal neighbours share a segment."""
        columns, data, styles = self.columns, self._data, self._styles
        top = data[2 * row * columns : (2 * row + 1) * columns]
        bottom = data[(2 * row + 1) * columns : (2 * row + 2) * columns]
        segments: list[Segment] = []
        run_key = -1
        run = 0
        for upper, lower in zip(top, bottom, strict=True):
            key = (upper << 32) | lower
            if key == run_key:
                run += 1
                continue
            if run:
                segments.append(Segment("▀" * run, styles[run_key]))
            if key not in styles:
                styles[key] = Style.from_color(self._colour(upper), self._colour(lower))
            run_key, run = key, 1
        segments.append(Segment("▀" * run, styles[run_key]))
        return Strip(segments, columns)


def half_block_lines(image: PILImage, columns: int, rows: int) -> PictureLines:
    r"""``image`` as ``rows`` lines of ``columns`` coloured half-blocks (upper half: one pixel,
    lower half: the pixel under it), each line made when first drawn (:class:`HalfBlockRows`).

    Pillow resizes; the cells are built here rather than by textual-image's half-cell
    renderable, which makes a Rich ``Style`` and two ``Color``\ s per cell (160 ms for a
    100 x 37 picture under load; this takes a tenth of that) and asks for the terminal's
    cell size, which must not be asked once Textual runs.
    """
    return PictureLines(HalfBlockRows(image, columns, rows))


# Kitty image ids: random start (another program's pictures may be in the terminal too),
# below 2**24 so that the placeholder's colour alone names the picture.
_kitty_ids = itertools.count(random.randint(1, 2**23))


def next_kitty_id() -> int:
    image_id = next(_kitty_ids) % (2**24)
    return image_id or next(_kitty_ids) % (2**24)


def kitty_message(payload: str = "", **keys: int | str) -> str:
    """One Kitty graphics command (APC ``_G keys;payload ST``)."""
    head = ",".join(f"{key}={value}" for key, value in keys.items())
    return f"{_APC_START}{head}{';' + payload if payload else ''}{_APC_END}"


def kitty_transmission(image: PILImage, image_id: int, columns: int, rows: int) -> str:
    """Send ``image``'s pixels (RGB, or RGBA when it has transparency) under ``image_id`` and
    place it virtually over ``columns`` x ``rows`` cells (shown wherever its Unicode
    placeholders are written); quiet (``q=2``).

    Raw pixels rather than PNG: encoding a 500 x 380 picture as PNG takes 30 ms, raw 1 ms,
    for half as much data again (Kitty graphics are mostly used locally).
    """
    rgba = image.mode == "RGBA"
    pixels = image if rgba or image.mode == "RGB" else image.convert("RGB")
    data = base64.standard_b64encode(pixels.tobytes()).decode("ascii")
    size = {"f": 32 if rgba else 24, "s": pixels.width, "v": pixels.height}
    parts: list[str] = []
    for start in range(0, len(data), _CHUNK):
        chunk = data[start : start + _CHUNK]
        more = 1 if start + _CHUNK < len(data) else 0
        if start == 0:
            parts.append(kitty_message(chunk, a="t", **size, t="d", i=image_id, q=2, m=more))
        else:
            parts.append(kitty_message(chunk, m=more, q=2))
    parts.append(kitty_message(a="p", U=1, i=image_id, c=columns, r=rows, q=2))
    return "".join(parts)


def kitty_release(image_id: int) -> str:
    """Delete the picture ``image_id`` (its data and placements) from the terminal."""
    return kitty_message(a="d", d="I", i=image_id, q=2)


def kitty_placeholder_strips(image_id: int, columns: int, rows: int) -> list[Strip]:
    """``rows`` lines of ``columns`` placeholder cells showing picture ``image_id``."""
    from textual_image.renderable.tgp import _NUMBER_TO_DIACRITIC as DIACRITICS

    columns = min(columns, len(DIACRITICS))
    rows = min(rows, len(DIACRITICS))
    red, green, blue = (image_id >> 16) & 255, (image_id >> 8) & 255, image_id & 255
    style = Style(color=f"rgb({red},{green},{blue})")
    strips: list[Strip] = []
    for row in range(rows):
        mark = chr(DIACRITICS[row])
        text = "".join(f"{_PLACEHOLDER}{mark}{chr(DIACRITICS[col])}" for col in range(columns))
        strips.append(Strip([Segment(text, style)], columns))
    return strips


def kitty_lines(image: PILImage, columns: int, rows: int) -> PictureLines:
    """``image`` placed over ``columns`` x ``rows`` cells with the Kitty graphics protocol."""
    image_id = next_kitty_id()
    return PictureLines(
        kitty_placeholder_strips(image_id, columns, rows),
        kitty_transmission(image, image_id, columns, rows),
        image_id,
        kitty_release(image_id),
    )


def picture_lines(image: PILImage, mode: str, columns: int, rows: int) -> PictureLines:
    """``image`` drawn over ``columns`` x ``rows`` cells in ``mode`` (kitty or half-blocks)."""
    if mode == "kitty":
        return kitty_lines(image, columns, rows)
    return half_block_lines(image, columns, rows)
