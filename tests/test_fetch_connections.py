"""The fetcher keeps its connections between feeds and notices a server's close."""

from __future__ import annotations

import asyncio

from newsreader.sources.feeds import Fetcher, FetchLimits

BODY = b"<rss version='2.0'><channel><title>t</title></channel></rss>"


async def closing_server(opened: list[int], hang_up: asyncio.Event) -> asyncio.Server:
    """Answers every request of a connection (keep-alive promised) until ``hang_up`` is set,
    and then hangs up (connections opened while it is set are hung up on at once)."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        opened.append(1)
        hung_up = asyncio.ensure_future(hang_up.wait())
        while True:
            request = asyncio.ensure_future(reader.readuntil(b"\r\n\r\n"))
            await asyncio.wait({request, hung_up}, return_when=asyncio.FIRST_COMPLETED)
            if hung_up.done():
                request.cancel()
                break
            if request.exception() is not None:  # the client closed the connection
                break
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                + f"Content-Length: {len(BODY)}\r\nConnection: keep-alive\r\n\r\n".encode()
                + BODY
            )
            await writer.drain()
        hung_up.cancel()
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
            first = await fetcher.fetch(url)
            again = await fetcher.fetch(url)  # over the kept connection
            assert len(opened) == 1, "the idle connection is kept"
            hang_up.set()
            await asyncio.sleep(0.2)  # the server has hung up by now
            hang_up.clear()
            second = await fetcher.fetch(url)
    finally:
        server.close()
        await server.wait_closed()
    assert (first.error, again.error, second.error) == ("", "", "")
    assert first.body == again.body == second.body == BODY
    assert len(opened) == 2  # a new connection for the request after the close
