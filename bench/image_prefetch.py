"""What ``prefetch_images = true`` costs a refresh: feeds with pictures, prefetch off and on.

Serves ``--feeds`` RSS feeds from 127.0.0.1, each of ``--articles`` new articles whose HTML
carries two pictures (distinct URLs; a ~60 KB JPEG each), every request delayed by
``--latency`` (the server runs in a process of its own, so its CPU is not counted).
Each mode refreshes a fresh cache file and an empty image cache, in this
process (as the app does), and reports: the time until the last feed is stored (feeds must
not be held up by pictures), the whole refresh (which waits for the pictures), the process's
CPU time (all threads), pictures fetched and picture requests served.

Usage: .venv/bin/python bench/image_prefetch.py [--feeds 30] [--articles 20] [--latency 0.03]
Results are printed and written to bench/results/image_prefetch.json.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "src"))

PARAGRAPH = (
    "<p>Officials said on Tuesday that the new measures would take effect next month, after "
    "a <em>lengthy</em> consultation with residents, businesses and local councils.</p>"
)


def jpeg() -> bytes:
    from PIL import Image

    image = Image.effect_noise((400, 300), 60).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def feed(base: str, index: int, articles: int) -> bytes:
    items = []
    for n in range(articles):
        pictures = "".join(
            f'<p><img src="{base}/pics/{index}-{n}-{k}.jpg" alt="Picture {k}"></p>'
            for k in range(2)
        )
        body = PARAGRAPH * 3 + pictures + PARAGRAPH * 2
        items.append(
            f"<item><title>Feed {index} story {n}</title><link>{base}/story/{index}/{n}</link>"
            f"<guid>f{index}-{n}</guid>"
            f"<pubDate>{formatdate(1_700_000_000 + n * 60, usegmt=True)}</pubDate>"
            f"<description><![CDATA[{body}]]></description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {index}</title><link>{base}/</link>{''.join(items)}</channel></rss>"
    ).encode()


def serve(feeds: int, articles: int, latency: float) -> tuple[ThreadingHTTPServer, list[str]]:
    picture = jpeg()
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(latency)
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/hits":
                body, kind = str(len(hits)).encode(), "text/plain"
            elif self.path.startswith("/pics/"):
                hits.append(self.path)
                body, kind = picture, "image/jpeg"
            elif self.path.startswith("/feed/"):
                body, kind = feed(base, int(self.path.split("/")[2]), articles), "application/xml"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, hits


def picture_hits(port: int) -> int:
    from urllib.request import urlopen

    with urlopen(f"http://127.0.0.1:{port}/hits") as answer:
        return int(answer.read())


def run(mode: str, feeds: int, port: int) -> dict[str, Any]:
    from newsreader.config import load_config
    from newsreader.context import sync_sources
    from newsreader.refresh import refresh
    from newsreader.store import Store

    with tempfile.TemporaryDirectory() as folder:
        os.environ["NEWSREADER_IMAGE_CACHE"] = str(Path(folder) / "images")
        path = Path(folder) / "feeds.toml"
        lines = ["[settings]", "refresh_on_start = false", f"prefetch_images = {mode}", ""]
        for index in range(feeds):
            lines += ["[[feeds]]", f'url = "http://127.0.0.1:{port}/feed/{index}"', ""]
        path.write_text("\n".join(lines), "utf-8")
        config = load_config(path)
        store = Store.open(Path(folder) / "cache.db")
        sync_sources(store, config)
        before = picture_hits(port)
        last_feed = [0.0]
        start, cpu = time.perf_counter(), time.process_time()

        def progress(outcome: object, done: int, total: int) -> None:
            last_feed[0] = time.perf_counter() - start

        summary = asyncio.run(refresh(store, config, on_progress=progress))
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        store.close()
    assert not summary.failures, summary.failures
    return {
        "prefetch": mode,
        "new": summary.new,
        "feeds_stored_s": round(last_feed[0], 3),
        "refresh_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "pictures": summary.pictures,
        "picture_requests": picture_hits(port) - before,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=30)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.03)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:  # the server's own process: print the port, serve until ended
        server, _ = serve(args.feeds, args.articles, args.latency)
        print(server.server_address[1], flush=True)
        threading.Event().wait()
        return
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", *sys.argv[1:]], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        port = int(child.stdout.readline())
        run("false", 2, port)  # warm imports
        modes = ["false", "true"] * args.repeat
        results = [run(mode, args.feeds, port) for mode in modes]
    finally:
        child.terminate()
        child.wait()
    load = os.getloadavg()[0]
    for row in results:
        print(
            f"prefetch={row['prefetch']:<5} {row['new']} new: feeds stored {row['feeds_stored_s']:.2f} s, "
            f"refresh {row['refresh_s']:.2f} s, CPU {row['cpu_s']:.2f} s, "
            f"{row['pictures']} pictures ({row['picture_requests']} requests)"
        )
    print(f"load average {load:.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    del vars(args)["serve"]
    out = {"args": vars(args), "load": load, "runs": results}
    (RESULTS / "image_prefetch.json").write_text(json.dumps(out, indent=2), "utf-8")


if __name__ == "__main__":
    main()
