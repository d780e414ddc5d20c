"""The article's body, drawn line by line.

Textual's Markdown widget makes several widgets per block and lays them out on the UI thread
(0.3 s for an ordinary article, minutes for one of hundreds of sections). Here the Markdown
is rendered by Rich one section at a time in a thread, into lines that are drawn only where
visible; each heading's line is known exactly, so section jumps land on it. Links keep their
target in their style: a click on one is posted as :class:`LongArticleBody.LinkClicked`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.theme import Theme
from textual import events, work
from textual.geometry import Region, Size
from textual.message import Message
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget

from newsreader.tui.widgets.markdown_sections import (
    RenderedSection,
    Section,
    line_console,
    rendered_section,
    split_sections,
)
from newsreader.tui.widgets.picture_places import PICTURE_MARK

if TYPE_CHECKING:
    from newsreader.tui.widgets.sixel_rows import SixelRows

__all__ = ["PICTURE_MARK", "LongArticleBody", "Section", "split_sections"]

# Bodies up to this size are rendered on the UI thread (a few milliseconds), larger ones in a
# thread, section by section.
DRAW_HERE_CHARS = 8_000
# A larger body's lines are added in batches at most this often (after the first lines).
BATCH_SECONDS = 0.25


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
        "long-article--link",
        "long-article--match",
    }

    @dataclass
    class LinkClicked(Message):
        """A link in the body was clicked (its target as written: a URL or ``#anchor``)."""

        href: str

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
        # Pictures: their caption by index, how many rows each gets, and where each stands.
        self.captions: dict[int, str] = {}
        self.picture_rows = 0
        self.pictures: dict[int, int] = {}
        #: Picture lines not made yet, by line: (the picture's lines, which one). A picture's
        #: lines are made as they are first drawn (most are below the screen when it arrives).
        self._unmade: dict[int, tuple[Sequence[Strip], int]] = {}
        #: Pictures drawn in Sixel over blank lines, by index (see ``sixel_rows``).
        self.sixels: dict[int, SixelRows] = {}
        self.on_pictures: Callable[[list[tuple[int, int]]], None] | None = None
        #: Called once the first lines of each drawing are on screen: its pictures can be
        #: loaded before the drawing reaches their places.
        self.on_drawing: Callable[[], None] | None = None
        # The words of the active search, marked where they are drawn.
        self.highlight: re.Pattern[str] | None = None
        self._drawing_style: Style | None = None  # the style while lines are drawn

    # -- content ----------------------------------------------------------------------------

    def show(
        self,
        markdown: str,
        captions: dict[int, str] | None = None,
        picture_rows: int = 0,
        after_layout: bool = False,
    ) -> None:
        """Start drawing ``markdown`` (in a thread, section by section) at the body's width
        (``after_layout``: at the width it has once laid out again).

        Each picture marker (:data:`PICTURE_MARK`) becomes ``picture_rows`` placeholder lines
        and its caption; :meth:`set_picture` draws the picture over them.
        """
        self._markdown = markdown
        self.captions = dict(captions or {})
        self.picture_rows = picture_rows
        self._width = 0
        self._generation += 1  # a drawing under way for the last text stops
        self.lines = []
        self._unmade = {}
        self.sixels = {}
        self.headings = []
        self.complete = False
        if self.size.width > 0 and not after_layout:
            self._start(self.size.width)
        else:
            self.refresh(layout=True)  # Drawn once laid out (see on_resize).
            self.call_after_refresh(self._start_unless_started)

    def _start_unless_started(self) -> None:
        if self._markdown and not self._width and self.size.width > 0:
            self._start(self.size.width)

    @property
    def generation(self) -> int:
        """Counts the drawings of the body (a new width or text starts a new one)."""
        return self._generation

    def clear(self) -> None:
        self._markdown = ""
        self._generation += 1
        self.lines = []
        self._unmade = {}
        self.sixels = {}
        self.headings = []
        self.complete = True
        self.refresh(layout=True)

    def _start(self, width: int) -> None:
        self._generation += 1
        self._width = width
        self.lines = []
        self.headings = []
        self.pictures = {}
        self._unmade = {}
        self.sixels = {}
        self.complete = False
        self.refresh(layout=True)
        if len(self._markdown) <= DRAW_HERE_CHARS:
            # A short body is drawn in a few milliseconds: sooner here than a thread starts
            # (measured: 3-8 ms to render, 30-370 ms until a thread's first lines arrived).
            console = line_console(width, self._theme())
            sections = [
                rendered_section(section, console, width, self.picture_rows, self.captions)
                for section in split_sections(self._markdown)
            ]
            self._add(self._generation, sections, True)
            return
        self._draw_lines(self._markdown, width, self._generation, self._theme())

    def _theme(self) -> Theme:
        styles: dict[str, str | Style] = {}
        for level in range(1, 7):
            name = f"long-article--h{min(level, 4)}"
            styles[f"markdown.h{level}"] = self.get_component_rich_style(name, partial=True)
        link = self.get_component_rich_style("long-article--link", partial=True)
        styles["markdown.link"] = link
        styles["markdown.link_url"] = link
        return Theme(styles)

    # Described here: Textual would describe it by the repr of the whole text, on the UI thread.
    @work(
        thread=True, exclusive=True, group="long-article", exit_on_error=False, description="draw"
    )
    def _draw_lines(self, markdown: str, width: int, generation: int, theme: Theme) -> None:
        console = line_console(width, theme)
        batch: list[RenderedSection] = []
        sent = time.monotonic()
        for section in split_sections(markdown):
            if generation != self._generation:
                return
            batch.append(
                rendered_section(section, console, width, self.picture_rows, self.captions)
            )
            # The first lines promptly, then in steps that keep the scroll bar moving: each
            # step makes the body taller, and Textual draws all its lines on screen again.
            if not self.lines or time.monotonic() - sent > BATCH_SECONDS:
                self.app.call_from_thread(self._add, generation, batch, False)
                batch = []
                sent = time.monotonic()
        self.app.call_from_thread(self._add, generation, batch, True)

    def _add(self, generation: int, sections: list[RenderedSection], done: bool) -> None:
        if generation != self._generation:
            return
        added: list[tuple[int, str, int]] = []
        placed: list[tuple[int, int]] = []
        first = not self.lines
        for section in sections:
            if not section.lines:
                continue
            if self.lines:
                self.lines.append(Strip([]))
            if section.level:
                added.append((section.level, section.label, len(self.lines)))
            for index, line in section.pictures:
                self.pictures[index] = len(self.lines) + line
                placed.append((index, len(self.lines) + line))
            self.lines.extend(section.lines)
        self.headings.extend(added)
        self.complete = done
        self.refresh(layout=True)
        if (added or done) and self.on_sections is not None:
            self.on_sections(added)
        if placed and self.on_pictures is not None:
            self.on_pictures(placed)
        if first and self.lines and self.captions and self.on_drawing is not None:
            self.call_after_refresh(self.on_drawing)

    def drop_picture(self, index: int, caption: str) -> None:
        """Picture ``index`` will not be drawn: its placeholder goes, ``caption`` stays."""
        from rich.segment import Segment

        first = self.pictures.pop(index, None)
        self.sixels.pop(index, None)
        if first is None:
            return
        rows = self.picture_rows
        del self.lines[first : first + rows]
        self.lines[first] = Strip([Segment(caption, Style(dim=True))])
        self._unmade = {
            y - rows if y > first else y: unmade
            for y, unmade in self._unmade.items()
            if not first <= y < first + rows
        }
        self.headings = [
            (level, label, line - rows if line > first else line)
            for level, label, line in self.headings
        ]
        self.pictures = {n: y - rows if y > first else y for n, y in self.pictures.items()}
        self.refresh(layout=True)

    def set_picture(
        self,
        index: int,
        strips: Sequence[Strip],
        caption: str | None = None,
        sixel: SixelRows | None = None,
    ) -> None:
        """Draw ``strips`` (at most :attr:`picture_rows` of them) over picture ``index``'s
        placeholder, and replace its caption when ``caption`` is given; ``sixel``: the
        picture is drawn in Sixel over those lines (blank ones).

        A line of ``strips`` is taken when it is first drawn (or read through
        :meth:`line`), so a lazy sequence makes only the lines that are shown.
        """
        from rich.segment import Segment

        first = self.pictures.get(index)
        if first is None:
            return
        if sixel is None:
            self.sixels.pop(index, None)
        else:
            self.sixels[index] = sixel
        rows = self.picture_rows
        for offset in range(rows):
            y = first + offset
            if offset < len(strips):
                self._unmade[y] = (strips, offset)
            else:
                self._unmade.pop(y, None)
                self.lines[y] = Strip([])
        if caption is not None:
            self.lines[first + rows] = Strip([Segment(caption, Style(dim=True))])
        self.refresh(Region(0, first, self.size.width, rows + 1))  # only its lines

    def line(self, y: int) -> Strip:
        """Line ``y`` as drawn (a picture's line is made now if it was not yet)."""
        unmade = self._unmade.pop(y, None)
        if unmade is not None:
            strips, row = unmade
            self.lines[y] = strips[row]
        return self.lines[y]

    def all_lines(self) -> list[Strip]:
        """Every line as drawn (making the pictures' lines not made yet)."""
        for y in list(self._unmade):
            self.line(y)
        return self.lines

    # -- drawing ----------------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines)

    def on_resize(self, event: events.Resize) -> None:
        width = self.size.width
        if self._markdown and width > 0 and width != self._width:
            if self._width and self.on_restart is not None:
                self.on_restart()
            self._start(width)

    def on_click(self, event: events.Click) -> None:
        link = event.style.link
        if link:
            event.stop()
            self.post_message(self.LinkClicked(link))

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected part of the drawn lines (the widget draws lines, not one renderable)."""
        text = "\n".join(strip.text.rstrip() for strip in self.lines)
        return selection.extract(text), "\n"

    def set_highlight(self, pattern: re.Pattern[str] | None) -> None:
        self.highlight = pattern
        self.refresh()

    def match_lines(self) -> list[int]:
        """The lines drawn so far that hold a match of the search."""
        pattern = self.highlight
        if pattern is None:
            return []
        from newsreader.tui.match_marks import has_match

        return [y for y, strip in enumerate(self.lines) if has_match(strip, pattern)]

    def render_lines(self, crop: Region) -> list[Strip]:
        # The widget's style is the same for every line of one drawing: worked out once
        # (Textual walks the ancestors' styles for it), not once a line.
        self._drawing_style = self.rich_style
        try:
            strips = super().render_lines(crop)
        finally:
            self._drawing_style = None
        if self.sixels and self.screen.is_active:
            from newsreader.tui.widgets.sixel_rows import place_sixels

            region, content = self.region, self.content_region
            placed = [(self.pictures[n], p) for n, p in self.sixels.items() if n in self.pictures]
            gutter = (content.x - region.x, content.y - region.y)
            strips = place_sixels(strips, crop, placed, region.offset, gutter)
        return strips

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self._drawing_style or self.rich_style
        strip = self.line(y) if 0 <= y < len(self.lines) else Strip([])
        if self.highlight is not None:
            from newsreader.tui.match_marks import marked, match_spans

            spans = match_spans(strip, self.highlight)
            if spans:
                mark = self.get_component_rich_style("long-article--match", partial=True)
                strip = marked(strip, spans, mark)
        return strip.apply_style(style).crop_extend(0, width, style)
