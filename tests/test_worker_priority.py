"""The refresh's parsing processes give way to the process they work for."""

from __future__ import annotations

import os

import pytest

from newsreader.workers import WORKER_NICENESS, start_pool, stop_pool


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="the process pool needs two cores")
def test_workers_run_at_a_lower_priority() -> None:
    executor = start_pool()
    assert executor is not None
    try:
        worker = executor.submit(os.nice, 0).result(timeout=60)  # nice(0) reads it
    finally:
        stop_pool(executor)
    assert worker == min(os.nice(0) + WORKER_NICENESS, 19)
