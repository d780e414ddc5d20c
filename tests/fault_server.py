"""Hostile responses for the hardening tests, served by the suite's real HTTP server.

Handlers for :mod:`pytest_httpserver` (see ``feed_server.start_server``): compression bombs
(gzip inside gzip), bodies that trickle a byte at a time, and feeds that answer slowly.
Bombs are built without compressing gigabytes: a raw deflate block of zeros ending in a
full flush is byte-aligned and independent of what came before, so it can be repeated.
"""

from __future__ import annotations

import gzip
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from functools import cache

from werkzeug import Request, Response

from feed_server import rss

STEP = 1024 * 1024


@cache
def gzip_zeros(size: int) -> bytes:
    """A gzip file of ``size`` zero bytes (a multiple of 1 MiB), built in well under a second."""
    assert size % STEP == 0 and size > STEP
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    zeros = b"\0" * STEP
    first = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    count = size // STEP
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return header + first + block * (count - 1) + deflate.flush(zlib.Z_FINISH) + trailer


@cache
def nested_gzip_zeros(size: int, layers: int = 2) -> bytes:
    """``size`` zero bytes gzipped ``layers`` times (send with ``gzip, gzip``...)."""
    data = gzip_zeros(size)
    for _ in range(layers - 1):
        data = gzip.compress(data, 9)
    return data


def encoded(
    body: bytes, encoding: str, content_type: str = "application/xml"
) -> Callable[[Request], Response]:
    """A handler sending ``body`` as it is, declared with ``Content-Encoding: encoding``."""

    def handler(request: Request) -> Response:
        return Response(body, headers={"Content-Encoding": encoding}, content_type=content_type)

    return handler


def trickle(interval: float = 0.1, total: int = 10_000) -> Callable[[Request], Response]:
    """A handler sending one byte every ``interval`` seconds, under every read timeout."""

    def body() -> Iterator[bytes]:
        for _ in range(total):
            yield b" "
            time.sleep(interval)

    return lambda request: Response(body(), content_type="application/xml")


def slow_feed(delay: float, items: int = 3) -> Callable[[Request], Response]:
    """A handler answering with a small feed after ``delay`` seconds."""

    def handler(request: Request) -> Response:
        time.sleep(delay)
        return Response(rss(items, prefix=request.path.strip("/")), content_type="application/xml")

    return handler


class RawServer:
    """Answers every request on 127.0.0.1 with the same raw bytes, headers and all.

    For responses a well-behaved server library refuses to send (a ``Location`` that is
    not a URL, escape characters in headers). Use as a context manager; ``url`` is its base.
    """

    def __init__(self, response: bytes) -> None:
        import socket
        import threading

        self.response = response
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._socket.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _address = self._socket.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(2)
                request = b""
                try:
                    while b"\r\n\r\n" not in request:
                        chunk = connection.recv(4096)
                        if not chunk:
                            break
                        request += chunk
                    connection.sendall(self.response)
                except OSError:
                    pass
