"""Drawing only what changed in a list that scrolls a row at a time.

Textual draws every line of a widget again when it scrolls, and its scrollbar whenever the
scroll position changes. In a list of 100,000 rows that moves by one row, 31 of 32 lines were
on screen in the last update (one line higher), and the scrollbar's thumb moves an eighth of a
cell every few hundred rows: most of a frame's drawing is made again unchanged.

:class:`FinishedLines` keeps what Textual made of each content line (border, background,
filters around it), keyed by the content strip the widget drew: a line whose content strip is
the same object as before is not styled again. :class:`SteadyScrollBar` keeps its lines while
the bar it draws is the same. Both hand everything else to Textual, so the screen is exactly
what Textual alone would draw.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget

#: Draws lines of a widget in a region of it (``Widget.render_lines``).
RenderLines = Callable[[Region], list[Strip]]


class FinishedLines:
    """The styled lines of a line-API widget, by the content strip each was made from.

    The widget's ``render_line`` must give the same :class:`Strip` object for the same
    content (a cache of drawn rows does), and call ``refresh`` when anything else it draws
    changes, as Textual asks of every widget.
    """

    def __init__(self, size: int = 512) -> None:
        # id(content strip) -> (content strip, styled line); the strip is kept so its id
        # stays its own while the entry lives.
        self._lines: LRUCache[int, tuple[Strip, Strip]] = LRUCache(size)
        # (y, title, subtitle) -> a line of the border or padding above or below the content.
        self._edges: dict[tuple[int, str, str], Strip] = {}
        self._context: tuple[object, ...] | None = None
        #: Lines styled by Textual (not found here) since made: for tests and measures.
        self.styled = 0

    def clear(self) -> None:
        self._lines.clear()
        self._edges.clear()

    def _around(self, widget: Widget, crop: Region) -> tuple[object, ...]:
        """Everything outside the content a styled content line depends on."""
        styles = widget.styles
        app = widget.app
        return (
            crop.column_span,
            widget.region.size,
            widget.content_region.size,
            widget.background_colors,
            styles.border,
            styles.border_title_align,
            styles.border_title_color,
            styles.border_title_background,
            styles.border_title_style,
            styles.border_subtitle_align,
            styles.border_subtitle_color,
            styles.border_subtitle_background,
            styles.border_subtitle_style,
            styles.outline,
            styles.padding,
            styles.text_opacity,
            styles.tint,
            styles.hatch if styles.has_rule("hatch") else None,
            widget.opacity,
            tuple(id(line_filter) for line_filter in widget.get_line_filters()),
            id(app.ansi_theme),
            app.native_ansi_color,
        )

    def render(
        self, widget: Widget, crop: Region, content: Callable[[int], Strip], render: RenderLines
    ) -> list[Strip]:
        """``widget``'s lines in ``crop`` (as ``render`` draws them); ``content(y)`` is the
        widget's content line ``y`` (its ``render_line``)."""
        context = self._around(widget, crop)
        if context != self._context:
            self.clear()
            self._context = context
        styles = widget.styles
        top, _, bottom, _ = styles.gutter
        height = widget.region.height
        content_height = widget.content_region.height
        outlined = styles.outline[0][0] != "" or styles.outline[2][0] != ""
        titles = (widget.border_title or "", widget.border_subtitle or "")
        found: list[Strip | None] = []
        contents: list[Strip | None] = []
        for y in crop.line_range:
            strip = None
            line = None
            # An outline is drawn over the lines: they are left to Textual.
            if not outlined and top <= y < height - bottom:
                if y - top < content_height:
                    line = content(y - top)
                    entry = self._lines.get(id(line))
                    if entry is not None and entry[0] is line:
                        strip = entry[1]
            elif not outlined:
                strip = self._edges.get((y, *titles))
            found.append(strip)
            contents.append(line)
        # The lines not found, drawn by Textual a run of lines at a time.
        y = crop.y
        for missing, run in groupby(range(len(found)), key=lambda index: found[index] is None):
            indexes = list(run)
            if missing:
                first = indexes[0]
                drawn = render(Region(crop.x, y + first, crop.width, len(indexes)))
                self.styled += len(indexes)
                for index, strip in zip(indexes, drawn, strict=True):
                    found[index] = strip
                    line = contents[index]
                    if line is not None:
                        self._lines[id(line)] = (line, strip)
                    elif not outlined and not top <= index + y < height - bottom:
                        if len(self._edges) > 64:
                            self._edges.clear()
                        self._edges[(index + y, *titles)] = strip
        return [strip for strip in found if strip is not None]


