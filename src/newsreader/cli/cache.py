"""The ``cache`` subcommands: ``newsreader cache clear --images``.

Registered on the main parser with ``register(sub)`` (see ``cli/entry.py``); handlers take the opened
context and the parsed arguments, like every other subcommand, and return the exit status.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsreader.context import AppContext


def register(sub: Any) -> None:
    """Register ``cache clear`` on the main parser's subparsers."""
    cache = sub.add_parser(
        "cache",
        help="manage cached files (downloaded images)",
        description="Manage what newsreader keeps besides the articles themselves.",
    )
    actions = cache.add_subparsers(title="cache commands", metavar="ACTION")
    clear = actions.add_parser(
        "clear",
        help="empty a cache",
        description="Empty the image cache (pictures downloaded for articles); they are "
        "fetched again when an article that shows them is opened.",
    )
    clear.add_argument(
        "--images", action="store_true", help="remove every cached image (the only cache today)"
    )
    clear.set_defaults(handler=cmd_cache_clear, writes=False)
    cache.set_defaults(handler=lambda _ctx, _args: _usage(cache))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    print("newsreader cache: error: say what to do, e.g. 'cache clear --images'", file=sys.stderr)
    return 2


def cmd_cache_clear(ctx: AppContext, args: argparse.Namespace) -> int:
    """Empty the caches named on the command line."""
    if not args.images:
        print("newsreader: error: say what to clear: --images", file=sys.stderr)
        return 2
    from newsreader.images.cache import clear_image_cache, image_cache_dir

    files, size = clear_image_cache()
    megabytes = size / (1024 * 1024)
    noun = "image" if files == 1 else "images"
    print(f"Removed {files} cached {noun} ({megabytes:.1f} MB) from {image_cache_dir()}")
    return 0
