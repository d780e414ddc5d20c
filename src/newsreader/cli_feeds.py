"""Subcommands for subscriptions: refresh, add, remove, opml import/export."""

from __future__ import annotations

from typing import Any


def add_parsers(sub: Any) -> None:
    """Register the subscription commands on the main parser's subparsers."""
    del sub  # registered once the fetching commands exist
