"""The body of a very long article, drawn line by line.

Textual's Markdown widget makes several widgets per block and lays all of them out again
each time a batch is mounted, which takes minutes for an article of hundreds of sections.
Here the Markdown is rendered by Rich one section at a time in a thread, into lines that
are drawn only where visible; each heading's line is known exactly, so section jumps land
on it.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import Heading, Markdown, MarkdownElement
from rich.style import Style
from rich.theme import Theme
from textual import events, work
from textual.geometry import Size
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget

# An ATX heading line: up to three spaces, one to six #, then the heading text.
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"[*_`]+")
_ESCAPE = re.compile(r"\\(.)")

# Articles above this size, or with more blocks than this, are drawn as lines: measured at
# 140x40, a 27 KB article took 1.4 s to first paint in the Markdown widget and 0.3 s here.
LONG_ARTICLE_CHARS = 20_000
LONG_ARTICLE_BLOCKS = 100


def is_long(markdown: str) -> bool:
    """Whether ``markdown`` is too large for the Markdown widget to show promptly."""
    if len(markdown) > LONG_ARTICLE_CHARS:
        return True
    # A rough count of widgets: blocks between blank lines, and table rows.
    blocks = markdown.count("\n\n") + markdown.count("\n|")
    return blocks > LONG_ARTICLE_BLOCKS


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
    return _ESCAPE.sub(r"\1", text).strip()


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


class _Markdown(Markdown):
    elements: ClassVar[dict[str, type[MarkdownElement]]] = {
        **Markdown.elements,
        "heading_open": _Heading,
    }


@dataclass(frozen=True)
class RenderedSection:
    level: int
    label: str
    lines: list[Strip]


def render_section(section: Section, console: Console, width: int) -> list[Strip]:
    """``section`` as lines of at most ``width`` cells."""
    if not section.markdown.strip():
        return []
    options = console.options.update(width=width)
    rendered = console.render_lines(
        _Markdown(section.markdown, code_theme="monokai", hyperlinks=False), options, pad=False
    )
    return [Strip(line) for line in rendered]


class LongArticleBody(Widget):
    """A long article's Markdown as lines; headings at known lines."""

    DEFAULT_CSS = """
    LongArticleBody {
        height: auto;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "long-article--h1",
        "long-article--h2",
        "long-article--h3",
        "long-article--h4",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[Strip] = []
        # (level, label, first line) of each heading drawn so far.
        self.headings: list[tuple[int, str, int]] = []
        self.complete = True
        self.on_sections: Callable[[list[tuple[int, str, int]]], None] | None = None
        self.on_restart: Callable[[], None] | None = None
        self._markdown = ""
        self._width = 0
        self._generation = 0

    # -- content ----------------------------------------------------------------------------

    def show(self, markdown: str) -> None:
        """Start drawing ``markdown`` (in a thread, section by section) at the body's width."""
        self._markdown = markdown
        self._width = 0
        self.lines = []
        self.headings = []
        self.complete = False
        if self.size.width > 0:
            self._start(self.size.width)
        else:
            self.refresh(layout=True)  # Drawn once laid out (see on_resize).

    def clear(self) -> None:
        self._markdown = ""
        self._generation += 1
        self.lines = []
        self.headings = []
        self.complete = True
        self.refresh(layout=True)

    def _start(self, width: int) -> None:
        self._generation += 1
        self._width = width
        self.lines = []
        self.headings = []
        self.complete = False
        self.refresh(layout=True)
        self._draw_lines(self._markdown, width, self._generation, self._theme())

    def _theme(self) -> Theme:
        styles: dict[str, str | Style] = {}
        for level in range(1, 7):
            name = f"long-article--h{min(level, 4)}"
            styles[f"markdown.h{level}"] = self.get_component_rich_style(name, partial=True)
        return Theme(styles)

    @work(thread=True, exclusive=True, group="long-article", exit_on_error=False)
    def _draw_lines(self, markdown: str, width: int, generation: int, theme: Theme) -> None:
        console = Console(
            width=width,
            color_system="truecolor",
            theme=theme,
            force_terminal=True,
            legacy_windows=False,
            file=io.StringIO(),  # only lines are rendered: nothing is written
        )
        batch: list[RenderedSection] = []
        sent = time.monotonic()
        for section in split_sections(markdown):
            if generation != self._generation:
                return
            lines = render_section(section, console, width)
            batch.append(RenderedSection(section.level, section.label, lines))
            # The first screenful promptly, then in steps that keep the screen moving.
            if not self.lines or time.monotonic() - sent > 0.1:
                self.app.call_from_thread(self._add, generation, batch, False)
                batch = []
                sent = time.monotonic()
        self.app.call_from_thread(self._add, generation, batch, True)

    def _add(self, generation: int, sections: list[RenderedSection], done: bool) -> None:
        if generation != self._generation:
            return
        added: list[tuple[int, str, int]] = []
        for section in sections:
            if not section.lines:
                continue
            if self.lines:
                self.lines.append(Strip([]))
            if section.level:
                added.append((section.level, section.label, len(self.lines)))
            self.lines.extend(section.lines)
        self.headings.extend(added)
        self.complete = done
        self.refresh(layout=True)
        if (added or done) and self.on_sections is not None:
            self.on_sections(added)

    # -- drawing ----------------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines)

    def on_resize(self, event: events.Resize) -> None:
        width = self.size.width
        if self._markdown and width > 0 and width != self._width:
            if self._width and self.on_restart is not None:
                self.on_restart()
            self._start(width)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected part of the drawn lines (the widget draws lines, not one renderable)."""
        text = "\n".join(strip.text.rstrip() for strip in self.lines)
        return selection.extract(text), "\n"

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self.rich_style
        strip = self.lines[y] if 0 <= y < len(self.lines) else Strip([])
        return strip.apply_style(style).crop_extend(0, width, style)
