"""Subcommands for a feed server account: ``sync`` and ``account test``.

Errors are one line on stderr and exit status 1; the local queue is never touched by a
failure.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsreader.context import AppContext
    from newsreader.sources.accounts import Backend
    from newsreader.sync import SyncProgress

ITEMS_EVERY = 1000  # print item progress this often


def _error(message: str) -> int:
    print(f"newsreader: error: {message}", file=sys.stderr)
    return 1


def _backend(ctx: AppContext) -> Backend:
    """The configured account's backend; raises AccountError when there is none."""
    import getpass

    from newsreader.sources.accounts import AccountError, open_backend

    account = ctx.config.account
    if account is None:
        raise AccountError(
            f"no [account] in {ctx.config.path}; add one to sync with a feed server "
            '(see "Sync with a feed server" in the README)'
        )
    ask = getpass.getpass if sys.stdin.isatty() else None
    return open_backend(account, ask, timeout=ctx.config.settings.timeout)


def cmd_sync(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.sources.accounts import AccountError
    from newsreader.sync import SyncError, run_sync, summary_line

    quiet = args.quiet
    shown = {"items": 0}

    def progress(step: SyncProgress) -> None:
        if quiet or step.stage == "done":
            return
        if step.stage == "items":
            if step.done - shown["items"] < ITEMS_EVERY and step.done < step.total:
                return
            shown["items"] = step.done
            print(f"items: {step.done}/{step.total}", flush=True)
        elif step.stage == "push":
            print(f"sending changes: {step.done}/{step.total}", flush=True)
        else:
            label = {
                "connect": "connecting",
                "feeds": "feeds and groups",
                "state": "read and starred state",
            }
            print(f"{label.get(step.stage, step.stage)}…", flush=True)

    start = time.perf_counter()
    try:
        backend = _backend(ctx)
    except AccountError as error:
        return _error(str(error))
    try:
        report = run_sync(ctx.store, backend, progress)
    except SyncError as error:
        kept = error.report.queued
        return _error(
            f"sync failed: {error}"
            + (f" ({kept} local change(s) kept for the next sync)" if kept else "")
        )
    finally:
        backend.close()
    for warning in report.warnings:
        print(f"newsreader: warning: {warning}", file=sys.stderr)
    print(f"{summary_line(report)} in {time.perf_counter() - start:.1f} s")
    return 0


def cmd_account_test(ctx: AppContext, args: argparse.Namespace) -> int:
    from newsreader.sources.accounts import AccountError

    try:
        backend = _backend(ctx)
    except AccountError as error:
        return _error(str(error))
    try:
        backend.check()
        groups, feeds = backend.groups_and_feeds()
        unread, saved = backend.item_states()
    except AccountError as error:
        return _error(str(error))
    finally:
        backend.close()
    account = ctx.config.account
    assert account is not None
    print(
        f"ok: {account.username} at {account.url}: {len(feeds)} feed(s), {len(groups)} "
        f"group(s), {len(unread)} unread, {len(saved)} starred"
    )
    return 0


def register(sub: Any) -> None:
    """Register ``sync`` and ``account`` on the main parser's subparsers."""
    p = sub.add_parser(
        "sync",
        help="sync with the feed server in [account]",
        description="Send local read/starred changes to the feed server in the config's "
        "[account], and bring its feeds, new articles and read/starred state here.",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors and the summary")
    p.set_defaults(handler=cmd_sync)

    p = sub.add_parser(
        "account",
        help="the feed server account",
        description="Commands for the feed server account in the config's [account].",
    )
    account = p.add_subparsers(title="commands", metavar="COMMAND", required=True)
    q = account.add_parser(
        "test",
        help="check the credentials and show what the server has",
        description="Log in to the feed server and print its feeds, groups, unread and "
        "starred counts. Changes nothing.",
    )
    q.set_defaults(handler=cmd_account_test, writes=False)
