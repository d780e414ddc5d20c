"""Inside a first refresh's refreshing process: CPU per thread, per stage, and when things end.

Serves one workload of ``bench/refresh.py`` (50 ms latency) and runs :func:`run_refresh` in
this process into a fresh cache (``concurrency = per_host = 16``), timing:

* the CPU of every thread of this process, sampled every 50 ms from ``/proc/self/task`` (the
  event loop, the writer, the pool's result thread that unpickles, the ``to_thread`` helpers)
  and of the parsing processes, in 0.5 s slices, which shows where the two cores idle;
* stages on their own threads' CPU clocks: HTTP fetches (the event loop's CPU between a
  request's start and end is shared by all requests in flight, so the loop's total is given),
  the writer's work per feed, the search indexing at each batch's end, the commits;
* when each feed's fetch, parse and store ended, relative to the start.

Usage: .venv/bin/python bench/refresh_trace.py [--workload genfeeds]
Results are printed and written to bench/results/refresh_trace.txt.
"""

from __future__ import annotations

import argparse
import collections
import functools
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from refresh import SHARED, prepare
from refresh_support import TICKS

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SLICE = 0.5


def _thread_cpu() -> dict[int, tuple[str, float]]:
    found: dict[int, tuple[str, float]] = {}
    for entry in os.scandir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{entry.name}/stat", "rb") as stat:
                raw = stat.read()
        except OSError:
            continue
        name = raw.split(b"(", 1)[1].rsplit(b")", 1)[0].decode()
        fields = raw.rsplit(b")", 1)[1].split()
        found[int(entry.name)] = (name, (int(fields[11]) + int(fields[12])) / TICKS)
    return found


def _children_cpu(server: int) -> tuple[float, float]:
    """CPU of this process's descendants that are alive: the forkserver and its workers,
    and the feed server (pid ``server``)."""
    total = 0.0
    me = os.getpid()
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICKS
    tree = {me}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    for pid in tree - {me, server}:
        total += cpu.get(pid, 0.0)
    return total, cpu.get(server, 0.0)


def _describe(thread: threading.Thread) -> str:
    """A thread's name, with its class or target when the name is a default one."""
    if not thread.name.startswith("Thread-"):
        return thread.name
    target = getattr(thread, "_target", None)
    what = getattr(target, "__qualname__", None) or type(thread).__name__
    return f"{thread.name} ({what})"


class Sampler(threading.Thread):
    def __init__(self, server: int) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.server_cpu = 0.0
        self.base = {tid: cpu for tid, (_, cpu) in _thread_cpu().items()}
        self.children_base, self.server_base = _children_cpu(server)
        self.names: dict[int, str] = {}
        self.last: dict[int, float] = {}
        self.slices: list[tuple[float, float, float, float]] = []  # t, own, children, server
        self.stop = threading.Event()
        self.start_time = time.perf_counter()
        self.children_peak = 0.0

    def run(self) -> None:
        next_slice = SLICE
        base_self = time.process_time()
        while not self.stop.wait(0.05):
            self._sample()
            now = time.perf_counter() - self.start_time
            if now >= next_slice:
                self.slices.append(
                    (now, time.process_time() - base_self, self.children_peak, self.server_cpu)
                )
                next_slice += SLICE
        self._sample()

    def _sample(self) -> None:
        for tid, (name, cpu) in _thread_cpu().items():
            python = next((_describe(t) for t in threading.enumerate() if t.native_id == tid), None)
            self.names.setdefault(tid, python or name)
            if python:
                self.names[tid] = python
            self.last[tid] = max(cpu - self.base.get(tid, 0.0), self.last.get(tid, 0.0))
        children, server = _children_cpu(self.server)
        self.children_peak = max(self.children_peak, children - self.children_base)
        self.server_cpu = max(self.server_cpu, server - self.server_base)


