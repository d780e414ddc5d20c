"""UI latency benchmark: key press to screen updated, with 100,000 cached articles.

Usage: ``python bench/ui_latency.py [--label after] [--phases idle,writing] [--gap-ms 20]``

Runs the real app headless (``App.run_test``) on a 100,000-article cache built through the
store (kept in ``bench/results/ui_latency_cache/``). Each key goes to the app's driver like a
keystroke from the terminal; its time is from sending the key to the first screen update that
shows its effect (the compositor has drawn the new state). Measured, first idle and then while
another process writes 10,000 new articles (100 per transaction, as a refresh stores feeds):

- ``j`` 500 times from the top, ``G``, ``g``, ``n`` 100 times (next unread),
- opening 50 articles (Enter; until the article pane shows the first lines of its body).

Beside each wall time it records the UI thread's CPU time over the same span
(``time.thread_time`` on the thread running the app's event loop): it counts the work a key
costs the UI thread, which is much less affected than wall time by other processes on the
machine (the writer, other programs).

Prints a table and merges ``{label: results}`` into ``bench/results/ui_latency.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
CACHE = RESULTS / "ui_latency_cache"
ARTICLES = 100_000
FEEDS = 50
WRITES = 10_000
WRITE_BATCH = 100
NOW = datetime(2026, 11, 28, tzinfo=UTC)


def build_cache(folder: Path, count: int = ARTICLES) -> None:
    """A cache of ``count`` articles over 50 feeds and a config without network feeds."""
    from newsreader.config import load_config
    from newsreader.context import sync_sources
    from newsreader.model import ContentType, FeedKind, NewArticle
    from newsreader.store import Store

    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "feeds.toml"
    config.write_text(
        "[settings]\nrefresh_on_start = false\n"
        + "".join(
            f'[[feeds]]\nurl = "https://feed{n}.example/rss"\ntitle = "Feed {n}"\n'
            f'tags = ["t{n % 5}"]\n'
            for n in range(FEEDS)
        ),
        "utf-8",
    )
    db = folder / "cache.db"
    if db.exists():
        return
    began = time.perf_counter()
    store = Store.open(folder / "building.db")
    sync_sources(store, load_config(config))
    feeds = [f for f in store.feeds() if f.kind is FeedKind.FEED]
    batch: dict[int, list[NewArticle]] = {f.id: [] for f in feeds}
    for n in range(count):
        feed = feeds[n % len(feeds)]
        body = (
            f"Paragraph {n} of generated text about topic {n % 97}.\n\n## Section\n\n"
            + "More words to read. " * 30
            + "\n\n## Another section\n\nThe end."
        )
        batch[feed.id].append(
            NewArticle(
                key=f"k{n}",
                title=f"Generated article {n} about topic {n % 97}",
                published=NOW - timedelta(minutes=n),
                content=body,
                content_type=ContentType.MARKDOWN,
                body=body,
                text=body,
                link=f"https://feed.example/{n}",
            )
        )
        if len(batch[feed.id]) >= 2000:
            store.upsert_articles(feed.id, batch[feed.id])
            batch[feed.id] = []
    for feed_id, articles in batch.items():
        if articles:
            store.upsert_articles(feed_id, articles)
    store.close()
    (folder / "building.db").rename(db)
    print(f"built a {count}-article cache in {time.perf_counter() - began:.1f} s")


def write_articles(db: Path, start: int, count: int, pause: float) -> None:
    """Another process: store ``count`` new articles, ``WRITE_BATCH`` per transaction."""
    from newsreader.model import ContentType, FeedKind, NewArticle
    from newsreader.store import Store

    store = Store.open(db)
    feeds = [f for f in store.feeds(counts=False) if f.kind is FeedKind.FEED]
    for first in range(start, start + count, WRITE_BATCH):
        feed = feeds[(first // WRITE_BATCH) % len(feeds)]
        articles = [
            NewArticle(
                key=f"new{n}",
                title=f"Fresh article {n}",
                published=NOW + timedelta(seconds=n),
                content=f"Fresh text {n}.",
                content_type=ContentType.MARKDOWN,
                body=f"Fresh text {n}.",
                text=f"Fresh text {n}.",
                link=f"https://feed.example/new/{n}",
            )
            for n in range(first, min(first + WRITE_BATCH, start + count))
        ]
        store.upsert_articles(feed.id, articles)
        time.sleep(pause)
    store.close()


class Probe:
    """Sends keys to the app's driver and times them to the screen update showing them."""

    def __init__(self, app: Any, gap: float) -> None:
        self.app = app
        self.gap = gap
        self.listing = app.screen.query_one("#articles")
        self.pane = app.screen.query_one("#article")
        # The key being timed: (shown, future set to the (wall, UI thread CPU) times of the
        # update that shows it).
        self.waiting: (
            tuple[Callable[[tuple[int, int | None]], bool], asyncio.Future[tuple[float, float]]]
            | None
        )
        self.waiting = None
        self.cpu: list[float] = []  # UI thread CPU seconds of each key timed, in order
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            waiting = self.waiting
            if renderable is not None and waiting is not None:
                shown, future = waiting
                if not future.done() and shown(self.state()):
                    future.set_result((time.perf_counter(), time.thread_time()))

        app._display = display

    def state(self) -> tuple[int, int | None]:
        """(highlighted row, open article) as drawn in the update just made.

        The row is -1 while it is outside the list's visible rows: a move that scrolls is
        shown only once the rows have scrolled (the scroll may come an update after the
        cursor moved). An article counts as shown once the first lines of its body are drawn.
        """
        listing = self.listing
        row = int(listing.cursor)
        top = int(listing.scroll_offset.y)
        first = row * listing.lines_per_row
        shown = top <= first < top + listing.scrollable_content_region.height
        article = self.pane.drawn
        return (row if shown else -1, article.id if article is not None else None)

    async def press(
        self, key: str, shown: Callable[[tuple[int, int | None]], bool], timeout: float = 10.0
    ) -> float | None:
        """Seconds from sending ``key`` to the first screen update where ``shown(state)``.

        The wait is a future set by the screen update itself: no loop polls for it on the
        app's own event loop (which would compete with the app for it while it is timed).
        """
        from textual import events

        await asyncio.sleep(self.gap)
        future: asyncio.Future[tuple[float, float]] = asyncio.get_running_loop().create_future()
        self.waiting = (shown, future)
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(self.app)
        began, cpu = time.perf_counter(), time.thread_time()
        self.app._driver.send_message(event)
        try:
            shown_at, cpu_at = await asyncio.wait_for(future, timeout)
            self.cpu.append(cpu_at - cpu)
            return shown_at - began
        except TimeoutError:
            return None
        finally:
            self.waiting = None


