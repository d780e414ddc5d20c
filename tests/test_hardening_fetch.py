"""Hostile HTTP responses against a real server on 127.0.0.1: bombs, bad redirects, refusals."""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc
import zlib

import pytest
from pytest_httpserver import HTTPServer

from fault_server import RawServer, encoded, gzip_zeros, nested_gzip_zeros, trickle
from feed_server import rss
from newsreader.model import FetchResult
from newsreader.sources.addresses import AddressPolicy, private_address, private_host
from newsreader.sources.bounded import (
    MAX_RATIO,
    RATIO_FLOOR,
    SLICE,
    STEP,
    BoundedDecoder,
    TooLargeError,
)
from newsreader.sources.feeds import Fetcher, FetchLimits

LIMITS = FetchLimits(timeout=2.0, total_timeout=10.0)
BOMB = 256 * 1024 * 1024  # zeros inside each bomb


async def fetch(
    url: str, limits: FetchLimits = LIMITS, addresses: AddressPolicy | None = None
) -> FetchResult:
    async with Fetcher(limits, addresses) if addresses else Fetcher(limits) as fetcher:
        return await fetcher.fetch(url)


async def measured(url: str, limits: FetchLimits = LIMITS) -> tuple[FetchResult, float, int]:
    """The result, the seconds it took and the peak of Python memory allocated meanwhile
    (the HTTP client's modules are imported first: their import is not the response's)."""
    import aiohttp  # noqa: F401

    from newsreader.sources import feeds

    feeds._load_client()
    tracemalloc.start()
    try:
        start = time.perf_counter()
        result = await fetch(url, limits)
        seconds = time.perf_counter() - start
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, seconds, peak


@pytest.mark.parametrize("layers", [1, 2, 3])
async def test_compression_bombs_stop_early_with_little_memory(
    server: HTTPServer, layers: int
) -> None:
    body = nested_gzip_zeros(BOMB, layers)
    encoding = ", ".join(["gzip"] * layers)
    server.expect_request("/bomb").respond_with_handler(encoded(body, encoding))
    result, seconds, peak = await measured(server.url_for("/bomb"))
    assert "response too large" in result.error and result.body == b""
    assert seconds < 3.0
    assert peak < 16 * 1024 * 1024, f"{peak / 2**20:.0f} MiB allocated for a {len(body)} B bomb"


async def test_decoded_bytes_are_counted_whatever_the_ratio(server: HTTPServer) -> None:
    # Even with the ratio check out of the way, the cap holds on the decoded size.
    body = nested_gzip_zeros(BOMB, 2)
    server.expect_request("/bomb").respond_with_handler(encoded(body, "gzip, gzip"))
    limits = FetchLimits(timeout=2.0, total_timeout=10.0, max_bytes=4_000_000, max_ratio=10**9)
    result, seconds, peak = await measured(server.url_for("/bomb"), limits)
    assert "response too large (over 4000000 bytes once decompressed" in result.error
    assert peak < 16 * 1024 * 1024
    assert seconds < 3.0


async def test_nested_and_odd_encodings_of_a_real_feed_decode(server: HTTPServer) -> None:
    feed = rss(50)
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    cases = {
        "/gz2": (gzip.compress(gzip.compress(feed)), "gzip, gzip"),
        "/zlib": (zlib.compress(feed), "deflate"),
        "/raw": (raw_deflate.compress(feed) + raw_deflate.flush(), "deflate"),
        "/members": (gzip.compress(feed[:100]) + gzip.compress(feed[100:]), "gzip"),
        "/identity": (feed, "identity"),
        "/bogus": (feed, "utf-8"),  # not a compression: ignored, as browsers and httpx do
    }
    for path, (body, encoding) in cases.items():
        server.expect_request(path).respond_with_handler(encoded(body, encoding))
    for path in cases:
        result = await fetch(server.url_for(path))
        assert result.error == "" and result.body == feed, path


async def test_unknown_and_too_many_encodings_are_refused(server: HTTPServer) -> None:
    server.expect_request("/br").respond_with_handler(encoded(b"\x0b\x02\x80", "br"))
    server.expect_request("/four").respond_with_handler(
        encoded(nested_gzip_zeros(2 * 1024 * 1024, 4), "gzip, gzip, gzip, gzip")
    )
    assert "unsupported content encoding 'br'" in (await fetch(server.url_for("/br"))).error
    assert "too many content encodings" in (await fetch(server.url_for("/four"))).error


