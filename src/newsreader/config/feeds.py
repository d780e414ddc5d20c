"""The ``[[feeds]]`` (subscriptions) and ``[[stored]]`` (folders of article files) entries:
what they hold and how they are checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from newsreader.config.errors import Locator


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """One ``[[feeds]]`` entry."""

    url: str
    title: str = ""
    tags: tuple[str, ...] = ()
    retention: int | None = None
    # Fetch each article's page for its full text: always, never, or "auto" (when the
    # entry carries only a short summary or a "Read more" teaser). Off unless asked for.
    full_text: bool | Literal["auto"] = False


@dataclass(frozen=True, slots=True)
class StoredConfig:
    """One ``[[stored]]`` entry: a folder of article files scanned on every refresh."""

    path: Path
    title: str = ""
    tags: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        """The folder's identity in the cache."""
        return self.path.resolve().as_uri()


def read_tags(where: Locator, value: Any, table: str, index: int) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
        where.fail("must be a list of non-empty strings", table, index, "tags")
    return tuple(t.strip() for t in value)


def read_feeds(where: Locator, entries: Any) -> tuple[FeedConfig, ...]:
    """The ``[[feeds]]`` entries checked (each URL once)."""
    result: list[FeedConfig] = []
    seen: set[str] = set()
    allowed = ("url", "title", "tags", "retention", "full_text")
    for index, entry in enumerate(where.entries(entries, "feeds", allowed)):
        url = where.required_text(entry, "url", "feeds", index, "every feed needs a url")
        if not re.match(r"^(https?|file)://", url) and not url.startswith(("/", "~", ".")):
            where.fail(
                f"must be an http(s):// or file:// URL or a path, got {url!r}",
                "feeds",
                index,
                "url",
            )
        if url in seen:
            where.fail(f"{url} is listed twice", "feeds", index, "url")
        seen.add(url)
        title = entry.get("title", "")
        if not isinstance(title, str):
            where.fail("must be a string", "feeds", index, "title")
        retention = entry.get("retention")
        if retention is not None and (
            isinstance(retention, bool) or not isinstance(retention, int) or retention <= 0
        ):
            where.fail("must be a positive integer", "feeds", index, "retention")
        full_text = entry.get("full_text", False)
        if not isinstance(full_text, bool) and full_text != "auto":
            where.fail(
                f'must be "auto", true or false, got {full_text!r}', "feeds", index, "full_text"
            )
        result.append(
            FeedConfig(
                url=url,
                title=title.strip(),
                tags=read_tags(where, entry.get("tags", []), "feeds", index),
                retention=retention,
                full_text=full_text,
            )
        )
    return tuple(result)


def read_stored(where: Locator, entries: Any) -> tuple[StoredConfig, ...]:
    """The ``[[stored]]`` entries checked; relative paths are taken from the config's folder."""
    result: list[StoredConfig] = []
    for index, entry in enumerate(where.entries(entries, "stored", ("path", "title", "tags"))):
        raw = where.required_text(
            entry, "path", "stored", index, "every stored folder needs a path"
        )
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = (where.path.parent / path).resolve()
        title = entry.get("title", "")
        if not isinstance(title, str):
            where.fail("must be a string", "stored", index, "title")
        result.append(
            StoredConfig(
                path=path,
                title=title.strip() or path.name,
                tags=read_tags(where, entry.get("tags", []), "stored", index),
            )
        )
    return tuple(result)
