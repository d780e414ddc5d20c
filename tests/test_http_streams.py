"""The fetcher's connections remember their socket and still notice a server's close."""

from __future__ import annotations

import asyncio

import httpcore

from newsreader.sources.feeds import Fetcher, FetchLimits
from newsreader.sources.http_streams import _Backend, _Stream

BODY = b"<rss version='2.0'><channel><title>t</title></channel></rss>"


async def closing_server(opened: list[int], hang_up: asyncio.Event | None = None) -> asyncio.Server:
    """Answers one request per connection (keep-alive promised) and then hangs up (when
    ``hang_up`` is set, if given)."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        opened.append(1)
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
            + f"Content-Length: {len(BODY)}\r\nConnection: keep-alive\r\n\r\n".encode()
            + BODY
        )
        await writer.drain()
        if hang_up is not None:
            await hang_up.wait()
        writer.close()

    return await asyncio.start_server(answer, "127.0.0.1", 0)


async def test_a_connection_the_server_closed_is_not_reused() -> None:
    opened: list[int] = []
    hang_up = asyncio.Event()
    server = await closing_server(opened, hang_up)
    port = server.sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}/feed"
    try:
        async with Fetcher(FetchLimits(concurrency=1, per_host=1, timeout=5)) as fetcher:
            client = fetcher._client
            assert client is not None
            pool = client._transport._pool  # type: ignore[attr-defined]
            assert isinstance(pool._network_backend, _Backend)
            first = await fetcher.fetch(url)
            connections = list(pool.connections)
            assert len(connections) == 1, "the idle connection is kept"
            stream = connections[0]._connection._network_stream
            assert isinstance(stream, _Stream)
            assert stream.get_extra_info("socket") is stream.get_extra_info("socket")
            assert not stream.get_extra_info("is_readable")
            hang_up.set()
            await asyncio.sleep(0.2)  # the server has hung up by now
            assert stream.get_extra_info("is_readable")  # the close is seen
            second = await fetcher.fetch(url)
    finally:
        server.close()
        await server.wait_closed()
    assert (first.error, second.error) == ("", "")
    assert first.body == second.body == BODY
    assert len(opened) == 2  # a new connection for the second request


async def test_the_streams_pass_everything_else_through() -> None:
    opened: list[int] = []
    server = await closing_server(opened)
    port = server.sockets[0].getsockname()[1]
    backend = _Backend(httpcore.AnyIOBackend())
    try:
        stream = await backend.connect_tcp("127.0.0.1", port, timeout=5)
        await stream.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", timeout=5)
        assert stream.get_extra_info("server_addr") == ("127.0.0.1", port)
        answer = b""
        while not answer.endswith(BODY):
            answer += await stream.read(4096, timeout=5)
        assert answer.startswith(b"HTTP/1.1 200 OK")
        await stream.aclose()
    finally:
        server.close()
        await server.wait_closed()