async def test_corrupt_gzip_is_an_error(server: HTTPServer) -> None:
    server.expect_request("/bad").respond_with_handler(encoded(b"\x1f\x8b\x08not gzip", "gzip"))
    result = await fetch(server.url_for("/bad"))
    assert "cannot decode the gzip response" in result.error


def test_decoder_memory_stays_at_a_few_steps() -> None:
    decoder = BoundedDecoder("gzip", limit=64 * 1024 * 1024, max_ratio=10**9)
    bomb = gzip_zeros(32 * 1024 * 1024)
    total = 0
    for start in range(0, len(bomb), 4096):
        total += len(decoder.feed(bomb[start : start + 4096]))
    assert total == 32 * 1024 * 1024
    with pytest.raises(TooLargeError, match="expand more than 100 times"):
        BoundedDecoder("gzip", limit=64 * 1024 * 1024).feed(bomb)


def test_a_bomb_in_one_large_read_stops_early() -> None:
    # However much the client reads at once, the ratio is checked slice by slice: a bomb
    # stops after about max_ratio x SLICE decoded bytes, not max_ratio x the whole read.
    bomb = gzip_zeros(256 * 1024 * 1024)
    assert len(bomb) > 8 * SLICE  # several slices in the one read
    decoder = BoundedDecoder("gzip", limit=1024 * 1024 * 1024)
    with pytest.raises(TooLargeError, match="expand more than 100 times"):
        decoder.feed(bomb)
    assert decoder.decoded <= max(RATIO_FLOOR, MAX_RATIO * SLICE) + STEP
    assert decoder.received <= SLICE * 2


async def test_trickling_body_hits_the_deadline(server: HTTPServer) -> None:
    server.expect_request("/trickle").respond_with_handler(trickle(0.05))
    limits = FetchLimits(timeout=1.0, total_timeout=1.5)
    start = time.perf_counter()
    result = await fetch(server.url_for("/trickle"), limits)
    assert result.error == "timed out after 1.5 s"
    assert time.perf_counter() - start < 2.5


async def test_refused_connection_says_so() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = await fetch(f"http://127.0.0.1:{port}/feed")
    assert result.error == "connection refused"


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("javascript:alert(1)", "redirected to an unsupported URL: javascript:alert(1)"),
        ("javascript://%0aalert(1)", "redirected to an unsupported URL: javascript:"),
        ("data:text/html,<b>x</b>", "redirected to an unsupported URL: data:"),
        ("https://", "redirected to a URL without a host"),
        ("http://example.org:notaport/", "redirected to an invalid URL"),
        ("http://[::1/\x1b[31m", "redirected to an invalid URL: http://[::1/"),
        ("", "redirect without a target"),
    ],
)
async def test_redirects_to_unusable_urls_are_clear_errors(location: str, expected: str) -> None:
    response = (
        f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n"
        "Connection: close\r\n\r\n"
    ).encode("latin-1")
    with RawServer(response) as raw:
        result = await fetch(raw.url + "/r")
    assert result.error.startswith(expected), result.error
    assert "\x1b" not in result.error and "InvalidURL" not in result.error


FEED = b"<rss version='2.0'><channel><title>t</title></channel></rss>"


def answer(head: bytes, body: bytes = FEED) -> bytes:
    """A raw response: ``head`` (status line and headers) with a Content-Length for ``body``."""
    return head + b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (answer(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 40_000 + b"\r\n"), "a line of more than"),
        (answer(b"HTTP/1.1 abc OK\r\n"), "bad status line"),
        (b"SSH-2.0-OpenSSH_9.0\r\n", "bad status line"),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
            "invalid character in chunk size",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n" + FEED,
            "the body ended before its declared length",
        ),
        (answer(b"HTTP/1.1 200 OK\r\nX-A: a\x00b\r\n"), "invalid http header"),
        (b"", "it closed the connection"),
    ],
    ids=["huge header", "bad status", "not http", "bad chunk", "short body", "nul", "nothing"],
)
async def test_malformed_responses_are_one_clear_line(response: bytes, expected: str) -> None:
    with RawServer(response) as raw:
        result = await fetch(raw.url + "/feed")
    assert result.error.startswith(f"bad response from server: {expected}"), result.error
    assert result.body == b"" and "aaaa" not in result.error


