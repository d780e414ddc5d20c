"""Indexing a write batch's new articles for search in one statement, at the batch's end.

Row by row, the insert trigger gives each batch of new rows its own small index segment:
FTS5 writes its pending terms out at every savepoint, and a refresh's writer opens one per
feed. Writing every term list once per batch instead costs about half the CPU (with the
prefix indexes, most of storing). Inside one write transaction :func:`begin` takes the
schema's three index triggers out and puts temporary ones in their place that keep the
index right for the articles indexed before (a row deleted or changed is taken out of
the index only if it is in it); :func:`flush` indexes the rows added since (before a
search inside the batch, e.g. a filter's), and :func:`finish` does that and puts the
triggers back. All of it is inside the transaction: no other connection ever sees the
table without its triggers, and a rollback undoes it whole.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from newsreader.store.connection import Database
from newsreader.store.schema import FTS_TRIGGERS

_NAMES = ("articles_fts_insert", "articles_fts_delete", "articles_fts_update")
_COLUMNS = "title, author, headings, text"
_OLD = ", ".join(f"old.{name}" for name in _COLUMNS.split(", "))
_NEW = ", ".join(f"new.{name}" for name in _COLUMNS.split(", "))
_INDEXED = "(SELECT bound FROM temp.index_pending)"
_TEMPORARY = (
    f"CREATE TEMP TRIGGER indexed_delete AFTER DELETE ON main.articles "
    f"WHEN old.id <= {_INDEXED} BEGIN "
    f"INSERT INTO articles_fts (articles_fts, rowid, {_COLUMNS}) "
    f"VALUES ('delete', old.id, {_OLD}); END",
    f"CREATE TEMP TRIGGER indexed_update AFTER UPDATE OF {_COLUMNS} ON main.articles "
    f"WHEN old.id <= {_INDEXED} BEGIN "
    f"INSERT INTO articles_fts (articles_fts, rowid, {_COLUMNS}) "
    f"VALUES ('delete', old.id, {_OLD}); "
    f"INSERT INTO articles_fts (rowid, {_COLUMNS}) VALUES (new.id, {_NEW}); END",
)


def _normal(sql: str) -> str:
    return " ".join(re.sub(r"\s*([(),;])\s*", r"\1", sql).split()).lower()


_EXPECTED = {
    name: _normal(statement + "END")
    for statement in FTS_TRIGGERS.split("END;")
    if statement.strip()
    for name in _NAMES
    if f"TRIGGER {name} " in statement
}


@contextmanager
def deferred(db: Database) -> Iterator[None]:
    """Inside a batch (:meth:`Store.batch`): articles inserted in it are indexed when this
    ends (and before a search inside it: :func:`flush_if_deferred`). The triggers are taken
    out only when the first new articles come (:func:`before_insert`), so a batch that adds
    none writes nothing more. Nested, it does nothing more."""
    with db.transaction() as connection:
        if db.defer_indexing:
            yield
            return
        db.defer_indexing = True
        try:
            yield
            if _active(connection):
                finish(connection)
        finally:
            db.defer_indexing = False


def before_insert(db: Database, connection: sqlite3.Connection) -> None:
    """Called before new articles are inserted: defer their indexing if the batch wants."""
    if db.defer_indexing and not _active(connection):
        begin(connection)


def flush_if_deferred(db: Database, connection: sqlite3.Connection) -> None:
    """Index the pending articles if indexing is deferred (before searching the index)."""
    if db.defer_indexing and _active(connection):
        flush(connection)


def _active(connection: sqlite3.Connection) -> bool:
    """Whether indexing is deferred now (a savepoint rolled back may have undone it)."""
    found = connection.execute(
        "SELECT 1 FROM sqlite_temp_master WHERE type = 'trigger' AND name = 'indexed_delete'"
    ).fetchone()
    return found is not None


def begin(connection: sqlite3.Connection) -> bool:
    """Defer indexing new articles until :func:`finish`, in the open write transaction.

    Returns False (and changes nothing) when the cache's index triggers are not exactly the
    schema's: then they keep doing the work.
    """
    assert connection.in_transaction
    found = dict(
        connection.execute(
            "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'articles'"
        ).fetchall()
    )
    if {name: _normal(str(sql)) for name, sql in found.items()} != _EXPECTED:
        return False
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS index_pending (bound INTEGER NOT NULL)")
    connection.execute("DELETE FROM temp.index_pending")
    connection.execute(
        "INSERT INTO temp.index_pending SELECT coalesce(max(id), 0) FROM main.articles"
    )
    for name in _NAMES:
        connection.execute(f"DROP TRIGGER main.{name}")
    for statement in _TEMPORARY:
        connection.execute(statement)
    return True


def flush(connection: sqlite3.Connection) -> None:
    """Index the articles added since :func:`begin` (or the last flush)."""
    connection.execute(
        f"INSERT INTO articles_fts (rowid, {_COLUMNS}) SELECT id, {_COLUMNS} "
        f"FROM main.articles WHERE id > {_INDEXED} ORDER BY id"
    )
    connection.execute(
        "UPDATE temp.index_pending SET bound = (SELECT coalesce(max(id), 0) FROM main.articles)"
    )


def finish(connection: sqlite3.Connection) -> None:
    """Index what is pending and put the schema's triggers back (before the commit)."""
    flush(connection)
    connection.execute("DROP TRIGGER temp.indexed_delete")
    connection.execute("DROP TRIGGER temp.indexed_update")
    for statement in FTS_TRIGGERS.split("END;"):
        if statement.strip():
            connection.execute(statement + "END;")
