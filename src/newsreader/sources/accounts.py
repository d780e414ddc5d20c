"""Accounts on feed servers: what a sync needs from one (the :class:`Backend` protocol), the
errors it may raise, and where its password comes from.

A backend speaks one server API (Fever in :mod:`newsreader.sources.fever`; a Google Reader
API backend can stand beside it). It only moves data; :mod:`newsreader.sync` decides what
goes where.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from newsreader.config import AccountConfig

PASSWORD_VARIABLE = "NEWSREADER_PASSWORD"
PASSWORD_COMMAND_TIMEOUT = 60.0


class AccountError(Exception):
    """The server cannot be used now; the message is one line saying why."""


class AuthError(AccountError):
    """The server refused the username or password."""


class ItemGone(AccountError):
    """The server does not know an item (it was deleted there)."""


@dataclass(frozen=True, slots=True)
class RemoteGroup:
    id: int
    title: str


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    id: int
    title: str
    url: str
    site_url: str
    group_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class RemoteItem:
    """One item as the server sends it; ``html`` is untrusted."""

    id: int
    feed_id: int
    title: str
    author: str
    html: str
    url: str
    created: int  # Unix time
    read: bool
    saved: bool


@dataclass(frozen=True, slots=True)
class ItemPage:
    items: tuple[RemoteItem, ...]
    total: int | None  # how many items the server has, if it says


class Backend(Protocol):
    """What a sync needs from a feed server account. A sync sends changes (:meth:`mark`,
    several at once) while it pulls items, so calls must be safe from several threads."""

    @property
    def identity(self) -> str:
        """Names the account (server URL and user) so a cache never mixes two accounts."""
        ...

    def check(self) -> None:
        """Raise :class:`AuthError` if the credentials are refused, else return."""
        ...

    def groups_and_feeds(self) -> tuple[list[RemoteGroup], list[RemoteFeed]]: ...

    def items_since(self, since_id: int) -> ItemPage:
        """The next page of items with ids above ``since_id``, lowest first."""
        ...

    def items_with_ids(self, ids: Sequence[int]) -> list[RemoteItem]:
        """The items with these ids (unknown ids are left out)."""
        ...

    def unread_ids(self) -> set[int]: ...

    def saved_ids(self) -> set[int]: ...

    def item_states(self) -> tuple[set[int], set[int]]:
        """(:meth:`unread_ids`, :meth:`saved_ids`), in as few requests as the server allows."""
        ...

    def mark(self, item_id: int, field: str, value: bool) -> None:
        """Set ``field`` ("read" or "starred") of one item; :class:`ItemGone` if unknown.
        Called from several threads at once."""
        ...

    def close(self) -> None: ...


# -- passwords ------------------------------------------------------------------------------

_asked: dict[tuple[str, str], str] = {}


def password_for(account: AccountConfig, ask: Callable[[str], str] | None = None) -> str:
    """The account's password, from (in this order) its ``password_command``, the
    ``NEWSREADER_PASSWORD`` variable, or ``ask`` (a terminal prompt, asked once per run).
    newsreader never stores it.

    Raises:
        AccountError: the command failed, or there is no way to get the password.
    """
    if account.password_command:
        return _run_password_command(account.password_command)
    from_env = os.environ.get(PASSWORD_VARIABLE)
    if from_env:
        return from_env
    key = (account.url, account.username)
    if key in _asked:
        return _asked[key]
    if ask is None:
        raise AccountError(
            f"no password for {account.username} at {account.url}: set password_command in "
            f"[account] or the {PASSWORD_VARIABLE} variable"
        )
    password = ask(f"Password for {account.username} at {account.url}: ")
    if not password:
        raise AccountError("no password given")
    _asked[key] = password
    return password


def forget_password(account: AccountConfig) -> None:
    """Forget the password asked for ``account`` in this run (the server refused it)."""
    _asked.pop((account.url, account.username), None)


def _run_password_command(command: str) -> str:
    try:
        args = shlex.split(command)
    except ValueError as error:
        raise AccountError(f"password_command cannot be split into arguments: {error}") from None
    if not args:
        raise AccountError("password_command is empty")
    try:
        done = subprocess.run(
            args,
            capture_output=True,
            text=True,
            timeout=PASSWORD_COMMAND_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise AccountError(f"password_command: {args[0]}: command not found") from None
    except subprocess.TimeoutExpired:
        raise AccountError(
            f"password_command {args[0]} did not finish in {PASSWORD_COMMAND_TIMEOUT:.0f} s"
        ) from None
    except OSError as error:
        raise AccountError(f"password_command {args[0]}: {error}") from None
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or [""])[0][:200]
        raise AccountError(
            f"password_command {args[0]} failed (exit status {done.returncode})"
            + (f": {detail}" if detail else "")
        )
    lines = done.stdout.splitlines()
    password = lines[0] if lines else ""
    if not password:
        raise AccountError(f"password_command {args[0]} printed no password")
    return password


def open_backend(
    account: AccountConfig, ask: Callable[[str], str] | None = None, timeout: float = 20.0
) -> Backend:
    """A backend for the configured account (its password is fetched now)."""
    password = password_for(account, ask)
    if account.kind == "fever":
        from newsreader.sources.fever import FeverClient

        return FeverClient(account.url, account.username, password, timeout=timeout)
    raise AccountError(f"unknown account kind {account.kind!r}")
