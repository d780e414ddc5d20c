"""The one writer of a refresh: a thread that does every write, many sources per transaction.

Parsing processes and fetches hand their results over as small functions of the store;
the writer runs each inside a savepoint (a failing one is undone alone and reported to its
caller) and commits a batch when nothing more is waiting (while the refresh says more is
coming: :data:`BATCH_SECONDS` after the batch's first result came) or after
:data:`BATCH_SECONDS` of writing,
so the file's write lock is held briefly and readers (the app's own read-only connection,
in WAL mode) are never blocked. With one writer there is no queueing on SQLite's lock and
no busy handler sleeping in steps of up to 100 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from newsreader.store import Store

T = TypeVar("T")

BATCH_SECONDS = 0.1  # a batch commits once it has been open this long
# While the refresh says more results are on their way, the writer waits up to
# BATCH_SECONDS for them before it opens a transaction (holding no lock meanwhile): fewer,
# larger batches each write one segment of the search index, and each index segment and
# trigger swap has a fixed cost. It asks again every LINGER_STEP.
LINGER_STEP = 0.02
MAX_GATHERED = 256

_Work = tuple[Callable[[Store], Any], asyncio.AbstractEventLoop, "asyncio.Future[Any]"]


class BatchWriter:
    """Runs write functions on ``store`` in one thread, batched into transactions."""

    def __init__(
        self,
        store: Store,
        batch_seconds: float = BATCH_SECONDS,
        more_coming: Callable[[], bool] | None = None,
    ) -> None:
        """``more_coming()`` (called in the writer's thread) says whether more work will be
        submitted soon, worth waiting for; without it a batch holds what is waiting."""
        self.store = store
        self.batch_seconds = batch_seconds
        self._more_coming = more_coming
        self.batches = 0  # transactions committed (for tests and benchmarks)
        self._queue: queue.SimpleQueue[_Work | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="refresh-writer", daemon=True)
        self._thread.start()

    async def submit(self, work: Callable[[Store], T]) -> T:
        """``work(store)``'s result, once the batch that ran it has committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.put((work, loop, future))
        return await future

    def close(self) -> None:
        """Write what was submitted, then end the thread."""
        self._queue.put(None)
        self._thread.join()

    def _gather(self, first: _Work) -> tuple[list[_Work], bool]:
        """``first`` and what else is waiting; while ``more_coming()`` says more work is on its
        way, also what arrives within :attr:`batch_seconds` of ``first`` (no transaction is
        open meanwhile). Returns the items and whether :meth:`close` was asked."""
        items = [first]
        started = time.monotonic()
        while len(items) < MAX_GATHERED:
            try:
                next_item = self._queue.get_nowait()
            except queue.Empty:
                remaining = self.batch_seconds - (time.monotonic() - started)
                if remaining <= 0 or self._more_coming is None or not self._more_coming():
                    break
                try:
                    next_item = self._queue.get(timeout=min(remaining, LINGER_STEP))
                except queue.Empty:
                    continue  # look again whether more is coming
            if next_item is None:
                return items, True
            items.append(next_item)
        return items, False

    def _run(self) -> None:
        stop = False
        waiting: list[_Work] = []
        while waiting or not stop:
            if not waiting:
                first = self._queue.get()
                if first is None:
                    return
                waiting, stop = self._gather(first)
            settled: list[tuple[_Work, Any, BaseException | None]] = []
            started = time.monotonic()
            item = waiting[0]
            try:
                with self.store.batch(), self.store.indexing_at_end():
                    while waiting:
                        item = waiting.pop(0)
                        settled.append(self._one(item))
                        if time.monotonic() - started >= self.batch_seconds:
                            break
                self.batches += 1
            except Exception as failure:  # the commit failed: nothing of the batch was kept
                if waiting and waiting[0] is item:  # never run: it fails with the batch
                    waiting.pop(0)
                if not any(done is item for done, _, _ in settled):
                    # Failed before running it (writes refused, the file locked): say so too.
                    settled.append((item, None, failure))
                settled = [(work, None, error or failure) for work, _, error in settled]
            for work, result, error in settled:
                _settle(work, result, error)

    def _one(self, item: _Work) -> tuple[_Work, Any, BaseException | None]:
        work, _loop, future = item
        if future.cancelled():  # its refresh was cancelled: write nothing more for it
            return item, None, asyncio.CancelledError()
        try:
            with self.store.batch():  # a savepoint: undone alone if it fails
                return item, work(self.store), None
        except Exception as error:
            return item, None, error


def _settle(item: _Work, result: Any, error: BaseException | None) -> None:
    _work, loop, future = item

    def settle() -> None:
        if future.done():
            return
        if error is None:
            future.set_result(result)
        else:
            future.set_exception(error)

    with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits for it any more
        loop.call_soon_threadsafe(settle)
