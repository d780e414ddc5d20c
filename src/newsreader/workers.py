"""The process pool a refresh parses and stores feeds in, and how it never outlives its owner.

Workers fork from a forkserver that has already imported the parser. Left alone, a pool's
processes outlive a refreshing process killed by a signal: workers block forever waiting
for work, and the forkserver and the resource tracker live as long as any worker does,
all holding the cache open and the caller's output pipe, so a script reading that pipe to
its end never finishes. So each worker:

* sends its standard streams to ``/dev/null`` (it never prints; the caller's pipe must
  close when the refreshing process ends);
* watches the refreshing process and exits as soon as it is gone: through a pidfd where
  Linux offers one (immediate, and a zombie counts as gone), else by polling; and asks
  the kernel to kill it when its own parent dies (``PR_SET_PDEATHSIG``);
* runs at a lower priority than the process it works for.

Once the workers are gone, the forkserver and the resource tracker see their pipes close
and exit too. :func:`stop_pool` ends the workers at once when a refresh is cancelled (by
SIGTERM, SIGHUP or Ctrl-C).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Coroutine
from concurrent.futures import Executor
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")

PRELOAD = ["newsreader.refresh_storing", "newsreader.ingest.feed", "feedparser", "nh3"]
MAX_WORKERS = 4
POLL_SECONDS = 0.25  # how often a worker checks its owner where there is no pidfd
PR_SET_PDEATHSIG = 1


def start_pool() -> Executor | None:
    """A process pool for parsing, when there is more than one core."""
    return process_pool(MAX_WORKERS, PRELOAD, guarded=True)


def process_pool(
    most: int,
    preload: list[str],
    *,
    guarded: bool = False,
) -> ProcessPoolExecutor | None:
    """A pool of at most ``most`` worker processes (one per core), or None with a single
    core or when none can be started. On POSIX the workers fork from multiprocessing's
    forkserver, which imports ``preload`` first (it is one server per process: whichever pool
    starts it decides); elsewhere they are spawned. ``guarded`` workers run
    :func:`guard_worker` (they die with this process and give way to it)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if not cores or cores < 2:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.context import BaseContext

    try:
        context: BaseContext
        if os.name == "posix":
            start_resource_tracker()
            forkserver = multiprocessing.get_context("forkserver")
            forkserver.set_forkserver_preload(preload)
            context = forkserver
        else:
            context = multiprocessing.get_context("spawn")
        if guarded:
            return ProcessPoolExecutor(
                max_workers=min(cores, most),
                mp_context=context,
                initializer=guard_worker,
                initargs=(os.getpid(),),
            )
        return ProcessPoolExecutor(max_workers=min(cores, most), mp_context=context)
    except (OSError, ValueError):
        return None


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (which every process pool's locks need)
    with a standard error it can be given (:func:`process_pool` does, before each pool).

    The tracker is started with ``sys.stderr``'s file descriptor. Inside the app that is
    Textual's capture, whose ``fileno()`` is -1, and starting the tracker failed ("bad
    value(s) in fds_to_keep"): the app's refreshes then parsed in threads of the app's own
    process, and its event loop waited for them (stalls of 0.2-0.6 s in
    ``bench/refresh_ui_lag.py``). Such a stream is replaced by ``/dev/null`` while the
    tracker starts (its warnings would only garble the app's screen).
    """
    import contextlib
    from multiprocessing import resource_tracker

    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):  # no file descriptor at all
        usable = False
    if usable:
        resource_tracker.ensure_running()
        return
    with open(os.devnull, "w") as null, contextlib.redirect_stderr(null):
        resource_tracker.ensure_running()


def warm_pool(executor: Executor) -> None:
    """Start all of a pool's workers now (a pool starts them one per task otherwise)."""
    try:
        for future in [executor.submit(int) for _ in range(MAX_WORKERS)]:
            future.result()
    except Exception:  # a pool that cannot start: its first real task finds out
        return


def stop_pool(executor: Executor, terminate: bool = False) -> None:
    """Shut a pool down; with ``terminate``, end its workers now rather than when idle."""
    # concurrent.futures has no public way to end busy workers before Python 3.14, and
    # shutdown() forgets the processes: take them first.
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    if not terminate:
        return
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + 2.0
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()


class LazyPool:
    """A pool for one refresh, started on request or first need, in a thread: starting its
    processes (the forkserver imports the parser first) would otherwise hold up the event
    loop and its fetches."""

    def __init__(self) -> None:
        self.wanted = False  # start it on first need
        self.executor: Executor | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    @property
    def started(self) -> bool:
        """Whether it was started (it may have stopped since: it is not started again)."""
        return self._thread is not None

    def start(self) -> None:
        self.wanted = False
        self._thread = threading.Thread(target=self._warm, name="pool-start", daemon=True)
        self._thread.start()

    def _warm(self) -> None:
        try:
            self.executor = start_pool()
            if self.executor is not None:
                warm_pool(self.executor)
        finally:
            self._ready.set()

    async def get(self) -> Executor | None:
        """The pool once its workers run, or None (not wanted, one core, or broken)."""
        import asyncio

        if self._thread is None:
            if not self.wanted:
                return None
            self.start()
        if not self._ready.is_set():
            await asyncio.to_thread(self._ready.wait)
        return self.executor

    def stop(self, terminate: bool = False) -> None:
        """Shut it down (it is not started again); ``terminate`` ends busy workers now."""
        self.wanted = False
        if self._thread is not None:
            self._thread.join()
        executor, self.executor = self.executor, None
        if executor is not None:
            stop_pool(executor, terminate=terminate)


# -- the owning process ----------------------------------------------------------------------


async def until_signalled(work: Coroutine[object, object, T], received: list[int]) -> T | None:
    """``work``'s result, or None when SIGTERM or SIGHUP cancelled it (noted in ``received``)."""
    import asyncio
    import signal

    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(work)
    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    handled: list[int] = []

    def stop(signum: int) -> None:
        received.append(signum)
        task.cancel()

    for signum in wanted:
        try:
            loop.add_signal_handler(signum, stop, signum)
            handled.append(signum)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread, or no signals here: the default action stands
    try:
        return await task
    except asyncio.CancelledError:
        if received:
            return None
        raise
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)


# -- in the worker ----------------------------------------------------------------------------


WORKER_NICENESS = 10


def guard_worker(owner: int) -> None:
    """Pool initializer: let go of the caller's streams, die with ``owner`` and give way to it.

    The workers run at a lower priority (``WORKER_NICENESS``): while they parse on every
    core, the owner's event loop (the app's keys, the fetches) and its writer get the CPU
    first when they need it. In ``bench/refresh_ui_lag.py`` the app's loop stalled half as
    long, and the refresh itself ended sooner, the fetching and storing keeping ahead.
    """
    _detach_streams()
    _die_with_parent()
    _watch(owner)
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)


