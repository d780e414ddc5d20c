"""Fetching feeds politely: conditional GET, limits on size, time and redirects.

One :class:`Fetcher` serves a whole refresh. It bounds concurrency overall and per host,
sends the validators (ETag, Last-Modified) remembered from the last fetch, follows redirects
itself so that permanent ones can be remembered, and turns every failure into a
:class:`~newsreader.model.FetchResult` with a readable ``error`` rather than an exception.
``file://`` URLs and plain paths are read from disk under the same size limit. How each
failure is worded is in :mod:`newsreader.sources.fetch_errors`.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

from newsreader import __version__
from newsreader.model import FetchResult
from newsreader.sources.addresses import AddressPolicy
from newsreader.sources.bounded import (
    ACCEPT_ENCODING,
    MAX_RATIO,
    NotRegularFileError,
    TooLargeError,
    drain,
    read_body,
    read_regular_file,
)
from newsreader.sources.fetch_errors import (
    FetchError,
    describe_error,
    retry_after_seconds,
    shown,
    status_error,
)

if TYPE_CHECKING:
    import ssl

    import aiohttp

USER_AGENT = (
    f"newsreader/{__version__} (terminal news reader; +https://pypi.org/project/newsreader/)"
)
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/rdf+xml, application/feed+json, "
    "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.5, */*;q=0.1"
)
MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
# Longest status or header line and header field accepted from a server (h11's limit, which
# some real servers' long Set-Cookie and Content-Security-Policy headers need).
MAX_HEADER_BYTES = 16 * 1024
PERMANENT = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """How politely and how patiently to fetch."""

    concurrency: int = 16
    per_host: int = 4
    timeout: float = 20.0  # connect and per-read timeout, seconds
    total_timeout: float | None = None  # whole request incl. body; default 3 x timeout
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    max_ratio: int = MAX_RATIO  # how far a compressed body may expand

    @property
    def deadline(self) -> float:
        return self.total_timeout if self.total_timeout is not None else self.timeout * 3


def is_local(url: str) -> bool:
    """Whether ``url`` names a file on disk (``file://`` or a path) rather than a web URL."""
    return url.startswith(("file:", "/", "~", ".")) or not urlsplit(url).scheme


def local_path(url: str) -> Path:
    """The path a ``file://`` URL or a plain path names."""
    if url.startswith("file:"):
        parts = urlsplit(url)
        return Path(unquote(parts.path))
    return Path(url).expanduser()


class Fetcher:
    """Fetches feeds over one HTTP connection pool; use as an async context manager.

    The client is aiohttp's (its C parser costs a quarter of httpx's CPU per request, which
    is most of a refresh's own CPU when every feed answers 304); it neither follows
    redirects, decodes bodies, keeps cookies nor reads proxies from the environment:
    redirects are followed here, and bodies are decoded under the size cap by
    :func:`~newsreader.sources.bounded.read_body`.
    """

    def __init__(
        self, limits: FetchLimits = FetchLimits(), addresses: AddressPolicy | None = None
    ) -> None:
        self.limits = limits
        self.addresses = addresses or AddressPolicy()
        self._session: aiohttp.ClientSession | None = None
        self._opening = asyncio.Lock()
        self._entered = False
        self._all = asyncio.Semaphore(max(1, limits.concurrency))
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        self._entered = True
        return self

    async def _client(self) -> aiohttp.ClientSession:
        """The HTTP session, opened on the first request: aiohttp is imported (a third of a
        second the first time) and the certificates are loaded in a thread, so that neither
        the event loop of the app nor a caller that only reads the cache waits for them."""
        assert self._entered, "use Fetcher as an async context manager"
        if self._session is None:
            async with self._opening:
                if self._session is None:
                    await asyncio.to_thread(_load_client)
                    self._session = self._new_session()
        return self._session

    def _new_session(self) -> aiohttp.ClientSession:
        import aiohttp

        limits = self.limits
        return aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=max(1, limits.concurrency), limit_per_host=0),
            # No limit on waiting for a free connection (the semaphores queue requests);
            # connecting and each read wait at most ``timeout``.
            timeout=aiohttp.ClientTimeout(
                total=None, connect=None, sock_connect=limits.timeout, sock_read=limits.timeout
            ),
            headers={
                "User-Agent": USER_AGENT,
                "Accept": ACCEPT,
                # Only what read_body decodes itself, step by step under the size cap.
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            auto_decompress=False,
            trust_env=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            max_line_size=MAX_HEADER_BYTES,
            max_field_size=MAX_HEADER_BYTES,
        )

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._entered = False
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _host(self, url: str) -> asyncio.Semaphore:
        host = urlsplit(url).netloc.lower()
        semaphore = self._hosts.get(host)
        if semaphore is None:
            semaphore = self._hosts[host] = asyncio.Semaphore(max(1, self.limits.per_host))
        return semaphore

    async def fetch(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> FetchResult:
        """Fetch ``url`` (conditionally when validators are given). Never raises for I/O."""
        if is_local(url):
            return await asyncio.to_thread(self._read_file, url)
        result = FetchResult(url=url, final_url=url)
        deadline = asyncio.timeout(self.limits.deadline)
        try:
            async with deadline:
                await self._fetch(result, etag, last_modified, extra_headers)
        except TimeoutError as error:
            if deadline.expired():
                result.error = f"timed out after {self.limits.deadline:g} s"
            else:  # connecting or a read took longer than the limits allow
                result.error = describe_error(error)
        except Exception as error:
            result.error = describe_error(error)
        return result

    async def _fetch(
        self,
        result: FetchResult,
        etag: str | None,
        last_modified: str | None,
        extra_headers: Mapping[str, str] | None,
    ) -> None:
        headers: dict[str, str] = dict(extra_headers or {})
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        url = result.url
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise FetchError(f"unsupported URL: {shown(url)} (use http, https or a file path)")
        seen = {url}
        permanent = True
        origin_private: bool | None = None  # looked up on the first redirect only
        for _hop in range(self.limits.max_redirects + 1):
            async with self._all, self._host(url):
                response = await self._get(url, headers, result)
            if response is None:  # a redirect
                assert result.headers is not None
                target = _redirect_target(url, result.headers.get("location", ""))
                permanent = permanent and result.status in PERMANENT
                if target in seen:
                    raise FetchError(f"redirect loop at {shown(target)}")
                seen.add(target)
                if origin_private is None:
                    origin_private = await self.addresses.is_private(_hostname(result.url))
                target_host = _hostname(target)
                if not origin_private and await self.addresses.is_private(target_host):
                    raise FetchError(
                        "refused a redirect from a public address to a private one "
                        f"({shown(target_host)})"
                    )
                url = target
                continue
            result.final_url = url
            result.permanent_redirect = permanent and url != result.url
            return
        raise FetchError(f"too many redirects (more than {self.limits.max_redirects})")

    async def _get(
        self, url: str, headers: dict[str, str], result: FetchResult
    ) -> FetchResult | None:
        """One request; None when the response is a redirect to follow."""
        session = await self._client()
        async with session.get(
            url, headers=headers, allow_redirects=False, ssl=_tls(url)
        ) as response:
            return await self._read(response, result)

    async def _read(
        self, response: aiohttp.ClientResponse, result: FetchResult
    ) -> FetchResult | None:
        """Status, validators and (for a 200) the body, under the size cap; None for a
        redirect. Any other response's body (none for a 304, a short page for an error or a
        redirect) is read and dropped, so that its connection serves the next feed rather
        than being closed."""
        status = response.status
        raw = response.content.iter_any()
        headers = {name.lower(): value for name, value in response.headers.items()}
        result.status = status
        result.headers = headers
        if status != 200 and not await drain(raw):
            response.close()  # too much to read: the connection is not kept
        if status in REDIRECTS and "location" in headers:
            return None
        result.etag = _validator(response.headers.get("etag"))
        result.last_modified = _validator(response.headers.get("last-modified"))
        result.content_type = response.headers.get("content-type", "")
        if status == 304:
            result.not_modified = True
            return result
        if status in (429, 503):
            result.retry_after = retry_after_seconds(response.headers.get("retry-after"))
        if status >= 400:
            result.error = status_error(status, result.retry_after)
            return result
        if status != 200:
            result.error = f"unexpected HTTP status {status}"
            return result
        result.body = await read_body(raw, headers, self.limits.max_bytes, self.limits.max_ratio)
        return result

    def _read_file(self, url: str) -> FetchResult:
        path = local_path(url)
        result = FetchResult(url=url, final_url=url)
        try:
            result.body, _info = read_regular_file(path, self.limits.max_bytes)
            result.status = 200
        except NotRegularFileError as error:
            result.error = f"not read: {error}"
        except TooLargeError as error:
            result.error = f"file {str(error).removeprefix(f'{path}: ')}"
        except FileNotFoundError:
            result.error = f"file not found: {path}"
        except IsADirectoryError:
            result.error = f"is a folder, not a feed file: {path}"
        except OSError as error:
            result.error = f"cannot read {path}: {error.strerror or error}"
        return result


MAX_VALIDATOR = 1024


def _validator(value: str | None) -> str | None:
    """An ``ETag`` or ``Last-Modified`` to remember and send back, or None: one with control
    characters or escape sequences (which no server needs) or longer than
    ``MAX_VALIDATOR`` is not kept (the next fetch is then unconditional)."""
    if value is None or len(value) > MAX_VALIDATOR:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return None
    return value


def _load_client() -> None:
    importlib.import_module("aiohttp")
    _tls_context()


def _tls(url: str) -> ssl.SSLContext | bool:
    """How to check an https server's certificate (True: aiohttp's default, the system's
    authorities; also what plain http is given, where it means nothing)."""
    if url[:6].lower() != "https:":
        return True
    return _tls_context() or True


@functools.cache
def _tls_context() -> ssl.SSLContext | None:
    """None when the system has certificate authorities to trust (and aiohttp's default
    context, which loads them, is right: it also trusts what an administrator added), else
    a context with certifi's, when certifi is installed."""
    import os
    import ssl

    paths = ssl.get_default_verify_paths()
    if any(path and os.path.exists(path) for path in (paths.cafile, paths.capath)):
        return None
    try:
        import certifi
    except ImportError:
        return None
    return ssl.create_default_context(cafile=certifi.where())


def _hostname(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _redirect_target(url: str, location: str) -> str:
    """The absolute http(s) URL a redirect's ``Location`` names.

    Raises:
        FetchError: the target is missing, not http(s) (``javascript:``, ``file:``...) or
            not a valid URL.
    """
    import yarl

    location = location.strip()
    if not location:
        raise FetchError("redirect without a target (empty Location header)")
    try:
        target = urljoin(url, location)
        scheme = urlsplit(target).scheme.lower()
    except ValueError:
        raise FetchError(f"redirected to an invalid URL: {shown(location)}") from None
    if scheme not in ("http", "https"):
        raise FetchError(f"redirected to an unsupported URL: {shown(target)}")
    try:
        parsed = yarl.URL(target)
        parsed.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError:
        raise FetchError(f"redirected to an invalid URL: {shown(target)}") from None
    if not parsed.host:
        raise FetchError(f"redirected to a URL without a host: {shown(target)}")
    return target
