"""Which image URLs may be fetched, and where their redirects may lead.

Images come from untrusted article text. Only ``http`` and ``https`` are fetched (never
``file:`` or ``data:``), and a picture on a public host may not redirect to a private
address (loopback, RFC 1918, link-local, …), so that an article cannot make the reader probe
the local network. A page on a private host (an intranet feed, the tests' 127.0.0.1) may use
private addresses, since its author is already inside.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from newsreader.sources.addresses import AddressPolicy

ALLOWED_SCHEMES = frozenset({"http", "https"})

#: Decides whether a host name (or address literal) is private; injectable for tests.
PrivacyCheck = Callable[[str], Awaitable[bool]]


class RefusedURL(Exception):
    """An image URL or redirect the policy refuses; the message says why."""


def check_scheme(url: str) -> None:
    """Refuse anything but an absolute http(s) URL with a host."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = scheme or "no scheme"
        raise RefusedURL(f"not an http or https image URL ({shown})")
    if not parts.hostname:
        raise RefusedURL("image URL has no host")


async def host_is_private(host: str) -> bool:
    """Whether ``host`` is, or resolves to, any private address (unresolvable: not private).

    A name that does not resolve cannot be fetched anyway; the fetch reports that error.
    """
    return await AddressPolicy().is_private(host)


async def check_redirect(
    origin_url: str, target_url: str, is_private: PrivacyCheck = host_is_private
) -> None:
    """Refuse a redirect from ``origin_url`` to ``target_url`` that the policy forbids."""
    check_scheme(target_url)
    origin_host = urlsplit(origin_url).hostname or ""
    target_host = urlsplit(target_url).hostname or ""
    if origin_host == target_host:
        return
    if await is_private(target_host) and not await is_private(origin_host):
        raise RefusedURL(
            f"redirect from a public host to a private address refused ({target_host})"
        )
