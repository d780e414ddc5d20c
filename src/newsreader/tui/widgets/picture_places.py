"""Where pictures stand in a line-drawn article: a marker in the Markdown, then placeholder
rows and a caption in the drawn lines, over which the picture is drawn once loaded."""

from __future__ import annotations

import re

from rich.style import Style
from textual.strip import Strip

# A picture stands in the Markdown as this marker (private-use characters: never in text).
PICTURE_MARK = "\ue000{}\ue001"
_PICTURE = re.compile("\ue000(\\d+)\ue001")


def place_pictures(
    lines: list[Strip], rows: int, captions: dict[int, str]
) -> tuple[list[Strip], list[tuple[int, int]]]:
    """Replace each picture marker in ``lines`` by ``rows`` placeholder lines and a caption.

    Returns the new lines and (picture index, first placeholder line) for each picture.
    """
    if not any("\ue000" in line.text for line in lines):
        return lines, []
    from rich.segment import Segment

    out: list[Strip] = []
    placed: list[tuple[int, int]] = []
    dim = Style(dim=True)
    for line in lines:
        found = [int(n) for n in _PICTURE.findall(line.text)]
        if not found:
            out.append(line)
            continue
        rest = Strip(
            [Segment(_PICTURE.sub("", seg.text), seg.style) for seg in line if not seg.control]
        )
        if rest.text.strip():
            out.append(rest)
        for index in found:
            placed.append((index, len(out)))
            out.extend(Strip([Segment("░", dim)]) for _ in range(rows))
            caption = captions.get(index, "")
            out.append(Strip([Segment(f"🖼 {caption}".rstrip(), dim)]))
    return out, placed
