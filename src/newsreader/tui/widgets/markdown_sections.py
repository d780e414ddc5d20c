"""An article's Markdown cut into sections and rendered by Rich into lines.

The long article body draws these lines itself; each section starts at a heading, so the
heading's line is known exactly.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import Heading, ImageItem, Markdown, MarkdownContext, MarkdownElement
from rich.text import TextType
from rich.theme import Theme
from textual.strip import Strip

from newsreader.ingest.markdown_syntax import unescape
from newsreader.tui.widgets.markdown_parser import ReusedParserMarkdown
from newsreader.tui.widgets.picture_places import place_pictures

__all__ = [
    "RenderedSection",
    "Section",
    "heading_label",
    "line_console",
    "render_section",
    "rendered_section",
    "split_sections",
]

# An ATX heading line: up to three spaces, one to six #, then the heading text.
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"[*_`]+")


@dataclass(frozen=True)
class Section:
    """A run of Markdown from one heading to the next (the first may have no heading)."""

    level: int
    label: str
    markdown: str


def heading_label(text: str) -> str:
    """The plain text of a heading's inline Markdown."""
    text = _INLINE_LINK.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    return unescape(text).strip()


def split_sections(markdown: str) -> Iterator[Section]:
    """Cut ``markdown`` before each ATX heading outside code fences."""
    lines: list[str] = []
    level, label = 0, ""
    fence = ""
    for line in markdown.splitlines():
        if fence:
            if line.strip().startswith(fence):
                fence = ""
        elif match := _FENCE.match(line):
            fence = match.group(1)
        elif match := _HEADING.match(line):
            if lines or level:
                yield Section(level, label, "\n".join(lines))
            level, label, lines = len(match.group(1)), heading_label(match.group(2) or ""), []
        lines.append(line)
    if lines or level:
        yield Section(level, label, "\n".join(lines))


class _Heading(Heading):
    """Headings on the left at every level, as in the Markdown widget's styles here."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = self.text.copy()
        text.justify = "left"
        yield text


class _ImageItem(ImageItem):
    """A picture shown as its alt text (pictures hidden or not drawn): Rich is given the alt
    text as written in the Markdown, so its escapes ("\\[2024\\]") are taken out here."""

    def on_text(self, context: MarkdownContext, text: TextType) -> None:
        if isinstance(text, str):
            text = unescape(text)
        super().on_text(context, text)


class _Markdown(ReusedParserMarkdown):
    elements: ClassVar[dict[str, type[MarkdownElement]]] = {
        **Markdown.elements,
        "heading_open": _Heading,
        "image": _ImageItem,
    }


@dataclass(frozen=True)
class RenderedSection:
    level: int
    label: str
    lines: list[Strip]
    pictures: list[tuple[int, int]]  # (picture index, its first line in ``lines``)


def render_section(section: Section, console: Console, width: int) -> list[Strip]:
    """``section`` as lines of at most ``width`` cells."""
    if not section.markdown.strip():
        return []
    options = console.options.update(width=width)
    rendered = console.render_lines(
        _Markdown(section.markdown, code_theme="monokai", hyperlinks=True), options, pad=False
    )
    return [Strip(line) for line in rendered]


def line_console(width: int, theme: Theme) -> Console:
    return Console(
        width=width,
        color_system="truecolor",
        theme=theme,
        force_terminal=True,
        legacy_windows=False,
        file=io.StringIO(),  # only lines are rendered: nothing is written
    )


def rendered_section(
    section: Section, console: Console, width: int, rows: int, captions: dict[int, str]
) -> RenderedSection:
    lines = render_section(section, console, width)
    lines, placed = place_pictures(lines, rows, captions)
    return RenderedSection(section.level, section.label, lines, placed)