COUNTS = {"j": 500, "n": 100, "open": 50}


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


ACTIONS = ("j", "G", "g", "n", "open")


async def run_actions(app: Any, gap: float, scale: float = 1.0) -> dict[str, list[float]]:
    """The wall times of each action (key to screen updated), its UI thread CPU times under
    ``cpu:<action>``, and the misses (keys never shown) under ``_missed``."""
    probe = Probe(app, gap)
    counts = {k: max(1, round(v * scale)) for k, v in COUNTS.items()}
    times: dict[str, list[float]] = {name: [] for name in ACTIONS}
    times.update({f"cpu:{name}": [] for name in ACTIONS})
    missed: dict[str, int] = {k: 0 for k in ACTIONS}

    def record(name: str, value: float | None) -> None:
        if value is None:
            missed[name] += 1
        else:
            times[name].append(value)
            times[f"cpu:{name}"].append(probe.cpu[-1])

    listing = probe.listing
    for _ in range(counts["j"]):
        # Rows written above by the other process may move the cursor down as well (the
        # highlighted article stays): any move of the cursor shows the key.
        row = listing.cursor
        record("j", await probe.press("j", lambda s, r=row: s[0] not in (r, -1)))
    progress(f"  j done, missed {missed['j']}")
    last = listing.count - 1
    record("G", await probe.press("G", lambda s: s[0] >= last))
    record("g", await probe.press("g", lambda s: s[0] == 0))
    progress(f"  G g done, missed {missed['G'] + missed['g']}")
    for _ in range(counts["n"]):
        before = probe.state()
        record("n", await probe.press("n", lambda s, b=before: s != b and s[0] != -1))
    progress(f"  n done, missed {missed['n']}")

    def highlighted() -> int | None:
        return listing.current.id if listing.current is not None else None

    for _ in range(counts["open"]):
        # The move is shown once another article is highlighted on screen: rows written above
        # move the cursor's row without a key, and Enter on the article already open draws
        # nothing (it would count as a miss).
        row, before = listing.cursor, highlighted()
        await probe.press(
            "j", lambda s, r=row, b=before: s[0] not in (r, -1) and highlighted() != b
        )
        target = highlighted()
        record("open", await probe.press("enter", lambda s, t=target: s[1] == t))
    progress(f"  open done, missed {missed['open']}")
    times["_missed"] = [float(v) for v in missed.values()]
    return times


