"""Reading and validating ``feeds.toml``: subscriptions, stored-article folders, settings, keys,
the feed server account, saved searches and filters.

- :mod:`.errors`: :class:`ConfigError` and finding the line of a bad key;
- :mod:`.settings`: ``[settings]``;
- :mod:`.feeds`: ``[[feeds]]`` and ``[[stored]]``;
- :mod:`.sections`: ``[account]``, ``[keys]``, ``[[search]]``, ``[[filter]]``;
- :mod:`.loading`: the whole file into a :class:`Config`, and the packaged default.

Everything is importable from ``newsreader.config``.
"""

from newsreader.config.errors import ConfigError
from newsreader.config.feeds import FeedConfig, StoredConfig
from newsreader.config.loading import Config, default_config_text, ensure_config, load_config
from newsreader.config.sections import FILTER_ACTIONS, AccountConfig, FilterRule, SavedSearch
from newsreader.config.settings import DEFAULT_THEME, IMAGE_MODES, Settings

__all__ = [
    "DEFAULT_THEME",
    "FILTER_ACTIONS",
    "IMAGE_MODES",
    "AccountConfig",
    "Config",
    "ConfigError",
    "FeedConfig",
    "FilterRule",
    "SavedSearch",
    "Settings",
    "StoredConfig",
    "default_config_text",
    "ensure_config",
    "load_config",
]
