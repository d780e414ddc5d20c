"""Subcommands for subscriptions: refresh, add, remove, opml import/export."""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    from newsreader.context import AppContext
    from newsreader.refresh import FeedOutcome

from newsreader.cli import CommandError, _line, _resolve_feed


@contextmanager
def _command_errors() -> Iterator[None]:
    """Turn the errors of config edits, OPML and discovery into one-line command errors."""
    from newsreader.config_edit import ConfigEditError
    from newsreader.sources.discover import DiscoveryError
    from newsreader.sources.opml import OpmlError

    try:
        yield
    except (ConfigEditError, OpmlError, DiscoveryError) as error:
        raise CommandError(str(error)) from None


def _apply(ctx: AppContext, config: Any) -> None:
    """Use the edited config from now on and bring the cache's feed list in step."""
    from newsreader.context import sync_sources

    ctx.config = config
    sync_sources(ctx.store, config)


def _counts(outcome: FeedOutcome) -> str:
    counts = outcome.counts
    parts = [f"{counts.new} new"]
    if counts.updated:
        parts.append(f"{counts.updated} updated")
    parts.append(f"{counts.unchanged} unchanged")
    if counts.removed:
        parts.append(f"{counts.removed} removed")
    return ", ".join(parts)


def _progress_line(outcome: FeedOutcome, done: int, total: int) -> str:
    width = len(str(total))
    title = _line(outcome.title)[:48]
    if outcome.status == "ok":
        detail = _counts(outcome)
        if outcome.error:
            detail += f" (warning: {_line(outcome.error)})"
    elif outcome.status == "not modified":
        detail = "unchanged since last time"
    else:
        detail = _line(outcome.error)
    return f"[{done:>{width}}/{total}] {outcome.status:<12} {title}: {detail}"


# -- commands -------------------------------------------------------------------------------


