"""The main screen's partial updates send exactly what Textual's own compositor would send,
while drawing only the widgets (and parts of them) inside the updated region."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip
from tui_helpers import add_articles

from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.cropped_compositor import CroppedCompositor
from newsreader.tui.screens.main import MainScreen

App = Callable[..., NewsreaderApp]


class Checked(CroppedCompositor):
    """Makes every partial update twice, cropped and as Textual does, and keeps both (and
    the widgets drawn for the cropped one)."""

    def __init__(self) -> None:
        super().__init__()
        self.updates: list[tuple[Any, Any, set[str]]] = []
        self._textual = False
        self._drawn: set[str] = set()

    def _get_renders(
        self, crop: Region | None = None
    ) -> Iterable[tuple[Region, Region, list[Strip]]]:
        if self._textual:
            return Compositor._get_renders(self, crop)
        renders = list(super()._get_renders(crop))
        self._drawn = {
            type(w).__name__
            for w, _ in self.visible_widgets.items()
            if any(r[0] == self.visible_widgets[w][0] for r in renders)
        }
        return renders

    def render_partial_update(self) -> Any:
        dirty = set(self._dirty_regions)
        ours = super().render_partial_update()
        self._dirty_regions.update(dirty)
        self._textual = True
        try:
            theirs = super().render_partial_update()
        finally:
            self._textual = False
        self.updates.append((ours, theirs, self._drawn))
        return ours


#: A cursor move followed by nothing to draw (another move, a line end, the end).
IDLE_MOVE = re.compile(r"\x1b\[\d+;\d+H(?=\x1b\[\d+;\d+H|\n|$)")


def sent(update: Any, app: NewsreaderApp) -> str:
    """What an update writes to the terminal, less the cursor moves that draw nothing.

    Textual moves the cursor to a widget's column that starts where an updated span ends
    and then draws nothing there; a cropped update does not draw that widget at all.
    """
    if update is None:
        return ""
    with app.console.capture() as capture:
        app.console.print(update, end="")
    return IDLE_MOVE.sub("", capture.get())


async def test_partial_updates_send_what_textual_sends(
    store: Store, make_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MainScreen, "compositor_class", Checked)
    add_articles(store, 120)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        checked = app.main._compositor
        assert isinstance(checked, Checked)
        for keys in (["j"] * 40, ["enter"], ["j", "j", "enter"], ["tab"], ["j", "j"], ["k"] * 3):
            await pilot.press(*keys)
            await app.workers.wait_for_complete()
            await pilot.pause(0.05)
        assert len(checked.updates) > 20
        for ours, theirs, _ in checked.updates:
            assert sent(ours, app) == sent(theirs, app)
        # A move of the cursor drew the list's column, not the article pane beside it.
        assert any("ArticleList" in d and "ArticlePane" not in d for _, _, d in checked.updates)
