"""Helpers for the app's tests: fixed articles, a config without network feeds, a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsreader.config import Config, load_config
from newsreader.model import ContentType, FeedKind, NewArticle
from newsreader.store import Store

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

BODY = """Opening paragraph of the article with a [first link](https://example.com/one).

## First Section

Text of the first section. {filler}

## Second Section

More text, and [another link](https://example.org/two). {filler}

### A Subsection

Deeper text. {filler}

## Last Section

The end. {filler}
"""


def write_config(path: Path, feeds: str = "", **settings: object) -> Config:
    """A config without network feeds (unless ``feeds`` adds some); no refresh on start."""
    values = {"refresh_on_start": False, **settings}
    lines = ["[settings]"]
    for key, value in values.items():
        lines.append(f"{key} = {str(value).lower() if isinstance(value, bool) else repr(value)}")
    path.write_text("\n".join(lines) + "\n" + feeds, "utf-8")
    return load_config(path)


def add_articles(store: Store, count: int, feed_url: str = "https://news.example/feed") -> int:
    """``count`` Markdown articles, one hour apart, newest first by number; returns feed id."""
    feed = store.ensure_feed(feed_url, "Example News", FeedKind.FEED, ("world",))
    filler = " ".join(["Words to read."] * 40)
    articles = [
        NewArticle(
            key=f"a{n}",
            title=f"Article number {n}",
            published=NOW - timedelta(hours=n + 1),
            content=BODY.format(filler=filler),
            content_type=ContentType.MARKDOWN,
            body=BODY.format(filler=filler),
            text=f"Article number {n} body words tomahawk{n % 3}",
            author="A. Writer",
            link=f"https://news.example/{n}",
        )
        for n in range(count)
    ]
    store.upsert_articles(feed.id, articles)
    return feed.id


SEED_TIME = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def import_seed(store: Store, shared_dir: Path, tmp_path: Path) -> int:
    """Import the seed article (a copy with a fixed file time); returns its id."""
    import os
    import shutil

    from newsreader.importing import import_paths

    source = shared_dir / "fixtures" / "stored" / "trump-putin-budapest.txt"
    copy = tmp_path / "articles" / source.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, copy)
    os.utime(copy, (SEED_TIME.timestamp(), SEED_TIME.timestamp()))
    report = import_paths(store, [copy])
    assert not report.errors, report.errors
    return store.list_articles(limit=1)[0].id


def write_newer(store: Store, feed_id: int, count: int) -> None:
    """Another connection stores ``count`` articles newer than every listed one."""
    assert store.path is not None
    other = Store.open(store.path)
    try:
        other.upsert_articles(
            feed_id,
            [
                NewArticle(
                    key=f"other{n}",
                    title=f"Written elsewhere {n}",
                    published=NOW + timedelta(minutes=n),
                    content="Text.",
                    content_type=ContentType.MARKDOWN,
                    body="Text.",
                    text="Text.",
                )
                for n in range(count)
            ],
        )
    finally:
        other.close()
