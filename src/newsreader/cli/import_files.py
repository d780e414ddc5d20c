"""The ``import`` subcommand: article files and folders into the cache."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from newsreader.cli.common import plural

if TYPE_CHECKING:
    import argparse

    from newsreader.cli.common import Subparsers
    from newsreader.context import AppContext


def cmd_import(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.importing import import_paths

    report = import_paths(ctx.store, [Path(p) for p in args.paths])
    for error in report.errors:
        print(f"newsreader: error: {error}", file=sys.stderr)
    counts = report.counts
    imported = counts.new + counts.updated + counts.unchanged
    if imported or not report.errors:
        print(
            f"imported {plural(imported, 'file')}: "
            f"{counts.new} new, {counts.updated} updated, {counts.unchanged} unchanged"
            + (f", {len(report.errors)} failed" if report.errors else "")
        )
    return 1 if report.errors else 0


def register(sub: Subparsers) -> None:
    """Add the ``import`` command to the main parser's subcommands."""
    p = sub.add_parser(
        "import",
        help="import article files and folders (.txt .md .html)",
        description="Import article files (.txt, .md, .markdown, .html, .htm) "
        "and folders of them into the cache. Importing a file again updates its "
        "text and keeps its read/starred state.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(handler=cmd_import)
