"""Decoding a fetched picture with Pillow, bounded, into a small image fit for the pane.

Runs in a worker thread (Pillow releases the GIL while it decodes). Every way a hostile or
broken file can hurt is bounded here and turned into :class:`UndrawableImage`, whose message
the pane shows beside the alt text:

- only raster formats that articles use (PNG, JPEG, GIF, WebP, BMP) are opened;
- SVG is not drawn at all (rendering it safely would need a whole browser-grade renderer);
- a body that is really HTML (an error page served as ``image/png``) is refused;
- the pixel count is checked from the header, before any pixel is decoded
  (``Image.MAX_IMAGE_PIXELS`` is set too), so a 50,000 x 50,000 "bomb" costs nothing;
- JPEG is decoded at 1/2, 1/4 or 1/8 scale with ``draft()`` when the pane is smaller;
- only the first frame of an animation is decoded (the others are never read);
- a truncated file fails instead of being padded with grey.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

MAX_PIXELS = 40_000_000  # e.g. 8000 x 5000; more is a bomb or a poster, not an article picture
FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP")


class UndrawableImage(Exception):
    """A picture that will not be drawn; the message is a short reason for the reader."""


@dataclass(frozen=True, slots=True)
class DecodedImage:
    """A picture ready to draw: RGB(A) pixels fitted to the requested box."""

    image: Image.Image
    source_width: int
    source_height: int
    format: str


def sniff_markup(data: bytes, content_type: str = "") -> str | None:
    """A reason to refuse ``data`` when it is SVG or HTML rather than a raster image."""
    kind = content_type.split(";", 1)[0].strip().lower()
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if kind == "image/svg+xml" or (head.startswith(b"<") and b"<svg" in data[:4096].lower()):
        return "SVG images are not drawn"
    if head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<?xml", b"<")):
        return f"not an image (a web page served as {kind or 'an image'})"
    return None


def decode_image(data: bytes, box: tuple[int, int], content_type: str = "") -> DecodedImage:
    """Decode ``data`` and shrink it to fit ``box`` (width, height in pixels), never larger.

    Raises:
        UndrawableImage: with a short reason, for anything that will not be drawn.
    """
    reason = sniff_markup(data, content_type)
    if reason:
        raise UndrawableImage(reason)
    from PIL import Image, UnidentifiedImageError

    _bound_pillow(Image)
    width_box, height_box = max(1, box[0]), max(1, box[1])
    try:
        opened = Image.open(io.BytesIO(data), formats=FORMATS)
    except UnidentifiedImageError:
        raise UndrawableImage("not a picture newsreader can draw") from None
    except Image.DecompressionBombError:
        raise UndrawableImage("image too large to draw") from None
    except (OSError, ValueError, SyntaxError) as error:
        raise UndrawableImage(f"damaged image ({error})") from None
    with opened:
        width, height = opened.size
        if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
            raise UndrawableImage(f"image too large to draw ({width} x {height} pixels)")
        image_format = opened.format or "image"
        try:
            if image_format == "JPEG":
                opened.draft("RGB", (width_box, height_box))
            opened.load()  # the first frame only; later frames are never read
            frame = _normalise_mode(opened)
            frame.thumbnail((width_box, height_box), Image.Resampling.BILINEAR, reducing_gap=2.0)
        except Image.DecompressionBombError:
            raise UndrawableImage("image too large to draw") from None
        except (OSError, ValueError, SyntaxError, EOFError) as error:
            text = str(error)
            if "truncated" in text or isinstance(error, EOFError):
                raise UndrawableImage("image file is truncated") from None
            raise UndrawableImage(f"damaged image ({text or type(error).__name__})") from None
    return DecodedImage(frame, width, height, image_format)


def _bound_pillow(image_module: Any) -> None:
    """Pillow refuses more than twice ``MAX_IMAGE_PIXELS``; the check above refuses more than
    ``MAX_PIXELS``, so its warning between the two would only be noise."""
    if image_module.MAX_IMAGE_PIXELS != MAX_PIXELS:
        image_module.MAX_IMAGE_PIXELS = MAX_PIXELS
        warnings.filterwarnings("ignore", category=image_module.DecompressionBombWarning)


def _normalise_mode(image: Image.Image) -> Image.Image:
    """A copy in RGB, or RGBA when the picture has transparency."""
    if image.mode == "RGB":
        return image.copy()
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        return image.convert("RGBA")
    return image.convert("RGB")


SIZED_KEY = "newsreader-source"  # the PNG text chunk naming the original's size and format


def encode_sized(decoded: DecodedImage) -> bytes:
    """``decoded`` as a small PNG (fast to compress and to read), remembering its source."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    source = f"{decoded.source_width}x{decoded.source_height} {decoded.format}"
    info.add_text(SIZED_KEY, source)
    out = io.BytesIO()
    decoded.image.save(out, format="PNG", compress_level=1, pnginfo=info)
    return out.getvalue()


def decode_sized(data: bytes) -> DecodedImage | None:
    """A picture saved by :func:`encode_sized`; None when it is not one (or damaged)."""
    from PIL import Image

    _bound_pillow(Image)
    try:
        with Image.open(io.BytesIO(data), formats=("PNG",)) as opened:
            source = str(opened.info.get(SIZED_KEY, ""))
            size, _, image_format = source.partition(" ")
            width, _, height = size.partition("x")
            if not (width.isdigit() and height.isdigit() and image_format):
                return None
            opened.load()
            frame = _normalise_mode(opened)
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        return None
    return DecodedImage(frame, int(width), int(height), image_format)
