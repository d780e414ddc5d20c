"""What the subcommands share: the command error, output helpers and feed resolution."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    from newsreader.config import Config
    from newsreader.context import AppContext

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

Handler = Callable[["AppContext", argparse.Namespace], int]


class CommandError(Exception):
    """A command cannot do what was asked; the message is shown as is."""


# -- output ---------------------------------------------------------------------------------


def iso(value: datetime | None) -> str | None:
    """A time as ISO 8601 to the second, or None."""
    return None if value is None else value.isoformat(timespec="seconds")


def line(text: str) -> str:
    """Untrusted text made safe for one terminal line (no escapes, no newlines)."""
    from newsreader.ingest.sanitize import clean_line

    return clean_line(text)


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def summary_json(article: Any) -> dict[str, Any]:
    """An article summary as the JSON object of ``list --json`` and ``search --json``."""
    return {
        "id": article.id,
        "feed": article.feed_title,
        "feed_id": article.feed_id,
        "title": article.title,
        "link": article.link,
        "author": article.author,
        "published": iso(article.published),
        "read": article.read,
        "starred": article.starred,
    }


def summary_line(article: Any) -> str:
    """An article summary as one line of ``list`` and ``search``."""
    flags = ("★" if article.starred else " ") + (" " if article.read else "●")
    when = article.published.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"{article.id:>6} {flags} {when}  {line(article.feed_title)[:24]:<24}  {line(article.title)}"


# -- arguments ------------------------------------------------------------------------------


def positive(value: str) -> int:
    """An argparse type: a positive whole number."""
    number = int(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {value}")
    return number


# -- feeds ----------------------------------------------------------------------------------


def resolve_feed(ctx: AppContext, name: str) -> int:
    """A feed id from an id, a URL or a (case-insensitive, unique) title fragment."""
    feeds = ctx.store.feeds(include_inactive=True)
    if name.isdigit() and any(f.id == int(name) for f in feeds):
        return int(name)
    for feed in feeds:
        if feed.url == name or feed.title.lower() == name.lower():
            return feed.id
    matches = [f for f in feeds if name.lower() in f.title.lower() or name in f.url]
    if len(matches) == 1:
        return matches[0].id
    if not matches:
        raise CommandError(f"no feed matches {name!r} (see `newsreader feeds`)")
    names = ", ".join(repr(f.title) for f in matches[:5])
    raise CommandError(f"{name!r} matches several feeds: {names}; be more specific")


# -- config edits ---------------------------------------------------------------------------


@contextmanager
def command_errors() -> Iterator[None]:
    """Turn the errors of config edits, OPML and discovery into one-line command errors."""
    from newsreader.config_edit import ConfigEditError
    from newsreader.sources.discover import DiscoveryError
    from newsreader.sources.opml import OpmlError

    try:
        yield
    except (ConfigEditError, OpmlError, DiscoveryError) as error:
        raise CommandError(str(error)) from None


def apply_config(ctx: AppContext, config: Config) -> None:
    """Use the edited config from now on and bring the cache's feed list in step."""
    from newsreader.context import sync_sources

    ctx.config = config
    sync_sources(ctx.store, config)
