"""Start-up benchmark: launch to the article list drawn, with 1 and with 100,000 articles.

Usage: ``python bench/startup.py [--runs 5] [--sizes 1,100000] [--keep DIR]``

Each measurement starts a fresh Python process that opens the cache like ``newsreader`` does,
runs the app headless at 120x35 and reports the moment after the first screen update with
the article list drawn, plus the process's peak memory (max RSS). Caches are generated once
per size in a temporary folder (or ``--keep DIR``, reused across runs). The report is also
written to ``bench/results/startup.txt``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
began = time.time()
from newsreader.context import open_context
from newsreader.tui.app import NewsreaderApp

imported = time.time()
ctx = open_context(check=False)  # as the app does: it checks the file after its first paint
opened = time.time()
app = NewsreaderApp(ctx)
result = {"imports": imported - began, "open": opened - imported, "opened": opened}

def drawn():
    listing = app.main.articles
    result["drawn"] = time.time()
    result["count"] = listing.count
    result["first"] = listing.current.title if listing.current else ""
    app.exit()

def mounted():
    app.call_after_refresh(drawn)

app.call_later(mounted)
app.run(headless=True, size=(120, 35))
result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
ctx.close()
print(json.dumps(result))
"""


def generate(folder: Path, count: int) -> None:
    """A cache with ``count`` articles over 50 feeds and a config without network feeds."""
    from newsreader.config import load_config
    from newsreader.context import sync_sources
    from newsreader.model import ContentType, FeedKind, NewArticle
    from newsreader.store import Store

    folder.mkdir(parents=True, exist_ok=True)
    feeds = min(50, count)
    config = folder / "feeds.toml"
    config.write_text(
        "[settings]\nrefresh_on_start = false\n"
        + "".join(
            f'[[feeds]]\nurl = "https://feed{n}.example/rss"\ntitle = "Feed {n}"\n'
            f'tags = ["t{n % 5}"]\n'
            for n in range(feeds)
        ),
        "utf-8",
    )
    db = folder / "cache.db"
    if db.exists():
        return
    store = Store.open(db)
    sync_sources(store, load_config(config))
    now = datetime(2026, 11, 28, tzinfo=UTC)
    feeds = [f for f in store.feeds() if f.kind is FeedKind.FEED]
    batch: dict[int, list[NewArticle]] = {f.id: [] for f in feeds}
    for n in range(count):
        feed = feeds[n % len(feeds)]
        body = f"Paragraph {n} of generated text about topic {n % 97}.\n\n## Section\n\nMore."
        batch[feed.id].append(
            NewArticle(
                key=f"k{n}",
                title=f"Generated article {n} about topic {n % 97}",
                published=now - timedelta(minutes=n),
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


def measure(folder: Path) -> dict[str, float]:
    env = {
        **os.environ,
        "NEWSREADER_CONFIG": str(folder / "feeds.toml"),
        "NEWSREADER_DB": str(folder / "cache.db"),
    }
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["seconds"] = result["drawn"] - started
    return result


RESULTS = Path(__file__).resolve().parent / "results"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1,100000")
    parser.add_argument("--keep", metavar="DIR", help="keep generated caches here")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="newsreader-bench-"))
    results: dict[int, dict[str, float]] = {}
    lines: list[str] = []

    def report(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    for size in (int(s) for s in args.sizes.split(",")):
        folder = root / f"n{size}"
        began = time.perf_counter()
        generate(folder, size)
        made = time.perf_counter() - began
        measure(folder)  # warm the OS file cache and the bundled-guide import
        runs = [measure(folder) for _ in range(args.runs)]
        seconds = statistics.median(r["seconds"] for r in runs)
        rss = max(r["max_rss_mb"] for r in runs)
        results[size] = {"seconds": seconds, "rss": rss}
        phases = {k: statistics.median(r[k] for r in runs) * 1000 for k in ("imports", "open")}
        phases["app"] = statistics.median(r["drawn"] - r["opened"] for r in runs) * 1000
        report(
            f"{size:>7} articles (+ guide; {runs[0]['count']:.0f} listed): "
            f"launch to list drawn {seconds * 1000:.0f} ms (median of {args.runs}, "
            f"min {min(r['seconds'] for r in runs) * 1000:.0f}, "
            f"max {max(r['seconds'] for r in runs) * 1000:.0f}); peak RSS {rss:.0f} MB"
            + (f"; cache generated in {made:.1f} s" if made > 1 else "")
        )
        report(
            f"         imports {phases['imports']:.0f} ms, open_context {phases['open']:.0f} ms, "
            f"app start to list drawn {phases['app']:.0f} ms"
        )
    sizes = sorted(results)
    if len(sizes) >= 2:
        ratio = results[sizes[-1]]["seconds"] / results[sizes[0]]["seconds"]
        report(f"ratio {sizes[-1]} / {sizes[0]}: {ratio:.2f}x")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "startup.txt").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
