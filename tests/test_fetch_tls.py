"""Feeds over https: a server whose certificate is trusted is read; one whose certificate is
not (an unknown authority, another host's name) is a clear error, never read anyway."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator

import pytest
import trustme

from newsreader.sources import feeds
from newsreader.sources.feeds import Fetcher, FetchLimits

BODY = b"<rss version='2.0'><channel><title>Secure</title></channel></rss>"
LIMITS = FetchLimits(timeout=5)


@pytest.fixture
def authority() -> trustme.CA:
    return trustme.CA()


async def https_server(authority: trustme.CA, name: str) -> asyncio.Server:
    """An https server on 127.0.0.1 whose certificate, signed by ``authority``, names
    ``name``; it answers every request with :data:`BODY`."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(name).configure_cert(context)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                + f"Content-Length: {len(BODY)}\r\nConnection: close\r\n\r\n".encode()
                + BODY
            )
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass  # the client refused the certificate and hung up
        finally:
            writer.close()

    return await asyncio.start_server(answer, "127.0.0.1", 0, ssl=context)


@pytest.fixture
async def trusted(authority: trustme.CA, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """The fetcher trusts ``authority`` (as a system that installed it would)."""
    context = ssl.create_default_context()
    authority.configure_trust(context)
    monkeypatch.setattr(feeds, "_tls_context", lambda: context)
    yield


async def fetch(server: asyncio.Server) -> feeds.FetchResult:
    port = server.sockets[0].getsockname()[1]
    try:
        async with Fetcher(LIMITS) as fetcher:
            return await fetcher.fetch(f"https://127.0.0.1:{port}/feed")
    finally:
        server.close()
        await server.wait_closed()


async def test_a_trusted_certificate_is_read(authority: trustme.CA, trusted: None) -> None:
    result = await fetch(await https_server(authority, "127.0.0.1"))
    assert (result.error, result.status, result.body) == ("", 200, BODY)


async def test_an_unknown_authority_is_refused(authority: trustme.CA) -> None:
    result = await fetch(await https_server(authority, "127.0.0.1"))
    assert result.error.startswith("the server's certificate was refused: "), result.error
    assert "unable to get local issuer certificate" in result.error
    assert result.body == b"" and result.status == 0


async def test_a_certificate_for_another_host_is_refused(
    authority: trustme.CA, trusted: None
) -> None:
    result = await fetch(await https_server(authority, "news.example"))
    assert result.error.startswith("the server's certificate was refused: "), result.error
    assert "127.0.0.1" in result.error  # the name it was asked for
    assert result.body == b""
