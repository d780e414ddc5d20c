"""Turning untrusted strings and dates into what the widgets draw.

Every string from a feed or a file goes through :func:`plain` before it reaches a widget: it
becomes a Rich ``Text`` (never parsed as markup) with escape sequences and control characters
removed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.style import Style
from rich.text import Text

from newsreader.ingest.sanitize import clean_line


def plain(value: str, style: str | Style = "", limit: int = 1000) -> Text:
    """``value`` as one line of literal text, cleaned of control characters."""
    return Text(clean_line(value, limit=limit), style=style, end="")


def relative_date(when: datetime, now: datetime) -> str:
    """A short age for a list column: ``now``, ``5m``, ``3h``, ``2d``, ``Nov 24``, ``2024-11-24``."""
    local = when.astimezone(now.tzinfo)
    age = now - when
    if age < timedelta(minutes=1):
        return "now"
    if age < timedelta(hours=1):
        return f"{int(age.total_seconds() // 60)}m"
    if age < timedelta(days=1):
        return f"{int(age.total_seconds() // 3600)}h"
    if age < timedelta(days=7):
        return f"{age.days}d"
    if local.year == now.year:
        return local.strftime("%b %d").replace(" 0", " ")
    return local.strftime("%Y-%m-%d")


def long_date(when: datetime, now: datetime) -> str:
    """A full date for the article header, in the clock's time zone."""
    return when.astimezone(now.tzinfo).strftime("%a %d %b %Y, %H:%M")
