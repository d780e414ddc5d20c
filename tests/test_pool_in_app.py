"""The worker processes (parsing a refresh, reading pages, storing a sync) start inside the
running app too.

Under Textual, ``sys.stderr`` is the app's capture, whose ``fileno()`` is -1; multiprocessing
starts its resource tracker with that descriptor, which failed, and every refresh the app ran
parsed in threads of the app's own process instead (its event loop then stalled for tenths
of a second at a time). Each check runs in a new interpreter: in this one the resource
tracker may be running already, and then the failure could not happen.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

IN_APP = """
import asyncio, os, sys
from textual.app import App
from newsreader.workers import stop_pool
from {module} import {factory} as start_pool

async def main() -> None:
    app = App()
    async with app.run_test():
        assert sys.stderr.fileno() < 0, "the app is expected to capture standard error"
        executor = await asyncio.to_thread(start_pool)
        if executor is None:
            print("no pool")
            return
        loop = asyncio.get_running_loop()
        pid = await loop.run_in_executor(executor, os.getpid)
        stop_pool(executor)
        print("a worker process" if pid != os.getpid() else "this process")

asyncio.run(main())
"""

NO_DESCRIPTOR = """
import io, os, sys
from newsreader.workers import start_pool, stop_pool

sys.stderr = io.StringIO()  # no file descriptor at all
executor = start_pool()
print("no pool" if executor is None else executor.submit(os.getpid).result() != os.getpid())
stop_pool(executor)
"""


def run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


needs_cores = pytest.mark.skipif(
    len(os.sched_getaffinity(0)) < 2, reason="the process pool needs two cores"
)


@needs_cores
@pytest.mark.parametrize(
    ("module", "factory"),
    [
        ("newsreader.workers", "start_pool"),  # the refresh's parsing
        ("newsreader.fulltext", "_page_executor"),  # reading full-text pages
        ("newsreader.sync", "_process_pool"),  # storing a sync's items
    ],
)
def test_each_pool_starts_inside_the_app(module: str, factory: str) -> None:
    assert run(IN_APP.format(module=module, factory=factory)) == "a worker process"


@needs_cores
def test_the_pool_starts_when_standard_error_has_no_descriptor() -> None:
    assert run(NO_DESCRIPTOR) == "True"
