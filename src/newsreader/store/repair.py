"""Rebuilding a damaged cache from what can still be read, then swapping it in.

The damaged file is never changed: a copy is kept beside it (``newsreader.db.damaged-…``),
and the work is done on another copy in a temporary folder. Rows are read with sqlite3's own
``.recover`` (the ``sqlite3`` command, when installed), else salvaged row by row, each row
alone so that one unreadable page loses only its own rows. Read and starred flags come first:
they are gathered from the table and also from the list indexes, which hold them beside each
article's id, so an article whose table page survived but whose flags' page did not (or the
other way round) keeps its state. The rebuilt file gets the current schema, passes
``PRAGMA integrity_check``, and replaces the damaged one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsreader.store.connection import StoreError, open_writer
from newsreader.store.integrity import find_damage, keep_damaged_copy, record_clean, wal_path

RECOVER_TIMEOUT = 600.0  # seconds for `sqlite3 .recover` on a large cache
# Indexes that hold (id, read, starred) for every article, or for starred ones.
FLAG_INDEXES = ("articles_listing", "articles_unread_listing", "articles_feed_listing")
STARRED_INDEX = "articles_starred_listing"
TABLES = ("feeds", "articles", "meta")


@dataclass
class RepairReport:
    """What a repair read back, and what it could not."""

    path: Path
    damaged_copy: Path
    method: str = ""
    rows: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    read: int = 0
    starred: int = 0
    flags_without_article: int = 0
    placeholder_feeds: int = 0


def repair_cache(path: Path | str, *, sqlite3_cli: str | None = "") -> RepairReport:
    """Rebuild the cache at ``path`` from what can be read and swap the result in.

    ``sqlite3_cli`` is the ``sqlite3`` program ("" finds it on PATH, None never uses it).

    Raises:
        StoreError: there is no file, or no copy of it could be kept, or the rebuilt file
            could not be written (the damaged file is then left as it was).
    """
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"there is no cache at {path} to repair")
    copy = keep_damaged_copy(path)
    if copy is None:
        raise StoreError(f"cannot keep a copy of {path} beside it; nothing was changed")
    report = RepairReport(path=path, damaged_copy=copy)
    cli = shutil.which("sqlite3") if sqlite3_cli == "" else sqlite3_cli
    with tempfile.TemporaryDirectory(prefix=".repair-", dir=path.parent) as work:
        source = Path(work) / "damaged.db"
        shutil.copyfile(copy, source)
        if wal_path(copy).exists():
            shutil.copyfile(wal_path(copy), wal_path(source))
        flags = _index_flags(source)
        tables = None
        if cli:
            tables = _recover_with_cli(cli, source, Path(work) / "recovered.db")
            report.method = "sqlite3 .recover"
        if tables is None:
            tables = {name: list(_salvage(source, name)) for name in TABLES}
            report.method = "row-by-row salvage"
            if cli:
                report.method += f" ({cli} .recover failed)"
        rebuilt = path.with_name(path.name + ".repaired")
        _rebuild(rebuilt, tables, flags, report)
    os.replace(rebuilt, path)
    for base in (path, rebuilt):  # the damaged file's (kept in its copy), the rebuilt's (empty)
        for extra in (wal_path(base), base.with_name(base.name + "-shm")):
            extra.unlink(missing_ok=True)
    record_clean(path)
    return report


# -- reading --------------------------------------------------------------------------------


def _read_only(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    return connection


def _index_flags(source: Path) -> dict[int, tuple[int, int]]:
    """Articles' (read, starred) by id, read from the list indexes alone (first that works)."""
    flags: dict[int, tuple[int, int]] = {}
    with suppress(sqlite3.Error), closing(_read_only(source)) as db:
        for index in (*FLAG_INDEXES, STARRED_INDEX):
            sql = f"SELECT id, read, starred FROM articles INDEXED BY {index}"
            if index == STARRED_INDEX:
                sql += " WHERE starred = 1"
            found: dict[int, tuple[int, int]] = {}
            cursor = db.execute(sql)
            try:
                for row in cursor:
                    found[int(row[0])] = (int(row[1]), int(row[2]))
            except (sqlite3.Error, TypeError, ValueError):
                pass  # keep what this index gave before its damaged page
            for article_id, value in found.items():
                flags.setdefault(article_id, value)
    return flags


