"""A real HTTP server on 127.0.0.1 for the feed tests, with conditional GET like a web server.

Test modules use :func:`start_server` in a fixture (``conftest.py`` belongs to the whole
suite). Files are served from the shared corpus where they lie; nothing is copied.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Iterator
from email.utils import formatdate
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


def start_server() -> HTTPServer:
    """A threaded server, so that one slow response does not hold back the others."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    return server


def stop_server(server: HTTPServer) -> None:
    server.clear()
    if server.is_running():
        server.stop()


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


def conditional(
    body: bytes | Callable[[], bytes],
    content_type: str = "application/xml",
    compress: bool = False,
    hits: list[str] | None = None,
) -> Callable[[Request], Response]:
    """A handler that answers 304 when the client's validators match, like a web server."""

    def handler(request: Request) -> Response:
        data = body() if callable(body) else body
        etag = etag_of(data)
        matched = request.headers.get("If-None-Match") == etag or (
            "If-None-Match" not in request.headers
            and request.headers.get("If-Modified-Since") == LAST_MODIFIED
        )
        if hits is not None:
            hits.append("304" if matched else "200")
        if matched:
            return Response(status=304, headers={"ETag": etag})
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if compress:
            data = gzip.compress(data)
            headers["Content-Encoding"] = "gzip"
        return Response(data, status=200, headers=headers, content_type=content_type)

    return handler


def serve_corpus(server: HTTPServer, folder: Path, prefix: str = "/feeds/") -> dict[str, str]:
    """Serve every file of ``folder`` with ETag/Last-Modified; returns file name → URL."""
    urls: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        kind = "application/json" if path.suffix == ".json" else "application/xml"
        route = prefix + path.name
        server.expect_request(route).respond_with_handler(conditional(path.read_bytes(), kind))
        urls[path.name] = server.url_for(route)
    return urls


def endless() -> Iterator[bytes]:
    """A body that never ends."""
    chunk = b"<rss><channel>" + b"x" * 65536
    while True:
        yield chunk


def rss(items: int, title: str = "Test feed", prefix: str = "item", dated: bool = True) -> bytes:
    """A small RSS 2.0 feed."""
    parts = []
    for n in range(items):
        date = (
            f"<pubDate>{formatdate(1_700_000_000 + n * 60, usegmt=True)}</pubDate>" if dated else ""
        )
        parts.append(
            f"<item><title>{prefix} {n}</title><link>https://example.org/{prefix}/{n}</link>"
            f"<guid>{prefix}-{n}</guid>{date}"
            f"<description>&lt;p&gt;Body of {prefix} {n}&lt;/p&gt;</description></item>"
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://example.org/</link>{''.join(parts)}</channel></rss>"
    ).encode()
