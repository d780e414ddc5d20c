"""The on-disk image cache: one file per URL, least recently used evicted under a total cap.

It lives in ``platformdirs.user_cache_dir("newsreader")/images`` (``$NEWSREADER_IMAGE_CACHE``
overrides it), not in the SQLite file: pictures are large, disposable and read whole. Each
entry is one file named by a hash of the URL, holding a line of JSON (the URL and the
validators for a conditional GET) and then the body as it was fetched, written to a temporary
file and renamed so that a reader never sees half an entry. Reading an entry touches its
modification time; eviction removes the oldest until the total is under the cap. An entry is
reused without a request while the server said it stays fresh (``Cache-Control: max-age``,
``Expires``), and with a conditional GET after that.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

CACHE_ENV = "NEWSREADER_IMAGE_CACHE"
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
SUFFIX = ".img"
MAX_HEADER = 64 * 1024


def image_cache_dir() -> Path:
    """Where cached images live: ``$NEWSREADER_IMAGE_CACHE``, else the user cache dir."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("newsreader") / "images"


def body_version(body: bytes) -> str:
    """A short digest naming ``body`` (a changed picture has another)."""
    return hashlib.blake2b(body, digest_size=12).hexdigest()


def cache_key(url: str) -> str:
    """The file name stem of ``url``'s entry."""
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:40]


@dataclass(frozen=True, slots=True)
class CachedImage:
    """One cached response: the body and what is needed to revalidate it."""

    url: str
    body: bytes
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    stored_at: float = 0.0
    fresh_until: float = 0.0  # reused without asking the server until then
    #: Names the body (:func:`body_version`); "" for an entry stored before it was kept.
    version: str = ""

    def is_fresh(self, now: float | None = None) -> bool:
        return (time.time() if now is None else now) < self.fresh_until


class ImageCache:
    """A folder of cached image responses with a total size cap."""

    def __init__(self, folder: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = folder if folder is not None else image_cache_dir()
        self.max_bytes = max_bytes

    def path_for(self, url: str) -> Path:
        return self.folder / (cache_key(url) + SUFFIX)

    def get(self, url: str, *, body: bool = True) -> CachedImage | None:
        """The entry for ``url``, marked as recently used; None when absent or unreadable.

        With ``body=False`` only its header is read (validators, freshness, version): the
        body is left on disk and the entry's :attr:`~CachedImage.body` is empty.
        """
        path = self.path_for(url)
        try:
            with path.open("rb") as file:
                header = json.loads(file.readline(MAX_HEADER))
                data = file.read() if body else b""
            os.utime(path)
        except (OSError, ValueError):
            return None
        if not isinstance(header, dict) or header.get("url") != url:
            return None  # a hash collision or a damaged entry
        return CachedImage(
            url=url,
            body=data,
            content_type=str(header.get("content_type") or ""),
            etag=header.get("etag"),
            last_modified=header.get("last_modified"),
            stored_at=float(header.get("stored_at") or 0.0),
            fresh_until=float(header.get("fresh_until") or 0.0),
            version=str(header.get("version") or ""),
        )

    def put(
        self,
        url: str,
        body: bytes,
        content_type: str = "",
        etag: str | None = None,
        last_modified: str | None = None,
        fresh_for: float = 0.0,
        *,
        evict: bool = True,
    ) -> CachedImage:
        """Store a response (replacing any older one), then evict down to the cap (unless
        ``evict`` is false: a caller storing many calls :meth:`evict` once after them).

        ``fresh_for`` is how many seconds it may be reused without a request (from the
        response's ``Cache-Control: max-age`` or ``Expires``); after that it is revalidated.
        """
        now = time.time()
        entry = CachedImage(
            url,
            body,
            content_type,
            etag,
            last_modified,
            now,
            now + max(0.0, fresh_for),
            body_version(body),
        )
        if len(body) > self.max_bytes:
            return entry  # would evict everything else and itself; keep it out
        header = {
            "url": url,
            "content_type": content_type,
            "etag": etag,
            "last_modified": last_modified,
            "stored_at": entry.stored_at,
            "fresh_until": entry.fresh_until,
            "version": entry.version,
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(json.dumps(header, ensure_ascii=True).encode("ascii") + b"\n")
                file.write(body)
            os.replace(temporary, self.path_for(url))
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            return entry
        if evict:
            self.evict()
        return entry

    def refresh(
        self, url: str, etag: str | None, last_modified: str | None, fresh_for: float
    ) -> CachedImage | None:
        """The server confirmed ``url``'s cached body (a 304): store its new validators and
        freshness with the same body. None when the entry is gone."""
        entry = self.get(url)
        if entry is None:
            return None
        return self.put(
            url,
            entry.body,
            entry.content_type,
            etag or entry.etag,
            last_modified or entry.last_modified,
            fresh_for,
        )

    def entries(self) -> list[tuple[float, int, Path]]:
        """(last used, size, path) of every entry, least recently used first."""
        found: list[tuple[float, int, Path]] = []
        try:
            children = list(os.scandir(self.folder))
        except OSError:
            return found
        for child in children:
            if not child.name.endswith(SUFFIX):
                continue
            try:
                stat = child.stat()
            except OSError:
                continue
            found.append((stat.st_mtime, stat.st_size, Path(child.path)))
        found.sort(key=lambda item: (item[0], item[2].name))
        return found

    def evict(self) -> int:
        """Remove least recently used entries until the total fits the cap; bytes freed."""
        entries = self.entries()
        total = sum(size for _, size, _ in entries)
        freed = 0
        for _, size, path in entries:
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
                freed += size
        return freed

    def clear(self) -> tuple[int, int]:
        """Remove every entry (and stray temporary files); (files, bytes) removed."""
        files = size = 0
        try:
            children = list(os.scandir(self.folder))
        except OSError:
            return 0, 0
        for child in children:
            if not (child.name.endswith(SUFFIX) or child.name.startswith(".tmp-")):
                continue
            with contextlib.suppress(OSError):
                length = child.stat().st_size
                os.unlink(child.path)
                files += 1
                size += length
        return files, size


MAX_FRESHNESS = 7 * 24 * 3600.0


def freshness(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds a response may be reused without revalidation; None when it must not be stored.

    ``Cache-Control: no-store`` → None; ``no-cache`` → 0; ``max-age`` (else ``Expires``) →
    that, at most a week; otherwise 0 (revalidate on every reuse). ``headers`` are lowercased.
    """
    control = {
        part.strip().split("=", 1)[0].lower(): part.strip().partition("=")[2].strip('" ')
        for part in headers.get("cache-control", "").split(",")
        if part.strip()
    }
    if "no-store" in control:
        return None
    if "no-cache" in control:
        return 0.0
    if control.get("max-age", "").isdigit():
        return min(MAX_FRESHNESS, float(control["max-age"]))
    expires = headers.get("expires")
    if expires:
        try:
            when = email.utils.parsedate_to_datetime(expires)
        except (TypeError, ValueError, IndexError):
            return 0.0
        if when is None or when.tzinfo is None:
            return 0.0
        current = time.time() if now is None else now
        return min(MAX_FRESHNESS, max(0.0, when.timestamp() - current))
    return 0.0


def clear_image_cache(folder: Path | None = None) -> tuple[int, int]:
    """Empty the image cache (``newsreader cache clear --images``); (files, bytes) removed."""
    return ImageCache(folder).clear()
