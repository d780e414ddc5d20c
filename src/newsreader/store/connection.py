"""Opening the cache file: a writer that migrates, or a read-only reader that never writes.

A :class:`Database` wraps one SQLite connection with the lock that makes it safe to share
between threads. Rows come back as :class:`sqlite3.Row`, read by column name.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from newsreader.ingest import MARKDOWN_VERSION
from newsreader.store.headings import headings_of
from newsreader.store.schema import MIGRATIONS, SCHEMA_VERSION

APPLICATION_ID = 0x4E525344  # "NRSD": marks the file as a newsreader cache
BUSY_TIMEOUT = 10.0  # seconds a writer waits for another writer


class StoreError(Exception):
    """The cache cannot be opened or used; the message says why and what to do."""


class Database:
    """One connection to the cache. Each call is one short statement or transaction."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None, *, read_only: bool):
        connection.row_factory = sqlite3.Row
        self._db = connection
        self._lock = threading.RLock()
        self.path = path
        self.read_only = read_only
        self.refusal = (
            f"the cache {path} is open read-only here; writes go through a writer"
            if read_only
            else ""
        )
        self._after_commit: Callable[[], None] | None = None
        # New articles are indexed for search at the end of the open batch (.deferred_index).
        self.defer_indexing = False

    def after_commit(self, hook: Callable[[], None] | None) -> None:
        """Call ``hook`` after each committed write transaction (None: stop)."""
        self._after_commit = hook

    @property
    def in_transaction(self) -> bool:
        """Whether this connection has a transaction open (in the calling thread's call)."""
        return self._db.in_transaction

    def refuse_writes(self, reason: str) -> None:
        """From now on every write raises :class:`StoreError` with ``reason`` (damage found)."""
        self.refusal = reason

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back whole if anything inside fails.

        Nested in another (a batch of several feeds' writes), it is a savepoint: a failure
        inside undoes only its own writes, and the outer transaction goes on. The
        ``after_commit`` hook runs once, after the outermost transaction commits.
        """
        if self.refusal:
            raise StoreError(self.refusal)
        with self._lock:
            if self._db.in_transaction:
                # Inside a batch (:meth:`batch`): a savepoint, undone alone if this part fails.
                self._db.execute("SAVEPOINT part")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK TO part")
                    self._db.execute("RELEASE part")
                    raise
                else:
                    self._db.execute("RELEASE part")
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
                if self._after_commit is not None:
                    with suppress(OSError):  # the write itself is done
                        self._after_commit()

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that all see the file as it was at the first of them (one read transaction:
        writers go on beside it, in WAL)."""
        with self._lock:
            if self._db.in_transaction:
                yield
                return
            self._db.execute("BEGIN")
            try:
                yield
            finally:
                self._db.execute("COMMIT")

    def query(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Sequence[object] = ()) -> sqlite3.Row | None:
        with self._lock:
            row: sqlite3.Row | None = self._db.execute(sql, params).fetchone()
            return row

    def scalar(self, sql: str, params: Sequence[object] = ()) -> int:
        """The integer in the first column of the first row (a count, a pragma)."""
        row = self.query_one(sql, params)
        assert row is not None, sql
        return int(row[0])

    def tuples(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Every row as a plain tuple, for wide scans whose columns the caller names in SQL."""
        with self._lock:
            cursor = self._db.execute(sql, params)
            cursor.row_factory = None
            rows: list[tuple[Any, ...]] = cursor.fetchall()
            return rows


def open_writer(path: Path | str) -> Database:
    """Open (creating if needed) the cache at ``path`` and bring its schema up to date.

    Raises:
        StoreError: the file is not a newsreader cache, is damaged, or was written by a
            newer version. The file is left as it is.
    """
    path = Path(path)
    memory = str(path) == ":memory:"
    if not memory:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create the cache folder {path.parent}: {error}") from error
    try:
        connection = sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT
        )
    except sqlite3.Error as error:
        raise StoreError(f"cannot open the cache {path}: {error}") from error
    db = Database(connection, None if memory else path, read_only=False)
    try:
        _prepare_writer(db)
    except sqlite3.DatabaseError as error:
        db.close()
        raise StoreError(
            f"the cache {path} is damaged or not a newsreader cache ({error}); "
            "move it aside or pass --db to use another file"
        ) from error
    except StoreError:
        db.close()
        raise
    return db


def open_reader(path: Path | str, *, why: str = "") -> Database:
    """Open an existing, current cache read-only: it never migrates, creates or writes.

    ``why`` (e.g. "the file is read-only") replaces the message of a refused write. When the
    folder cannot hold the WAL's shared-memory file (a read-only folder), the file is opened
    as immutable: nobody can be writing it there.

    Raises:
        StoreError: the file is missing, not a newsreader cache, or its schema is not the
            one this version writes (open it once with a writer to migrate it).
    """
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"the cache {path} does not exist; open it with a writer first")
    immutable = not _folder_writable(path) and not Path(f"{path}-shm").exists()
    uri = f"{path.absolute().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    try:
        connection = sqlite3.connect(
            uri, uri=True, check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT
        )
    except sqlite3.Error as error:
        raise StoreError(f"cannot open the cache {path} for reading: {error}") from error
    db = Database(connection, path, read_only=True)
    if why:
        db.refuse_writes(why)
    try:
        connection.execute("PRAGMA query_only = 1")
        version = db.scalar("PRAGMA user_version")
        app_id = db.scalar("PRAGMA application_id")
    except sqlite3.OperationalError as error:
        db.close()
        raise StoreError(f"cannot read the cache {path}: {error}") from error
    except sqlite3.DatabaseError as error:
        db.close()
        raise StoreError(
            f"the cache {path} is damaged or not a newsreader cache ({error})"
        ) from error
    if app_id != APPLICATION_ID:
        db.close()
        raise StoreError(f"{path} is not a newsreader cache")
    if version != SCHEMA_VERSION:
        db.close()
        raise StoreError(
            f"the cache {path} has schema {version} but this version reads schema "
            f"{SCHEMA_VERSION}; a read-only connection cannot migrate it (open it with a writer)"
        )
    return db


def _folder_writable(path: Path) -> bool:
    return os.access(path.parent if str(path.parent) else Path("."), os.W_OK)


def backup_path(path: Path, version: int) -> Path:
    """Where the copy taken before migrating a cache of schema ``version`` goes."""
    return path.with_name(f"{path.name}.bak-v{version}")


def backup_before_migration(db: Database, version: int) -> Path | None:
    """Copy the cache (sqlite's backup API, a consistent snapshot) before migrating it."""
    if db.path is None or version == 0:
        return None
    target = backup_path(db.path, version)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    copy = sqlite3.connect(str(partial))
    try:
        with db._lock:
            db._db.backup(copy)
    finally:
        copy.close()
    os.replace(partial, target)
    return target


def _prepare_writer(db: Database) -> None:
    # Reading the header first makes a non-database file fail here, before any write.
    version = db.scalar("PRAGMA user_version")
    app_id = db.scalar("PRAGMA application_id")
    tables = db.scalar("SELECT count(*) FROM sqlite_master")
    where = db.path or ":memory:"
    if tables and app_id != APPLICATION_ID:
        raise StoreError(
            f"{where} is an SQLite file but not a newsreader cache; pass --db to use another file"
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the cache {where} was written by a newer newsreader (schema {version}, "
            f"this version reads up to {SCHEMA_VERSION}); upgrade newsreader or pass --db"
        )
    with db._lock:  # migrations fill the headings column with it
        db._db.create_function("newsreader_headings", 3, headings_of, deterministic=True)
    if db.path is not None:
        db.query("PRAGMA journal_mode = WAL")
    db.query("PRAGMA foreign_keys = ON")
    db.query("PRAGMA synchronous = NORMAL")
    if version < SCHEMA_VERSION:
        try:
            backup_before_migration(db, version)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(
                f"cannot back up the cache {where} before updating its schema: {error}; "
                "nothing was changed"
            ) from error
        _migrate(db)
        # A full check reads the whole file, so it runs only when the schema changes;
        # damage found later surfaces as sqlite3.DatabaseError, which callers report.
        row = db.query_one("PRAGMA quick_check(1)")
        check = "" if row is None else str(row[0])
        if check != "ok":
            raise sqlite3.DatabaseError(check)
    _forget_old_conversions(db)


def _forget_old_conversions(db: Database) -> None:
    """Bodies converted from a feed's HTML or text by an older conversion are forgotten
    (converted again when shown). A full text shown in place of the entry is the page's
    own and stays; stored files' bodies are their content and stay."""
    if db.scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('meta', 'full_texts')") < 2:
        return  # a schema cut short (tests build older caches this way)
    row = db.query_one("SELECT value FROM meta WHERE key = 'markdown_version'")
    if row is not None and str(row[0]) == str(MARKDOWN_VERSION):
        return
    with db.transaction() as connection:
        connection.execute(
            "UPDATE articles SET body = NULL WHERE body IS NOT NULL "
            "AND content_type IN ('html', 'text') "
            "AND id NOT IN (SELECT article_id FROM full_texts WHERE entry_saved = 1)"
        )
        connection.execute(
            "INSERT INTO meta (key, value) VALUES ('markdown_version', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(MARKDOWN_VERSION),),
        )


def _migrate(db: Database) -> None:
    with db.transaction() as connection:
        current = int(connection.execute("PRAGMA user_version").fetchone()[0])
        for number in range(current, SCHEMA_VERSION):
            for statement in split_sql(MIGRATIONS[number]):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number + 1}")
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer: list[str] = []
    for line in script.splitlines():
        buffer.append(line)
        candidate = "\n".join(buffer).strip()
        if candidate and sqlite3.complete_statement(candidate):
            statements.append(candidate)
            buffer = []
    rest = "\n".join(buffer).strip()
    if rest:
        statements.append(rest)
    return statements
