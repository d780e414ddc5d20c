"""How a failed fetch is told: one readable line per failure, from httpx's errors, the
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
    import httpx

    if isinstance(error, FetchError | BoundedReadError):
        return str(error)
    if isinstance(error, httpx.ConnectTimeout):
        return "timed out connecting"
    if isinstance(error, httpx.ReadTimeout):
        return "timed out waiting for data"
    if isinstance(error, httpx.TimeoutException | TimeoutError):
        return "timed out"
    if isinstance(error, httpx.ConnectError):
        refused = socket_error(error)
        if refused is not None:
            return refused
        reason = str(error) or "connection failed"
        if "Name or service not known" in reason or "nodename nor servname" in reason:
            return "host not found"
        if "Connection refused" in reason:
            return "connection refused"
        return f"cannot connect: {reason.splitlines()[0]}"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"bad response from server: {str(error).splitlines()[0] if str(error) else 'protocol error'}"
    if isinstance(error, httpx.DecodingError):
        return "cannot decode the compressed response"
    if isinstance(error, httpx.HTTPError):
        text = str(error).splitlines()[0] if str(error) else type(error).__name__
        return f"network error: {text}"
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"{type(error).__name__}: {text}"


def socket_error(error: BaseException) -> str | None:
    """The operating system's reason behind a failed connection, when it is a known one.

    httpx reports a refused connection as "All connection attempts failed"; the reason is
    further down the chain of causes (possibly one per address tried).
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
