"""Keeping the cache's feed list in step with the config."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsreader.config import load_config
from newsreader.context import open_context, sync_sources
from newsreader.model import FeedKind, NewArticle
from newsreader.sources.stored import BUNDLED_URL


def write_config(path: Path, feeds: list[str], folder: Path | None = None) -> None:
    text = "[settings]\nrefresh_on_start = false\n"
    for url in feeds:
        text += f'\n[[feeds]]\nurl = "{url}"\ntags = ["t"]\n'
    if folder is not None:
        text += f'\n[[stored]]\npath = "{folder}"\ntitle = "Saved"\n'
    path.write_text(text, "utf-8")


def test_feeds_follow_the_config_and_keep_their_articles(tmp_path: Path) -> None:
    config_file = tmp_path / "feeds.toml"
    folder = tmp_path / "saved"
    folder.mkdir()
    write_config(config_file, ["https://a.example/feed", "https://b.example/feed"], folder)
    ctx = open_context(str(config_file), str(tmp_path / "cache.db"))
    store = ctx.store
    urls = {f.url: f for f in store.feeds()}
    assert {"https://a.example/feed", "https://b.example/feed", BUNDLED_URL} <= urls.keys()
    assert urls[folder.resolve().as_uri()].kind is FeedKind.STORED
    assert urls["https://a.example/feed"].title == "a.example"

    b = urls["https://b.example/feed"]
    published = datetime(2026, 1, 1, tzinfo=UTC)
    store.upsert_articles(b.id, [NewArticle(key="x", title="Kept", published=published)])
    (kept_id,) = [a.id for a in store.list_articles() if a.title == "Kept"]
    store.set_starred([kept_id])
    store.set_feed_title(b.id, "Title from the feed")

    write_config(config_file, ["https://a.example/feed"])
    sync_sources(store, load_config(config_file))
    active = {f.url for f in store.feeds()}
    assert "https://b.example/feed" not in active
    assert folder.resolve().as_uri() not in active
    assert BUNDLED_URL in active
    # A removed feed's articles stay in the cache but are hidden from every list.
    assert "Kept" not in [a.title for a in store.list_articles()]
    hidden = store.article(kept_id)
    assert hidden is not None and hidden.starred

    write_config(config_file, ["https://a.example/feed", "https://b.example/feed"])
    sync_sources(store, load_config(config_file))
    again = store.feed_by_url("https://b.example/feed")
    assert again is not None and again.active and again.title == "Title from the feed"
    (kept,) = [a for a in store.list_articles() if a.title == "Kept"]
    assert kept.starred
    ctx.close()


def test_guide_is_imported_once_per_version(tmp_path: Path) -> None:
    config_file = tmp_path / "feeds.toml"
    write_config(config_file, [])
    ctx = open_context(str(config_file), str(tmp_path / "cache.db"))
    store = ctx.store
    first = store.list_articles()
    assert len(first) >= 2
    store.set_read([first[0].id])
    store.set_starred([first[1].id])
    sync_sources(store, ctx.config)
    store.set_meta("bundled_version", "0.0.0")  # as after an upgrade
    sync_sources(store, ctx.config)
    after = {a.id: a for a in store.list_articles()}
    assert after.keys() == {a.id for a in first}
    assert after[first[0].id].read and after[first[1].id].starred
    ctx.close()
