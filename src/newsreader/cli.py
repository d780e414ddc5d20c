"""The ``newsreader`` command: no subcommand launches the app; subcommands script the cache.

Errors go to stderr as one line and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from newsreader import __version__
from newsreader.context import AppContext, open_context

Handler = Callable[[AppContext, argparse.Namespace], int]


class CommandError(Exception):
    """A command cannot do what was asked; the message is shown as is."""


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


def _line(text: str) -> str:
    from newsreader.ingest.sanitize import clean_line

    return clean_line(text)


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _summary_json(article: Any) -> dict[str, Any]:
    return {
        "id": article.id,
        "feed": article.feed_title,
        "feed_id": article.feed_id,
        "title": article.title,
        "link": article.link,
        "author": article.author,
        "published": _iso(article.published),
        "read": article.read,
        "starred": article.starred,
    }


def _summary_line(article: Any) -> str:
    flags = ("★" if article.starred else " ") + (" " if article.read else "●")
    when = article.published.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"{article.id:>6} {flags} {when}  {_line(article.feed_title)[:24]:<24}  {_line(article.title)}"


def _resolve_feed(ctx: AppContext, name: str) -> int:
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


# -- commands -------------------------------------------------------------------------------


def cmd_import(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.sources.stored import import_paths

    report = import_paths(ctx.store, [Path(p) for p in args.paths])
    for error in report.errors:
        print(f"newsreader: {error}", file=sys.stderr)
    counts = report.counts
    print(
        f"imported {report.files - len(report.errors) if report.files else 0} file(s): "
        f"{counts.new} new, {counts.updated} updated, {counts.unchanged} unchanged"
        + (f", {len(report.errors)} failed" if report.errors else "")
    )
    return 1 if report.errors else 0


def cmd_list(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.store import ArticleFilter

    where = ArticleFilter(
        feed_id=_resolve_feed(ctx, args.feed) if args.feed else None,
        unread=args.unread,
        starred=args.starred,
    )
    articles = ctx.store.list_articles(where, limit=args.limit)
    if args.json:
        _print_json([_summary_json(a) for a in articles])
    else:
        for article in articles:
            print(_summary_line(article))
    return 0


def _article(ctx: AppContext, article_id: int) -> Any:
    article = ctx.store.article(article_id)
    if article is None:
        raise CommandError(f"no article with id {article_id} (see `newsreader list`)")
    return article


def cmd_show(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.render import article_markdown, reading_minutes

    article = _article(ctx, args.id)
    body = article_markdown(ctx.store, article)
    meta = [_line(article.feed_title)]
    if article.author:
        meta.append(_line(article.author))
    meta.append(article.published.astimezone().strftime("%Y-%m-%d %H:%M"))
    meta.append(f"{reading_minutes(article.word_count)} min read")
    if args.format == "text":
        from newsreader.ingest.markdown_text import markdown_to_text

        title = _line(article.title)
        print(f"{title}\n{'=' * min(len(title), 80)}\n{' · '.join(meta)}")
        if article.link:
            print(article.link)
        print()
        print(markdown_to_text(body).strip())
    else:
        print(f"# {_line(article.title)}\n\n{' · '.join(meta)}")
        if article.link:
            print(f"<{article.link}>")
        print()
        print(body.strip())
    if args.mark_read:
        ctx.store.set_read([article.id], read=True)
    return 0


def cmd_mark(ctx: AppContext, args: argparse.Namespace) -> int:
    missing = [i for i in args.ids if ctx.store.article(i) is None]
    if missing:
        raise CommandError(f"no article with id {', '.join(map(str, missing))}")
    store = ctx.store
    action = {
        "read": lambda: store.set_read(args.ids, read=True),
        "unread": lambda: store.set_read(args.ids, read=False),
        "star": lambda: store.set_starred(args.ids, starred=True),
        "unstar": lambda: store.set_starred(args.ids, starred=False),
    }[args.action]
    changed = action()
    print(
        f"marked {changed} article(s) {args.action}"
        + (f" ({len(args.ids) - changed} already were)" if changed < len(args.ids) else "")
    )
    return 0


def cmd_feeds(ctx: AppContext, args: argparse.Namespace) -> int:
    feeds = ctx.store.feeds()
    if args.json:
        _print_json(
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
                    "last_fetched": _iso(f.last_fetched),
                    "next_fetch": _iso(f.next_fetch),
                }
                for f in feeds
            ]
        )
        return 0
    for f in feeds:
        status = f.last_status or "never fetched"
        if f.last_error:
            status = f"{status}: {_line(f.last_error)}"
        print(f"{f.id:>4}  {_line(f.title)[:36]:<36} {f.unread:>5}/{f.total:<6} {status}")
        print(f"      {f.url}")
    return 0


def cmd_search(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.search import to_fts_query

    query = to_fts_query(args.query, prefix_last=False)
    if not query:
        raise CommandError("nothing to search for: give one or more words")
    hits = ctx.store.search(query, limit=args.limit)
    if args.json:
        _print_json([{**_summary_json(h.article), "snippet": h.snippet} for h in hits])
        return 0
    if not hits:
        print("No articles match.", file=sys.stderr)
    for hit in hits:
        print(_summary_line(hit.article))
        print(f"         {_line(hit.snippet)}")
    return 0


def cmd_tui(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.tui.app import run_app

    return run_app(ctx)


# -- parser ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description="A keyboard-driven terminal news reader. With no command, opens the app.",
        epilog="Config: feeds.toml in your config folder (or --config / $NEWSREADER_CONFIG). "
        "Cache: newsreader.db in your data folder (or --db / $NEWSREADER_DB).",
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="config file (default: feeds.toml in the user config folder, or $NEWSREADER_CONFIG)",
    )
    parser.add_argument(
        "--db",
        metavar="FILE",
        help="cache file (default: newsreader.db in the user data folder, or $NEWSREADER_DB)",
    )
    parser.set_defaults(handler=cmd_tui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser(
        "import",
        help="import article files and folders (.txt .md .html)",
        description="Import article files (.txt, .md, .markdown, .html, .htm) "
        "and folders of them into the cache. Importing a file again updates its "
        "text and keeps its read/starred state.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser(
        "list",
        help="list articles, newest first",
        description="List cached articles, newest first.",
    )
    p.add_argument("--feed", metavar="NAME", help="only this feed (id, URL or title)")
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--starred", action="store_true", help="only starred articles")
    p.add_argument(
        "--limit", type=_positive, default=50, metavar="N", help="at most N articles (default 50)"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser(
        "show",
        help="print an article",
        description="Print an article as "
        "rendered: Markdown (headings as `## Heading` lines) or plain text.",
    )
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--format", choices=("markdown", "text"), default="markdown")
    p.add_argument("--mark-read", action="store_true", help="also mark the article read")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser(
        "mark",
        help="mark articles read/unread/starred",
        description="Change articles' read or starred state.",
    )
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    group = p.add_mutually_exclusive_group(required=True)
    for flag in ("read", "unread", "star", "unstar"):
        group.add_argument(f"--{flag}", dest="action", action="store_const", const=flag)
    p.set_defaults(handler=cmd_mark)

    p = sub.add_parser(
        "feeds",
        help="list feeds and stored sources with counts and status",
        description="Every feed and stored source with its total and unread "
        "counts and the outcome of its last refresh.",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_feeds)

    p = sub.add_parser(
        "search",
        help="full-text search",
        description="Search titles, authors and text of cached articles; best matches first.",
    )
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=_positive, default=20, metavar="N")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_search)

    from newsreader import cli_feeds

    cli_feeds.add_parsers(sub)
    return parser


def _positive(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {value}")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # a bug: still one line, unless asked for the details
        if os.environ.get("NEWSREADER_DEBUG"):
            raise
        print(
            f"newsreader: error: unexpected {type(error).__name__}: {error} "
            "(set NEWSREADER_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 70


def _run(args: argparse.Namespace) -> int:
    import sqlite3

    from newsreader.config import ConfigError
    from newsreader.paths import db_path
    from newsreader.store import StoreError

    ctx: AppContext | None = None
    try:
        ctx = open_context(args.config, args.db)
        return int(args.handler(ctx, args))
    except (ConfigError, StoreError, CommandError, OSError) as error:
        print(f"newsreader: error: {error}", file=sys.stderr)
        return 1 if ctx is not None else 2
    except sqlite3.DatabaseError as error:
        print(
            f"newsreader: error: the cache {db_path(args.db)} cannot be used ({error}); "
            "move it aside or pass --db to use another file",
            file=sys.stderr,
        )
        return 2
    finally:
        if ctx is not None:
            ctx.close()
