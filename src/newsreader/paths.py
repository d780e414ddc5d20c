"""Where newsreader keeps its files: command-line flags, then environment, then platformdirs."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "newsreader"
CONFIG_ENV = "NEWSREADER_CONFIG"
DB_ENV = "NEWSREADER_DB"


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The config file: ``--config``, else ``$NEWSREADER_CONFIG``, else the user config dir."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV]).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "feeds.toml"


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The cache file: ``--db``, else ``$NEWSREADER_DB``, else the user data dir."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME) / "newsreader.db"