def _recover_with_cli(cli: str, source: Path, target: Path) -> dict[str, list[Any]] | None:
    """Run ``sqlite3 SOURCE .recover | sqlite3 TARGET``; the recovered rows, or None."""
    try:
        dump = subprocess.Popen(
            [cli, str(source), ".recover"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        load = subprocess.run(
            [cli, "-bail", str(target)],
            stdin=dump.stdout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=RECOVER_TIMEOUT,
            check=False,
        )
        if dump.stdout is not None:
            dump.stdout.close()
        dump.wait(timeout=RECOVER_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        return None
    if dump.returncode != 0 or load.returncode != 0 or not target.exists():
        return None
    try:
        return {name: list(_salvage(target, name)) for name in TABLES}
    except sqlite3.Error:
        return None


def _salvage(source: Path, table: str) -> Iterator[dict[str, Any]]:
    """Every row of ``table`` that can be read, each fetched alone by its rowid."""
    try:
        db = _read_only(source)
    except sqlite3.Error:
        return
    with closing(db):
        rowids: set[int] = set()
        queries = [f"SELECT rowid FROM {table}"]
        if table == "articles":
            queries += [f"SELECT id FROM articles INDEXED BY {name}" for name in FLAG_INDEXES]
        for sql in queries:
            try:
                for (rowid,) in db.execute(sql):
                    rowids.add(int(rowid))
            except (sqlite3.Error, TypeError, ValueError):
                continue
        for rowid in sorted(rowids):
            try:
                row = db.execute(
                    f"SELECT rowid AS _rowid, * FROM {table} WHERE rowid = ?", (rowid,)
                ).fetchone()
            except sqlite3.Error:
                continue
            if row is not None:
                yield dict(row)


# -- writing --------------------------------------------------------------------------------


def _rebuild(
    target: Path,
    tables: dict[str, list[Any]],
    flags: dict[int, tuple[int, int]],
    report: RepairReport,
) -> None:
    for leftover in (target, wal_path(target), target.with_name(target.name + "-shm")):
        leftover.unlink(missing_ok=True)
    open_writer(target).close()  # the current schema, empty
    db = sqlite3.connect(str(target), isolation_level=None)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("BEGIN IMMEDIATE")
        columns = {name: _columns(db, name) for name in TABLES}
        feed_ids = _insert(db, "feeds", tables["feeds"], columns["feeds"], report)
        for row in tables["articles"]:
            feed_id = row.get("feed_id")
            if isinstance(feed_id, int) and feed_id not in feed_ids:
                _placeholder_feed(db, feed_id)
                feed_ids.add(feed_id)
                report.placeholder_feeds += 1
            article_id = row.get("id")
            if isinstance(article_id, int) and article_id in flags:
                row["read"], row["starred"] = flags[article_id]
        article_ids = _insert(db, "articles", tables["articles"], columns["articles"], report)
        _insert(db, "meta", tables["meta"], columns["meta"], report)
        db.execute("COMMIT")
        report.read = int(db.execute("SELECT count(*) FROM articles WHERE read").fetchone()[0])
        report.starred = int(
            db.execute("SELECT count(*) FROM articles WHERE starred").fetchone()[0]
        )
        report.flags_without_article = len(set(flags) - article_ids)
        problems = db.execute("PRAGMA integrity_check").fetchall()
        if problems != [("ok",)]:
            raise StoreError(f"the rebuilt cache {target} is not sound: {problems[:3]}")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as error:
        raise StoreError(f"cannot write the rebuilt cache {target}: {error}") from error
    finally:
        db.close()
    if find_damage(target) is not None:
        raise StoreError(f"the rebuilt cache {target} is not sound")


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [str(row[1]) for row in db.execute(f"PRAGMA table_info({table})")]


def _insert(
    db: sqlite3.Connection,
    table: str,
    rows: list[dict[str, Any]],
    columns: list[str],
    report: RepairReport,
) -> set[int]:
    """Insert what fits the current schema; rows that break a constraint are counted apart."""
    ids: set[int] = set()
    kept = skipped = 0
    for row in rows:
        names = [c for c in columns if c in row]
        if table != "meta" and "id" not in names and isinstance(row.get("_rowid"), int):
            row["id"] = row["_rowid"]
            names.append("id")
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
        try:
            db.execute("SAVEPOINT one")
            db.execute(sql, [row[name] for name in names])
            db.execute("RELEASE one")
        except sqlite3.Error:
            db.execute("ROLLBACK TO one")
            db.execute("RELEASE one")
            skipped += 1
            continue
        kept += 1
        if isinstance(row.get("id"), int):
            ids.add(row["id"])
    report.rows[table] = kept
    report.skipped[table] = skipped
    return ids


def _placeholder_feed(db: sqlite3.Connection, feed_id: int) -> None:
    """A hidden feed for articles whose feed row was lost (a refresh re-links nothing to it,
    but their read/starred state and text stay)."""
    db.execute(
        "INSERT OR IGNORE INTO feeds (id, url, title, kind, active) VALUES (?, ?, ?, 'feed', 0)",
        (feed_id, f"newsreader:recovered-feed/{feed_id}", f"Recovered feed {feed_id}"),
    )
