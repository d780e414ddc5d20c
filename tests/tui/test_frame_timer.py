"""The main screen's updates: a key's frame is drawn at once when the last frame is a frame
period old, and never more often than Textual's frame rate."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from textual.screen import UPDATE_PERIOD
from tui_helpers import add_articles

from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.frame_timer import FrameTimer

App = Callable[..., NewsreaderApp]


def watch_frames(app: NewsreaderApp, timer: FrameTimer) -> list[tuple[float, int]]:
    """(tick started, ticks delayed so far) of every screen update drawn from now on."""
    frames: list[tuple[float, int]] = []
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        if renderable is not None:
            frames.append((timer.last_tick, timer.delayed))

    app._display = display  # type: ignore[method-assign]
    return frames


async def test_a_key_after_a_quiet_frame_period_is_drawn_without_waiting(
    store: Store, make_app: App
) -> None:
    add_articles(store, 60)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        timer = app.main._update_timer
        assert isinstance(timer, FrameTimer)
        frames = watch_frames(app, timer)
        for _ in range(10):
            # Textual's own timer would wait for its next grid point, one to two frame
            # periods after the last tick: a key this long after a frame waited for it.
            await asyncio.sleep(UPDATE_PERIOD * 1.3)
            frames.clear()
            delayed = timer.delayed
            await pilot.press("j")
            await pilot.pause()
            assert frames, "the key drew nothing"
            assert frames[0][1] == delayed  # its first frame did not wait for a grid point
        assert app.main.articles.cursor == 10


async def test_frames_never_come_faster_than_the_frame_rate(store: Store, make_app: App) -> None:
    add_articles(store, 60)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        timer = app.main._update_timer
        assert isinstance(timer, FrameTimer)
        frames = watch_frames(app, timer)
        for _ in range(30):
            app.main.articles.action_cursor_down()
            await asyncio.sleep(0.002)
        await pilot.pause(0.1)
        ticks = sorted({tick for tick, _ in frames})
        assert len(ticks) >= 3
        assert timer.delayed > 0  # keys came faster than frames: some ticks waited
        gaps = [later - earlier for earlier, later in pairwise(ticks)]
        # Textual's sleep ends 0.5 ms early to make up for asyncio's lateness.
        assert min(gaps) >= UPDATE_PERIOD - 0.0005