async def test_validators_with_control_characters_are_not_kept() -> None:
    # The body is still read; the next fetch is unconditional rather than echoing escapes.
    head = b"HTTP/1.1 200 OK\r\nETag: \x1b[31mred\r\nLast-Modified: Mon\x07day\r\n"
    with RawServer(answer(head)) as raw:
        result = await fetch(raw.url + "/feed")
    assert (result.error, result.body) == ("", FEED)
    assert result.etag is None and result.last_modified is None


class PublicLoopbackLiteral(AddressPolicy):
    """Every server of the suite is on 127.0.0.1: pretend that literal is a public address.

    Every other host, ``localhost`` included, goes through the real check (resolving it).
    """

    async def is_private(self, host: str) -> bool:
        return host != "127.0.0.1" and await super().is_private(host)


async def test_redirect_from_public_to_private_is_refused(server: HTTPServer) -> None:
    port = server.port
    server.expect_request("/feed").respond_with_data(rss(1))
    for target in (f"http://localhost:{port}/feed", f"http://[::ffff:127.0.0.1]:{port}/feed"):
        server.expect_request("/hop").respond_with_data(
            "", status=302, headers={"Location": target}
        )
        result = await fetch(server.url_for("/hop"), addresses=PublicLoopbackLiteral())
        assert result.error.startswith(
            "refused a redirect from a public address to a private one"
        ), result.error
        assert result.body == b""
        server.clear()
        server.expect_request("/feed").respond_with_data(rss(1))
    # A private origin may redirect to a private target (a local feed bridge moving).
    server.expect_request("/hop").respond_with_data(
        "", status=302, headers={"Location": f"http://localhost:{port}/feed"}
    )
    local = await fetch(server.url_for("/hop"))
    assert local.error == "" and local.body == rss(1)
    # And a "public" origin may redirect to another public one.
    server.expect_request("/same").respond_with_data(
        "", status=302, headers={"Location": server.url_for("/feed")}
    )
    public = await fetch(server.url_for("/same"), addresses=PublicLoopbackLiteral())
    assert public.error == "" and public.body == rss(1)


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.1",
        "2130706433",
        "0x7f.1",
        "10.1.2.3",
        "192.168.0.1",
        "169.254.169.254",
        "::1",
        "[::1]",
        "fe80::1",
        "::ffff:10.0.0.1",
        "0.0.0.0",
        "localhost",
        "db.internal",
        "printer.local",
        "LOCALHOST.",
    ],
)
def test_private_hosts(host: str) -> None:
    assert private_host(host)


@pytest.mark.parametrize("host", ["93.184.215.14", "example.org", "2606:4700::1111", "8.8.8.8"])
def test_public_hosts(host: str) -> None:
    assert not private_host(host)
    assert not private_address("8.8.8.8")


async def test_a_public_page_cannot_point_discovery_at_a_private_feed(server: HTTPServer) -> None:
    from newsreader.sources.discover import DiscoveryError, discover

    private_feed = f"http://localhost:{server.port}/feed.xml"
    page = (
        '<html><head><link rel="alternate" type="application/rss+xml" '
        f'href="{private_feed}"></head><body>hi</body></html>'
    )
    server.expect_request("/page").respond_with_data(page, content_type="text/html")
    server.expect_request("/feed.xml").respond_with_data(rss(2))
    async with Fetcher(LIMITS, PublicLoopbackLiteral()) as fetcher:
        with pytest.raises(DiscoveryError, match="links only to feeds on private addresses"):
            await discover(fetcher, server.url_for("/page"), try_common_paths=False)
    assert [request.path for request, _response in server.log] == ["/page"]
    # From a private page (a local bridge), a private feed is fine.
    async with Fetcher(LIMITS) as fetcher:
        found = await discover(fetcher, server.url_for("/page"), try_common_paths=False)
    assert found.url == private_feed
