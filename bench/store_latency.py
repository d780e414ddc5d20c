"""Store latency benchmark: the queries the article list runs, at 100,000 cached articles.

Usage: ``python bench/store_latency.py [--articles 100000] [--feeds 100] [--runs 40]
[--write 10000] [--rebuild]``

Builds (once; reused from ``bench/results/store_cache/``) a real SQLite cache of
``--articles`` articles over ``--feeds`` feeds of uneven size with tags, realistic titles and
bodies, about a third unread and a few starred, stored through ``Store.upsert_articles``.
Then times each query on a read-only connection (``Store.open_reader``, as the app's UI
uses): first idle, then while another process writes ``--write`` new articles in
transactions of 500 (as a refresh does). Prints p50/p95/max in milliseconds and writes
everything, with the query plans, to ``bench/results/store_latency.json``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
GENERATOR = 3  # bump when the generated cache changes shape
_VOCABULARY = (
    "ukraine budapest summit missile tomahawk energy grid drone refinery sanctions oil "
    "ceasefire market election court climate storm vaccine research satellite launch budget "
    "tariff union strike river bridge harbour railway festival museum novel stadium league "
    "transfer season coach parliament minister treaty border convoy hospital evacuation "
    "blackout winter harvest export the a of and to in for on with at by from about after "
    "over new says report city government company people year week plans talks deal"
)
WORDS = _VOCABULARY.split()
TAGS = ["world", "tech", "science", "sport", "culture", "business", "local", "podcasts"]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def build(path: Path, articles: int, feeds: int) -> None:
    """A cache of ``articles`` over ``feeds`` feeds of uneven size (a few large, most small)."""
    from newsreader.model import ContentType, NewArticle
    from newsreader.store import Store

    rng = random.Random(7)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in path.parent.glob(partial.name + "*"):
        leftover.unlink()
    store = Store.open(partial)
    weights = [1 / (n + 3) for n in range(feeds)]  # Zipf-like: feed 0 is the busiest
    total = sum(weights)
    sizes = [max(20, int(articles * w / total)) for w in weights]
    sizes[0] += articles - sum(sizes)
    now = datetime(2026, 11, 28, tzinfo=UTC).timestamp()
    span = 2 * 365 * 86400
    for number, size in enumerate(sizes):
        # The podcasts tag has one small feed: the sparsest tag filter.
        tags = ["podcasts"] if number == feeds - 1 else rng.sample(TAGS[:-1], rng.randint(0, 2))
        feed = store.ensure_feed(
            f"https://feed{number}.example/rss", f"Feed {number} {_text(rng, 2)}", tags=tags
        )
        batch = []
        for n in range(size):
            paragraphs = [_text(rng, rng.randint(20, 60)).capitalize() + "." for _ in range(4)]
            body = f"## {_text(rng, 4).title()}\n\n" + "\n\n".join(paragraphs)
            # Whole seconds, so some articles share a publication time (the id breaks ties).
            published = int(now - rng.random() * span)
            batch.append(
                NewArticle(
                    key=f"https://feed{number}.example/{n}",
                    title=_text(rng, rng.randint(5, 12)).capitalize(),
                    published=datetime.fromtimestamp(published, UTC),
                    content=body,
                    content_type=ContentType.MARKDOWN,
                    body=body,
                    text=body,
                    author=rng.choice(["", "Staff", "A. Writer", "Desk"]),
                    link=f"https://feed{number}.example/{n}",
                )
            )
        store.upsert_articles(feed.id, batch)
    # About two thirds read (mostly the older ones), a few starred.
    keys = store.view_keys(_all())
    read = [
        article_id
        for index, (_, article_id) in enumerate(keys)
        if rng.random() < index / len(keys) * 1.3
    ]
    store.set_read(read)
    store.set_starred([article_id for _, article_id in rng.sample(keys, len(keys) // 200)])
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.rename(path)


def _all() -> Any:
    from newsreader.store import ArticleFilter

    return ArticleFilter()


def write_articles(path: str, count: int, url: str, ready: Any) -> None:
    """In another process: store ``count`` new articles in transactions of 500."""
    from newsreader.model import ContentType, NewArticle
    from newsreader.store import Store

    rng = random.Random(11)
    store = Store.open(path)
    feed = store.ensure_feed(url, "Bench writer", tags=["world"])
    ready.set()
    now = datetime.now(UTC)
    for start in range(0, count, 500):
        batch = []
        for n in range(start, min(count, start + 500)):
            body = "\n\n".join(_text(rng, 40).capitalize() + "." for _ in range(4))
            batch.append(
                NewArticle(
                    key=f"{url}/{n}",
                    title=_text(rng, 8).capitalize(),
                    published=now - timedelta(seconds=n),
                    content=body,
                    content_type=ContentType.MARKDOWN,
                    body=body,
                    text=body,
                )
            )
        store.upsert_articles(feed.id, batch)
    store.close()


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "p50": statistics.median(ordered),
        "p95": p95,
        "max": ordered[-1],
    }


def operations(store: Any, rng: random.Random) -> dict[str, Callable[[], object]]:
    """The queries to time, each a closure over a fixed, realistic argument."""
    from newsreader.store import ArticleFilter
    from newsreader.store.filters import where_sql
    from newsreader.store.rows import SUMMARY_COLUMNS

    every = ArticleFilter()
    keys = store.view_keys(every)
    feeds = store.feeds()
    biggest = max(feeds, key=lambda f: f.total)
    middle = sorted(feeds, key=lambda f: f.total)[len(feeds) // 2]
    sparse_tag = ArticleFilter(tag="podcasts")
    wide_tag = ArticleFilter(tag="world")
    unread = ArticleFilter(unread=True)
    one_feed = ArticleFilter(feed_id=biggest.id)
    deep = keys[-150]
    ids = [article_id for _, article_id in keys]

    def deep_key(where: Any) -> Any:
        found = store.view_keys(where)
        return found[max(0, len(found) - 150)]

    deep_unread, deep_feed = deep_key(unread), deep_key(one_feed)
    # What the list ran before keyset paging: the same rows, reached by OFFSET.
    offset_where, offset_params = where_sql(every)
    offset_sql = (
        f"SELECT {SUMMARY_COLUMNS} FROM articles a CROSS JOIN feeds f ON f.id = a.feed_id "
        f"WHERE {offset_where} ORDER BY a.published DESC, a.id DESC LIMIT 100 OFFSET 99900"
    )
    deep_sparse, deep_wide = deep_key(sparse_tag), deep_key(wide_tag)
    middle_key = keys[len(keys) // 2]
    print(
        f"  {len(keys):,} articles, {len(feeds)} feeds; biggest feed {biggest.total:,}, "
        f"median feed {middle.total:,}; tag 'world' {store.count_articles(wide_tag):,}, "
        f"tag 'podcasts' {store.count_articles(sparse_tag):,}, "
        f"unread {store.count_articles(unread):,}",
        file=sys.stderr,
    )
    return {
        "page top (All)": lambda: store.page(every, limit=100),
        "page deep keyset (All)": lambda: store.page(every, after=deep, limit=100),
        "page deep keyset (unread)": lambda: store.page(unread, after=deep_unread, limit=100),
        "page deep keyset (one feed)": lambda: store.page(one_feed, after=deep_feed, limit=100),
        "page deep keyset (tag world)": lambda: store.page(wide_tag, after=deep_wide, limit=100),
        "page deep keyset (tag podcasts)": lambda: store.page(
            sparse_tag, after=deep_sparse, limit=100
        ),
        "page_before deep (All)": lambda: store.page_before(every, deep, limit=100),
        "OLD page OFFSET 99,900 (All)": lambda: store._db.query(offset_sql, offset_params),
        "view_keys (All)": lambda: store.view_keys(every),
        "view_keys (unread)": lambda: store.view_keys(unread),
        "view_keys (one feed)": lambda: store.view_keys(one_feed),
        "view_keys (tag world)": lambda: store.view_keys(wide_tag),
        "view_keys (tag podcasts)": lambda: store.view_keys(sparse_tag),
        "neighbour_unread next (All)": lambda: store.neighbour_unread(every, middle_key),
        "neighbour_unread prev (tag podcasts)": lambda: store.neighbour_unread(
            sparse_tag, deep_sparse, forward=False
        ),
        "count_articles (unread)": lambda: store.count_articles(unread),
        "feeds() with counts": lambda: store.feeds(),
        "summaries (50 ids)": lambda: store.summaries(rng.sample(ids, 50)),
        "data_version": lambda: store.data_version(),
    }


def time_once(operation: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one call (the CPU time of this thread, where
    SQLite runs, leaves out time spent waiting for a core on a busy machine)."""
    started, cpu = time.perf_counter(), time.thread_time()
    operation()
    return (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000


def plans(store: Any, ops: dict[str, Callable[[], object]]) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN of the last statement each timed query runs (index use, sorts)."""
    connection = store._db._db  # the reader's sqlite3 connection: a look inside, for the plan
    statements: list[str] = []
    connection.set_trace_callback(statements.append)
    found: dict[str, list[str]] = {}
    try:
        for name, operation in ops.items():
            statements.clear()
            operation()
            if statements:
                sql = statements[-1]
                rows = connection.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
                found[name] = [str(row[3]) for row in rows]
    finally:
        connection.set_trace_callback(None)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--runs", type=int, default=40, help="idle samples per query")
    parser.add_argument("--write", type=int, default=10_000, help="articles the writer adds")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the cache")
    args = parser.parse_args()

    from newsreader.store import Store

    name = f"cache-{args.articles}-{args.feeds}-g{GENERATOR}.db"
    path = RESULTS / "store_cache" / name
    if args.rebuild or not path.exists():
        print(f"building {path} ...", file=sys.stderr)
        started = time.perf_counter()
        build(path, args.articles, args.feeds)
        print(f"  built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    Store.open(path).close()  # a writer first: WAL mode, migrations

    reader = Store.open_reader(path)
    rng = random.Random(3)
    ops = operations(reader, rng)
    results: dict[str, Any] = {"articles": args.articles, "feeds": args.feeds}
    results["plans"] = plans(reader, ops)

    idle: dict[str, list[tuple[float, float]]] = {name: [] for name in ops}
    for operation in ops.values():  # warm the page cache once
        operation()
    for _ in range(args.runs):
        for name, operation in ops.items():
            idle[name].append(time_once(operation))

    busy: dict[str, list[tuple[float, float]]] = {name: [] for name in ops}
    url = f"https://writer.example/{time.time_ns()}"
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    writer = context.Process(target=write_articles, args=(str(path), args.write, url, ready))
    started = time.perf_counter()
    writer.start()
    ready.wait(60)
    while writer.is_alive():
        for name, operation in ops.items():
            busy[name].append(time_once(operation))
    writer.join()
    write_seconds = time.perf_counter() - started
    reader.close()
    cleanup = Store.open(path)
    written = cleanup.feed_by_url(url)
    if written is not None:
        cleanup.delete_feed(written.id)
    cleanup.close()

    results["write_seconds"] = write_seconds
    results["load_average"] = list(os.getloadavg())  # others' work on this machine
    empty = {"p50": 0.0, "p95": 0.0, "max": 0.0, "n": 0}
    for phase, samples in (("idle", idle), ("busy", busy)):
        results[f"{phase}_ms"] = {
            n: percentiles([w for w, _ in s]) for n, s in samples.items() if s
        }
        results[f"{phase}_cpu_ms"] = {
            n: percentiles([c for _, c in s]) for n, s in samples.items() if s
        }
    width = max(len(name) for name in ops)
    print(f"\n{'':<{width}}  {'idle (wall)':^23} {'cpu':>6}   {'another process writing':^30}")
    print(
        f"{'query':<{width}}  {'p50':>7} {'p95':>7} {'max':>7} {'p50':>6}   "
        f"{'p50':>7} {'p95':>7} {'max':>7} {'cpu':>6} {'n':>4}"
    )
    for name in ops:
        a, ac = results["idle_ms"][name], results["idle_cpu_ms"][name]
        b = results["busy_ms"].get(name, empty)
        bc = results["busy_cpu_ms"].get(name, empty)
        print(
            f"{name:<{width}}  {a['p50']:7.2f} {a['p95']:7.2f} {a['max']:7.2f} {ac['p50']:6.2f}   "
            f"{b['p50']:7.2f} {b['p95']:7.2f} {b['max']:7.2f} {bc['p50']:6.2f} {b['n']:4d}"
        )
    print(
        f"\n(ms; {args.write:,} articles written by another process in {write_seconds:.1f} s; "
        f"load average {results['load_average'][0]:.1f})"
    )
    for name, lines in results["plans"].items():
        text = " | ".join(lines)
        print(f"plan {name}: {text[:160]}{'…' if len(text) > 160 else ''}")
    out = RESULTS / "store_latency.json"
    out.write_text(json.dumps(results, indent=2), "utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
