"""Reading and validating ``feeds.toml``: subscriptions, stored-article folders, settings, keys.

A broken file gives one :class:`ConfigError` naming the file, the line and the key; loading
never writes anything.
"""

from __future__ import annotations

import math
import re
import shutil
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, NoReturn

DEFAULT_THEME = "textual-dark"


class ConfigError(Exception):
    """The config file cannot be used; the message names the file, line and key."""


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """One ``[[feeds]]`` entry."""

    url: str
    title: str = ""
    tags: tuple[str, ...] = ()
    retention: int | None = None
    # Fetch each article's page for its full text: always, never, or "auto" (when the
    # entry carries only a short summary or a "Read more" teaser). Off unless asked for.
    full_text: bool | Literal["auto"] = False


@dataclass(frozen=True, slots=True)
class StoredConfig:
    """One ``[[stored]]`` entry: a folder of article files scanned on every refresh."""

    path: Path
    title: str = ""
    tags: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        """The folder's identity in the cache."""
        return self.path.resolve().as_uri()


@dataclass(frozen=True, slots=True)
class Settings:
    """The ``[settings]`` table."""

    refresh_on_start: bool = True
    theme: str = DEFAULT_THEME
    concurrency: int = 16
    per_host: int = 4
    timeout: float = 20.0
    retention: int | None = None
    show_outline: bool = True
    images: str = "auto"  # one of IMAGE_MODES
    prefetch_images: bool = False


IMAGE_MODES = ("auto", "kitty", "sixel", "blocks", "off")
FILTER_ACTIONS = ("hide", "read", "star")


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


@dataclass(frozen=True, slots=True)
class AccountConfig:
    """The ``[account]`` table: a feed server to sync with. The password is never stored here:
    it comes from ``password_command``, ``NEWSREADER_PASSWORD`` or a prompt."""

    kind: str  # "fever"
    url: str
    username: str
    password_command: str = ""


@dataclass(frozen=True, slots=True)
class Config:
    """The whole configuration, loaded once."""

    path: Path
    feeds: tuple[FeedConfig, ...] = ()
    stored: tuple[StoredConfig, ...] = ()
    settings: Settings = field(default_factory=Settings)
    keys: dict[str, str] = field(default_factory=dict)
    account: AccountConfig | None = None
    searches: tuple[SavedSearch, ...] = ()
    filters: tuple[FilterRule, ...] = ()


def default_config_text() -> str:
    """The packaged default ``feeds.toml``."""
    return resources.files("newsreader.data").joinpath("feeds.toml").read_text("utf-8")


