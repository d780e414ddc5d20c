"""Sixel pictures inside the line-drawn article body.

Sixel has no placeholder characters: the terminal paints the pixels where the cursor is, and
text written over them erases them. As textual-image's Sixel widget does, the picture's rows
are drawn as blank cells and the picture's last visible row carries, after the blank cells
the picture covers, one control segment: a cursor move to the picture's top-left on screen,
the Sixel data for exactly the rows on screen, and a cursor move back. Textual draws a
widget's lines top to bottom, so the pixels come after the blanks under them; whenever the
body's lines are drawn again (scrolling, a refresh), the pixels are sent again.

Encoding Sixel in Python is slow (textual-image's encoder: about 250 ms for a 1000 x 400
pixel photograph, 20 ms for one 1000 x 20 row), far too slow for the UI thread and for a
crop encoded anew at each line of scrolling. So each row of cells is encoded once, as a
Sixel image of its own (all rows with one palette, so that no seam shows), in a thread
(:func:`encode_rows`, one picture at a time, the article's first pictures first); the
rows on screen are then sent one after the other, each placed by a cursor move. A crop is
a join of strings, whatever the scrolling. Until its rows are encoded a picture is drawn in
half-blocks.

Only encoded pixels and cursor moves go into the control segment: nothing of the feed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.control import Control
from rich.segment import ControlType, Segment
from textual.geometry import Region
from textual.strip import Strip

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

# A no-op control code: Rich and Textual then take the segment as zero cells wide and pass
# its text through untouched (textual-image marks its Sixel data the same way).
_NO_OP = ((ControlType.CURSOR_FORWARD, 0),)

#: One picture encoded at a time, in the order asked (the article's first pictures first);
#: the encoder is pure Python and holds the GIL, so more threads would not be faster.
ENCODER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sixel")


@dataclass(frozen=True, slots=True)
class SixelRows:
    """A picture as one Sixel image per row of cells, ``columns`` cells wide."""

    rows: tuple[str, ...]
    columns: int


def encode_rows(
    image: PILImage,
    columns: int,
    rows: int,
    cell: tuple[int, int],
    background: tuple[int, int, int] = (0, 0, 0),
    wanted: Callable[[], bool] = lambda: True,
) -> SixelRows | None:
    """``image`` (at most ``columns`` x ``rows`` cells of ``cell`` pixels) as one Sixel image
    per row of cells; None if ``wanted`` turned false on the way (another article opened).

    The picture is put on ``background`` (when it has transparency) and reduced to one
    palette of 256 colours once, so each row's Sixel needs no quantizing of its own and
    neighbouring rows show the same colours.
    """
    from PIL import Image
    from textual_image._sixel import image_to_sixels

    cell_width, cell_height = max(1, cell[0]), max(1, cell[1])
    columns, rows = max(1, columns), max(1, rows)
    box = (columns * cell_width, rows * cell_height)
    picture = image
    if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
        under = Image.new("RGBA", picture.size, (*background, 255))
        picture = Image.alpha_composite(under, picture.convert("RGBA"))
    picture = picture.convert("RGB")
    if picture.width > box[0] or picture.height > box[1]:
        picture.thumbnail(box, Image.Resampling.LANCZOS)
    paletted = picture.quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    encoded: list[str] = []
    for row in range(min(rows, -(-paletted.height // cell_height))):
        if not wanted():
            return None
        top = row * cell_height
        band = paletted.crop((0, top, paletted.width, min(paletted.height, top + cell_height)))
        encoded.append(image_to_sixels(band))
    return SixelRows(tuple(encoded), columns)


def sixel_control(
    picture: SixelRows, first: int, count: int, x: int, y: int, back: tuple[int, int]
) -> Segment:
    """The control segment drawing rows ``first`` to ``first + count`` of ``picture`` with
    its top-left cell at ``x``, ``y`` on screen, leaving the cursor at ``back``."""
    parts: list[str] = []
    for offset in range(count):
        parts.append(Control.move_to(x, y + offset).segment.text)
        parts.append(picture.rows[first + offset])
    parts.append(Control.move_to(*back).segment.text)
    return Segment("".join(parts), None, _NO_OP)


def place_sixels(
    strips: list[Strip],
    crop: Region,
    pictures: Iterable[tuple[int, SixelRows]],
    origin: tuple[int, int],
    gutter: tuple[int, int] = (0, 0),
) -> list[Strip]:
    """``strips`` (the widget's lines in ``crop``, in widget cells) with the Sixel data of
    each picture (its first line in the content, its rows) on its last row in ``crop``.

    ``origin`` is where the widget's top-left cell is on screen, ``gutter`` the content's
    offset in the widget (left, top). A picture cut at the left or right by ``crop`` is left
    blank (the body never scrolls sideways).
    """
    left, top = gutter
    out = strips
    for first_line, picture in pictures:
        start = top + first_line  # in widget lines
        visible_from = max(start, crop.y)
        visible_to = min(start + len(picture.rows), crop.bottom)
        if visible_from >= visible_to:
            continue
        x0 = left
        x1 = left + picture.columns
        if x0 < crop.x or x1 > crop.right:
            continue
        last = visible_to - 1
        cut = x1 - crop.x  # the picture's right edge in the strip
        screen_y = origin[1] + visible_from
        control = sixel_control(
            picture,
            visible_from - start,
            visible_to - visible_from,
            origin[0] + x0,
            screen_y,
            (origin[0] + x1, origin[1] + last),
        )
        row = out[last - crop.y]
        joined = [*row.crop(0, cut), control, *row.crop(cut, crop.width)]
        if out is strips:
            out = list(strips)
        out[last - crop.y] = Strip(joined, row.cell_length)
    return out


def blank_rows(count: int) -> Sequence[Strip]:
    """The lines a Sixel picture stands over: blank (text there would erase its pixels)."""
    return [Strip([]) for _ in range(count)]
