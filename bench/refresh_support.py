"""Helpers of the refresh benchmark: the synthetic feeds, serving a folder, per-process CPU of
a command's process tree, and the single-threaded parse and store time of a workload."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

PARAGRAPH = (
    '<p>Officials said on {day} that the <a href="/story/{n}">new measures</a> would take '
    "effect next month, after a <em>lengthy</em> consultation with residents, businesses and "
    "local councils across the region. Critics argued the plan does too little, too late.</p>"
)
TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE_SECONDS = 0.1


def make_feed(index: int, articles: int) -> bytes:
    """One synthetic RSS 2.0 feed of ``articles`` items of a few repeated paragraphs."""
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


@dataclass
class Served:
    folder: Path
    base: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


# Runs the feed server with gzip.compress remembered per body: each file is compressed once,
# as a server with precompressed files (nginx's gzip_static, a CDN) does.
# The shared feed server is Python's ThreadingHTTPServer, whose listen backlog is 5: with 16
# connections opened at once, the kernel dropped some connection requests (ListenOverflows in
# /proc/net/netstat) and those clients waited a second before trying again, in one run out of
# two, for either reader. A server's usual backlog (128) measures the readers instead.
# It also writes a response's headers and its body in two writes. With Nagle's algorithm on
# (the default), the body's last segment then waits for the client to acknowledge the
# headers, and clients delay that acknowledgement by up to 40 ms: every 200 response of a
# kept-alive connection took about 90 ms instead of 50 (200 synthetic feeds fetched alone,
# nothing parsed: 1.2 s, against a network floor of 0.62 s; 0.70 s with TCP_NODELAY).
# Servers turn Nagle off on their connections (nginx's tcp_nodelay, Apache, Caddy), or send
# headers and body in one write; the wrapper sets TCP_NODELAY on each accepted connection.
NODELAY = (
    "import socket\n"
    "_accept = socketserver.TCPServer.get_request\n"
    "def _get_request(self):\n"
    "    connection, address = _accept(self)\n"
    "    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)\n"
    "    return connection, address\n"
    "socketserver.TCPServer.get_request = _get_request\n"
)
SERVING = (
    "import runpy, socketserver, sys\n"
    "socketserver.TCPServer.request_queue_size = 128\n"
    "{nodelay}"
    "sys.argv = sys.argv[1:]\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n"
)
PRECOMPRESSING = (
    "import functools, gzip\n"
    "gzip.compress = functools.lru_cache(maxsize=None)(gzip.compress)\n" + SERVING
)


def serve_folder(
    tool: Path, folder: Path, latency: float, precompressed: bool = False, nagle: bool = False
) -> Served:
    """Serve ``folder`` with the shared feed server (ETag, 304, gzip, ``latency`` per
    request, a listen backlog of 128, TCP_NODELAY); ``precompressed``: each body is gzipped
    once, before any reader asks; ``nagle``: Nagle's algorithm left on, as the shared server
    has it."""
    port_file, log = folder.parent / "port", folder.parent / "requests.log"
    port_file.unlink(missing_ok=True)  # left by an earlier server
    wrapper = (PRECOMPRESSING if precompressed else SERVING).format(
        nodelay="" if nagle else NODELAY
    )
    command = [sys.executable, "-c", wrapper, str(tool), str(folder), str(port_file), str(log)]
    process = subprocess.Popen([*command, "--delay", str(latency)])
    deadline = time.monotonic() + 30
    while not port_file.exists():
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise SystemExit("the feed server did not start")
        time.sleep(0.05)
    served = Served(folder, f"http://127.0.0.1:{port_file.read_text().strip()}", process)
    if precompressed:
        import urllib.request

        for path in sorted(folder.iterdir()):
            request = urllib.request.Request(
                f"{served.base}/{path.name}", headers={"Accept-Encoding": "gzip"}
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
    return served


def _processes() -> dict[int, tuple[int, float, str]]:
    """pid -> (parent pid, CPU seconds, command line) of every process."""
    found: dict[int, tuple[int, float, str]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                command = cmdline.read(200).decode(errors="replace")
        except OSError:
            continue
        cpu = (int(fields[11]) + int(fields[12])) / TICKS
        found[int(entry.name)] = (int(fields[1]), cpu, command)
    return found


def cpu_of_tree(process: subprocess.Popen[str]) -> dict[str, float]:
    """Sample the CPU of ``process`` and its descendants until it ends, by role."""
    seen: dict[int, tuple[str, float]] = {}
    forkserver = -1
    while process.poll() is None:
        table = _processes()
        tree = {process.pid}
        grew = True
        while grew:
            grew = False
            for pid, (parent, _, _) in table.items():
                if parent in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        for pid in tree & table.keys():
            parent, cpu, command = table[pid]
            if pid in seen:
                role = seen[pid][0]
            elif pid == process.pid:
                name = Path(command.split("\0")[0]).name
                role = "refreshing process" if "newsreader" in command else name
            elif "forkserver" in command and parent == process.pid:
                role, forkserver = "forkserver", pid
            elif "resource_tracker" in command:
                role = "resource tracker"
            elif parent == forkserver:
                workers = sum(1 for known, _ in seen.values() if known.startswith("worker"))
                role = f"worker {workers + 1}"
            else:
                role = "other"
            seen[pid] = (role, cpu)
        time.sleep(SAMPLE_SECONDS)
    totals: dict[str, float] = {}
    for role, cpu in seen.values():
        totals[role] = totals.get(role, 0.0) + cpu
    return totals


@dataclass
class Cost:
    parse: float
    store: float
    articles: int


def parse_and_store_cost(folder: Path, base: str) -> Cost:
    """Seconds to parse every feed of ``folder``, then to store them, in one thread."""
    from newsreader.ingest.feed import parse_feed
    from newsreader.refresh_storing import store_parsed
    from newsreader.store import Store

    bodies = [(f"{base}/{path.name}", path.read_bytes()) for path in sorted(folder.iterdir())]
    start = time.perf_counter()
    parsed = [parse_feed(body, url) for url, body in bodies]
    parse = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="nr-cost-") as tmp:
        store = Store.open(Path(tmp) / "cost.db")
        feeds = [store.ensure_feed(url) for url, _ in bodies]
        titles = {feed.id: feed.title for feed in feeds}
        start = time.perf_counter()
        # As the refresh's writer stores: each feed in its savepoint, the search index
        # filled once per transaction (here one for all, the cheapest single-threaded way).
        with store.batch(), store.indexing_at_end():
            for feed, result in zip(feeds, parsed, strict=True):
                with store.batch():
                    store_parsed(store, feed, result, None, None, None, False, titles)
        store_seconds = time.perf_counter() - start
        store.close()
    return Cost(parse, store_seconds, sum(len(p.articles) for p in parsed))


@dataclass
class FetchAlone:
    full: float  # every feed fetched whole
    unchanged: float  # every feed asked again with its validators (304s)


def fetch_alone(urls: list[str], connections: int, rounds: int = 3) -> FetchAlone:
    """Median seconds for newsreader's HTTP client alone to fetch every URL (bodies read
    and decompressed, nothing parsed or stored), then to ask for each again with its ETag
    and Last-Modified: what the network and the server allow, before any reader's work."""
    import asyncio
    import statistics

    from newsreader.sources.feeds import Fetcher, FetchLimits

    async def one_round() -> tuple[float, float]:
        limits = FetchLimits(concurrency=connections, per_host=connections)
        async with Fetcher(limits) as fetcher:
            await fetcher.fetch(urls[0], None, None)  # (the client's start-up, not timed)
            start = time.perf_counter()
            results = await asyncio.gather(*(fetcher.fetch(url, None, None) for url in urls))
            full = time.perf_counter() - start
            failed = [result for result in results if result.error]
            if failed:
                raise SystemExit(f"fetching alone failed: {failed[0].url}: {failed[0].error}")
            start = time.perf_counter()
            await asyncio.gather(
                *(
                    fetcher.fetch(url, result.etag, result.last_modified)
                    for url, result in zip(urls, results, strict=True)
                )
            )
            return full, time.perf_counter() - start

    timings = [asyncio.run(one_round()) for _ in range(rounds)]
    return FetchAlone(
        statistics.median(full for full, _ in timings),
        statistics.median(again for _, again in timings),
    )