class SteadyScrollBar(ScrollBar):
    """A scrollbar drawn again only when the bar it shows changes.

    Its position changes with every row scrolled; at 100,000 rows the thumb moves a step
    (an eighth of a cell) only every few hundred.
    """

    def __init__(self, vertical: bool = True, name: str | None = None, *, thickness: int = 1):
        super().__init__(vertical, name, thickness=thickness)
        self._drawn: tuple[object, list[Strip]] | None = None
        #: Times the bar was drawn by Textual: for tests and measures.
        self.drawings = 0

    def _shown(self, crop: Region) -> object:
        """Everything the lines in ``crop`` depend on: the bar's cells among them."""
        renderable = self.render()
        app = self.app
        key: tuple[object, ...] = (
            crop,
            self.region.size,
            self.background_colors,
            self.opacity,
            tuple(id(line_filter) for line_filter in self.get_line_filters()),
            id(app.ansi_theme),
            app.native_ansi_color,
        )
        if not isinstance(renderable, ScrollBarRender):
            return None
        length = self.size.height if renderable.vertical else self.size.width
        bar = renderable.render_bar(
            size=length,
            virtual_size=renderable.virtual_size,
            window_size=renderable.window_size,
            position=renderable.position,
            thickness=renderable.thickness,
            vertical=renderable.vertical,
        )
        return (*key, renderable.style, renderable.thickness, tuple(bar.segments))

    def render_lines(self, crop: Region) -> list[Strip]:
        shown = self._shown(crop)
        drawn = self._drawn
        if shown is not None and drawn is not None and drawn[0] == shown:
            return drawn[1]
        strips = super().render_lines(crop)
        self.drawings += 1
        self._drawn = (shown, strips) if shown is not None else None
        return strips

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn = None


def steady_vertical_scrollbar(widget: Widget) -> ScrollBar:
    """``widget``'s vertical scrollbar, made a :class:`SteadyScrollBar` (as
    ``Widget.vertical_scrollbar`` makes a plain one)."""
    bar = widget._vertical_scrollbar
    if bar is None:
        bar = SteadyScrollBar(
            vertical=True, name="vertical", thickness=widget.scrollbar_size_vertical
        )
        bar.display = False
        widget._vertical_scrollbar = bar
        widget.app._start_widget(widget, bar)
    return bar


class ReusingScrollView(ScrollView):
    """A line-API scroll view that styles again only the lines whose content changed
    (:class:`FinishedLines`) and draws its vertical scrollbar again only when the thumb
    moves (:class:`SteadyScrollBar`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.finished = FinishedLines()

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        return steady_vertical_scrollbar(self)

    def render_lines(self, crop: Region) -> list[Strip]:
        return self.finished.render(self, crop, self.render_line, super().render_lines)

    def resize_content(self, size: Size) -> None:
        """Set the virtual size without laying the whole screen out again when only the
        scrollbar's thumb changes.

        Textual lays out every widget of the screen when a virtual size changes (10-20 ms
        with the main screen's panes). A line-API view's virtual size decides nothing of the
        layout but whether its scrollbars show: those are updated here, and a scrollbar that
        appears or goes still lays the screen out (``show_vertical_scrollbar`` does).
        """
        if size == self.virtual_size:
            return
        if not self.is_mounted or not self.container_size:
            self.virtual_size = size
            return
        self.set_reactive(ReusingScrollView.virtual_size, size)
        self._scroll_update(size)
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.finished.clear()
