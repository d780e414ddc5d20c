"""The images an article's Markdown refers to, in order, with where each one stands.

The article pane draws the body with Textual's ``Markdown`` widget, which parses with
markdown-it's ``gfm-like`` preset and keeps, on each top-level block it mounts, the source
lines it came from (``MarkdownBlock.source_range``). Parsing the same text with the same
preset here gives each image the line of its top-level block, so the pane can mount a
picture right after the block that holds the ``![alt](url)`` (an image inside a code block is
text, not a picture, and is not listed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ImageRef:
    """One ``![alt](url "title")`` in an article's Markdown."""

    index: int  # 0-based, in reading order
    url: str
    alt: str = ""
    title: str = ""
    line: int = 0  # 0-based source line of the paragraph (or cell, item) holding it
    block_start: int = 0  # 0-based source lines [block_start, block_end) of its top-level block
    block_end: int = 0

    @property
    def caption(self) -> str:
        """What to show under the picture: the title, else the alt text."""
        return self.title or self.alt


def find_image_refs(markdown: str) -> list[ImageRef]:
    """Every image of ``markdown`` in reading order (the order Textual renders them)."""
    if "![" not in markdown:
        return []
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("gfm-like").parse(markdown)
    refs: list[ImageRef] = []
    block = (0, 0)
    for token in tokens:
        if token.level == 0 and token.map is not None:
            block = (token.map[0], token.map[1])
        if token.type != "inline" or not token.children:
            continue
        line = token.map[0] if token.map is not None else block[0]
        for child in token.children:
            if child.type != "image":
                continue
            alt = "".join(grand.content for grand in child.children or ()) or child.content
            refs.append(
                ImageRef(
                    index=len(refs),
                    url=str(child.attrs.get("src", "")),
                    alt=alt,
                    title=str(child.attrs.get("title", "") or ""),
                    line=line,
                    block_start=block[0],
                    block_end=block[1],
                )
            )
    return refs


# ![alt](target "title"): the same shape the plain-text Markdown writer recognises.
_IMAGE = re.compile(r"!\[(?:[^\]\n]|\\\])*\]\((?:[^()\n]|\([^()\n]*\))*\)")
# [![alt](src)](href): a linked picture keeps its link, with the alt text as the words.
_LINKED_IMAGE = re.compile(r"\[!\[((?:[^\]\n]|\\\])*)\]\((?:[^()\n]|\([^()\n]*\))*\)\]\(")


def _link_words(match: re.Match[str]) -> str:
    return f"[{match.group(1) or 'image'}]("


def without_images(markdown: str) -> str:
    """``markdown`` with its ``![alt](url)`` removed (outside code), every line kept in place.

    When pictures are drawn beside the text, the text no longer needs its "🖼 alt"
    stand-ins; line numbers do not change, so the :class:`ImageRef` lines found before still
    say where each picture goes (after the last block that starts at or before its line).
    """
    if "![" not in markdown:
        return markdown
    from markdown_it import MarkdownIt

    code_lines: set[int] = set()
    for token in MarkdownIt("gfm-like").parse(markdown):
        if token.type in ("fence", "code_block") and token.map is not None:
            code_lines.update(range(token.map[0], token.map[1]))
    lines = markdown.split("\n")
    for number, line in enumerate(lines):
        if number not in code_lines and "![" in line:
            lines[number] = _IMAGE.sub("", _LINKED_IMAGE.sub(_link_words, line))
    return "\n".join(lines)
