"""What the search index's prefix indexes (``prefix = '2 3'``) buy, and what they cost.

Copies the cache ``bench/search.py`` builds (100,000 articles), then for the index as it is
and rebuilt with other ``prefix`` settings: the CPU to index all of it (the ``rebuild``), and
the time of search-bar queries whose last word is a 2-, 3- and 4-character prefix (ranked,
newest 50, on a reader connection as the app searches), p50 / p95 over ``--runs``.

Usage: .venv/bin/python bench/search_prefix.py [--source PATH] [--runs 20]
Results are printed and written to bench/results/search_prefix.txt.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import GENERATOR, vocabulary

RESULTS = Path(__file__).resolve().parent / "results"
VARIANTS = {"2 3": "'2 3'", "2": "'2'", "3": "'3'", "none": None}


def rebuild(db: Path, prefix: str | None) -> float:
    """Rebuild the FTS table with ``prefix``; the CPU seconds of indexing everything."""
    connection = sqlite3.connect(db)
    (sql,) = connection.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'articles_fts'"
    ).fetchone()
    head = sql.split("tokenize", 1)[0]
    option = f", prefix = {prefix}" if prefix else ""
    connection.execute("DROP TABLE articles_fts")
    connection.execute(head + f"tokenize = 'unicode61 remove_diacritics 2'{option})")
    started = time.process_time()
    connection.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    connection.commit()
    seconds = time.process_time() - started
    connection.execute("VACUUM")
    connection.close()
    return seconds


def timed_queries(
    db: Path, texts: dict[str, str], runs: int
) -> dict[str, tuple[float, float, int]]:
    from newsreader.search import compile_query
    from newsreader.store import Store

    store = Store.open_reader(db)
    found: dict[str, tuple[float, float, int]] = {}
    for label, text in texts.items():
        query = compile_query(text, prefix_last=True)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            store.search_query(query, limit=50)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        hits = store.count_query(query)
        found[label] = (statistics.median(times), times[int(0.95 * (len(times) - 1))], hits)
    store.close()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = RESULTS / "search_cache" / f"search-100000-100-g{GENERATOR}.db"
    parser.add_argument("--source", type=Path, default=default)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated")
    args = parser.parse_args()
    if not args.source.exists():
        raise SystemExit(f"{args.source} is missing: run bench/search.py first")
    words = vocabulary(random.Random(9))
    rng = random.Random(5)
    texts: dict[str, str] = {}
    for length in (2, 3, 4):
        for n in range(3):
            texts[f"{length} chars #{n + 1}"] = words[rng.randint(20, 3000)][:length]
    texts["word + 2 chars"] = f"{words[300]} {words[900][:2]}"
    lines = [f"search prefix trade-off on a copy of {args.source.name} (p50 / p95 ms, hits)"]
    with tempfile.TemporaryDirectory(prefix="nr-prefix-") as tmp:
        db = Path(tmp) / "copy.db"
        shutil.copyfile(args.source, db)
        for label in args.variants.split(","):
            prefix = VARIANTS[label]
            seconds = rebuild(db, prefix)
            size = db.stat().st_size / 1e6
            lines.append(
                f"== prefix {label}: indexing 100,000 articles {seconds:.2f} s CPU, "
                f"cache {size:.0f} MB"
            )
            for query, (p50, p95, hits) in timed_queries(db, texts, args.runs).items():
                lines.append(f"  {query:16s} {texts[query]!r:24s} {p50:7.1f} / {p95:7.1f}  {hits}")
            print("\n".join(lines[-len(texts) - 1 :]), flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "search_prefix.txt").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
