"""A screen update timer that draws a key's frame as soon as the last frame is a frame ago.

Textual's screen redraws on a paused 60 Hz timer that the screen resumes when something is
dirty. After each tick the timer sets its next tick on a grid, one to two frames (17-33 ms)
after the tick ended, even while paused. A key that comes 20-30 ms after the last frame (a
held key, a typist) then waits up to 11 ms for that grid point with nothing to do: that wait
was the gap between a ``j``'s wall time and the UI thread's CPU time for it.

:class:`FrameTimer` keeps Textual's limit (at most one tick per frame period) but measures it
from the last tick's start: resumed a frame or more after it, it ticks at once.
:class:`PromptUpdates` gives a screen this timer in place of Textual's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import _time
from textual._compositor import Compositor
from textual.screen import UPDATE_PERIOD, Screen
from textual.timer import EventTargetGone, Timer

from newsreader.tui.cropped_compositor import CroppedCompositor

if TYPE_CHECKING:
    from textual._types import MessageTarget
    from textual.timer import TimerCallback


class FrameTimer(Timer):
    """A paused-by-default timer that ticks when resumed, at most once per ``interval``."""

    def __init__(
        self,
        event_target: MessageTarget,
        interval: float,
        *,
        name: str,
        callback: TimerCallback,
    ) -> None:
        super().__init__(event_target, interval, name=name, callback=callback, pause=True)
        #: When the last tick started (the event loop's monotonic clock).
        self.last_tick = float("-inf")
        #: Ticks that waited for the frame period to pass (for tests and measures).
        self.delayed = 0

    async def _run(self) -> None:
        while True:
            await self._active.wait()
            wait = self.last_tick + self._interval - _time.get_time()
            if wait > 0:
                self.delayed += 1
                await _time.sleep(wait)
                await self._active.wait()  # paused meanwhile: wait for the next resume
            self.last_tick = _time.get_time()
            try:
                await self._tick(next_timer=self.last_tick, count=0)
            except EventTargetGone:
                break


class PromptUpdates(Screen[None]):
    """A screen whose updates run on a :class:`FrameTimer` (see the module's docstring)."""

    _frame_timer: FrameTimer | None = None
    #: What lays out and draws the screen (see :mod:`newsreader.tui.cropped_compositor`).
    compositor_class: ClassVar[type[Compositor]] = CroppedCompositor

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._compositor = self.compositor_class()

    @property
    def _update_timer(self) -> Timer:
        # Textual's Screen makes its timer in this property, on first use, with set_interval.
        timer = self._frame_timer
        if timer is None:
            timer = FrameTimer(
                self, UPDATE_PERIOD, name="screen_update", callback=self._on_timer_update
            )
            timer._start()
            self._timers.add(timer)
            self._frame_timer = timer
        return timer
