"""The smaller tables of ``feeds.toml``: ``[account]`` (a feed server to sync with),
``[keys]``, ``[[search]]`` (saved searches) and ``[[filter]]`` (rules applied at ingest)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsreader.config.errors import Locator

FILTER_ACTIONS = ("hide", "read", "star")


@dataclass(frozen=True, slots=True)
class AccountConfig:
    """The ``[account]`` table: a feed server to sync with. The password is never stored here:
    it comes from ``password_command``, ``NEWSREADER_PASSWORD`` or a prompt."""

    kind: str  # "fever"
    url: str
    username: str
    password_command: str = ""


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """One ``[[search]]`` entry: a query shown as a feed with its unread count."""

    name: str
    query: str


@dataclass(frozen=True, slots=True)
class FilterRule:
    """One ``[[filter]]`` entry: new articles the query finds are hidden, read or starred."""

    query: str
    action: str = "hide"  # one of FILTER_ACTIONS


def read_account(where: Locator, table: Any) -> AccountConfig:
    if not isinstance(table, dict):
        where.fail("must be a table", "account")
    keys = ("kind", "url", "username", "password_command")
    for key, value in table.items():
        if key not in keys:
            where.fail(f"unknown key (expected {', '.join(keys)})", "account", None, key)
        if not isinstance(value, str):
            where.fail(f"must be a string, got {value!r}", "account", None, key)
    for key in ("kind", "url", "username"):
        if not table.get(key, "").strip():
            where.fail("missing or empty", "account", None, key if key in table else None)
    kind = table["kind"].strip().lower()
    if kind != "fever":
        where.fail(
            f'must be "fever" (the one kind supported), got {kind!r}', "account", None, "kind"
        )
    url = table["url"].strip()
    if not re.match(r"^https?://[^/\s]+", url):
        where.fail(f"must be an http(s):// URL, got {url!r}", "account", None, "url")
    return AccountConfig(
        kind=kind,
        url=url,
        username=table["username"].strip(),
        password_command=table.get("password_command", "").strip(),
    )


def read_keys(where: Locator, table: Any) -> dict[str, str]:
    if not isinstance(table, dict):
        where.fail("must be a table mapping action names to keys", "keys")
    for key, value in table.items():
        if not isinstance(value, str) or not value.strip():
            where.fail(
                'must be a key name or a comma-separated list of keys, e.g. "ctrl+r,f5"',
                "keys",
                None,
                key,
            )
    return {k: v.strip() for k, v in table.items()}


def _query(where: Locator, entry: dict[str, Any], table: str, index: int) -> str:
    from newsreader.search import QueryError, compile_query

    query = entry.get("query")
    if not isinstance(query, str) or not query.strip():
        where.fail(
            'missing or empty; needs a query, e.g. query = "ukraine OR kyiv"',
            table,
            index,
            "query" if "query" in entry else None,
        )
    try:
        compile_query(query)
    except QueryError as error:
        where.fail(str(error), table, index, "query")
    return query.strip()


def read_searches(where: Locator, entries: Any) -> tuple[SavedSearch, ...]:
    result: list[SavedSearch] = []
    seen: set[str] = set()
    for index, entry in enumerate(where.entries(entries, "search", ("name", "query"))):
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            where.fail(
                "missing or empty; every saved search needs a name",
                "search",
                index,
                "name" if "name" in entry else None,
            )
        name = " ".join(name.split())
        if name.casefold() in seen:
            where.fail(f"a saved search named {name!r} is listed twice", "search", index, "name")
        seen.add(name.casefold())
        result.append(SavedSearch(name=name, query=_query(where, entry, "search", index)))
    return tuple(result)


def read_filters(where: Locator, entries: Any) -> tuple[FilterRule, ...]:
    result: list[FilterRule] = []
    for index, entry in enumerate(where.entries(entries, "filter", ("query", "action"))):
        action = entry.get("action", "hide")
        if action not in FILTER_ACTIONS:
            where.fail(
                f"must be one of {', '.join(FILTER_ACTIONS)}, got {action!r}",
                "filter",
                index,
                "action",
            )
        result.append(FilterRule(query=_query(where, entry, "filter", index), action=action))
    return tuple(result)
