"""Storing article files: ``import`` into "Imported articles", ``[[stored]]`` folder rescans
and the bundled guide.

Reading and parsing the files is :mod:`newsreader.sources.stored`'s job; this module puts
what it read into the cache, beside :mod:`newsreader.refresh`, which does the same for feeds.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newsreader.model import FeedKind
from newsreader.sources.stored import (
    BUNDLED_TITLE,
    BUNDLED_URL,
    IMPORTED_TITLE,
    IMPORTED_URL,
    SUFFIXES,
    ImportReport,
    import_candidates,
    iter_article_files,
    read_files,
)
from newsreader.store import Store


def import_paths(store: Store, paths: Iterable[Path]) -> ImportReport:
    """Import files and folders into the "Imported articles" source.

    Unreadable files are reported in the result and skipped; the rest are stored.
    """
    report = ImportReport()
    found: list[tuple[Path, str]] = []
    for path in paths:
        files, error = import_candidates(path)
        if error:
            report.errors.append(error)
        elif not files:
            report.errors.append(
                f"{path}: no article files in this folder (newsreader imports "
                f"{', '.join(sorted(SUFFIXES))} files; hidden files and folders are skipped)"
            )
        found.extend(files)
    articles = read_files(found, report)
    if articles:
        feed = store.ensure_feed(IMPORTED_URL, IMPORTED_TITLE, FeedKind.STORED)
        report.counts = store.upsert_articles(feed.id, articles)
    return report


def scan_folder(store: Store, feed_id: int, root: Path) -> ImportReport:
    """Bring a stored-article folder's source up to date: new, changed and removed files.

    Files that cannot be read keep whatever the cache had for them. Removed files' articles
    are dropped unless starred. A missing folder is an error and removes nothing.
    """
    report = ImportReport()
    if not root.is_dir():
        report.errors.append(f"{root}: folder not found")
        return report
    found = [(path, str(path.relative_to(root))) for path in iter_article_files(root)]
    articles = read_files(found, report)
    failed = {key for path, key in found if key not in {a.key for a in articles}}
    report.counts = store.upsert_articles(feed_id, articles, remove_missing=True, keep=failed)
    return report


def import_bundled(store: Store) -> ImportReport:
    """Import the articles that ship with newsreader (the guide) into their own source."""
    from importlib import resources

    report = ImportReport()
    folder = resources.files("newsreader.data").joinpath("articles")
    with resources.as_file(folder) as root:
        found = [(path, path.name) for path in iter_article_files(Path(root))]
        articles = read_files(found, report)
    feed = store.ensure_feed(BUNDLED_URL, BUNDLED_TITLE, FeedKind.STORED, tags=())
    report.counts = store.upsert_articles(feed.id, articles, remove_missing=True)
    return report