def _detach_streams() -> None:
    """Point file descriptors 0, 1 and 2 at ``/dev/null``."""
    try:
        null = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    for descriptor in (0, 1, 2):
        with contextlib.suppress(OSError):
            os.dup2(null, descriptor)
    if null > 2:
        os.close(null)


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent (the forkserver) dies."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _watch(owner: int) -> None:
    """Exit this worker as soon as the process that owns the pool has ended."""
    pidfd_open = getattr(os, "pidfd_open", None)
    if pidfd_open is not None:
        try:
            descriptor = pidfd_open(owner)
        except OSError:
            descriptor = -1
        if descriptor >= 0:
            threading.Thread(
                target=_wait_pidfd, args=(descriptor,), name="owner-watch", daemon=True
            ).start()
            return
    if not _alive(owner):
        os._exit(1)
    threading.Thread(target=_poll, args=(owner,), name="owner-watch", daemon=True).start()


def _wait_pidfd(descriptor: int) -> None:
    import select

    poller = select.poll()
    poller.register(descriptor, select.POLLIN)
    while not poller.poll():  # readable once the process has exited (zombie or reaped)
        pass
    os._exit(1)


def _poll(owner: int) -> None:
    parent = os.getppid()
    while _alive(owner) and os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            state = stat.read().rsplit(b")", 1)[1].split()[0]
        return state not in (b"Z", b"X")
    except FileNotFoundError:
        return False
    except (OSError, IndexError):
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
