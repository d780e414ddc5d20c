"""URLs found in documents: made absolute against a base, and kept only when safe."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import quote, urljoin, urlsplit

from newsreader.ingest.sanitize import clean_text, safe_link

__all__ = [
    "HTML_URL_ATTRIBUTES",
    "absolute_url",
    "http_base",
    "join_url",
    "origin",
    "resolve_attribute",
    "safe_link",
    "stated_base",
    "with_base",
]

_URL_STRIP = re.compile(r"[\t\n\r]")
# Characters that would end a Markdown link destination early (percent-encoded).
_URL_UNSAFE = re.compile(r"[\x00-\x20()<>\"\\\x7f]")

# Attributes of HTML elements that hold a URL.
HTML_URL_ATTRIBUTES = frozenset({"href", "src", "cite", "longdesc", "poster"})
_ABSOLUTE = ("http://", "https://", "#", "mailto:")
# A root-relative URL that urljoin would only prefix with the base's scheme and host: no
# dot segments to remove, no empty query, fragment or parameters that it would drop, none of
# the tab and line-break characters it deletes.
ROOT_RELATIVE = re.compile(
    r"/(?![./\\])(?:[^\t\r\n;?#/]|/(?![./\\]))*(?:\?[^#\t\r\n]+)?(?:#[^\t\r\n]+)?\Z"
)


def join_url(base: str, url: str) -> str:
    """``url`` made absolute against ``base`` (absolute URLs are returned as they are)."""
    url = url.strip()
    if not url or url.startswith(("http://", "https://")):
        return url
    try:
        return urljoin(base, url)
    except ValueError:
        return ""


@lru_cache(maxsize=64)
def origin(base: str) -> str:
    """``scheme://host`` of an http(s) base URL, or "" when it is anything else."""
    try:
        parts = urlsplit(base)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def resolve_attribute(base: str, attribute: str, value: str) -> str | None:
    """The value of an HTML attribute, made absolute against ``base`` when it holds a URL.

    ``None`` when the URL cannot be read (the attribute is then dropped).
    """
    if attribute not in HTML_URL_ATTRIBUTES:
        return value
    value = value.strip()
    if value and not value.startswith(_ABSOLUTE):
        host = origin(base)
        if host and ROOT_RELATIVE.match(value):
            return host + value  # what urljoin gives, without its parsing
        try:
            return urljoin(base, value)
        except ValueError:
            return None
    return value


def http_base(base_url: str | None) -> str | None:
    """``base_url`` if relative URLs may be resolved against it (http/https only)."""
    if not base_url:
        return None
    base = _URL_STRIP.sub("", base_url).strip()
    parts = urlsplit(base)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return base
    return None


def absolute_url(url: str | None, base: str | None, schemes: frozenset[str]) -> str | None:
    """``url`` made absolute and safe to put in Markdown, or None if it is not allowed."""
    if not url:
        return None
    url = _URL_STRIP.sub("", clean_text(url)).strip()
    if not url:
        return None
    try:
        if base is not None:
            url = urljoin(base, url)
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        return None
    if scheme != "mailto" and not parts.netloc:
        return None
    return _URL_UNSAFE.sub(lambda m: quote(m.group(0), safe=""), url)


# A feed entry's HTML is kept with the base its relative URLs resolve against (its xml:base
# or the feed's URL) as a leading <base> element, the one HTML has for it.
_STATED_BASE = re.compile(r'<base href="([^"<>]*)">')


def with_base(fragment: str, base: str) -> str:
    """``fragment`` preceded by a ``<base>`` naming ``base``."""
    return f'<base href="{html.escape(base)}">{fragment}'


def stated_base(fragment: str) -> tuple[str | None, str]:
    """The http(s) base a fragment made by :func:`with_base` names (None if none, or not
    http(s)), and the fragment without it."""
    match = _STATED_BASE.match(fragment)
    if match is None:
        return None, fragment
    return http_base(html.unescape(match.group(1))), fragment[match.end() :]
