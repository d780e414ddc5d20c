"""Which hosts are private: loopback, private networks, link-local and other non-public ranges.

Local feeds are legitimate (feed bridges on localhost), so nothing here forbids them; the
fetcher uses :class:`AddressPolicy` to refuse a *redirect* from a public address to a
private one, and OPML import uses :func:`private_host` to list the private targets a file
names before subscribing to them.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

# Names that never resolve to a public address (RFC 6761, RFC 6762, ICANN's .internal).
PRIVATE_SUFFIXES = (".localhost", ".local", ".internal")


def private_address(address: str) -> bool:
    """Whether an IP address (text) is loopback, private, link-local or otherwise not public."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("%eth0")
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def numeric_host(host: str) -> str | None:
    """The address a numeric host spells (``127.1``, ``2130706433``, ``[::1]``), else None.

    Uses the system's own parser without any DNS lookup, so the odd spellings a connection
    would accept are recognised too.
    """
    host = host.strip("[]")
    try:
        infos = socket.getaddrinfo(host, None, flags=socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError, ValueError):
        return None
    return str(infos[0][4][0]) if infos else None


def private_host(host: str) -> bool:
    """Whether ``host`` is private without asking DNS: a private address or a local name."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(PRIVATE_SUFFIXES):
        return True
    address = numeric_host(name)
    return address is not None and private_address(address)


def private_url(url: str) -> bool:
    """Whether an http(s) URL's host is private (see :func:`private_host`)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    return bool(host) and private_host(host)


class AddressPolicy:
    """Decides whether a host is private, resolving names with the system resolver.

    Tests run every server on 127.0.0.1; they subclass this to call some hosts public.
    """

    async def is_private(self, host: str) -> bool:
        """Whether ``host`` is a private name or any address it resolves to is private."""
        import asyncio

        if private_host(host):
            return True
        if numeric_host(host) is not None:
            return False
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host.strip("[]"), None, type=socket.SOCK_STREAM
            )
        except (OSError, UnicodeError, ValueError):
            return False  # unresolvable: the request itself will fail
        return any(private_address(str(info[4][0])) for info in infos)
