"""No orphans: a `newsreader refresh` with a process pool, signalled mid-refresh, leaves no
process of its group behind 3 s later and closes the caller's output pipe.

The refresh runs in its own session (so its process group is its own) against feeds on a
local server that never answer until the test ends. This test process makes itself a
"child subreaper" while it runs, so that orphaned processes are handed to it, not to an
init that may never reap them (a zombie would still count as a member of the group).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from feed_server import rss

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="needs Linux (/proc, prctl)"
)

PR_SET_CHILD_SUBREAPER = 36
GRACE = 3.0  # seconds the whole group has to disappear in
FAST, SLOW = 6, 24  # feeds that answer at once (so the pool starts) and feeds that hang


def group_members(pgid: int) -> list[tuple[int, str]]:
    """(pid, state) of every process in the process group ``pgid``."""
    members = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:
            members.append((int(name), fields[0]))
    return members


@contextlib.contextmanager
def subreaper() -> Iterator[None]:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        pytest.skip("cannot become a child subreaper")
    try:
        yield
    finally:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


def reap(pgid: int) -> None:
    """Reap the group's zombies that were handed to this process."""
    for pid, state in group_members(pgid):
        if state == "Z":
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)


def group_gone(pgid: int) -> bool:
    reap(pgid)
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def busy_refresh(server: HTTPServer, isolated_home: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A refresh with a running process pool and feeds that hang."""
    release = threading.Event()

    def hang(request: Request) -> Response:
        release.wait(60)
        return Response(rss(1), content_type="application/xml")

    lines = ["[settings]", "refresh_on_start = false", "concurrency = 64", "per_host = 64", ""]
    for n in range(FAST):
        server.expect_request(f"/fast{n}").respond_with_data(rss(30, prefix=f"fast{n}"))
        lines += ["[[feeds]]", f'url = "{server.url_for(f"/fast{n}")}"', ""]
    for n in range(SLOW):
        server.expect_request(f"/slow{n}").respond_with_handler(hang)
        lines += ["[[feeds]]", f'url = "{server.url_for(f"/slow{n}")}"', ""]
    Path(os.environ["NEWSREADER_CONFIG"]).write_text("\n".join(lines), "utf-8")
    with subreaper():
        process = subprocess.Popen(
            [sys.executable, "-m", "newsreader", "refresh"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            release.set()
            for pid, _state in group_members(process.pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            process.wait(10)
            deadline = time.monotonic() + 5
            while not group_gone(process.pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if process.stdout is not None:
                process.stdout.close()


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_no_process_survives_a_signalled_refresh(
    busy_refresh: subprocess.Popen[bytes], signum: signal.Signals
) -> None:
    process = busy_refresh
    pgid = process.pid
    deadline = time.monotonic() + 60
    # The refreshing process, the resource tracker, the forkserver and at least one worker.
    while len(group_members(pgid)) < 4:
        assert process.poll() is None, "the refresh ended before its pool started"
        assert time.monotonic() < deadline, f"no pool started: {group_members(pgid)}"
        time.sleep(0.05)
    time.sleep(0.5)  # let the workers take on work
    assert process.stdout is not None
    stdout = process.stdout
    at_eof = threading.Event()

    def read_to_eof() -> None:
        while stdout.read(65536):
            pass
        at_eof.set()

    threading.Thread(target=read_to_eof, daemon=True).start()
    signalled = time.monotonic()
    os.kill(process.pid, signum)
    process.wait(GRACE)
    while not group_gone(pgid) and time.monotonic() - signalled < GRACE:
        time.sleep(0.05)
    survivors = group_members(pgid)
    assert survivors == [], f"still running {GRACE} s after {signum.name}: {survivors}"
    assert at_eof.wait(max(0.0, GRACE - (time.monotonic() - signalled))), "stdout still open"
    if signum is not signal.SIGKILL:
        assert process.returncode == 128 + signum  # stopped as the signal would have


def test_a_worker_leaves_when_its_owner_is_gone_without_pidfd(tmp_path: Path) -> None:
    """The polling fallback (no pidfd): a zombie owner counts as gone."""
    owner = subprocess.Popen(["sleep", "30"])
    watcher = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, sys, time\n"
            "if hasattr(os, 'pidfd_open'):\n    del os.pidfd_open\n"
            "from newsreader.workers import _watch\n"
            f"_watch({owner.pid})\n"
            "print('watching', flush=True)\n"
            "time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert watcher.stdout is not None and watcher.stdout.readline() == "watching\n"
        owner.send_signal(signal.SIGKILL)  # and not reaped: it stays a zombie
        started = time.monotonic()
        assert watcher.wait(2) == 1
        assert time.monotonic() - started < 2
    finally:
        for process in (owner, watcher):
            process.kill()
            process.wait()