def summarise(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"count": 0}
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "count": len(ordered),
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": p95 * 1000,
        "max_ms": ordered[-1] * 1000,
    }


async def phase(
    folder: Path, writing: bool, gap: float, scale: float, spread: float = 0.0
) -> dict[str, Any]:
    """One phase; ``writing``: another process writes 10,000 articles, spread evenly over
    ``spread`` seconds (about as long as the actions take)."""
    from newsreader.context import open_context
    from newsreader.tui.app import NewsreaderApp

    work = Path(tempfile.mkdtemp(prefix="newsreader-latency-"))
    try:
        db = work / "cache.db"
        shutil.copyfile(folder / "cache.db", db)
        ctx = open_context(str(folder / "feeds.toml"), str(db))
        app = NewsreaderApp(ctx)
        writer: subprocess.Popen[bytes] | None = None
        result: dict[str, Any] = {}
        async with app.run_test(size=(120, 35)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            if writing:
                # Spread the 10,000 articles over about the time the actions take.
                pause = spread / (WRITES / WRITE_BATCH)
                writer = subprocess.Popen(
                    [sys.executable, __file__, "--write", str(db), "--write-pause", str(pause)],
                    env=os.environ.copy(),
                )
            began = time.perf_counter()
            times = await run_actions(app, gap, scale)
            result["actions_seconds"] = time.perf_counter() - began
            if writer is not None:
                result["writer_still_running_at_end"] = writer.poll() is None
                writer.wait()
                result["writer_seconds"] = time.perf_counter() - began
        ctx.close()
        missed = times.pop("_missed")
        result["missed"] = dict(zip(ACTIONS, missed, strict=True))
        result["actions"] = {name: summarise(values) for name, values in times.items()}
        result["load_average"] = os.getloadavg()
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="after")
    parser.add_argument("--phases", default="idle,writing")
    parser.add_argument("--gap-ms", type=float, default=20.0, help="pause between keys")
    parser.add_argument("--scale", type=float, default=1.0, help="fewer presses, e.g. 0.1")
    parser.add_argument("--write", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--write-pause", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        write_articles(Path(args.write), 0, WRITES, args.write_pause)
        return 0
    import newsreader

    build_cache(CACHE)
    source = str(Path(newsreader.__file__).parent)
    results: dict[str, Any] = {"source": source, "articles": ARTICLES, "gap_ms": args.gap_ms}
    for name in args.phases.split(","):
        progress(f"{name}:")
        # The writes last as long as the actions (as measured idle, else an estimate): a
        # fixed 0.12 s pause ended them after about 15 s, before n and open were timed.
        idle = results.get("idle", {}).get("actions_seconds", 75.0 * args.scale)
        results[name] = asyncio.run(
            phase(CACHE, name == "writing", args.gap_ms / 1000, args.scale, spread=idle)
        )
    print(f"{args.label}: {ARTICLES} articles, code from {source}")
    print("wall: key sent to screen updated; cpu: the UI thread's CPU time over that span")
    print(
        f"{'phase':<8} {'action':<6} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
        f" {'cpu p50':>8} {'cpu p95':>8} {'cpu max':>8}"
    )
    for name in args.phases.split(","):
        actions = results[name]["actions"]
        for action in ACTIONS:
            row, cpu = actions[action], actions[f"cpu:{action}"]
            if not row["count"]:
                print(f"{name:<8} {action:<6} {0:>4}")
                continue
            print(
                f"{name:<8} {action:<6} {row['count']:>4} {row['p50_ms']:>8.1f} "
                f"{row['p95_ms']:>8.1f} {row['max_ms']:>8.1f} {cpu['p50_ms']:>8.1f} "
                f"{cpu['p95_ms']:>8.1f} {cpu['max_ms']:>8.1f}"
            )
        extra = {k: v for k, v in results[name].items() if k != "actions"}
        print(f"         {extra}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "ui_latency.json"
    saved = json.loads(out.read_text("utf-8")) if out.exists() else {}
    saved[args.label] = results
    out.write_text(json.dumps(saved, indent=2), "utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
