"""Loading ``feeds.toml`` into a :class:`Config`, and the packaged default file.

A broken file gives one :class:`~newsreader.config.errors.ConfigError` naming the file, the
line and the key; loading never writes anything.
"""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from newsreader.config.errors import ConfigError, Locator
from newsreader.config.feeds import FeedConfig, StoredConfig, read_feeds, read_stored
from newsreader.config.sections import (
    AccountConfig,
    FilterRule,
    SavedSearch,
    read_account,
    read_filters,
    read_keys,
    read_searches,
)
from newsreader.config.settings import Settings, read_settings

TABLES = ("settings", "feeds", "stored", "keys", "account", "search", "filter")


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
    return config_from(Locator(path, text), data)


def config_from(where: Locator, data: dict[str, Any]) -> Config:
    """Parsed TOML checked, table by table, into a :class:`Config`."""
    for key in data:
        if key not in TABLES:
            where.fail(f"unknown key (expected one of {', '.join(sorted(TABLES))})", "", None, key)
    settings = read_settings(where, data.get("settings", {}))
    feeds = read_feeds(where, data.get("feeds", []))
    stored = read_stored(where, data.get("stored", []))
    keys = read_keys(where, data.get("keys", {}))
    account = read_account(where, data["account"]) if "account" in data else None
    return Config(
        path=where.path,
        feeds=feeds,
        stored=stored,
        settings=settings,
        keys=keys,
        searches=read_searches(where, data.get("search", [])),
        filters=read_filters(where, data.get("filter", [])),
        account=account,
    )
