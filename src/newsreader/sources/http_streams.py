"""The fetcher's HTTP transport: httpx's own, with cheaper checks of idle connections.

Before each request and after each response httpcore asks every connection of the pool
whether the server has closed it, through anyio, which rebuilds a table of the socket's
attributes (and asks the kernel for the peer's address) for every question: with 16
connections that was a third of the CPU of a refresh where every feed answers 304. The
streams here remember their socket and ask only that; everything else is the stream's own.
"""

from __future__ import annotations

import ssl
import typing
from typing import Any

import httpcore
import httpx
from httpcore._utils import is_socket_readable

_UNSET: Any = object()


class _Stream(httpcore.AsyncNetworkStream):
    """A network stream that looks its raw socket up once."""

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream
        self._socket: Any = _UNSET

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._stream.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info in ("socket", "is_readable"):
            if self._socket is _UNSET:
                self._socket = self._stream.get_extra_info("socket")
            if info == "socket":
                return self._socket
            return is_socket_readable(self._socket)
        return self._stream.get_extra_info(info)


class _Backend(httpcore.AsyncNetworkBackend):
    """Opens connections through ``backend`` and gives back :class:`_Stream` s."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend) -> None:
        self._backend = backend

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        return _Stream(stream)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._backend.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def transport(limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """httpx's transport (certificates checked, no proxy from the environment) whose
    connections check for a server's close cheaply (when this httpx keeps its httpcore pool
    where this version does; otherwise it is left as it is)."""
    made = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
    pool = getattr(made, "_pool", None)
    if isinstance(pool, httpcore.AsyncConnectionPool):
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, httpcore.AsyncNetworkBackend):
            pool._network_backend = _Backend(backend)
    return made
