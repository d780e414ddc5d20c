"""How a failed fetch is told: one readable line per failure, from aiohttp's errors, the
operating system's reasons, HTTP statuses and ``Retry-After``."""

from __future__ import annotations

import email.utils
import time

from newsreader.sources.bounded import BoundedReadError


class FetchError(Exception):
    """One fetch failed; the message is one line a person can act on."""


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay in seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def describe_error(error: BaseException) -> str:
    """A one-line description of a network failure."""
    import socket

    import aiohttp

    if isinstance(error, FetchError | BoundedReadError):
        return str(error)
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return "timed out connecting"
    if isinstance(error, aiohttp.SocketTimeoutError):
        return "timed out waiting for data"
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, aiohttp.ClientConnectorDNSError) or isinstance(
        getattr(error, "os_error", None), socket.gaierror
    ):
        return "host not found"
    if isinstance(error, aiohttp.ClientConnectorCertificateError):
        reason = getattr(error.certificate_error, "verify_message", "") or error.certificate_error
        return f"the server's certificate was refused: {_first_line(reason)}"
    if isinstance(error, aiohttp.ClientSSLError):
        return f"secure connection failed: {_first_line(error)}"
    if isinstance(error, aiohttp.ClientConnectorError):
        refused = socket_error(error)
        if refused is not None:
            return refused
        return f"cannot connect: {_first_line(error.os_error)}"
    if isinstance(error, aiohttp.ServerDisconnectedError):
        return "bad response from server: it closed the connection"
    if isinstance(error, aiohttp.ClientResponseError):  # a malformed status line or header
        return f"bad response from server: {_malformed(str(error.message))}"
    if isinstance(error, aiohttp.ClientPayloadError):
        if "ContentLengthError" in str(error):
            return "bad response from server: the body ended before its declared length"
        return f"bad response from server: {_first_line(error)}"
    if isinstance(error, aiohttp.InvalidURL):
        return f"invalid URL: {shown(str(error.url))}"
    if isinstance(error, aiohttp.ClientError | OSError):
        refused = socket_error(error)
        if refused is not None:
            return refused
        return f"network error: {_first_line(error)}"
    return f"{type(error).__name__}: {_first_line(error)}"


def _malformed(message: str) -> str:
    """aiohttp's reason for refusing a response, without the bytes it quotes."""
    if message.startswith("Got more than"):  # "Got more than 16384 bytes when reading: b'..."
        return message.split(" when ", 1)[0].replace("Got more than", "a line of more than")
    line = _first_line(message).split(": b'", 1)[0].split(': b"', 1)[0]
    return line.rstrip(": ").lower() or "malformed"


def _first_line(error: object) -> str:
    """The first line of an error's text (or its kind when it has none), made printable."""
    from newsreader.ingest.sanitize import clean_line

    text = str(error).strip()
    if not text:
        return type(error).__name__
    return clean_line(text.splitlines()[0], limit=300)


def socket_error(error: BaseException) -> str | None:
    """The operating system's reason behind a failed connection, when it is a known one.

    The reason may be further down the chain of causes (possibly one per address tried).
    """
    import errno

    words = {
        errno.ECONNREFUSED: "connection refused",
        errno.ENETUNREACH: "network unreachable",
        errno.EHOSTUNREACH: "host unreachable",
        errno.ECONNRESET: "connection reset",
    }
    seen: set[int] = set()
    todo: list[BaseException] = [error]
    found: list[str] = []
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in words:
            found.append(words[current.errno])
        if isinstance(current, BaseExceptionGroup):
            todo.extend(current.exceptions)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                todo.append(linked)
    if not found:
        return None
    return "connection refused" if "connection refused" in found else found[0]


def status_error(status: int, retry_after: float | None) -> str:
    from http import HTTPStatus

    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "error"
    text = f"HTTP {status} {phrase}"
    if retry_after is not None:
        text += f" (retry after {retry_after:.0f} s)"
    return text


def shown(text: str) -> str:
    """Untrusted URL text for an error message: one line, printable, not too long."""
    from newsreader.ingest.sanitize import clean_line

    return clean_line(text, limit=200)
