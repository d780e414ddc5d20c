"""Editing ``feeds.toml`` in place (tomlkit), keeping the user's comments and layout.

Every edit is checked by loading the result with :func:`newsreader.config.load_config`
before it replaces the file, and the file is replaced atomically; a failed edit leaves the
file as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsreader.config import Config, ConfigError, load_config


class ConfigEditError(Exception):
    """The config cannot be changed as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class NewFeed:
    """A subscription to add."""

    url: str
    title: str = ""
    tags: tuple[str, ...] = ()


def _load(path: Path) -> Any:
    import tomlkit

    try:
        text = path.read_text("utf-8-sig") if path.exists() else ""
    except OSError as error:
        raise ConfigEditError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        return tomlkit.parse(text)
    except Exception as error:  # tomlkit raises its own ParseError subclasses
        raise ConfigEditError(f"{path}: {error}") from None


def _save(path: Path, document: Any) -> Config:
    """Write ``document`` to ``path`` if it is a valid config; return the loaded config."""
    import tomlkit

    text = tomlkit.dumps(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".feeds-", suffix=".toml", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        try:
            load_config(temp)
        except ConfigError as error:
            raise ConfigEditError(str(error).replace(str(temp), str(path))) from None
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return load_config(path)


def _feeds_array(document: Any) -> Any:
    import tomlkit

    feeds = document.get("feeds")
    if feeds is not None and not isinstance(feeds, tomlkit.items.AoT) and not len(feeds):
        # ``feeds = []`` (an older remove of the last feed wrote it): tables cannot go into
        # an inline array, so it becomes an array of tables at the end of the file.
        del document["feeds"]
        feeds = None
    if feeds is None:
        feeds = tomlkit.aot()
        document.append("feeds", feeds)
    return feeds


def _entry(feed: NewFeed) -> Any:
    import tomlkit

    table = tomlkit.table()
    table.trivia.indent = "\n"  # a blank line before each new [[feeds]]
    table.add("url", feed.url)
    if feed.title:
        table.add("title", feed.title)
    if feed.tags:
        tags = tomlkit.array()
        tags.extend(feed.tags)
        table.add("tags", tags)
    return table


def add_feeds(path: Path, feeds: Iterable[NewFeed]) -> tuple[Config, list[NewFeed]]:
    """Add subscriptions not already listed; returns the new config and what was added.

    A feed already listed gets the new tags added to its own (its title is kept).
    """
    import tomlkit

    document = _load(path)
    array = _feeds_array(document)
    by_url = {str(t.get("url", "")): t for t in array}
    added: list[NewFeed] = []
    for feed in feeds:
        existing = by_url.get(feed.url)
        if existing is None:
            table = _entry(feed)
            array.append(table)
            by_url[feed.url] = table
            added.append(feed)
            continue
        old = existing.get("tags", [])
        old_tags = [old] if isinstance(old, str) else [str(t) for t in old]
        more = [t for t in feed.tags if t not in old_tags]
        if more:
            tags = tomlkit.array()
            tags.extend([*old_tags, *more])
            existing["tags"] = tags
    return _save(path, document), added


def add_feed(path: Path, url: str, title: str = "", tags: Sequence[str] = ()) -> Config:
    """Add one subscription.

    Raises:
        ConfigEditError: the URL is already subscribed, or the result would be invalid.
    """
    document = _load(path)
    if any(str(t.get("url", "")) == url for t in document.get("feeds", [])):
        raise ConfigEditError(f"{url} is already in {path}")
    config, _ = add_feeds(path, [NewFeed(url, title, tuple(tags))])
    return config


def remove_feed(path: Path, url: str) -> Config:
    """Remove the ``[[feeds]]`` or ``[[stored]]`` entry whose URL (or folder) is ``url``.

    Raises:
        ConfigEditError: nothing in the file matches.
    """
    document = _load(path)
    feeds = document.get("feeds")
    if feeds is not None:
        for index, table in enumerate(feeds):
            if str(table.get("url", "")) == url:
                del feeds[index]
                _drop_if_empty(document, "feeds")
                return _save(path, document)
    stored = document.get("stored")
    if stored is not None:
        config = load_config(path)
        for index, folder in enumerate(config.stored):
            if folder.url == url:
                del stored[index]
                _drop_if_empty(document, "stored")
                return _save(path, document)
    raise ConfigEditError(f"{url} is not listed in {path}")


def _drop_if_empty(document: Any, key: str) -> None:
    """Remove an array of tables left empty: tomlkit would write it as ``key = []`` at the
    top of the file, where a later ``[[key]]`` cannot be added to it."""
    if not len(document[key]):
        del document[key]


def replace_feed_url(path: Path, old: str, new: str) -> Config:
    """Point the subscription at ``old`` to ``new`` (after a permanent redirect).

    Raises:
        ConfigEditError: ``old`` is not listed or ``new`` already is.
    """
    document = _load(path)
    feeds = document.get("feeds", [])
    if any(str(t.get("url", "")) == new for t in feeds):
        raise ConfigEditError(f"{new} is already in {path}")
    for table in feeds:
        if str(table.get("url", "")) == old:
            table["url"] = new
            return _save(path, document)
    raise ConfigEditError(f"{old} is not listed in {path}")


def add_saved_search(path: Path, name: str, query: str) -> Config:
    """Add a ``[[search]]`` entry (a saved search shown as a feed), comments kept.

    Raises:
        ConfigEditError: a saved search with this name exists, or the name or query is
            not valid (the message says why, in one line).
    """
    import tomlkit

    name = " ".join(name.split())
    document = _load(path)
    searches = document.get("search")
    if searches is not None and any(
        str(t.get("name", "")).casefold() == name.casefold() for t in searches
    ):
        raise ConfigEditError(f"a saved search named {name!r} is already in {path}")
    if searches is None:
        searches = tomlkit.aot()
        document.append("search", searches)
    table = tomlkit.table()
    table.trivia.indent = "\n"
    table.add("name", name)
    table.add("query", query.strip())
    searches.append(table)
    return _save(path, document)


def remove_saved_search(path: Path, name: str) -> Config:
    """Remove the ``[[search]]`` entry called ``name`` (case does not matter).

    Raises:
        ConfigEditError: no saved search has this name.
    """
    document = _load(path)
    searches = document.get("search")
    wanted = " ".join(name.split()).casefold()
    if searches is not None:
        for index, table in enumerate(searches):
            if " ".join(str(table.get("name", "")).split()).casefold() == wanted:
                del searches[index]
                if not len(searches):
                    del document["search"]
                return _save(path, document)
    raise ConfigEditError(f"no saved search named {name!r} in {path}")
