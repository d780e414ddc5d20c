"""Refresh benchmark: newsreader against newsboat on the same local feeds, same run.

200 synthetic RSS feeds x 50 articles are served from 127.0.0.1 with 50 ms of latency per
request (ETag/Last-Modified, 304 when unchanged). Each reader does a first refresh into an
empty cache and a second one with nothing changed; both are timed as whole commands
(process start-up included). newsboat runs with ``reload-threads 16`` and ``-x reload``; it
is skipped, with a message, when not installed.

Also measured: what converting every article to Markdown at ingest would add.

Usage: .venv/bin/python bench/refresh.py [--feeds 200] [--articles 50] [--latency 0.05]
Results are printed and written to bench/results/refresh.txt.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

PARAGRAPH = (
    '<p>Officials said on {day} that the <a href="/story/{n}">new measures</a> would take '
    "effect next month, after a <em>lengthy</em> consultation with residents, businesses and "
    "local councils across the region. Critics argued the plan does too little, too late.</p>"
)


def make_feed(index: int, articles: int) -> bytes:
    items = []
    for n in range(articles):
        body = "".join(PARAGRAPH.format(day=f"day {n}", n=index * 1000 + n) for _ in range(4))
        body = (
            f"<h2>Section {n}</h2>{body}<ul><li>First point</li><li>Second point</li></ul>"
            f"<blockquote><p>A quote from someone involved.</p></blockquote>"
        )
        items.append(
            "<item>"
            f"<title>Feed {index} headline number {n}: something happened</title>"
            f"<link>http://127.0.0.1/feed{index}/story/{n}</link>"
            f'<guid isPermaLink="false">feed{index}-item{n}</guid>'
            f"<pubDate>{formatdate(1_700_000_000 + index * 100 + n, usegmt=True)}</pubDate>"
            f"<dc:creator>Reporter {n % 7}</dc:creator>"
            f"<description><![CDATA[<p>Summary of story {n}.</p>]]></description>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>Synthetic feed {index}</title><link>http://127.0.0.1/feed{index}/</link>"
        f"<description>Feed {index}</description>{''.join(items)}</channel></rss>"
    ).encode()


def serve(
    port_queue: multiprocessing.Queue[int], feeds: int, articles: int, latency: float
) -> None:
    """Run the feed server (in its own process, so it does not share our CPU time slice)."""
    bodies = {f"/feed/{i}.xml": make_feed(i, articles) for i in range(feeds)}
    etags = {path: '"' + hashlib.md5(body).hexdigest() + '"' for path, body in bodies.items()}
    modified = formatdate(1_700_000_000, usegmt=True)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            time.sleep(latency)
            body = bodies.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = etags[self.path]
            if self.headers.get("If-None-Match") == etag or (
                "If-None-Match" not in self.headers
                and self.headers.get("If-Modified-Since") == modified
            ):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
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


def timed(
    command: list[str], env: dict[str, str]
) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    return time.perf_counter() - start, done


def run_newsreader(base: str, feeds: int, work: Path) -> tuple[float, float, str]:
    config = work / "feeds.toml"
    lines = ["[settings]", "refresh_on_start = false", "concurrency = 16", "per_host = 16", ""]
    for i in range(feeds):
        lines += ["[[feeds]]", f'url = "{base}/feed/{i}.xml"', ""]
    config.write_text("\n".join(lines))
    env = {**os.environ, "NEWSREADER_CONFIG": str(config), "NEWSREADER_DB": str(work / "nr.db")}
    env["HOME"] = str(work)
    command = [sys.executable, "-m", "newsreader", "refresh", "--quiet"]
    first, done = timed(command, env)
    if done.returncode != 0:
        raise SystemExit(f"newsreader refresh failed:\n{done.stdout}\n{done.stderr}")
    second, done2 = timed(command, env)
    return first, second, done.stdout.strip().splitlines()[-1] + " / " + done2.stdout.strip()


def run_newsboat(base: str, feeds: int, work: Path) -> tuple[float, float] | None:
    newsboat = shutil.which("newsboat")
    if newsboat is None:
        return None
    (work / "urls").write_text("".join(f"{base}/feed/{i}.xml\n" for i in range(feeds)))
    (work / "config").write_text("reload-threads 16\n")
    env = {**os.environ, "HOME": str(work)}
    command = [
        newsboat,
        "-u",
        str(work / "urls"),
        "-c",
        str(work / "newsboat.db"),
        "-C",
        str(work / "config"),
        "-x",
        "reload",
    ]
    first, done = timed(command, env)
    if done.returncode != 0:
        print(f"newsboat failed: {done.stderr.strip()}", file=sys.stderr)
        return None
    second, _ = timed(command, env)
    return first, second


def markdown_cost(feeds: int, articles: int) -> tuple[float, float, str]:
    """Seconds to sanitise all articles and to convert them all to Markdown at ingest."""
    from newsreader.ingest.feed import sanitize_html

    try:
        from newsreader.ingest.html import html_to_markdown

        converter = "newsreader.ingest.html.html_to_markdown"
    except ImportError:
        from markdownify import markdownify

        def html_to_markdown(html: str, base_url: str | None) -> str:
            return str(markdownify(html, heading_style="ATX"))

        converter = "markdownify (newsreader.ingest.html not available)"
    import re

    document = make_feed(0, articles).decode()
    bodies = re.findall(r"<content:encoded><!\[CDATA\[(.*?)\]\]>", document, re.S)
    start = time.perf_counter()
    cleaned = [sanitize_html(body, "http://127.0.0.1/") for body in bodies]
    sanitise = (time.perf_counter() - start) * feeds
    start = time.perf_counter()
    for body in cleaned:
        html_to_markdown(body, "http://127.0.0.1/")
    convert = (time.perf_counter() - start) * feeds
    return sanitise, convert, converter


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()

    queue: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(
        target=serve, args=(queue, args.feeds, args.articles, args.latency), daemon=True
    )
    server.start()
    try:
        port = queue.get(timeout=60)
        base = f"http://127.0.0.1:{port}"
        lines = [
            f"refresh benchmark: {args.feeds} feeds x {args.articles} articles, "
            f"{args.latency * 1000:.0f} ms latency, {os.cpu_count()} CPU(s)"
        ]
        with tempfile.TemporaryDirectory(prefix="nr-bench-") as tmp:
            work = Path(tmp)
            (work / "nr").mkdir()
            (work / "nb").mkdir()
            ours_first, ours_second, report = run_newsreader(base, args.feeds, work / "nr")
            theirs = run_newsboat(base, args.feeds, work / "nb")
        lines.append(
            f"newsreader: first {ours_first:.2f} s, unchanged {ours_second:.2f} s ({report})"
        )
        if theirs is None:
            lines.append("newsboat: skipped (not installed: apt-get install newsboat)")
        else:
            nb_first, nb_second = theirs
            lines.append(f"newsboat:   first {nb_first:.2f} s, unchanged {nb_second:.2f} s")
            lines.append(
                f"ratio (newsreader/newsboat): first {ours_first / nb_first:.2f} (goal <= 0.50), "
                f"unchanged {ours_second / nb_second:.2f} (goal <= 0.25)"
            )
        sanitise, convert, converter = markdown_cost(args.feeds, args.articles)
        lines.append(
            f"ingest CPU for all articles: sanitise {sanitise:.2f} s; Markdown at ingest would "
            f"add {convert:.2f} s more ({converter}), so it is done on first display instead"
        )
    finally:
        server.terminate()
        server.join(5)
    text = "\n".join(lines)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "refresh.txt").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
