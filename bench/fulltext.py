"""Full-text benchmark: a refresh that fetches the pages of 100 summary-only articles.

A local server (its own process) serves one RSS feed of 100 entries, each a one-sentence
summary linking to its page, and the pages: the shared corpus's saved pages
(``../shared/corpus/articles/readability/*/source.html``, 9-260 KB each, taken in turn), or
a synthetic blog page when the corpus is absent. Every request waits ``--latency`` first.

Timed, in this process, each on a fresh cache:
- the refresh with ``full_text = false`` (the feed alone), and with ``full_text = "auto"``
  (the feed and 100 pages); the difference is the time to fetch text for 100 articles;
- the same with pages read in threads rather than a pool of processes;
- a second refresh after the feed changed (pages are cached: none fetched again);
- one forced ``fetch_full_text`` (a conditional request answered 304).

Usage: .venv/bin/python bench/fulltext.py [--articles 100] [--latency 0.05]
Results are printed and written to bench/results/fulltext.json.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import multiprocessing
import os
import sys
import tempfile
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from newsreader.config import Config
    from newsreader.store import Store

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
CORPUS = ROOT.parent / "shared" / "corpus" / "articles" / "readability"

SYNTHETIC = (
    "<!DOCTYPE html><html><head><title>Post {n}</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/about'>About</a></nav><article><h1>Post {n}</h1>"
    + "<p>The committee met on Tuesday to weigh the proposal in detail, and members asked for "
    "more evidence about costs, timelines and the effect on residents nearby.</p>"
    * 12
    + "<h2>Next</h2><ul><li>One</li><li>Two</li></ul></article>"
    "<section class='comments'><h3>Leave a Reply</h3></section></body></html>"
)


def pages(count: int) -> list[bytes]:
    sources = sorted(CORPUS.glob("*/source.html")) if CORPUS.is_dir() else []
    if sources:
        return [sources[n % len(sources)].read_bytes() for n in range(count)]
    return [SYNTHETIC.format(n=n).encode() for n in range(count)]


def feed(base: str, count: int, version: int) -> bytes:
    items = "".join(
        f"<item><title>Story {n}</title><link>{base}/page/{n}</link><guid>story-{n}</guid>"
        f"<pubDate>{formatdate(1_700_000_000 + n * 60, usegmt=True)}</pubDate>"
        f"<description>{escape(f'Story {n}, version {version}, in one sentence.')}</description>"
        "</item>"
        for n in range(count)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Summaries</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()


def serve(port_queue: multiprocessing.Queue[int], count: int, latency: float) -> None:
    """The page and feed server, in its own process."""
    bodies = pages(count)
    version = [1]
    modified = formatdate(1_700_000_000, usegmt=True)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            time.sleep(latency)
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/bump":
                version[0] += 1
                body, kind = b"ok", "text/plain"
            elif self.path == "/feed.xml":
                body, kind = feed(base, count, version[0]), "application/rss+xml"
            elif self.path.startswith("/page/") and self.path[6:].isdigit():
                body, kind = bodies[int(self.path[6:]) % count], "text/html; charset=utf-8"
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = '"' + hashlib.md5(body).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        request_queue_size = 512
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    port_queue.put(server.server_address[1])
    server.serve_forever()


def open_cache(work: Path, base: str, mode: str) -> tuple[Store, Config]:
    from newsreader.config import load_config
    from newsreader.context import sync_sources
    from newsreader.store import Store

    work.mkdir(parents=True, exist_ok=True)
    path = work / "feeds.toml"
    path.write_text(
        "[settings]\nrefresh_on_start = false\nconcurrency = 16\nper_host = 4\n"
        f'[[feeds]]\nurl = "{base}/feed.xml"\nfull_text = {mode}\n'
    )
    config = load_config(path)
    store = Store.open(work / "nr.db")
    sync_sources(store, config)
    return store, config


def timed_refresh(store: Store, config: Config) -> float:
    from newsreader.refresh import refresh

    start = time.perf_counter()
    summary = asyncio.run(refresh(store, config))
    elapsed = time.perf_counter() - start
    print(f"  refresh of {store.path}: {elapsed:.2f} s", file=sys.stderr)
    if summary.failures:
        raise SystemExit(f"refresh failed: {summary.failures}")
    return elapsed


def count_texts(store: Store) -> dict[str, int]:
    with store.transaction() as db:
        rows = db.execute("SELECT status, count(*) FROM full_texts GROUP BY status").fetchall()
    return {str(status): int(n) for status, n in rows}


def extraction_cpu(count: int) -> float:
    """CPU seconds per page to read the benchmark's pages (each distinct page once)."""
    from newsreader.fulltext import read_page

    distinct = pages(count)[: len(list(CORPUS.glob("*/source.html"))) or 1]
    read_page(distinct[0], "text/html", "http://127.0.0.1/", 10)
    start = time.process_time()
    for body in distinct:
        read_page(body, "text/html", "http://127.0.0.1/", 10)
    return (time.process_time() - start) / len(distinct)


