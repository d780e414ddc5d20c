"""Search benchmark: the query language over 100,000 cached articles, beside a LIKE scan.

Usage: ``python bench/search.py [--articles 100000] [--feeds 100] [--runs 30] [--rebuild]``

Builds (once; reused from ``bench/results/search_cache/``) a real cache of ``--articles``
generated articles (~250 words each drawn from a Zipf-distributed vocabulary of 20,000 words,
one common word in 40 % of them, a section heading in each, 100 feeds, 0.5 % starred, two
thirds read, dates over a year) stored through ``Store.upsert_articles``. Then, on a
read-only connection as the app uses, times (p50/p95 in ms, wall and this process's CPU,
limit 50):

* 1-, 2- and 3-word queries, the common word, a phrase, a prefix, ranked by relevance;
* qualifier-only queries (``is:starred``, ``feed:x since:7d``);
* the unread counts of 20 saved searches (all of them, per round): as after marking an
  article read (the unread articles are read again, the index's matches are kept), and as
  after a refresh that changed the index ("index changed": the matches are read again);
* ``LIKE '%word%'`` over titles and text for the same words, newest first, limit 50;
* long pasted queries (1,000 and 4,000 words, 100 KB), which the language bounds.

It also measures the cache's size with and without the FTS index (a copy with the index
dropped, both vacuumed). Prints a table and writes ``bench/results/search.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
GENERATOR = 1  # bump when the generated cache changes shape
NOW = datetime(2026, 11, 28, tzinfo=UTC)
COMMON = "harbour"  # in 40 % of the articles
PHRASE = "tomahawk missile"  # in 1 % of them
VOCABULARY_SIZE = 20_000
# What a LIKE search does: every matching article (to rank or count them), and the cheaper
# variant that stops at the 50 newest (no ranking possible).
LIKE_ALL = (
    "SELECT a.id, a.title FROM articles a JOIN feeds f ON f.id = a.feed_id "
    "WHERE f.active = 1 AND (a.title LIKE ? OR a.text LIKE ?)"
)
LIKE_NEWEST = LIKE_ALL + " ORDER BY a.published DESC LIMIT 50"


def vocabulary(rng: random.Random) -> list[str]:
    """Pronounceable made-up words, most frequent first."""
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    seen: set[str] = {COMMON, *PHRASE.split()}
    words: list[str] = []
    while len(words) < VOCABULARY_SIZE:
        size = rng.choice((1, 2, 2, 3, 3, 4))
        word = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(size))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def build(path: Path, articles: int, feeds: int) -> None:
    from newsreader.model import ContentType, NewArticle
    from newsreader.store import ArticleFilter, Store

    rng = random.Random(9)
    words = vocabulary(rng)
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in path.parent.glob(partial.name + "*"):
        leftover.unlink()
    store = Store.open(partial)

    def text(count: int) -> list[str]:
        return rng.choices(words, cum_weights=weights, k=count)

    per_feed = articles // feeds
    span = 365 * 86400
    started = time.perf_counter()
    for number in range(feeds):
        feed = store.ensure_feed(f"https://feed{number}.example/rss", f"Feed {number}")
        batch = []
        for n in range(per_feed + (articles % feeds if number == 0 else 0)):
            body_words = text(rng.randint(200, 300))
            if rng.random() < 0.4:
                body_words[rng.randrange(len(body_words))] = COMMON
            if rng.random() < 0.01:
                at = rng.randrange(len(body_words) - 1)
                body_words[at : at + 2] = PHRASE.split()
            paragraphs = [" ".join(body_words[i : i + 60]) for i in range(0, len(body_words), 60)]
            heading = " ".join(text(4)).title()
            body = f"## {heading}\n\n" + "\n\n".join(p.capitalize() + "." for p in paragraphs)
            plain = f"{heading}\n\n" + "\n\n".join(paragraphs)
            published = NOW.timestamp() - rng.random() * span
            batch.append(
                NewArticle(
                    key=f"{number}/{n}",
                    title=" ".join(text(rng.randint(5, 10))).capitalize(),
                    published=datetime.fromtimestamp(published, UTC),
                    content=body,
                    content_type=ContentType.MARKDOWN,
                    body=body,
                    text=plain,
                    author=rng.choice(["", "Staff", "A. Writer", "Desk"]),
                    link=f"https://feed{number}.example/{n}",
                )
            )
        store.upsert_articles(feed.id, batch)
        print(f"\rbuilding: feed {number + 1}/{feeds}", end="", file=sys.stderr, flush=True)
    keys = store.view_keys(ArticleFilter())
    read = [aid for index, (_, aid) in enumerate(keys) if rng.random() < index / len(keys) * 1.3]
    store.set_read(read)
    store.set_starred([aid for _, aid in rng.sample(keys, len(keys) // 200)])
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.rename(path)
    print(f"\rbuilt {articles} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def timed(
    call: Callable[[], Any], runs: int, before: Callable[[], Any] | None = None
) -> dict[str, float]:
    """Wall and CPU time (this process's) of ``call``, p50/p95 in ms; ``before`` runs
    untimed ahead of each call."""
    call()  # warm the page cache
    samples = []
    cpu = []
    for _ in range(runs):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    samples.sort()
    cpu.sort()
    p95 = min(len(samples) - 1, int(len(samples) * 0.95))
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[p95], 2),
        "max_ms": round(samples[-1], 2),
        "cpu_p50_ms": round(statistics.median(cpu), 2),
        "cpu_p95_ms": round(cpu[p95], 2),
    }


def document_frequency(db: Path, word: str) -> int:
    with sqlite3.connect(db) as raw:
        found = raw.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (f'"{word}"',)
        ).fetchone()
    return int(found[0])


def sizes(db: Path) -> dict[str, int]:
    """The cache's bytes vacuumed with its FTS index, and a copy's without it."""
    results: dict[str, int] = {}
    for label, drop in (("with_index", False), ("without_index", True)):
        work = db.parent / f"size-check-{label}.db"
        work.unlink(missing_ok=True)
        source = sqlite3.connect(db)
        copy = sqlite3.connect(work)
        source.backup(copy)
        source.close()
        if drop:
            for trigger in ("insert", "delete", "update"):
                copy.execute(f"DROP TRIGGER IF EXISTS articles_fts_{trigger}")
            copy.execute("DROP TABLE articles_fts")
            copy.commit()
        copy.execute("VACUUM")
        copy.close()
        results[label] = work.stat().st_size
        work.unlink()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    from newsreader.config import SavedSearch
    from newsreader.saved_searches import unread_counts
    from newsreader.search import compile_query
    from newsreader.store import Store

    db = RESULTS / "search_cache" / f"search-{args.articles}-{args.feeds}-g{GENERATOR}.db"
    if args.rebuild or not db.exists():
        build(db, args.articles, args.feeds)
    store = Store.open(db)  # migrates a cache built by an older schema
    store.close()
    store = Store.open_reader(db)

    words = vocabulary(random.Random(9))
    # Query words of a typical rarity: ranks 300-3000 of 20,000 (each in ~0.1-2 % of articles).
    one, two_a, two_b, three_c = words[300], words[800], words[1200], words[2500]
    prefix = words[400][:4]
    queries: dict[str, str] = {
        "1 word": one,
        "2 words": f"{two_a} {two_b}",
        "3 words": f"{one} {two_a} {three_c}",
        "common word (40 %)": COMMON,
        "phrase": f'"{PHRASE}"',
        "prefix": f"{prefix}*",
        "is:starred": "is:starred",
        "feed:x since:7d": 'feed:"Feed 7" since:7d',
    }
    like_words = {
        "1 word": one,
        "2 words": two_a,
        "3 words": one,
        "common word (40 %)": COMMON,
        "phrase": PHRASE,
        "prefix": prefix,
    }
    rows: list[dict[str, Any]] = []
    for label, text in queries.items():
        query = compile_query(text, now=NOW)
        fts = timed(lambda q=query: store.search_query(q, limit=50), args.runs)
        row: dict[str, Any] = {"query": label, "text": text, **fts}
        row["hits"] = store.count_query(query)
        if label in like_words:
            pattern = f"%{like_words[label]}%"
            like_all = timed(lambda p=pattern: store._db.query(LIKE_ALL, (p, p)), 3)
            like_newest = timed(lambda p=pattern: store._db.query(LIKE_NEWEST, (p, p)), 3)
            row["like_all_p50_ms"] = like_all["p50_ms"]
            row["like_newest50_p50_ms"] = like_newest["p50_ms"]
            row["speedup_p50"] = round(like_all["p50_ms"] / max(fts["p50_ms"], 0.01), 1)
        rows.append(row)

    rng = random.Random(3)
    saved = [
        SavedSearch(f"s{n}", text)
        for n, text in enumerate(
            [words[rng.randint(50, 3000)] for _ in range(8)]
            + [
                f"{words[rng.randint(50, 1000)]} OR {words[rng.randint(50, 1000)]}"
                for _ in range(4)
            ]
            + [f'"{PHRASE}"', COMMON, f"{prefix}*", "is:starred", "since:7d"]
            + [f'feed:"Feed {n}" {words[rng.randint(10, 500)]}' for n in range(3)]
        )
    ]
    assert len(saved) == 20
    # Each round reads which articles are unread again (as after marking one read); the
    # index's matches are kept while the index is unchanged. "index changed" forgets them
    # before each round, as after a refresh that stored articles.
    counts = timed(lambda: unread_counts(store, saved), args.runs)
    rows.append({"query": "20 saved-search unread counts", "text": "(all 20)", **counts})
    try:
        from newsreader.store.search_counts import forget
    except ImportError:  # an older version keeps nothing
        forget = None
    if forget is not None:
        cold = timed(lambda: unread_counts(store, saved), args.runs, lambda: forget(store.database))
        rows.append({"query": "20 counts, index changed", "text": "(all 20)", **cold})

    long_rows = []
    for label, text in (
        ("1,000 words", " ".join(rng.choice(words[:5000]) for _ in range(1000))),
        ("4,000 words", " ".join(rng.choice(words[:5000]) for _ in range(4000))),
        ("100 KB", ("harbour " + " ".join(words[:50]) + " ") * 300),
    ):
        text = text[:100_000]
        result = timed(lambda t=text: store.search_query(compile_query(t, now=NOW), limit=50), 3)
        long_rows.append({"query": label, "chars": len(text), **result})

    size = sizes(db)
    size["index_share_pct"] = round(
        100 * (size["with_index"] - size["without_index"]) / size["without_index"], 1
    )
    store.close()

    print(f"\n{args.articles} articles, {args.feeds} feeds, limit 50, {args.runs} runs")
    print(
        f"{'query':<32}{'hits':>8}{'p50 ms':>9}{'p95 ms':>9}{'cpu p50':>9}{'cpu p95':>9}"
        f"{'LIKE all':>10}{'x faster':>10}{'LIKE 50 newest':>16}"
    )
    for row in rows:
        print(
            f"{row['query']:<32}{row.get('hits', ''):>8}{row['p50_ms']:>9}{row['p95_ms']:>9}"
            f"{row.get('cpu_p50_ms', ''):>9}{row.get('cpu_p95_ms', ''):>9}"
            f"{row.get('like_all_p50_ms', ''):>10}{row.get('speedup_p50', ''):>10}"
            f"{row.get('like_newest50_p50_ms', ''):>16}"
        )
    print("\nlong pasted queries (bounded to the first 64 terms / 1,000 characters)")
    for row in long_rows:
        print(f"{row['query']:<32}{row['chars']:>8}{row['p50_ms']:>9}{row['max_ms']:>9}")
    print(
        f"\ncache {size['with_index'] / 1e6:.1f} MB with the index, "
        f"{size['without_index'] / 1e6:.1f} MB without: the index adds "
        f"{size['index_share_pct']} %"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "search.json"
    out.write_text(
        json.dumps(
            {
                "articles": args.articles,
                "feeds": args.feeds,
                "runs": args.runs,
                "sqlite": sqlite3.sqlite_version,
                "common_word_articles": document_frequency(db, COMMON),
                "queries": rows,
                "long_queries": long_rows,
                "size_bytes": size,
                "measured": datetime.now(UTC).isoformat(timespec="seconds"),
                "load_average": [round(x, 2) for x in os.getloadavg()],
                "cpus": os.cpu_count(),
            },
            indent=2,
        )
        + "\n",
        "utf-8",
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average {load} on {os.cpu_count()} CPUs; wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
