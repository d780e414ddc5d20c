"""Opening what every command needs: the config and the cache, kept in step.

The order matters: the config is validated before the cache is opened, so a broken config
changes nothing on disk.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from newsreader import __version__
from newsreader.config import Config, ConfigError, ensure_config, load_config
from newsreader.model import FeedKind
from newsreader.paths import CONFIG_ENV, config_path, db_path
from newsreader.store import Store, StoreError

Access = Callable[[Path, int], bool]


@dataclass
class AppContext:
    """The loaded config and the open cache.

    ``warning`` is a line to show the user (the cache is damaged but can still be read);
    ``checked`` is the cache file when it was found (or known) undamaged at opening, so its
    state is recorded as clean when the session ends.
    """

    config: Config
    store: Store
    warning: str = ""
    checked: Path | None = field(default=None, repr=False)
    first_run: bool = False  # the cache was created now: the app opens the newest article

    def close(self) -> None:
        self.store.close()
        if self.checked is not None:
            from newsreader.store.integrity import record_clean

            record_clean(self.checked)


def open_context(
    config_file: str | None = None,
    db_file: str | None = None,
    *,
    writes: bool = True,
    action: str = "change it",
    access: Access = os.access,
    check: bool = True,
) -> AppContext:
    """Load the config (copying the default on first run), open the cache, sync sources.

    A cache that cannot be written (a read-only file or folder) or that is damaged is opened
    read-only: a command that only reads (``writes=False``) goes on (with a warning if
    damaged); one that writes is refused, saying why it cannot ``action``. ``access`` is
    :func:`os.access` (tests pass their own answer).

    With ``check=False`` (the app, which checks in a worker after its first paint) a file
    changed since its last clean check is opened without checking it; the caller then runs
    :func:`verify_cache` before its first write.

    Raises:
        ConfigError: the config is broken, or a config file named by ``config_file`` or
            ``$NEWSREADER_CONFIG`` does not exist (nothing was written).
        StoreError: the cache cannot be used (it was left as it is); ``CacheDamaged`` if it
            is damaged and the command writes.
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
    cache = db_path(db_file)
    read_only = read_only_reason(cache, access)
    if read_only:
        refusal = f"the cache {cache} is read-only ({read_only})"
        if writes:
            raise StoreError(f"{refusal}: cannot {action}")
        store = Store.open_reader(cache, why=f"{refusal}: cannot save changes")
        return AppContext(config=config, store=store)
    from newsreader.store.integrity import check_cache, is_recorded_clean

    clean = True
    if check:
        damage = check_cache(cache)
        if damage is not None:
            if writes:
                raise damage.error()
            store = Store.open_reader(cache, why=damage.message)
            return AppContext(config=config, store=store, warning=damage.message)
    else:
        clean = not cache.exists() or is_recorded_clean(cache)
    first_run = not cache.exists()
    ctx = AppContext(config=config, store=Store.open(cache), first_run=first_run)
    if clean:
        _remember_clean(ctx)
    sync_sources(ctx.store, config)
    return ctx


def verify_cache(ctx: AppContext) -> str:
    """Check the open cache for damage; "" if it is sound, else the one-line message.

    Plain and blocking: the app runs it in a worker after its first paint and before its
    first write (a refresh included). When the file is damaged a copy is kept, every later
    write through ``ctx.store`` raises :class:`StoreError` with the message, and the message
    is also left in ``ctx.warning``; otherwise the session's writes are recorded as clean.
    """
    from newsreader.store.integrity import check_cache

    path = ctx.store.path
    if path is None or ctx.checked is not None:
        return ""
    damage = check_cache(path)
    if damage is None:
        _remember_clean(ctx)
        return ""
    ctx.store.refuse_writes(damage.message)
    ctx.warning = damage.message
    return damage.message


def _remember_clean(ctx: AppContext) -> None:
    """The file is sound: record it as clean after each commit and when the session ends."""
    from newsreader.store.integrity import record_clean

    checked = ctx.store.path
    if checked is not None:
        ctx.checked = checked
        ctx.store.after_commit(lambda: record_clean(checked))


def read_only_reason(path: Path, access: Access = os.access) -> str:
    """Why the cache at ``path`` cannot be written here ("" if it can, or is to be created).

    SQLite writes beside the file too (its ``-wal`` and ``-shm``), so a read-only folder
    makes the cache read-only unless both already exist and can be written.
    """
    if str(path) == ":memory:" or not path.exists():
        return ""
    if not access(path, os.W_OK):
        return "the file is not writable"
    folder = path.parent
    if not access(folder, os.W_OK):
        extras = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
        if not all(extra.exists() and access(extra, os.W_OK) for extra in extras):
            return f"its folder {folder} is not writable"
    return ""


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