def bump(base: str) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{base}/bump", timeout=10) as response:
        response.read()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()

    import newsreader.fulltext as fulltext

    queue: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(
        target=serve, args=(queue, args.articles, args.latency), daemon=True
    )
    server.start()
    results: dict[str, object] = {
        "articles": args.articles,
        "latency_s": args.latency,
        "cpus": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "pages": "corpus readability source.html" if CORPUS.is_dir() else "synthetic",
    }
    try:
        base = f"http://127.0.0.1:{queue.get(timeout=60)}"
        with tempfile.TemporaryDirectory(prefix="nr-fulltext-") as tmp:
            work = Path(tmp)
            store, config = open_cache(work / "feed-only", base, "false")
            results["refresh_feed_only_s"] = timed_refresh(store, config)
            store.close()

            store, config = open_cache(work / "pool", base, '"auto"')
            results["refresh_with_pages_s"] = timed_refresh(store, config)
            results["texts"] = count_texts(store)
            bump(base)
            results["second_refresh_cached_s"] = timed_refresh(store, config)
            start = time.perf_counter()
            with store.transaction() as db:
                first = db.execute("SELECT id FROM articles WHERE link LIKE '%/page/%'").fetchone()
            forced = fulltext.fetch_full_text(store, config, first[0], force=True)
            results["forced_fetch_one_s"] = time.perf_counter() - start
            results["forced_fetch_one_status"] = forced.status
            store.close()

            fulltext.POOL_MIN_PAGES = 10**9  # read pages in threads
            store, config = open_cache(work / "threads", base, '"auto"')
            results["refresh_with_pages_threads_s"] = timed_refresh(store, config)
            store.close()
    finally:
        server.terminate()
        server.join(5)
    results["extraction_cpu_per_page_s"] = extraction_cpu(args.articles)
    feed_only = float(str(results["refresh_feed_only_s"]))
    results["full_text_100_s"] = float(str(results["refresh_with_pages_s"])) - feed_only
    results["full_text_100_threads_s"] = (
        float(str(results["refresh_with_pages_threads_s"])) - feed_only
    )
    lines = [
        f"full-text benchmark: {args.articles} summary-only articles, pages: {results['pages']}, "
        f"{args.latency * 1000:.0f} ms latency, {results['cpus']} CPU(s)",
        f"refresh, feed only:               {feed_only:.2f} s",
        f"refresh, feed + pages (processes): {float(str(results['refresh_with_pages_s'])):.2f} s"
        f" -> full text for {args.articles} articles in {results['full_text_100_s']:.2f} s"
        f" ({results['texts']})",
        f"refresh, feed + pages (threads):   "
        f"{float(str(results['refresh_with_pages_threads_s'])):.2f} s"
        f" -> {results['full_text_100_threads_s']:.2f} s",
        f"second refresh, feed changed, pages cached: "
        f"{float(str(results['second_refresh_cached_s'])):.2f} s",
        f"one forced fetch-text: {float(str(results['forced_fetch_one_s'])):.3f} s "
        f"({results['forced_fetch_one_status']})",
        f"extraction CPU per page: {float(str(results['extraction_cpu_per_page_s'])):.3f} s; "
        f"load average at the end: {os.getloadavg()[0]:.1f}",
    ]
    results["load_average"] = os.getloadavg()[0]
    print("\n".join(lines))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "fulltext.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
