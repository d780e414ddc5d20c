"""Opening what every command needs: the config and the cache, kept in step.

The order matters: the config is validated before the cache is opened, so a broken config
changes nothing on disk.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from newsreader import __version__
from newsreader.config import Config, ConfigError, ensure_config, load_config
from newsreader.model import FeedKind
from newsreader.paths import CONFIG_ENV, config_path, db_path
from newsreader.store import Store


@dataclass
class AppContext:
    """The loaded config and the open cache."""

    config: Config
    store: Store

    def close(self) -> None:
        self.store.close()


def open_context(config_file: str | None = None, db_file: str | None = None) -> AppContext:
    """Load the config (copying the default on first run), open the cache, sync sources.

    Raises:
        ConfigError: the config is broken, or a config file named by ``config_file`` or
            ``$NEWSREADER_CONFIG`` does not exist (nothing was written).
        StoreError: the cache cannot be used (it was left as it is).
    """
    path = config_path(config_file)
    named_by = "--config" if config_file else CONFIG_ENV if os.environ.get(CONFIG_ENV) else ""
    if not named_by:
        ensure_config(path)  # only the default location is created on first run
    elif not path.exists():
        raise ConfigError(
            f"{path}: no such config file (named by {named_by}); create it, "
            f"or leave {named_by} out to use the default {config_path_default()}"
        )
    config = load_config(path)
    store = Store.open(db_path(db_file))
    sync_sources(store, config)
    return AppContext(config=config, store=store)


def sync_sources(store: Store, config: Config) -> None:
    """Make the cache's feed list match the config; import the bundled guide once per version.

    Feeds dropped from the config become inactive: their articles (and starred state) stay.
    """
    from newsreader.importing import import_bundled
    from newsreader.sources.stored import BUNDLED_URL, IMPORTED_URL

    known = {feed.url: feed for feed in store.feeds(include_inactive=True, counts=False)}
    for entry in config.feeds:
        feed = known.get(entry.url)
        if (
            feed is None
            or not feed.active
            or feed.tags != entry.tags
            or (entry.title and feed.title != entry.title)
        ):
            # A feed without a configured title keeps the one its refreshes found.
            title = entry.title or ("" if feed else title_from_url(entry.url))
            store.ensure_feed(entry.url, title, FeedKind.FEED, entry.tags)
    for folder in config.stored:
        url = folder.url
        feed = known.get(url)
        if (
            feed is None
            or not feed.active
            or feed.tags != folder.tags
            or feed.title != folder.title
        ):
            store.ensure_feed(url, folder.title, FeedKind.STORED, folder.tags)
    wanted = {
        FeedKind.FEED: {f.url for f in config.feeds},
        FeedKind.STORED: {f.url for f in config.stored} | {IMPORTED_URL, BUNDLED_URL},
    }
    for kind, urls in wanted.items():
        if any(f.kind is kind and f.active and f.url not in urls for f in known.values()):
            store.deactivate_feeds_except(urls, kind)
    if store.get_meta("bundled_version") != __version__:
        import_bundled(store)
        store.set_meta("bundled_version", __version__)


def title_from_url(url: str) -> str:
    """A feed's name until it has one of its own: its host, else its file name."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.netloc or Path(parts.path).name or url


def config_path_default() -> Path:
    """The config file used when neither ``--config`` nor ``$NEWSREADER_CONFIG`` names one."""
    from platformdirs import user_config_path

    from newsreader.paths import APP_NAME

    return user_config_path(APP_NAME) / "feeds.toml"


def unique_title(
    store: Store,
    title: str,
    exclude_id: int | None = None,
    titles: Mapping[int, str] | None = None,
) -> str:
    """``title``, or ``title (2)``, ``(3)``… if another subscribed feed already has that name.

    Names compare without regard to case; ``exclude_id`` is the feed being named itself.
    ``titles`` (feed id -> title of every feed), when given, saves reading the feeds.
    """
    if titles is None:
        titles = {feed.id: feed.title for feed in store.feeds(counts=False)}
    taken = {name.casefold() for feed_id, name in titles.items() if feed_id != exclude_id}
    name, number = title, 2
    while name.casefold() in taken:
        name, number = f"{title} ({number})", number + 1
    return name
