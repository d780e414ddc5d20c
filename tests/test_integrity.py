"""Damage inside the cache: a corruption sweep over a real cache, the check's record, backups.

Each copy of a real cache (see ``damaged_cache.py``) gets one random overwrite (16 B to 4 KB
at a random offset, seeded). On every copy that ``PRAGMA integrity_check`` calls corrupt, no
command may exit 0 without saying so.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from damaged_cache import (
    Built,
    build_cache,
    damage,
    flip_read_flags_in_index,
    integrity_errors,
)
from damaged_cache import run_command as run
from newsreader.store import Store
from newsreader.store.integrity import check_cache, is_recorded_clean, record_clean, sidecar_path

COPIES = 24


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_cache(tmp_path_factory.mktemp("built"))


COMMANDS: list[list[str]] = [
    ["list", "--limit", "5"],
    ["show", "{id}"],
    ["mark", "{id}", "--star"],
    ["refresh", "--force", "-q"],
    ["feeds"],
]


def test_no_command_is_silent_on_a_corrupt_cache(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(20261130)
    article = min(built.read)
    corrupt = 0
    detected: dict[str, int] = {}
    for copy in range(COPIES):
        damaged = tmp_path / f"damaged-{copy}.db"
        damage(built.db, damaged, rng)
        errors = integrity_errors(damaged)
        for command in COMMANDS:
            db = tmp_path / f"run-{copy}-{command[0]}" / "newsreader.db"
            db.parent.mkdir()
            shutil.copyfile(damaged, db)
            args = [a.replace("{id}", str(article)) for a in command]
            status, err = run(capsys, built, db, args)
            said = "damaged" in err or "cannot be used" in err or "not a newsreader" in err
            if errors:
                assert status != 0 or said, (copy, command, errors[:3], err)
                if said:
                    detected[command[0]] = detected.get(command[0], 0) + 1
            elif command[0] == "list":
                assert status == 0 and not said, (copy, err)  # no false alarm
        corrupt += bool(errors)
    print(f"\nsweep: {COPIES} copies, {corrupt} corrupt by integrity_check, detected: {detected}")
    assert corrupt >= COPIES // 4  # the sweep exercised damage, not only harmless bytes


def test_a_damaged_cache_is_copied_once_and_refused_for_writing(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "newsreader.db"
    data = bytearray(built.db.read_bytes())
    page = 4096
    pages = len(data) // page
    for number in range(pages // 2, pages // 2 + 4):  # ruin a few pages in the middle
        data[number * page + 8 : number * page + 600] = b"\x5a" * 592
    db.write_bytes(bytes(data))
    before = db.read_bytes()
    status, err = run(capsys, built, db, ["mark", str(min(built.read)), "--unread"])
    assert status == 2 and f"the cache {db} is damaged" in err and "newsreader repair" in err
    assert err.count("\n") == 1
    copies = sorted(tmp_path.glob("newsreader.db.damaged-*"))
    assert len(copies) == 1 and copies[0].read_bytes() == before
    assert str(copies[0]) in err
    status, err = run(capsys, built, db, ["refresh", "-q"])
    assert status == 2 and "damaged" in err
    assert sorted(tmp_path.glob("newsreader.db.damaged-*")) == copies  # kept once
    assert db.read_bytes() == before  # nothing was written into it


def test_a_clean_session_is_remembered_so_the_next_skips_the_check(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "newsreader.db"
    shutil.copyfile(built.db, db)
    assert not sidecar_path(db).exists()
    status, _ = run(capsys, built, db, ["mark", str(min(built.read)), "--unread"])
    assert status == 0 and is_recorded_clean(db)  # its own write is recorded as clean
    with db.open("r+b") as out:  # someone else changes the file
        out.seek(db.stat().st_size // 2)
        out.write(b"\x00" * 512)
    assert not is_recorded_clean(db)


def test_the_app_check_in_a_worker_refuses_writes_after_damage(
    built: Built, tmp_path: Path
) -> None:
    from newsreader.context import open_context, verify_cache
    from newsreader.store import StoreError

    db = tmp_path / "newsreader.db"
    data = bytearray(built.db.read_bytes())
    middle = len(data) // 4096 // 2 * 4096
    data[middle + 8 : middle + 900] = b"\x5a" * 892
    db.write_bytes(bytes(data))
    ctx = open_context(str(built.config), str(db), check=False)  # opens without checking
    try:
        message = verify_cache(ctx)
        assert message.startswith(f"the cache {db} is damaged") and ctx.warning == message
        with pytest.raises(StoreError, match="is damaged"):
            ctx.store.set_starred([min(built.read)])
        copies = tmp_path.glob("newsreader.db.damaged-*")
        assert len([p for p in copies if not p.name.endswith("-wal")]) == 1
    finally:
        ctx.close()
    assert not is_recorded_clean(db)

    shutil.copyfile(built.db, db)
    ctx = open_context(str(built.config), str(db), check=False)
    try:
        assert verify_cache(ctx) == "" and ctx.warning == ""
        ctx.store.set_starred([min(built.read)])
    finally:
        ctx.close()
    assert is_recorded_clean(db)


def test_no_record_is_left_beside_a_file_that_is_not_a_cache(tmp_path: Path) -> None:
    other = tmp_path / "notes.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE notes (text)")
    connection.close()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"garbage" * 1000)
    for path in (other, garbage):
        assert check_cache(path) is None and not sidecar_path(path).exists()


def test_a_backup_is_taken_before_every_schema_migration(tmp_path: Path) -> None:
    from newsreader.store.connection import APPLICATION_ID, split_sql
    from newsreader.store.headings import headings_of
    from newsreader.store.schema import MIGRATIONS, SCHEMA_VERSION

    db = tmp_path / "newsreader.db"
    old = SCHEMA_VERSION - 1
    connection = sqlite3.connect(db, isolation_level=None)
    # Older migrations fill columns through the function the cache registers.
    connection.create_function("newsreader_headings", 3, headings_of, deterministic=True)
    for number in range(old):
        for statement in split_sql(MIGRATIONS[number]):
            connection.execute(statement)
    connection.execute(f"PRAGMA user_version = {old}")
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute("INSERT INTO feeds (url, title) VALUES ('https://a.example/', 'A')")
    connection.close()
    Store.open(db).close()
    backup = tmp_path / f"newsreader.db.bak-v{old}"
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("PRAGMA user_version").fetchone()[0] == old
        assert copy.execute("SELECT title FROM feeds").fetchall() == [("A",)]
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        copy.close()
    Store.open(db).close()  # no migration: no other backup
    assert [p.name for p in tmp_path.glob("*.bak-*")] == [backup.name]
    fresh = tmp_path / "fresh.db"
    Store.open(fresh).close()  # a new cache has nothing to back up
    assert not list(tmp_path.glob("fresh.db.bak-*"))


def test_damage_only_a_full_check_sees_is_found(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsreader.store.integrity import find_damage

    db = tmp_path / "newsreader.db"
    shutil.copyfile(built.db, db)
    assert flip_read_flags_in_index(db, "articles_listing", 5) == 5
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    finally:
        connection.close()
    assert integrity_errors(db)
    assert find_damage(db) is not None
    status, err = run(capsys, built, db, ["mark", str(min(built.read)), "--star"])
    assert status == 2 and "is damaged" in err


def test_known_damage_is_not_checked_or_copied_again(built: Built, tmp_path: Path) -> None:
    db = tmp_path / "newsreader.db"
    data = bytearray(built.db.read_bytes())
    middle = len(data) // 4096 // 2 * 4096
    data[middle + 8 : middle + 900] = b"\x5a" * 892
    db.write_bytes(bytes(data))
    first = check_cache(db)
    assert first is not None and first.copy is not None
    again = check_cache(db)
    assert again is not None and (again.copy, again.detail) == (first.copy, first.detail)
    assert len([p for p in tmp_path.iterdir() if ".damaged-" in p.name]) == 1
    shutil.copyfile(built.db, db)  # replaced by a sound file: checked afresh
    assert check_cache(db) is None and is_recorded_clean(db)


def test_a_shorter_record_over_a_longer_one_reads_back(tmp_path: Path) -> None:
    from newsreader.store.integrity import keep_damaged_copy

    db = tmp_path / "newsreader.db"
    db.write_bytes(b"x" * 4096)
    keep_damaged_copy(db, "problem " * 200)  # a long record
    assert not is_recorded_clean(db)
    record_clean(db)
    assert is_recorded_clean(db)
