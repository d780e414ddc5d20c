"""Subcommands for the query language: search, saved searches and filters."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from newsreader.cli.common import (
    CommandError,
    line,
    plural,
    positive,
    print_json,
    summary_json,
    summary_line,
)

if TYPE_CHECKING:
    import argparse

    from newsreader.cli.common import Subparsers
    from newsreader.context import AppContext
    from newsreader.search import CompiledQuery


def compile_or_fail(text: str) -> CompiledQuery:
    """A compiled query; a query that cannot be read is a one-line :class:`CommandError`.

    Warnings (a query cut short, an unknown qualifier) go to stderr.
    """
    from newsreader.search import QueryError, compile_query

    try:
        query = compile_query(text)
    except QueryError as error:
        raise CommandError(f"bad query: {error}") from None
    for warning in query.warnings:
        print(f"newsreader: warning: {warning}", file=sys.stderr)
    return query


def cmd_search(ctx: AppContext, args: argparse.Namespace) -> int:
    query = compile_or_fail(args.query)
    if query.empty:
        raise CommandError("nothing to search for: give words or qualifiers (see `--help`)")
    hits = ctx.store.search_query(query, limit=args.limit, sort=args.sort)
    if args.json:
        print_json([{**summary_json(h.article), "snippet": h.snippet} for h in hits])
        return 0
    if not hits:
        print("No articles match.", file=sys.stderr)
    for hit in hits:
        print(summary_line(hit.article))
        if hit.snippet:
            print(f"         {line(hit.snippet)}")
    return 0


def cmd_searches(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.config_edit import ConfigEditError, add_saved_search, remove_saved_search
    from newsreader.saved_searches import unread_counts

    path = ctx.config.path
    try:
        if args.add:
            name, text = args.add
            compile_or_fail(text)
            add_saved_search(path, name, text)
            print(f"saved search {line(name)!r} added to {path}")
            return 0
        if args.remove:
            remove_saved_search(path, args.remove)
            print(f"saved search {line(args.remove)!r} removed from {path}")
            return 0
    except ConfigEditError as error:
        raise CommandError(str(error)) from None
    searches = ctx.config.searches
    counts = unread_counts(ctx.store, searches)
    if args.json:
        print_json([{"name": s.name, "query": s.query, "unread": counts[s.name]} for s in searches])
        return 0
    if not searches:
        print(f"No saved searches (add [[search]] entries to {path}).", file=sys.stderr)
    width = max((len(line(s.name)) for s in searches), default=0)
    for search in searches:
        print(f"{counts[search.name]:>6}  {line(search.name):<{width}}  {line(search.query)}")
    return 0


def cmd_filter(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.filters import apply_filters, describe

    rules = ctx.config.filters
    if not rules:
        print(f"No filters (add [[filter]] entries to {ctx.config.path}).", file=sys.stderr)
        return 0
    if not args.apply:
        for rule in rules:
            query = compile_or_fail(rule.query)
            found = ctx.store.count_query(query)
            print(f"{rule.action:<5}  {line(rule.query)}  ({plural(found, 'article')} visible)")
        return 0
    done = apply_filters(ctx.store, rules)
    print(f"applied {plural(len(rules), 'filter')}: {describe(done) or 'nothing changed'}")
    return 0


def register(sub: Subparsers) -> None:
    """Add search, searches and filter to the main parser's subcommands."""
    p = sub.add_parser(
        "search",
        help="search articles with the query language",
        description='Search cached articles: words (all must match), "phrases", prefix*, '
        "OR, -word / NOT word, (groups), and qualifiers feed:NAME tag:NAME author:NAME "
        "title:WORD is:unread|read|starred|unstarred|hidden since:7d before:2026-11-01. "
        "Best matches first: titles above section headings above text.",
    )
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    p.add_argument("--limit", type=positive, default=20, metavar="N")
    p.add_argument("--json", action="store_true", help="print JSON (with a snippet)")
    p.set_defaults(handler=cmd_search, writes=False)

    p = sub.add_parser(
        "searches",
        help="list saved searches with their unread counts",
        description="List the [[search]] entries of feeds.toml with their unread counts, "
        "or add or remove one (the file's comments are kept).",
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument("--add", nargs=2, metavar=("NAME", "QUERY"), help="save a search")
    group.add_argument("--remove", metavar="NAME", help="delete a saved search")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_searches, writes=False)

    p = sub.add_parser(
        "filter",
        help="show filters, or apply them to the whole cache",
        description="Filters ([[filter]] query = ... action = hide|read|star in feeds.toml) "
        "apply to new articles at every refresh. Without --apply, list them; with --apply, "
        "apply them to every cached article now.",
    )
    p.add_argument("--apply", action="store_true", help="apply the filters to the whole cache")
    p.set_defaults(handler=cmd_filter)
