"""How late the app's event loop runs while the app itself refreshes 200 feeds.

A refresh in the app runs on the app's own event loop (its fetches are asynchronous; parsing
is in worker processes, storing in a writer thread), so whatever CPU the fetching costs on
that loop is time a key press may wait. This runs the real app headless (``App.run_test``)
on a fresh cache, serves the synthetic workload of ``bench/refresh.py`` (200 feeds x 50
articles, 50 ms latency, ``concurrency = per_host = 16``) and presses ``R`` twice: a first
refresh (10,000 new articles) and one where every feed answers 304. Throughout each, a probe
on the same loop sleeps 5 ms at a time and records how late it wakes: that lateness is what a
key press waits before the app even reads it. Also recorded: the refresh's wall time and the
CPU time of the loop's thread (``time.thread_time``).

``--feeds 20 --articles 250`` measures a small refresh instead: under 24 feeds the app
parses in threads of its own process, not in worker processes.

Usage: .venv/bin/python bench/refresh_ui_lag.py [--label NAME] [--rounds 3] [--feeds 200]
       [--articles 50]
To compare with another version: ``PYTHONPATH=/tmp/before/src .venv/bin/python
bench/refresh_ui_lag.py --label before`` (the ``src`` of another checkout).
Prints a table and merges ``{label: results}`` into ``bench/results/refresh_ui_lag.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from refresh_support import make_feed, serve_folder

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
TOOL = ROOT.parent / "shared" / "tools" / "feedserver.py"
FEEDS = 200
PROBE = 0.005  # seconds the probe sleeps each time
STALL = 0.05  # a wake-up this late counts as a stall a typist would notice


def summarise(lags: list[float]) -> dict[str, float]:
    ordered = sorted(lags)
    return {
        "wakeups": len(ordered),
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[int(len(ordered) * 0.99)] * 1000,
        "max_ms": ordered[-1] * 1000,
        "stalls_over_50ms": sum(lag > STALL for lag in ordered),
        "stalled_seconds": sum(lag for lag in ordered if lag > STALL),
    }


async def one_refresh(app: Any, pilot: Any) -> dict[str, float]:
    """Press R; until the refresh ends, how late the loop wakes, and the loop's CPU."""
    lags: list[float] = []
    done = asyncio.Event()

    async def probe() -> None:
        while not done.is_set():
            began = time.perf_counter()
            await asyncio.sleep(PROBE)
            lags.append(time.perf_counter() - began - PROBE)

    refresher = app.main.refresher
    task = asyncio.ensure_future(probe())
    began, cpu = time.perf_counter(), time.thread_time()
    await pilot.press("R")
    while not refresher.running and time.perf_counter() - began < 5:
        await asyncio.sleep(0.001)
    while refresher.running:
        await asyncio.sleep(0.01)
    wall, used = time.perf_counter() - began, time.thread_time() - cpu
    done.set()
    await task
    return {"wall_seconds": wall, "loop_thread_cpu_seconds": used, **summarise(lags)}


async def rounds(base: str, count: int, feeds: int) -> list[dict[str, dict[str, float]]]:
    from newsreader.context import open_context
    from newsreader.tui.app import NewsreaderApp

    measured: list[dict[str, dict[str, float]]] = []
    for _ in range(count):
        work = Path(tempfile.mkdtemp(prefix="newsreader-ui-lag-"))
        try:
            lines = ["[settings]", "refresh_on_start = false", "images = 'off'"]
            lines += ["concurrency = 16", "per_host = 16", ""]
            for index in range(feeds):
                lines += ["[[feeds]]", f'url = "{base}/feed{index}.xml"', ""]
            (work / "feeds.toml").write_text("\n".join(lines))
            ctx = open_context(str(work / "feeds.toml"), str(work / "cache.db"))
            app = NewsreaderApp(ctx)
            result: dict[str, dict[str, float]] = {}
            async with app.run_test(size=(120, 35)) as pilot:
                await app.workers.wait_for_complete()
                await pilot.pause()
                result["first"] = await one_refresh(app, pilot)
                await pilot.pause(0.5)
                result["unchanged"] = await one_refresh(app, pilot)
            ctx.close()
            measured.append(result)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return measured


def medians(measured: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    return {
        kind: {
            key: statistics.median(result[kind][key] for result in measured)
            for key in measured[0][kind]
        }
        for kind in measured[0]
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="current")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--feeds", type=int, default=FEEDS)
    parser.add_argument("--articles", type=int, default=50)
    args = parser.parse_args()
    if not TOOL.exists():
        raise SystemExit(f"{TOOL} is missing: this benchmark needs ../shared beside the project")
    import newsreader

    folder = Path(tempfile.mkdtemp(prefix="newsreader-ui-lag-feeds-")) / "feeds"
    folder.mkdir()
    for index in range(args.feeds):
        (folder / f"feed{index}.xml").write_bytes(make_feed(index, args.articles))
    served = serve_folder(TOOL, folder, 0.05)
    try:
        load_before = os.getloadavg()[0]
        measured = asyncio.run(rounds(served.base, args.rounds, args.feeds))
        load_after = os.getloadavg()[0]
    finally:
        served.stop()
        shutil.rmtree(folder.parent, ignore_errors=True)
    summary = medians(measured)
    lines = [
        f"== {args.label} ({Path(newsreader.__file__).parent}): the app refreshing {args.feeds} "
        f"feeds x {args.articles} articles, medians of {args.rounds} round(s); load average {load_before:.2f} before, "
        f"{load_after:.2f} after",
        f"{'':10} {'wall s':>7} {'loop CPU s':>10} {'lag p50 ms':>10} {'p99 ms':>7} "
        f"{'max ms':>7} {'stalls>50ms':>11} {'stalled s':>9}",
    ]
    for kind, values in summary.items():
        lines.append(
            f"{kind:10} {values['wall_seconds']:7.2f} {values['loop_thread_cpu_seconds']:10.2f} "
            f"{values['p50_ms']:10.1f} {values['p99_ms']:7.1f} {values['max_ms']:7.1f} "
            f"{values['stalls_over_50ms']:11.0f} {values['stalled_seconds']:9.2f}"
        )
    print("\n".join(lines))
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "refresh_ui_lag.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    stored[args.label] = {"medians": summary, "rounds": measured}
    path.write_text(json.dumps(stored, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
