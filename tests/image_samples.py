"""Pictures made with Pillow for the image tests, the good and the hostile."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def picture(
    kind: str, size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (200, 30, 30)
) -> bytes:
    """A picture in ``kind`` (PNG, JPEG, GIF, WEBP): left half ``colour``, right half blue."""
    image = Image.new("RGB", size, colour)
    image.paste((20, 40, 220), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    image.save(out, format=kind)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 50_000, height: int = 50_000) -> bytes:
    """A few hundred bytes whose header claims ``width`` x ``height`` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    # One row of zeros per call would be 150 KB; a small compressed stream of zeros suffices
    # for a decoder to start working, which it must never do.
    data = zlib.compress(b"\0" * 65536, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def many_frames_gif(frames: int = 3000, size: tuple[int, int] = (16, 16)) -> bytes:
    """An animated GIF: the first frame red, every other frame green or blue."""
    first = Image.new("RGB", size, (255, 0, 0))
    rest = [
        Image.new("RGB", size, (0, 255, 0) if n % 2 else (0, 0, 255)) for n in range(frames - 1)
    ]
    out = io.BytesIO()
    first.save(out, format="GIF", save_all=True, append_images=rest, duration=20, loop=0)
    return out.getvalue()


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10" fill="red"/></svg>'
)
HTML_PAGE = b"<!DOCTYPE html><html><head><title>404</title></head><body>Not found</body></html>"
