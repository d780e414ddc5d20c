"""``newsreader fetch-text ID``: fetch one article's page and show its text instead of the summary."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newsreader.context import AppContext


def cmd_fetch_text(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.fulltext import fetch_full_text
    from newsreader.ingest.sanitize import clean_line

    result = fetch_full_text(ctx.store, ctx.config, args.id, force=args.force)
    url = clean_line(result.url)
    if result.status in ("ok", "not modified"):
        how = "fetched" if result.status == "ok" else "unchanged since it was fetched"
        print(f"{args.id}: full text {how}, {result.words} words from {url}")
        return 0
    if result.status == "cached":
        print(f"{args.id}: full text fetched before, {result.words} words (--force fetches again)")
        return 0
    if result.status == "short":
        print(f"{args.id}: the page at {url} has no more text than the feed's; kept the feed's")
        return 0
    print(f"newsreader: error: {args.id}: {clean_line(result.error)}", file=sys.stderr)
    return 1


def register(sub: Any) -> None:
    """Register ``fetch-text`` on the main parser's subparsers."""
    p = sub.add_parser(
        "fetch-text",
        help="fetch an article's full text from its web page",
        description="Fetch the article's web page and show its main text in place of the "
        "feed's summary (see `newsreader show ID`). The summary is kept when the page "
        "cannot be read or has no more text. A page fetched before is not fetched again "
        "unless --force.",
    )
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--force", action="store_true", help="fetch again even if fetched before")
    p.set_defaults(handler=cmd_fetch_text)
