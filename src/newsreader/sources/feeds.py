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
    read_regular_file,
    read_response,
)
from newsreader.sources.fetch_errors import (
    FetchError,
    describe_error,
    retry_after_seconds,
    shown,
    status_error,
)

if TYPE_CHECKING:
    import httpx

USER_AGENT = (
    f"newsreader/{__version__} (terminal news reader; +https://pypi.org/project/newsreader/)"
)
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/rdf+xml, application/feed+json, "
    "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.5, */*;q=0.1"
)
MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
PERMANENT = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})


class _Redirected(Exception):
    """Raised from a response hook so that httpx never parses a redirect's target itself."""

    def __init__(self, status: int, headers: dict[str, str]) -> None:
        super().__init__(status)
        self.status = status
        self.headers = headers


async def _stop_at_redirects(response: httpx.Response) -> None:
    if response.status_code in REDIRECTS and "location" in response.headers:
        raise _Redirected(response.status_code, {k.lower(): v for k, v in response.headers.items()})


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
    """Fetches feeds over one HTTP connection pool; use as an async context manager."""

    def __init__(
        self, limits: FetchLimits = FetchLimits(), addresses: AddressPolicy | None = None
    ) -> None:
        self.limits = limits
        self.addresses = addresses or AddressPolicy()
        self._client: httpx.AsyncClient | None = None
        self._all = asyncio.Semaphore(max(1, limits.concurrency))
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        import httpx

        from newsreader.sources.http_streams import transport

        limits = self.limits
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            timeout=httpx.Timeout(limits.timeout, pool=None),
            transport=transport(
                httpx.Limits(
                    max_connections=max(1, limits.concurrency),
                    max_keepalive_connections=max(1, limits.concurrency),
                )
            ),
            headers={
                "User-Agent": USER_AGENT,
                "Accept": ACCEPT,
                # Only what read_response decodes itself, step by step under the size cap.
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            trust_env=False,
            # httpx would parse a redirect's Location even when not following it, and fail
            # with its own errors on `javascript:` and the like; redirects are handled here.
            event_hooks={"response": [_stop_at_redirects]},
        )
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

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
        try:
            async with asyncio.timeout(self.limits.deadline):
                await self._fetch(result, etag, last_modified, extra_headers)
        except TimeoutError:
            result.error = f"timed out after {self.limits.deadline:g} s"
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
        assert self._client is not None, "use Fetcher as an async context manager"
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
        assert self._client is not None
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                return await self._read(response, result)
        except _Redirected as redirect:
            result.status = redirect.status
            result.headers = redirect.headers
            return None

    async def _read(self, response: httpx.Response, result: FetchResult) -> FetchResult:
        """Status, validators and (for a 200) the body, under the size cap. Any other
        response's body (none for a 304, a short page for an error) is read and dropped, so
        that its connection serves the next feed rather than being closed."""
        status = response.status_code
        if status != 200:
            await drain(response)
        result.status = status
        result.headers = {k.lower(): v for k, v in response.headers.items()}
        result.etag = response.headers.get("etag")
        result.last_modified = response.headers.get("last-modified")
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
        result.body = await read_response(response, self.limits.max_bytes, self.limits.max_ratio)
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
    import httpx

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
        parsed = httpx.URL(target)
    except (httpx.InvalidURL, ValueError):
        raise FetchError(f"redirected to an invalid URL: {shown(target)}") from None
    if not parsed.host:
        raise FetchError(f"redirected to a URL without a host: {shown(target)}")
    return target
