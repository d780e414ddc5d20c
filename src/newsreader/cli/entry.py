"""The entry point and the parser: no subcommand launches the app; subcommands script the cache.

Errors go to stderr as one line and a non-zero exit status, never a traceback. Each group of
subcommands is a module of ``newsreader.cli`` with a ``register(subparsers)`` function; to add
a group, write the module and list it in :data:`COMMAND_MODULES`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from newsreader import __version__
from newsreader.cli.common import CommandError

if TYPE_CHECKING:
    from newsreader.context import AppContext

# The modules of newsreader.cli that register subcommands, in the order of `--help`.
COMMAND_MODULES: tuple[str, ...] = (
    "import_files",
    "reading",
    "searching",
    "feeds",
    "opml",
    "fulltext",
    "cache",
    "sync",
    "repair",
)


def cmd_tui(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.tui.app import run_app

    return run_app(ctx)


class Parser(argparse.ArgumentParser):
    """argparse with errors in newsreader's one-line form (its subcommands use it too)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"newsreader: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
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
    # A command that only reads sets ``writes=False``: it still works on a read-only or
    # damaged cache. One that opens the cache itself sets ``run`` (a function of the args).
    parser.set_defaults(handler=cmd_tui, writes=True, command="")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command")
    for name in COMMAND_MODULES:
        importlib.import_module(f"newsreader.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = _run(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`newsreader list | head`): stop quietly, as Unix tools do.
        _discard_stdout()
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


def _discard_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real file descriptor (stdout captured or replaced)
        pass


def _run(args: argparse.Namespace) -> int:
    import sqlite3

    from newsreader.config import ConfigError
    from newsreader.context import open_context
    from newsreader.paths import db_path
    from newsreader.store import StoreError

    ctx: AppContext | None = None
    try:
        run = getattr(args, "run", None)
        if run is not None:
            return int(run(args))
        action = args.command or "open the app"
        # The app checks the file for damage itself, in the background after its first paint.
        check = args.handler is not cmd_tui
        ctx = open_context(args.config, args.db, writes=args.writes, action=action, check=check)
        status = int(args.handler(ctx, args))
        if ctx.warning:  # a damaged cache that could still be read: said after the output
            sys.stdout.flush()
            print(f"newsreader: warning: {ctx.warning}", file=sys.stderr)
        return status
    except BrokenPipeError:
        raise
    except (ConfigError, StoreError, CommandError, OSError) as error:
        print(f"newsreader: error: {error}", file=sys.stderr)
        return 1 if ctx is not None else 2
    except sqlite3.DatabaseError as error:
        known = ctx.warning if ctx is not None else ""
        message = known or _database_error(db_path(args.db), error)
        print(f"newsreader: error: {message}", file=sys.stderr)
        if ctx is not None:
            ctx.checked = None  # not a clean session: the next one checks the file
        return 2
    finally:
        if ctx is not None:
            ctx.close()


def _database_error(path: Path, error: Exception) -> str:
    """The message for an SQLite error met while working: damage keeps a copy of the file."""
    import sqlite3

    from newsreader.store.integrity import CacheDamaged, keep_damaged_copy

    if type(error) is sqlite3.DatabaseError or "malformed" in str(error):
        return str(CacheDamaged(path, str(error), keep_damaged_copy(path, str(error))))
    return f"the cache {path} cannot be used ({error}); move it aside or pass --db"
