"""Noticing damage inside the cache file, cheaply enough to do before every session's writes.

``PRAGMA integrity_check`` reads every page and every index: about 2.2 s on a cache of
100,000 articles (528 MB) and 0.14 s at 10,000 (``quick_check``, 1.0 s and 0.10 s, missed 2
of 69 damaged copies in ``bench/corruption_sweep.py``: index entries that no longer match
their rows). Too slow for every command, so a clean check is remembered in a small sidecar
file beside the cache (``newsreader.db.checked``) as the size and modification time (ns) of
the file and of its WAL; a session whose file still matches that record skips the check (a
few ``stat`` calls, under 0.2 ms), and one that finds the file changed by someone else (or by
a session that crashed) runs the full check first. A session that began on a checked file
records the file as each of its commits leaves it, so the program's own writes (the app's
included, while a command runs beside it) do not force a check next time.

When damage is found, a copy of the file (and of its WAL) is kept once, as
``newsreader.db.damaged-YYYYMMDD-HHMMSS``, and the caller refuses writes and points at
``newsreader repair``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newsreader.store.connection import APPLICATION_ID, StoreError

SIDECAR_SUFFIX = ".checked"
DAMAGED_INFIX = ".damaged-"
_PROBLEMS_SHOWN = 3
_RECORD_SIZE = 512  # bytes a record is padded to (the file is never truncated)


class CacheDamaged(StoreError):
    """The cache file is damaged; the message names the file, the copy kept and the way out."""

    def __init__(self, path: Path, detail: str, copy: Path | None) -> None:
        kept = f"a copy was kept as {copy}; " if copy is not None else ""
        super().__init__(
            f"the cache {path} is damaged ({detail}); {kept}changes are refused until "
            "`newsreader repair` rebuilds it from what can still be read"
        )
        self.path = path
        self.detail = detail
        self.copy = copy


@dataclass(frozen=True)
class Damage:
    """What :func:`check_cache` found wrong: the file, the first problems, the copy kept."""

    path: Path
    detail: str
    copy: Path | None

    def error(self) -> CacheDamaged:
        return CacheDamaged(self.path, self.detail, self.copy)

    @property
    def message(self) -> str:
        """One line for the user, naming the file."""
        return str(self.error())


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def file_state(path: Path) -> list[int]:
    """Size and modification time (ns) of the cache and of its WAL (zeros when absent or
    empty: opening the file may create an empty WAL, which holds nothing)."""
    state: list[int] = []
    for part in (path, wal_path(path)):
        try:
            stat = part.stat()
        except FileNotFoundError:
            state += [0, 0]
        else:
            state += [stat.st_size, stat.st_mtime_ns] if stat.st_size else [0, 0]
    return state


def _read_sidecar(path: Path) -> dict[str, object]:
    try:
        value = json.loads(sidecar_path(path).read_text("utf-8").split("\n", 1)[0])
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _write_sidecar(path: Path, record: dict[str, object]) -> None:
    # Rewritten in place after every commit, padded to a fixed size: neither a rename nor a
    # truncation (either makes ext4 flush the file at once, 1-2 ms); a torn record only
    # makes the next session check the file again.
    data = json.dumps(record).encode() + b"\n"  # what follows the first line is ignored
    data += b" " * (max(_RECORD_SIZE, len(data)) - len(data))
    try:
        handle = os.open(sidecar_path(path), os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            os.write(handle, data)
        finally:
            os.close(handle)
    except OSError:  # a read-only folder: the next session checks again, nothing worse
        pass


def is_recorded_clean(path: Path) -> bool:
    """True if the file is exactly as the last clean check (or clean session) left it."""
    record = _read_sidecar(path)
    return record.get("clean") is True and record.get("state") == file_state(path)


def record_clean(path: Path, state: list[int] | None = None) -> None:
    """Remember the file (as it is now, or as ``state``) as checked and undamaged."""
    _write_sidecar(path, {"clean": True, "state": file_state(path) if state is None else state})


def find_damage(path: Path) -> str | None:
    """Run ``PRAGMA integrity_check`` on a read-only connection: None if clean, else the
    problems.

    A file that is not a newsreader cache at all is left to the opener to refuse (None).
    """
    return _inspect(path)[1]


def _inspect(path: Path) -> tuple[bool, str | None]:
    """Whether the file is a newsreader cache, and if so what ``integrity_check`` finds."""
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False, None  # the opener reports why it cannot be opened
    try:
        try:
            app_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
            names = {
                str(row[0])
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as error:
            return (False, None) if _not_a_database(error) else (True, str(error))
        if app_id != APPLICATION_ID and not {"feeds", "articles", "meta"} <= names:
            return False, None  # someone else's file: the opener refuses it, untouched
        problems: list[str] = []
        try:
            for (row,) in connection.execute("PRAGMA integrity_check"):
                if row != "ok":
                    problems.append(str(row))
        except sqlite3.DatabaseError as error:
            problems.append(str(error))
        if app_id != APPLICATION_ID:
            problems.insert(0, "its header was overwritten")
    finally:
        connection.close()
    if not problems:
        return True, None
    shown = "; ".join(p.splitlines()[0][:120] for p in problems[:_PROBLEMS_SHOWN])
    more = len(problems) - _PROBLEMS_SHOWN
    return True, shown + (f"; and {more} more" if more > 0 else "")


def _not_a_database(error: sqlite3.DatabaseError) -> bool:
    return "file is not a database" in str(error)


def _known_damage(path: Path) -> tuple[Path, str] | None:
    """The copy kept and the problems found, if the file is as it was when found damaged."""
    record = _read_sidecar(path)
    copy, detail = record.get("copy"), record.get("detail", "")
    same = record.get("clean") is False and record.get("state") == file_state(path)
    if same and isinstance(copy, str) and isinstance(detail, str) and Path(copy).exists():
        return Path(copy), detail
    return None


def keep_damaged_copy(path: Path, detail: str = "") -> Path | None:
    """Copy the damaged file (and its WAL) aside once; returns the copy (None if it cannot)."""
    known = _known_damage(path)
    if known is not None:
        return known[0]
    state = file_state(path)
    copy = path.with_name(f"{path.name}{DAMAGED_INFIX}{datetime.now():%Y%m%d-%H%M%S}")
    try:
        shutil.copyfile(path, copy)
        if wal_path(path).is_file() and wal_path(path).stat().st_size:
            shutil.copyfile(wal_path(path), wal_path(copy))
    except OSError:
        copy.unlink(missing_ok=True)
        return None
    _write_sidecar(path, {"clean": False, "state": state, "copy": str(copy), "detail": detail})
    return copy


def check_cache(path: Path | str, *, force: bool = False) -> Damage | None:
    """Check the cache file for damage, unless it is unchanged since its last clean check.

    Plain and blocking (run it in a worker in the app, after the first paint and before the
    first write). Returns None when the file is fine (recording that), else a :class:`Damage`
    whose copy of the file has been kept; the caller then refuses writes
    (:meth:`newsreader.store.Store.refuse_writes`) and tells the user ``damage.message``.
    A missing file, or one that is not a newsreader cache, is None (the opener decides).
    """
    path = Path(path)
    if str(path) == ":memory:" or not path.is_file():
        return None
    if not force and is_recorded_clean(path):
        return None
    known = None if force else _known_damage(path)
    if known is not None:  # found before and unchanged since: no need to read it all again
        return Damage(path, known[1] or "found before", known[0])
    before = file_state(path)
    ours, problems = _inspect(path)
    if problems is None:
        if ours and file_state(path) == before:
            record_clean(path, before)
        return None
    return Damage(path, problems, keep_damaged_copy(path, problems))
