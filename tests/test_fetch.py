"""HTTP fetching against a real server on 127.0.0.1: validators, redirects, limits, failures."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from feed_server import conditional, endless, etag_of, rss
from newsreader import __version__
from newsreader.model import FetchResult
from newsreader.sources.feeds import Fetcher, FetchLimits, retry_after_seconds

FAST = FetchLimits(concurrency=8, per_host=4, timeout=0.5, total_timeout=1.5)


async def fetch(url: str, limits: FetchLimits = FAST, **validators: str | None) -> FetchResult:
    async with Fetcher(limits) as fetcher:
        return await fetcher.fetch(url, **validators)  # type: ignore[arg-type]


async def test_plain_fetch_sends_our_user_agent_and_reads_validators(server: HTTPServer) -> None:
    body = rss(3)
    seen: list[str] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("User-Agent", ""))
        return conditional(body)(request)

    server.expect_request("/feed").respond_with_handler(handler)
    result = await fetch(server.url_for("/feed"))
    assert result.error == "" and result.status == 200
    assert result.body == body
    assert result.etag == etag_of(body)
    assert result.last_modified
    assert seen[0].startswith(f"newsreader/{__version__}")


async def test_conditional_get_gives_304_without_a_body(server: HTTPServer) -> None:
    hits: list[str] = []
    server.expect_request("/feed").respond_with_handler(conditional(rss(3), hits=hits))
    first = await fetch(server.url_for("/feed"))
    second = await fetch(
        server.url_for("/feed"), etag=first.etag, last_modified=first.last_modified
    )
    only_date = await fetch(server.url_for("/feed"), last_modified=first.last_modified)
    assert hits == ["200", "304", "304"]
    assert second.not_modified and second.body == b"" and second.error == ""
    assert only_date.not_modified


async def test_gzip_is_decoded(server: HTTPServer) -> None:
    body = rss(20)
    server.expect_request("/feed").respond_with_handler(conditional(body, compress=True))
    result = await fetch(server.url_for("/feed"))
    assert result.body == body


async def test_permanent_redirect_is_reported_temporary_is_not(server: HTTPServer) -> None:
    server.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    server.expect_request("/tmp").respond_with_data("", status=302, headers={"Location": "/new"})
    server.expect_request("/new").respond_with_data(rss(1))
    moved = await fetch(server.url_for("/old"))
    assert moved.permanent_redirect and moved.final_url == server.url_for("/new")
    assert moved.body == rss(1)
    temporary = await fetch(server.url_for("/tmp"))
    assert not temporary.permanent_redirect and temporary.body == rss(1)


async def test_redirect_loop_and_too_many_redirects_are_errors(server: HTTPServer) -> None:
    server.expect_request("/a").respond_with_data("", status=301, headers={"Location": "/b"})
    server.expect_request("/b").respond_with_data("", status=301, headers={"Location": "/a"})
    for n in range(10):
        server.expect_request(f"/hop{n}").respond_with_data(
            "", status=302, headers={"Location": f"/hop{n + 1}"}
        )
    loop = await fetch(server.url_for("/a"))
    assert "redirect loop" in loop.error
    chain = await fetch(server.url_for("/hop0"))
    assert "too many redirects" in chain.error


async def test_redirect_to_another_scheme_is_refused(server: HTTPServer) -> None:
    server.expect_request("/x").respond_with_data(
        "", status=301, headers={"Location": "file:///etc/passwd"}
    )
    result = await fetch(server.url_for("/x"))
    assert "unsupported URL" in result.error and result.body == b""


async def test_status_errors(server: HTTPServer) -> None:
    server.expect_request("/gone").respond_with_data("", status=410)
    server.expect_request("/broken").respond_with_data("oops", status=500)
    server.expect_request("/busy").respond_with_data("", status=429, headers={"Retry-After": "120"})
    gone = await fetch(server.url_for("/gone"))
    assert gone.status == 410 and "410 Gone" in gone.error
    broken = await fetch(server.url_for("/broken"))
    assert broken.status == 500 and "HTTP 500" in broken.error
    busy = await fetch(server.url_for("/busy"))
    assert busy.status == 429 and busy.retry_after == 120.0


def test_retry_after_as_date() -> None:
    from email.utils import formatdate

    now = time.time()
    assert retry_after_seconds(formatdate(now + 300, usegmt=True), now=now) == pytest.approx(
        300, abs=2
    )
    assert retry_after_seconds("soon") is None


async def test_slow_server_times_out(server: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.0)
        return Response(rss(1))

    server.expect_request("/slow").respond_with_handler(slow)
    start = time.perf_counter()
    result = await fetch(server.url_for("/slow"))
    assert "timed out" in result.error
    assert time.perf_counter() - start < 1.0


async def test_oversized_bodies_are_cut_off(server: HTTPServer) -> None:
    small = FetchLimits(timeout=0.5, total_timeout=3.0, max_bytes=10_000)
    server.expect_request("/big").respond_with_data(b"x" * 50_000)
    server.expect_request("/endless").respond_with_handler(lambda request: Response(endless()))
    big = await fetch(server.url_for("/big"), small)
    assert "too large" in big.error and big.body == b""
    start = time.perf_counter()
    forever = await fetch(server.url_for("/endless"), small)
    assert "too large" in forever.error
    assert time.perf_counter() - start < 3.0


async def test_dead_host_is_an_error() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = await fetch(f"http://127.0.0.1:{port}/feed")
    assert result.error and result.status == 0


async def test_files_and_paths_are_feeds_too(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss(2))
    by_path = await fetch(str(feed))
    by_uri = await fetch(feed.as_uri())
    assert by_path.body == by_uri.body == rss(2)
    missing = await fetch(str(tmp_path / "nope.xml"))
    assert "not found" in missing.error


async def test_per_host_limit_bounds_concurrent_requests(server: HTTPServer) -> None:
    import asyncio
    import threading

    lock = threading.Lock()
    active = [0, 0]  # now, most

    def handler(request: Request) -> Response:
        with lock:
            active[0] += 1
            active[1] = max(active[1], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return Response(rss(1))

    for n in range(8):
        server.expect_request(f"/f{n}").respond_with_handler(handler)
    limits = FetchLimits(concurrency=8, per_host=2, timeout=2.0)
    async with Fetcher(limits) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(server.url_for(f"/f{n}")) for n in range(8)))
    assert all(r.error == "" for r in results)
    assert active[1] <= 2


class _CountingServer:
    """A real HTTP/1.1 server on 127.0.0.1 that keeps connections open and counts them."""

    def __init__(self, status: int, body: bytes = b"") -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        counter = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self.send_response(status)
                self.send_header("ETag", '"v1"')
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def get_request(self) -> tuple[socket.socket, object]:
                counter.connections += 1
                return super().get_request()

        self.connections = 0
        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/feed"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize(
    ("status", "body"), [(304, b""), (404, b"not here " * 100)], ids=["304", "404 page"]
)
async def test_connections_are_kept_after_responses_without_a_wanted_body(
    status: int, body: bytes
) -> None:
    # A 304 (an unchanged feed) or an error page must leave its connection open for the
    # next feed: a new connection per feed costs a handshake and a server thread each.
    served = _CountingServer(status, body)
    try:
        async with Fetcher(FAST) as fetcher:
            for _ in range(5):
                result = await fetcher.fetch(served.url, etag='"v1"')
                assert result.status == status
                assert result.not_modified == (status == 304)
        assert served.connections == 1
    finally:
        served.close()
