"""Subcommands for subscriptions: feeds, refresh, add, remove."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

from newsreader.cli.common import (
    CommandError,
    apply_config,
    command_errors,
    cut,
    fit,
    iso,
    line,
    plural,
    print_json,
    resolve_feed,
)

if TYPE_CHECKING:
    import argparse

    from newsreader.cli.common import Subparsers
    from newsreader.context import AppContext
    from newsreader.refresh import FeedOutcome


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
    title = cut(line(outcome.title), 48)
    if outcome.status == "ok":
        detail = _counts(outcome)
        if outcome.error:
            detail += f" (warning: {line(outcome.error)})"
    elif outcome.status == "not modified":
        detail = "unchanged since last time"
    else:
        detail = line(outcome.error)
    return f"[{done:>{width}}/{total}] {outcome.status:<12} {title}: {detail}"


# -- commands -------------------------------------------------------------------------------


def cmd_feeds(ctx: AppContext, args: argparse.Namespace) -> int:
    feeds = ctx.store.feeds()
    if args.json:
        print_json(
            [
                {
                    "id": f.id,
                    "title": f.title,
                    "url": f.url,
                    "kind": str(f.kind),
                    "tags": list(f.tags),
                    "total": f.total,
                    "unread": f.unread,
                    "status": f.last_status or "never fetched",
                    "error": f.last_error or None,
                    "last_fetched": iso(f.last_fetched),
                    "next_fetch": iso(f.next_fetch),
                }
                for f in feeds
            ]
        )
        return 0
    for f in feeds:
        status = f.last_status or "never fetched"
        if f.last_error:
            status = f"{status}: {line(f.last_error)}"
        print(f"{f.id:>4}  {fit(line(f.title), 36)} {f.unread:>5}/{f.total:<6} {status}")
        print(f"      {f.url}")
    return 0


def cmd_refresh(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.refresh import run_refresh

    feed_ids = [resolve_feed(ctx, name) for name in args.feed] if args.feed else None
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
        + (f", {summary.pictures} picture(s) fetched" if summary.pictures else "")
        + filter_note([o.counts for o in summary.outcomes])
    )
    for failure in summary.failures:
        feed = ctx.store.feed(failure.feed_id)
        where = f" ({feed.url})" if feed else ""
        print(
            f"newsreader: failed: {line(failure.title)}{where}: {line(failure.error)}",
            file=sys.stderr,
        )
    return 1 if summary.failed else 0


def _web_url(url: str) -> str:
    """``url`` checked to be one newsreader can fetch (a scheme-less one gets https://).

    Raises:
        CommandError: the scheme is not http(s), or there is no usable host.
    """
    from urllib.parse import urlsplit

    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise CommandError(
            f"unsupported URL scheme {scheme + ':'!r} in {line(url)!r}: "
            "give an http(s) URL, a file:// URL or a file path"
        )
    try:
        host, _ = parts.hostname, parts.port
    except ValueError:
        host = None
    if not host or any(c.isspace() for c in parts.netloc):
        raise CommandError(
            f"not a usable URL: {line(url)!r} (it needs a host name, e.g. https://example.org/feed)"
        )
    return url


def _unique_title(ctx: AppContext, title: str, *, chosen: bool) -> str:
    """``title`` if no other feed has it; else a numbered one, or an error if it was chosen."""
    from newsreader.context import unique_title

    name = unique_title(ctx.store, title)
    if name != title:
        if chosen:
            taken = next(
                f for f in ctx.store.feeds(counts=False) if f.title.casefold() == title.casefold()
            )
            raise CommandError(
                f"a feed is already called {line(title)!r} (id {taken.id}): choose another --title"
            )
        print(f"another feed is already called {line(title)!r}; this one is named {line(name)!r}")
    return name


def cmd_add(ctx: AppContext, args: argparse.Namespace) -> int:
    import asyncio

    from newsreader.config_edit import add_feed
    from newsreader.sources.feeds import Fetcher, FetchLimits, is_local, local_path

    url: str = args.url.strip()
    title: str = (args.title or "").strip()
    if is_local(url):
        path = local_path(url).resolve()
        if not path.is_file():
            raise CommandError(f"no such feed file: {path}")
        url = path.as_uri()
    else:
        url = _web_url(url)
        if not args.no_refresh:
            from newsreader.sources.discover import discover

            settings = ctx.config.settings
            limits = FetchLimits(
                concurrency=4, per_host=settings.per_host, timeout=min(settings.timeout, 20.0)
            )

            async def find() -> Any:
                async with Fetcher(limits) as fetcher:
                    return await discover(fetcher, url)

            with command_errors():
                found = asyncio.run(find())
            if found.url != url:
                print(f"found the feed {found.url}")
            url = found.url
            title = title or found.title
    if any(entry.url == url for entry in ctx.config.feeds):
        raise CommandError(f"already subscribed to {url}")
    if title:
        title = _unique_title(ctx, title, chosen=bool(args.title))
    with command_errors():
        config = add_feed(ctx.config.path, url, title, tuple(args.tag))
    apply_config(ctx, config)
    feed = ctx.store.feed_by_url(url)
    assert feed is not None
    print(f"added {line(feed.title)} ({url}) to {ctx.config.path}")
    if args.no_refresh:
        print("not fetched now: `newsreader refresh` fetches it")
        return 0
    from newsreader.refresh import run_refresh

    summary = run_refresh(ctx.store, ctx.config, [feed.id], force=True)
    for outcome in summary.outcomes:
        print(_progress_line(outcome, 1, 1))
    return 1 if summary.failed else 0


def cmd_remove(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.config_edit import remove_feed

    feed = ctx.store.feed(resolve_feed(ctx, args.name))
    assert feed is not None
    with command_errors():
        config = remove_feed(ctx.config.path, feed.url)
    apply_config(ctx, config)
    if args.delete:
        cached = ctx.store.delete_feed(feed.id)
        print(f"removed {line(feed.title)} and its {plural(cached, 'cached article')}")
    else:
        print(
            f"removed {line(feed.title)} from {ctx.config.path}; its cached articles are "
            "kept (hidden) and come back if you add it again (--delete to forget them)"
        )
    return 0


def register(sub: Subparsers) -> None:
    """Add the subscription commands to the main parser's subcommands."""
    p = sub.add_parser(
        "feeds",
        help="list feeds and stored sources with counts and status",
        description="Every feed and stored source with its total and unread "
        "counts and the outcome of its last refresh.",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_feeds, writes=False)

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
        help="only this feed (its id, URL or name); may be repeated",
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
        help="subscribe to URL as given, without fetching anything now (works offline; "
        "no feed discovery)",
    )
    p.set_defaults(handler=cmd_add)

    p = sub.add_parser(
        "remove",
        help="unsubscribe from a feed or stored folder",
        description="Remove a feed (or a stored folder) from feeds.toml. Its cached "
        "articles are kept, hidden, unless --delete is given.",
    )
    p.add_argument("name", metavar="NAME", help="the feed's id, URL or name")
    p.add_argument(
        "--delete", action="store_true", help="also delete its cached articles (starred too)"
    )
    p.set_defaults(handler=cmd_remove)


def filter_note(all_counts: list[Any]) -> str:
    """``", 12 hidden by filters"`` for a refresh summary line ('' when filters did nothing)."""
    from newsreader.filters import describe, filtered_totals

    text = describe(filtered_totals(all_counts))
    return f", {text}" if text else ""