def ensure_config(path: Path) -> bool:
    """Copy the packaged default config to ``path`` if no file is there; True if copied."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    with resources.as_file(resources.files("newsreader.data").joinpath("feeds.toml")) as src:
        shutil.copyfile(src, path)
    return True


def load_config(path: Path) -> Config:
    """Read and validate the config at ``path``.

    Raises:
        ConfigError: the file cannot be read, is not valid TOML, or has a bad value.
    """
    try:
        text = path.read_text("utf-8-sig")  # a byte order mark (Windows editors) is fine
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the config file: {error}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from None
    return _Validator(path, text).config(data)


_TABLE_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(?:#.*)?$")


def _of_type(value: Any, expected: tuple[type, ...]) -> bool:
    """Whether a TOML value is one of ``expected`` (a bool is not taken for an int)."""
    if isinstance(value, bool) and bool not in expected:
        return False
    return isinstance(value, expected)


class _Validator:
    """Turns parsed TOML into a :class:`Config`, locating bad keys by line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def line_of(self, table: str, index: int | None, key: str | None) -> int | None:
        """The 1-based line of ``key`` in the ``index``-th ``[table]``/``[[table]]``."""
        seen = -1
        inside = table == ""
        for number, line in enumerate(self.lines, start=1):
            header = _TABLE_HEADER.match(line)
            if header and not line.lstrip().startswith("#"):
                name = header.group(1).strip().strip("\"'")
                if name == table:
                    seen += 1
                    inside = index is None or seen == index
                    if inside and key is None:
                        return number
                else:
                    inside = False
                continue
            if inside and key is not None:
                stripped = line.lstrip()
                if re.match(rf"[\"']?{re.escape(key)}[\"']?\s*=", stripped):
                    return number
        return None

    def fail(
        self, message: str, table: str, index: int | None = None, key: str | None = None
    ) -> NoReturn:
        line = self.line_of(table, index, key)
        where = f"{self.path}, line {line}" if line else str(self.path)
        name = table if index is None else f"{table}[{index + 1}]"
        if key:
            name = f"{name}.{key}" if name else key
        raise ConfigError(f"{where}: {name}: {message}")

    def config(self, data: dict[str, Any]) -> Config:
        known = {"settings", "feeds", "stored", "keys", "account", "search", "filter"}
        for key in data:
            if key not in known:
                self.fail(
                    f"unknown key (expected one of {', '.join(sorted(known))})", "", None, key
                )
        settings = self.settings(data.get("settings", {}))
        feeds = self.feeds(data.get("feeds", []))
        stored = self.stored(data.get("stored", []))
        keys = self.keys(data.get("keys", {}))
        account = self.account(data["account"]) if "account" in data else None
        return Config(
            path=self.path,
            feeds=feeds,
            stored=stored,
            settings=settings,
            keys=keys,
            searches=self.searches(data.get("search", [])),
            filters=self.filters(data.get("filter", [])),
            account=account,
        )

    def account(self, table: Any) -> AccountConfig:
        if not isinstance(table, dict):
            self.fail("must be a table", "account")
        keys = ("kind", "url", "username", "password_command")
        for key, value in table.items():
            if key not in keys:
                self.fail(f"unknown key (expected {', '.join(keys)})", "account", None, key)
            if not isinstance(value, str):
                self.fail(f"must be a string, got {value!r}", "account", None, key)
        for key in ("kind", "url", "username"):
            if not table.get(key, "").strip():
                self.fail("missing or empty", "account", None, key if key in table else None)
        kind = table["kind"].strip().lower()
        if kind != "fever":
            self.fail(f'must be "fever" (the one kind supported), got {kind!r}', "account", None, "kind")
        url = table["url"].strip()
        if not re.match(r"^https?://[^/\s]+", url):
            self.fail(f"must be an http(s):// URL, got {url!r}", "account", None, "url")
        return AccountConfig(
            kind=kind,
            url=url,
            username=table["username"].strip(),
            password_command=table.get("password_command", "").strip(),
        )

    def settings(self, table: Any) -> Settings:
        if not isinstance(table, dict):
            self.fail("must be a table", "settings")
        defaults = Settings()
        values: dict[str, Any] = {}
        types: dict[str, tuple[type, ...]] = {
            "refresh_on_start": (bool,),
            "theme": (str,),
            "concurrency": (int,),
            "per_host": (int,),
            "timeout": (int, float),
            "retention": (int,),
            "show_outline": (bool,),
            "images": (str,),
            "prefetch_images": (bool,),
        }
        for key, value in table.items():
            if key not in types:
                self.fail(f"unknown setting (known: {', '.join(types)})", "settings", None, key)
            expected = types[key]
            if not _of_type(value, expected):
                self.fail(
                    f"must be {' or '.join(t.__name__ for t in expected)}, got {value!r}",
                    "settings",
                    None,
                    key,
                )
            if key == "timeout" and not math.isfinite(value):
                self.fail(
                    f"must be a finite number of seconds, got {value!r}", "settings", None, key
                )
            if key in ("concurrency", "per_host", "retention", "timeout") and value <= 0:
                self.fail(f"must be greater than 0, got {value!r}", "settings", None, key)
            if key == "images" and value not in IMAGE_MODES:
                self.fail(
                    f"must be one of {', '.join(IMAGE_MODES)}, got {value!r}", "settings", None, key
                )
            values[key] = float(value) if key == "timeout" else value
        return Settings(**{**{k: getattr(defaults, k) for k in types}, **values})

    def tags(self, value: Any, table: str, index: int) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
            self.fail("must be a list of non-empty strings", table, index, "tags")
        return tuple(t.strip() for t in value)

    def feeds(self, entries: Any) -> tuple[FeedConfig, ...]:
        if not isinstance(entries, list):
            self.fail("must be an array of tables ([[feeds]])", "feeds")
        result: list[FeedConfig] = []
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                self.fail("must be a table", "feeds", index)
            for key in entry:
                if key not in ("url", "title", "tags", "retention", "full_text"):
                    self.fail(
                        "unknown key (expected url, title, tags, retention, full_text)",
                        "feeds",
                        index,
                        key,
                    )
            url = entry.get("url")
            if url is not None and not isinstance(url, str):
                self.fail(f"must be a string, got {url!r}", "feeds", index, "url")
            if not isinstance(url, str) or not url.strip():
                self.fail(
                    "missing or empty; every feed needs a url",
                    "feeds",
                    index,
                    "url" if "url" in entry else None,
                )
            url = url.strip()
            if not re.match(r"^(https?|file)://", url) and not url.startswith(("/", "~", ".")):
                self.fail(
                    f"must be an http(s):// or file:// URL or a path, got {url!r}",
                    "feeds",
                    index,
                    "url",
                )
            if url in seen:
                self.fail(f"{url} is listed twice", "feeds", index, "url")
            seen.add(url)
            title = entry.get("title", "")
            if not isinstance(title, str):
                self.fail("must be a string", "feeds", index, "title")
            retention = entry.get("retention")
            if retention is not None and (
                isinstance(retention, bool) or not isinstance(retention, int) or retention <= 0
            ):
                self.fail("must be a positive integer", "feeds", index, "retention")
            full_text = entry.get("full_text", False)
            if not isinstance(full_text, bool) and full_text != "auto":
                self.fail(
                    f'must be "auto", true or false, got {full_text!r}', "feeds", index, "full_text"
                )
            result.append(
                FeedConfig(
                    url=url,
                    title=title.strip(),
                    tags=self.tags(entry.get("tags", []), "feeds", index),
                    retention=retention,
                    full_text=full_text,
                )
            )
        return tuple(result)

    def stored(self, entries: Any) -> tuple[StoredConfig, ...]:
        if not isinstance(entries, list):
            self.fail("must be an array of tables ([[stored]])", "stored")
        result: list[StoredConfig] = []
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                self.fail("must be a table", "stored", index)
            for key in entry:
                if key not in ("path", "title", "tags"):
                    self.fail("unknown key (expected path, title, tags)", "stored", index, key)
            raw = entry.get("path")
            if raw is not None and not isinstance(raw, str):
                self.fail(f"must be a string, got {raw!r}", "stored", index, "path")
            if not isinstance(raw, str) or not raw.strip():
                self.fail(
                    "missing or empty; every stored folder needs a path",
                    "stored",
                    index,
                    "path" if "path" in entry else None,
                )
            path = Path(raw.strip()).expanduser()
            if not path.is_absolute():
                path = (self.path.parent / path).resolve()
            title = entry.get("title", "")
            if not isinstance(title, str):
                self.fail("must be a string", "stored", index, "title")
            result.append(
                StoredConfig(
                    path=path,
                    title=title.strip() or path.name,
                    tags=self.tags(entry.get("tags", []), "stored", index),
                )
            )
        return tuple(result)

    def keys(self, table: Any) -> dict[str, str]:
        if not isinstance(table, dict):
            self.fail("must be a table mapping action names to keys", "keys")
        for key, value in table.items():
            if not isinstance(value, str) or not value.strip():
                self.fail(
                    'must be a key name or a comma-separated list of keys, e.g. "ctrl+r,f5"',
                    "keys",
                    None,
                    key,
                )
        return {k: v.strip() for k, v in table.items()}

    def _query(self, entry: dict[str, Any], table: str, index: int) -> str:
        from newsreader.search import QueryError, compile_query

        query = entry.get("query")
        if not isinstance(query, str) or not query.strip():
            self.fail(
                'missing or empty; needs a query, e.g. query = "ukraine OR kyiv"',
                table,
                index,
                "query" if "query" in entry else None,
            )
        try:
            compile_query(query)
        except QueryError as error:
            self.fail(str(error), table, index, "query")
        return query.strip()

    def _entries(self, entries: Any, table: str, allowed: tuple[str, ...]) -> list[dict[str, Any]]:
        if not isinstance(entries, list):
            self.fail(f"must be an array of tables ([[{table}]])", table)
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                self.fail("must be a table", table, index)
            for key in entry:
                if key not in allowed:
                    self.fail(f"unknown key (expected {', '.join(allowed)})", table, index, key)
        return entries

    def searches(self, entries: Any) -> tuple[SavedSearch, ...]:
        result: list[SavedSearch] = []
        seen: set[str] = set()
        for index, entry in enumerate(self._entries(entries, "search", ("name", "query"))):
            name = entry.get("name")
            if not isinstance(name, str) or not name.strip():
                self.fail(
                    "missing or empty; every saved search needs a name",
                    "search",
                    index,
                    "name" if "name" in entry else None,
                )
            name = " ".join(name.split())
            if name.casefold() in seen:
                self.fail(f"a saved search named {name!r} is listed twice", "search", index, "name")
            seen.add(name.casefold())
            result.append(SavedSearch(name=name, query=self._query(entry, "search", index)))
        return tuple(result)

    def filters(self, entries: Any) -> tuple[FilterRule, ...]:
        result: list[FilterRule] = []
        for index, entry in enumerate(self._entries(entries, "filter", ("query", "action"))):
            action = entry.get("action", "hide")
            if action not in FILTER_ACTIONS:
                self.fail(
                    f"must be one of {', '.join(FILTER_ACTIONS)}, got {action!r}",
                    "filter",
                    index,
                    "action",
                )
            result.append(FilterRule(query=self._query(entry, "filter", index), action=action))
        return tuple(result)
