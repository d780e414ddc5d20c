"""Subcommands for reading the cache: list, show, search, mark."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsreader.cli.common import (
    CommandError,
    article_id,
    line,
    plural,
    positive,
    print_json,
    resolve_feed,
    summary_json,
    summary_line,
)

if TYPE_CHECKING:
    import argparse

    from newsreader.cli.common import Subparsers
    from newsreader.context import AppContext


def cmd_list(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.store import ArticleFilter

    where = ArticleFilter(
        feed_id=resolve_feed(ctx, args.feed) if args.feed else None,
        unread=args.unread,
        starred=args.starred,
    )
    if args.query:
        from newsreader.cli.searching import compile_or_fail

        query = compile_or_fail(args.query)
        hits = ctx.store.search_query(query, where, limit=args.limit, sort="date")
        articles = [hit.article for hit in hits]
    else:
        articles = ctx.store.list_articles(where, limit=args.limit)
    if args.json:
        print_json([summary_json(a) for a in articles])
    else:
        for article in articles:
            print(summary_line(article))
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
    meta = [line(article.feed_title)]
    if article.author:
        meta.append(line(article.author))
    meta.append(article.published.astimezone().strftime("%Y-%m-%d %H:%M"))
    meta.append(f"{reading_minutes(article.word_count)} min read")
    link, path = article.link, _file_path(article.link)
    if args.format == "text":
        from newsreader.ingest.markdown_text import markdown_to_text

        title = line(article.title)
        print(f"{title}\n{'=' * min(len(title), 80)}\n{' · '.join(meta)}")
        if link:
            print(path or link)
        print()
        print(markdown_to_text(body).strip())
    else:
        print(f"# {line(article.title)}\n\n{' · '.join(meta)}")
        if link:
            print(path or f"<{link}>")
        print()
        print(body.strip())
    if args.mark_read:
        ctx.store.set_read([article.id], read=True)
    return 0


def _file_path(link: str) -> str:
    """The path of a stored article's ``file://`` link, as text; "" for other links."""
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    if not link.startswith("file:"):
        return ""
    return line(url2pathname(urlsplit(link).path))


def cmd_mark(ctx: AppContext, args: argparse.Namespace) -> int:
    missing = [i for i in args.ids if ctx.store.article(i) is None]
    if missing:
        raise CommandError(f"no article with id {', '.join(map(str, missing))}")
    if args.action in ("read", "unread"):
        changed = ctx.store.set_read(args.ids, read=args.action == "read")
    else:
        changed = ctx.store.set_starred(args.ids, starred=args.action == "star")
    articles = plural(changed, "article")
    done = {
        "read": f"marked {articles} read",
        "unread": f"marked {articles} unread",
        "star": f"starred {articles}",
        "unstar": f"unstarred {articles}",
    }[args.action]
    already = len(set(args.ids)) - changed
    if already > 0:
        done += f" ({already} already {'was' if already == 1 else 'were'})"
    print(done)
    return 0


def register(sub: Subparsers) -> None:
    """Add the reading commands to the main parser's subcommands."""
    p = sub.add_parser(
        "list",
        help="list articles, newest first",
        description="List cached articles, newest first.",
    )
    p.add_argument("--feed", metavar="NAME", help="only this feed (its id, URL or name)")
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--starred", action="store_true", help="only starred articles")
    p.add_argument(
        "--query", metavar="Q", help="only articles this query finds (see `newsreader search`)"
    )
    p.add_argument(
        "--limit", type=positive, default=50, metavar="N", help="at most N articles (default 50)"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_list, writes=False)

    p = sub.add_parser(
        "show",
        help="print an article",
        description="Print an article as "
        "rendered: Markdown (headings as `## Heading` lines) or plain text.",
    )
    p.add_argument("id", type=article_id, metavar="ID")
    p.add_argument("--format", choices=("markdown", "text"), default="markdown")
    p.add_argument("--mark-read", action="store_true", help="also mark the article read")
    p.set_defaults(handler=cmd_show, writes=False)

    p = sub.add_parser(
        "mark",
        help="mark articles read/unread/starred",
        description="Change articles' read or starred state.",
    )
    p.add_argument("ids", nargs="+", type=article_id, metavar="ID")
    group = p.add_mutually_exclusive_group(required=True)
    for flag in ("read", "unread", "star", "unstar"):
        group.add_argument(f"--{flag}", dest="action", action="store_const", const=flag)
    p.set_defaults(handler=cmd_mark)
