"""``newsreader repair``: rebuild a damaged cache from what can still be read."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from newsreader.cli.common import CommandError, plural

if TYPE_CHECKING:
    from newsreader.cli.common import Subparsers


def cmd_repair(args: argparse.Namespace) -> int:
    """Check the cache; if it is damaged (or ``--force``), rebuild it and swap it in."""
    from newsreader.paths import db_path
    from newsreader.store.integrity import check_cache
    from newsreader.store.repair import repair_cache

    path = db_path(args.db)
    if not path.is_file():
        raise CommandError(f"there is no cache at {path} to repair")
    damage = check_cache(path, force=True)
    if damage is None and not args.force:
        print(f"the cache {path} is not damaged (integrity_check found nothing); nothing to do")
        return 0
    if damage is not None:
        print(f"the cache {path} is damaged: {damage.detail}")
    report = repair_cache(path, sqlite3_cli=None if args.no_sqlite3 else "")
    rows, skipped = report.rows, report.skipped
    print(f"kept the damaged file as {report.damaged_copy}")
    print(
        f"rebuilt {path} ({report.method}): {plural(rows.get('feeds', 0), 'feed')}, "
        f"{plural(rows.get('articles', 0), 'article')} ({report.read} read, "
        f"{report.starred} starred)"
    )
    lost = sum(skipped.values())
    if lost:
        print(f"left out {plural(lost, 'unreadable row')}")
    if report.flags_without_article:
        print(
            f"{plural(report.flags_without_article, 'article')} whose read/starred state "
            "was readable could not be read themselves"
        )
    if report.placeholder_feeds:
        print(
            f"{plural(report.placeholder_feeds, 'feed')} could not be read: "
            "their articles are kept under 'Recovered feed N' (hidden)"
        )
    return 0


def register(sub: Subparsers) -> None:
    """Add ``repair`` to the main parser's subcommands."""
    p = sub.add_parser(
        "repair",
        help="rebuild a damaged cache from what can still be read",
        description="Check the cache and, if it is damaged, rebuild it from what can still "
        "be read (sqlite3's .recover when the sqlite3 program is installed, else row by "
        "row), read and starred state first. The damaged file is kept beside it as "
        "newsreader.db.damaged-DATE. Close the app first.",
    )
    p.add_argument("--force", action="store_true", help="rebuild even if no damage is found")
    p.add_argument(
        "--no-sqlite3", action="store_true", help="salvage row by row, without the sqlite3 program"
    )
    p.set_defaults(run=cmd_repair)