class Clock:
    def __init__(self) -> None:
        self.cpu: dict[str, float] = collections.defaultdict(float)
        self.count: collections.Counter[str] = collections.Counter()
        self.ends: dict[str, list[float]] = collections.defaultdict(list)
        self.start = time.perf_counter()

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.cpu[label] += time.thread_time() - started
                self.count[label] += 1
                self.ends[label].append(time.perf_counter() - self.start)

        setattr(owner, name, timed)

    def wrap_async(self, owner: Any, name: str, label: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        @functools.wraps(original)
        async def timed(*args: Any, **kwargs: Any) -> Any:
            try:
                return await original(*args, **kwargs)
            finally:
                self.count[label] += 1
                self.ends[label].append(time.perf_counter() - self.start)

        setattr(owner, name, timed)


def spread(times: list[float]) -> str:
    if not times:
        return "none"
    times = sorted(times)
    quart = [times[int(q * (len(times) - 1))] for q in (0, 0.25, 0.5, 0.75, 1)]
    return " / ".join(f"{t:.2f}" for t in quart)


def trace(name: str, tmp: Path) -> list[str]:
    served = prepare(name, tmp / "feeds", 0.05)
    try:
        urls = [f"{served.base}/{path.name}" for path in sorted(served.folder.iterdir())]
        lines = ["[settings]", "refresh_on_start = false", "concurrency = 16", "per_host = 16"]
        for url in urls:
            lines += ["", "[[feeds]]", f'url = "{url}"']
        (tmp / "feeds.toml").write_text("\n".join(lines))
        from newsreader import refresh as refresh_module
        from newsreader.batch_writer import BatchWriter
        from newsreader.config import load_config
        from newsreader.sources.feeds import Fetcher
        from newsreader.store import Store, deferred_index

        clock = Clock()
        clock.wrap_async(Fetcher, "fetch", "fetch")
        clock.wrap_async(refresh_module._Job, "_parse", "parse")
        clock.wrap(refresh_module, "store_parsed", "store_parsed (writer)")
        clock.wrap(deferred_index, "finish", "search indexing at batch end (writer)")
        clock.wrap(BatchWriter, "_one", "writer work incl. savepoints")
        clock.wrap(refresh_module._Job, "known", "known hashes (thread)")
        config = load_config(tmp / "feeds.toml")
        store = Store.open(tmp / "nr.db")
        for url in urls:
            store.ensure_feed(url)
        sampler = Sampler(served.process.pid)
        clock.start = sampler.start_time = time.perf_counter()
        cpu_before = time.process_time()
        sampler.start()
        summary = refresh_module.run_refresh(store, config)
        wall = time.perf_counter() - clock.start
        process_cpu = time.process_time() - cpu_before
        sampler.stop.set()
        sampler.join()
        closing = time.process_time(), time.perf_counter()
        store.close()  # the last connection checkpoints the write-ahead log into the file
        closed = time.process_time() - closing[0], time.perf_counter() - closing[1]
    finally:
        served.stop()
    sampling = sum(
        cpu for tid, cpu in sampler.last.items() if "Sampler" in sampler.names.get(tid, "")
    )
    out = [
        f"== {name}: {len(urls)} feeds, first refresh in-process: {wall:.2f} s wall, "
        f"{summary.new} new; refreshing process CPU {process_cpu - sampling:.2f} s "
        f"(and this bench's sampler {sampling:.2f} s), "
        f"parsing processes {sampler.children_peak:.2f} s (alive at the last sample), "
        f"feed server {sampler.server_cpu:.2f} s",
        f"closing the cache (WAL checkpoint): {closed[0]:.2f} s CPU, {closed[1]:.2f} s wall",
        "CPU per thread of the refreshing process (s):",
    ]
    per_name: dict[str, float] = collections.defaultdict(float)
    for tid, cpu in sampler.last.items():
        per_name[sampler.names.get(tid, str(tid))] += cpu
    for thread_name, cpu in sorted(per_name.items(), key=lambda item: -item[1]):
        if cpu >= 0.01:
            out.append(f"  {thread_name:40s} {cpu:6.2f}")
    out.append("stages (CPU s on their own thread; count):")
    for label, cpu in sorted(clock.cpu.items(), key=lambda item: -item[1]):
        out.append(f"  {label:40s} {cpu:6.2f}  ({clock.count[label]})")
    out.append("end times after start, s (min / q1 / median / q3 / max):")
    for label in ("fetch", "parse", "store_parsed (writer)"):
        out.append(f"  {label:24s} {spread(clock.ends[label])}")
    out.append(
        "cores busy per 0.5 s slice: refreshing process + parsing processes + feed server (of 2)"
    )
    previous = (0.0, 0.0, 0.0, 0.0)
    row = []
    for now, own, children, server in sampler.slices:
        own_d, child_d, server_d = own - previous[1], children - previous[2], server - previous[3]
        # (own includes the sampler's own CPU, about 0.05 of a core)
        row.append(f"{now:4.1f}s {own_d / SLICE:.1f}+{child_d / SLICE:.1f}+{server_d / SLICE:.1f}")
        previous = (now, own, children, server)
    for start in range(0, len(row), 6):
        out.append("  " + " | ".join(row[start : start + 6]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workloads", default="genfeeds")
    args = parser.parse_args()
    assert SHARED.exists(), "needs ../shared (the corpus and tools)"
    lines = [f"refresh trace, {os.cpu_count()} CPU(s), load {os.getloadavg()[0]:.2f}"]
    for name in args.workloads.split(","):
        with tempfile.TemporaryDirectory(prefix="nr-trace-") as tmp:
            block = trace(name, Path(tmp))
        print("\n".join(block), flush=True)
        lines += block
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "refresh_trace.txt").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
