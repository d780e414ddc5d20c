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
    return f"{article.id:>6} {flags} {when}  {fit(line(article.feed_title), 24)}  {line(article.title)}"


def cut(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` terminal cells (wide CJK characters count two), the
    cut marked with an ellipsis."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip(" ") + "…"


def fit(text: str, width: int) -> str:
    """``text`` cut (see :func:`cut`) and padded to exactly ``width`` terminal cells."""
    from rich.cells import set_cell_size

    return set_cell_size(cut(text, width), width)


def plural(count: int, noun: str) -> str:
    """``1 article``, ``2 articles``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# -- arguments ------------------------------------------------------------------------------


# SQLite integers are signed 64-bit: a larger id or limit cannot be asked for.
MAX_NUMBER = 2**63 - 1


def _whole_number(value: str) -> int | None:
    try:
        number = int(value.strip())
    except ValueError:
        return None
    return number if 0 <= number <= MAX_NUMBER else None


def positive(value: str) -> int:
    """An argparse type: a positive whole number (as a count or limit)."""
    number = _whole_number(value)
    if number is None or number == 0:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {value!r}")
    return number


def article_id(value: str) -> int:
    """An argparse type: an article id, a whole number that SQLite can hold."""
    number = _whole_number(value)
    if number is None:
        raise argparse.ArgumentTypeError(
            f"not an article id: {value!r} (ids are whole numbers; see `newsreader list`)"
        )
    return number


# -- feeds ----------------------------------------------------------------------------------


def resolve_feed(ctx: AppContext, name: str) -> int:
    """A feed id from its id, URL, name or a (case-insensitive) fragment of its name.

    Raises:
        CommandError: nothing matches, or the name is ambiguous (the message lists the ids).
    """
    feeds = ctx.store.feeds(include_inactive=True, counts=False)
    by_id = {f.id: f for f in feeds}
    number = _whole_number(name)
    if number is not None and number in by_id:
        return number
    for feed in feeds:
        if feed.url == name:
            return feed.id
    wanted = name.strip().casefold()
    exact = [f for f in feeds if f.title.casefold() == wanted]
    exact = [f for f in exact if f.active] or exact
    if len(exact) == 1:
        return exact[0].id
    if exact:
        ids = ", ".join(f"id {f.id} ({f.url})" for f in exact[:5])
        raise CommandError(f"{name!r} names {len(exact)} feeds: {ids}; give the feed's id instead")
    matches = [f for f in feeds if wanted in f.title.casefold() or name in f.url]
    matches = [f for f in matches if f.active] or matches
    if len(matches) == 1:
        return matches[0].id
    if not matches:
        raise CommandError(
            f"no feed matches {name!r}: give a feed's id, URL or name (see `newsreader feeds`)"
        )
    names = ", ".join(f"{line(f.title)!r} (id {f.id})" for f in matches[:5])
    raise CommandError(
        f"{name!r} matches several feeds: {names}; give the feed's id or its whole name"
    )


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
