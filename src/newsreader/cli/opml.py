"""The ``opml`` subcommands: import and export subscription lists."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from newsreader.cli.common import CommandError, apply_config, command_errors, line, plural

if TYPE_CHECKING:
    import argparse

    from newsreader.cli.common import Subparsers
    from newsreader.context import AppContext


def cmd_opml_import(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.config_edit import NewFeed, add_feeds
    from newsreader.model import FeedKind
    from newsreader.sources.opml import parse_opml, private_feeds, read_opml

    with command_errors():
        document = parse_opml(read_opml(args.file, sys.stdin.buffer))
    for problem in document.skipped:
        print(f"newsreader: skipped {line(problem)}", file=sys.stderr)
    for note in document.notes:
        print(f"newsreader: {line(note)}", file=sys.stderr)
    if not document.feeds:
        skipped = (
            f" (skipped {plural(len(document.skipped), 'outline')})" if document.skipped else ""
        )
        raise CommandError(f"{args.file} held no feeds{skipped}; nothing was imported")
    private = private_feeds(document.feeds)
    wanted = [f for f in document.feeds if args.allow_private or f not in private]
    if private:
        print(
            f"newsreader: {plural(len(private), 'feed')} on private, loopback or link-local "
            "addresses" + (":" if args.allow_private else " not subscribed (use --allow-private):"),
            file=sys.stderr,
        )
        for feed in private[:50]:
            print(f"  {line(feed.url)}", file=sys.stderr)
        if len(private) > 50:
            print(f"  ... and {len(private) - 50} more", file=sys.stderr)
    with command_errors():
        config, added = add_feeds(
            ctx.config.path, [NewFeed(f.url, f.title, f.tags) for f in wanted]
        )
    apply_config(ctx, config)
    for feed in document.feeds:
        if feed.site_link:
            row = ctx.store.feed_by_url(feed.url)
            if row is not None and not row.site_link:
                ctx.store.ensure_feed(
                    row.url, row.title, FeedKind.FEED, row.tags, site_link=feed.site_link
                )
    already = len(wanted) - len(added)
    print(
        f"imported {len(added)} feed(s) from {args.file}"
        + (f" ({already} already subscribed)" if already else "")
        + (f", skipped {len(document.skipped)}" if document.skipped else "")
        + "; run `newsreader refresh` to fetch them"
    )
    _warn_shared_names(ctx, {feed.url for feed in added})
    return 0


def _warn_shared_names(ctx: AppContext, urls: set[str]) -> None:
    """Say which newly added feeds share their name with another feed (ids tell them apart).

    The names are kept as the OPML file gives them, so an export gives the same list back.
    """
    from collections import defaultdict

    by_name: defaultdict[str, list[int]] = defaultdict(list)
    for feed in ctx.store.feeds(counts=False):
        by_name[feed.title.casefold()].append(feed.id)
    shared = [
        feed
        for feed in ctx.store.feeds(counts=False)
        if feed.url in urls and feed.title and len(by_name[feed.title.casefold()]) > 1
    ]
    if shared:
        names = sorted({line(feed.title) for feed in shared}, key=str.casefold)
        listed = ", ".join(repr(name) for name in names[:5]) + (", …" if len(names) > 5 else "")
        print(
            f"note: {plural(len(names), 'name')} now belong to more than one feed ({listed}); "
            "give such a feed's id (see `newsreader feeds`) where a command asks for a NAME"
        )


def cmd_opml_export(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.sources.opml import OpmlFeed, export_opml

    rows = {feed.url: feed for feed in ctx.store.feeds(include_inactive=True)}
    feeds: list[OpmlFeed] = []
    for entry in ctx.config.feeds:
        row = rows.get(entry.url)
        feeds.append(
            OpmlFeed(
                url=entry.url,
                title=entry.title or (row.title if row else ""),
                tags=entry.tags,
                site_link=row.site_link if row else "",
            )
        )
    text = export_opml(feeds)
    if args.file in (None, "-"):
        sys.stdout.write(text)
        return 0
    try:
        Path(args.file).write_text(text, "utf-8")
    except OSError as error:
        raise CommandError(f"cannot write {args.file}: {error.strerror or error}") from None
    print(f"exported {len(feeds)} feed(s) to {args.file}", file=sys.stderr)
    return 0


def register(sub: Subparsers) -> None:
    """Add ``opml import`` and ``opml export`` to the main parser's subcommands."""
    p = sub.add_parser(
        "opml",
        help="import or export subscriptions as OPML",
        description="Exchange subscriptions with other readers.",
    )
    opml = p.add_subparsers(title="opml commands", metavar="COMMAND", required=True)
    q = opml.add_parser(
        "import",
        help="subscribe to every feed in an OPML file (folders become tags)",
        description="Add every feed of an OPML file to feeds.toml; folders become tags "
        "(nested folders as Parent/Child).",
    )
    q.add_argument("file", metavar="FILE", help="the OPML file ('-' for standard input)")
    q.add_argument(
        "--allow-private",
        action="store_true",
        help="also subscribe to feeds on private, loopback or link-local addresses "
        "(listed and left out by default)",
    )
    q.set_defaults(handler=cmd_opml_import)
    q = opml.add_parser(
        "export",
        help="write subscriptions as OPML 2.0 (tags become folders)",
        description="Write every subscription as OPML 2.0, each tag a folder.",
    )
    q.add_argument(
        "file", nargs="?", metavar="FILE", help="where to write (default: standard output)"
    )
    q.set_defaults(handler=cmd_opml_export, writes=False)