def cmd_refresh(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.refresh import run_refresh

    feed_ids = [_resolve_feed(ctx, name) for name in args.feed] if args.feed else None
    quiet = args.quiet

    def progress(outcome: FeedOutcome, done: int, total: int) -> None:
        if not quiet or outcome.failed:
            print(_progress_line(outcome, done, total), flush=True)

    start = time.perf_counter()
    summary = run_refresh(ctx.store, ctx.config, feed_ids, progress, force=args.force)
    elapsed = time.perf_counter() - start
    sources = len(summary.outcomes)
    skipped = sum(1 for o in summary.outcomes if o.status == "skipped")
    print(
        f"refreshed {sources} source(s) in {elapsed:.1f} s: {summary.new} new, "
        f"{summary.updated} updated, {summary.unchanged} unchanged, {summary.failed} failed"
        + (f", {skipped} skipped" if skipped else "")
    )
    for failure in summary.failures:
        feed = ctx.store.feed(failure.feed_id)
        where = f" ({feed.url})" if feed else ""
        print(
            f"newsreader: failed: {_line(failure.title)}{where}: {_line(failure.error)}",
            file=sys.stderr,
        )
    return 1 if summary.failed else 0


def cmd_add(ctx: AppContext, args: argparse.Namespace) -> int:
    import asyncio

    from newsreader.config_edit import add_feed
    from newsreader.sources.feeds import Fetcher, FetchLimits, is_local, local_path

    url: str = args.url.strip()
    title: str = args.title or ""
    if is_local(url):
        path = local_path(url).resolve()
        if not path.is_file():
            raise CommandError(f"no such feed file: {path}")
        url = path.as_uri()
    else:
        if "://" not in url:
            url = "https://" + url
        from newsreader.sources.discover import discover

        settings = ctx.config.settings
        limits = FetchLimits(
            concurrency=4, per_host=settings.per_host, timeout=min(settings.timeout, 20.0)
        )

        async def find() -> Any:
            async with Fetcher(limits) as fetcher:
                return await discover(fetcher, url)

        from newsreader.sources.discover import DiscoveryError

        try:
            found = asyncio.run(find())
        except DiscoveryError as error:
            if not (error.unreachable and args.no_refresh):
                raise CommandError(str(error)) from None
            print(f"{error}; subscribing to {url} as given")
        else:
            if found.url != url:
                print(f"found the feed {found.url}")
            url = found.url
            title = title or found.title
    if any(entry.url == url for entry in ctx.config.feeds):
        raise CommandError(f"already subscribed to {url}")
    with _command_errors():
        config = add_feed(ctx.config.path, url, title, tuple(args.tag))
    _apply(ctx, config)
    feed = ctx.store.feed_by_url(url)
    assert feed is not None
    print(f"added {_line(feed.title)} ({url}) to {ctx.config.path}")
    if args.no_refresh:
        return 0
    from newsreader.refresh import run_refresh

    summary = run_refresh(ctx.store, ctx.config, [feed.id], force=True)
    for outcome in summary.outcomes:
        print(_progress_line(outcome, 1, 1))
    return 1 if summary.failed else 0


def cmd_remove(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.config_edit import remove_feed

    feed = ctx.store.feed(_resolve_feed(ctx, args.name))
    assert feed is not None
    with _command_errors():
        config = remove_feed(ctx.config.path, feed.url)
    _apply(ctx, config)
    if args.delete:
        ctx.store.delete_feed(feed.id)
        print(f"removed {_line(feed.title)} and its {feed.total} cached article(s)")
    else:
        print(
            f"removed {_line(feed.title)} from {ctx.config.path}; its cached articles are "
            "kept (hidden) and come back if you add it again (--delete to forget them)"
        )
    return 0


def cmd_opml_import(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.config_edit import NewFeed, add_feeds
    from newsreader.model import FeedKind
    from newsreader.sources.opml import parse_opml, private_feeds, read_opml

    with _command_errors():
        document = parse_opml(read_opml(args.file, sys.stdin.buffer))
        private = private_feeds(document.feeds)
        wanted = [f for f in document.feeds if args.allow_private or f not in private]
        config, added = add_feeds(
            ctx.config.path, [NewFeed(f.url, f.title, f.tags) for f in wanted]
        )
    _apply(ctx, config)
    for feed in document.feeds:
        if feed.site_link:
            row = ctx.store.feed_by_url(feed.url)
            if row is not None and not row.site_link:
                ctx.store.ensure_feed(
                    row.url, row.title, FeedKind.FEED, row.tags, site_link=feed.site_link
                )
    for problem in document.skipped:
        print(f"newsreader: skipped {_line(problem)}", file=sys.stderr)
    for note in document.notes:
        print(f"newsreader: {_line(note)}", file=sys.stderr)
    if private:
        print(
            f"newsreader: {len(private)} feed(s) on private, loopback or link-local addresses"
            + (":" if args.allow_private else " not subscribed (use --allow-private):"),
            file=sys.stderr,
        )
        for feed in private[:50]:
            print(f"  {_line(feed.url)}", file=sys.stderr)
        if len(private) > 50:
            print(f"  ... and {len(private) - 50} more", file=sys.stderr)
    already = len(wanted) - len(added)
    print(
        f"imported {len(added)} feed(s) from {args.file}"
        + (f" ({already} already subscribed)" if already else "")
        + (f", skipped {len(document.skipped)}" if document.skipped else "")
        + "; run `newsreader refresh` to fetch them"
    )
    return 0


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


# -- parser ---------------------------------------------------------------------------------


def add_parsers(sub: Any) -> None:
    """Register the subscription commands on the main parser's subparsers."""
    p = sub.add_parser(
        "refresh",
        help="fetch every feed (or some) and rescan stored folders",
        description="Fetch subscribed feeds (only what changed, thanks to conditional "
        "requests) and rescan stored folders. Prints a line per source and a summary; the "
        "exit status is 1 when any source failed.",
    )
    p.add_argument(
        "--feed",
        action="append",
        metavar="NAME",
        help="only this feed (id, URL or title); may be repeated",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="fetch even feeds that are backing off after errors or were gone",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print only failures and the summary")
    p.set_defaults(handler=cmd_refresh)

    p = sub.add_parser(
        "add",
        help="subscribe to a feed (or the feed a web page links to)",
        description="Subscribe to URL. When URL is a web page, its feed is found from "
        '<link rel="alternate"> or the usual feed paths. Writes feeds.toml (keeping its '
        "comments) and fetches the feed.",
    )
    p.add_argument("url", metavar="URL", help="a feed or web page URL, or a feed file path")
    p.add_argument("--title", metavar="T", help="the title to show (default: the feed's own)")
    p.add_argument("--tag", action="append", default=[], metavar="T", help="a tag; may be repeated")
    p.add_argument(
        "--no-refresh",
        action="store_true",
        help="do not fetch the feed now; if URL cannot be reached (offline, say), "
        "subscribe to it as given",
    )
    p.set_defaults(handler=cmd_add)

    p = sub.add_parser(
        "remove",
        help="unsubscribe from a feed or stored folder",
        description="Remove a feed (or a stored folder) from feeds.toml. Its cached "
        "articles are kept, hidden, unless --delete is given.",
    )
    p.add_argument("name", metavar="NAME", help="feed id, URL or title")
    p.add_argument(
        "--delete", action="store_true", help="also delete its cached articles (starred too)"
    )
    p.set_defaults(handler=cmd_remove)

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
    q.set_defaults(handler=cmd_opml_export)
