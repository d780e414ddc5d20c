"""Integrity check cost: what a damage check before a command's first write would cost.

Usage: ``python bench/integrity_check.py [--articles 10000 100000] [--runs 5]``

Builds (once; reused from ``bench/results/store_cache/``, the same caches as
``store_latency.py``) real caches of each size, then times, on each: ``PRAGMA quick_check``,
``PRAGMA integrity_check``, and the fast path that skips both when the file is unchanged since
the last clean check (:func:`newsreader.store.integrity.check_cache` with a current record),
and what recording the file after each commit adds to a one-article write.
Warm page cache (the file was just read); the first, cold-ish run is reported apart.
Prints milliseconds and writes them to ``bench/results/integrity_check.json``.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_latency import GENERATOR, RESULTS, build


def _time(action: object, runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        samples.append((time.perf_counter() - start) * 1000)
    return {
        "first_ms": round(samples[0], 2),
        "median_ms": round(statistics.median(samples[1:]), 2),
        "max_ms": round(max(samples[1:]), 2),
    }


def pragma(path: Path, name: str) -> None:
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute(f"PRAGMA {name}").fetchall()
        assert rows == [("ok",)], rows
    finally:
        connection.close()


def commit_cost(path: Path, commits: int = 300) -> tuple[float, float]:
    """Median microseconds of a one-article ``set_read`` commit on a copy of the cache, with
    and without recording the file as clean after each commit (as a checked session does)."""
    import shutil
    import tempfile

    from newsreader.store import ArticleFilter, Store
    from newsreader.store.integrity import record_clean

    with tempfile.TemporaryDirectory(dir=path.parent) as folder:
        copy = Path(folder) / "newsreader.db"
        shutil.copyfile(path, copy)
        store = Store.open(copy)
        try:
            ids = [i for _, i in store.view_keys(ArticleFilter())[:commits]]
            medians = []
            for hook in (lambda: record_clean(copy), None):
                store.after_commit(hook)
                samples = []
                for flag in (True, False):
                    for article_id in ids:
                        start = time.perf_counter()
                        store.set_read([article_id], read=flag)
                        samples.append((time.perf_counter() - start) * 1e6)
                medians.append(round(statistics.median(samples), 1))
        finally:
            store.close()
    return medians[0], medians[1]


def main() -> int:
    from newsreader.store.integrity import check_cache, record_clean

    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results = []
    for count in args.articles:
        path = RESULTS / "store_cache" / f"cache-{count}-{args.feeds}-g{GENERATOR}.db"
        if not path.exists():
            build(path, count, args.feeds)
        size_mb = path.stat().st_size / 1e6
        row: dict[str, object] = {"articles": count, "size_mb": round(size_mb, 1)}
        row["quick_check"] = _time(lambda p=path: pragma(p, "quick_check"), args.runs)
        row["integrity_check"] = _time(lambda p=path: pragma(p, "integrity_check"), args.runs)
        record_clean(path)
        row["unchanged_fast_path"] = _time(lambda p=path: check_cache(p), args.runs)
        row["commit_with_record_us"], row["commit_without_record_us"] = commit_cost(path)
        results.append(row)
        print(json.dumps(row))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "integrity_check.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
