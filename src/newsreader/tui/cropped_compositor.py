"""A compositor that draws, of each widget, only the part inside the region being updated.

Textual's partial screen update takes the union of the dirty regions as its crop, then draws
every widget whose clip overlaps it, each over its whole visible region, and divides each of
their lines at every cut. Moving the article list's cursor dirties the list's column; the
article pane, the feed list, header and footer were drawn and divided in full for it (a
third of a ``j``'s UI time). :class:`CroppedCompositor` skips the widgets outside the crop
and draws the others only on the crop's lines (at their full width: Textual divides each line
at the widgets' edges). A full update (the crop is the screen) is drawn exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip


class CroppedCompositor(Compositor):
    """Textual's compositor, drawing each widget only where it meets the update's crop."""

    def _get_renders(
        self, crop: Region | None = None
    ) -> Iterable[tuple[Region, Region, list[Strip]]]:
        if crop is None or crop == self.size.region:
            yield from super()._get_renders(crop)
            return
        top, bottom = crop.y, crop.bottom
        for widget, (region, clip) in self.visible_widgets.items():
            visible = region.intersection(clip)
            if not visible.overlaps(crop):
                continue
            # Only the crop's lines, at the widget's full width: the caller divides each line
            # at the screen's cuts, which are the widgets' edges (a line must start at one).
            y = max(visible.y, top)
            height = min(visible.bottom, bottom) - y
            clip = Region(visible.x, y, visible.width, height)
            part = Region(visible.x - region.x, y - region.y, visible.width, height)
            yield region, clip, widget.render_lines(part)
