"""Damage inside the cache: a corruption sweep over a real cache, and repair.

A cache of a few thousand articles (many pages) is built once through the program: a local
feed file is refreshed, then a large feed is stored, some articles read and starred. Each
copy of it then gets one random overwrite (16 B to 4 KB at a random offset, seeded). On every
copy that ``PRAGMA integrity_check`` calls corrupt, no command may exit 0 without saying so.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsreader.cli import main
from newsreader.model import ContentType, NewArticle
from newsreader.store import Store
from newsreader.store.integrity import check_cache, is_recorded_clean, record_clean, sidecar_path

ARTICLES = 3000
COPIES = 24
WORDS = [
    "river",
    "harbour",
    "summit",
    "market",
    "storm",
    "budget",
    "court",
    "league",
    "museum",
    "bridge",
    "winter",
]


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _local_feed(path: Path, items: int) -> None:
    entries = "".join(
        f"<item><title>Local {n}</title><link>https://example.org/local/{n}</link>"
        f"<guid>local-{n}</guid><pubDate>Tue, 14 Nov 2023 22:13:{n % 60:02d} GMT</pubDate>"
        f"<description>&lt;p&gt;Body of local {n}&lt;/p&gt;</description></item>"
        for n in range(items)
    )
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local'
        f"</title><link>https://example.org/</link>{entries}</channel></rss>",
        "utf-8",
    )


@dataclass
class Built:
    folder: Path
    db: Path
    config: Path
    read: set[int]
    starred: set[int]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("built")
    feed_file = folder / "local.xml"
    _local_feed(feed_file, 20)
    config = folder / "feeds.toml"
    config.write_text(
        f'[settings]\nrefresh_on_start = false\n\n[[feeds]]\nurl = "{feed_file}"\n', "utf-8"
    )
    db = folder / "newsreader.db"
    assert main(["--config", str(config), "--db", str(db), "refresh", "-q"]) == 0
    rng = random.Random(5)
    store = Store.open(db)
    feed = store.ensure_feed("https://big.example/rss", "Big feed")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    store.upsert_articles(
        feed.id,
        [
            NewArticle(
                key=f"big-{n}",
                title=_words(rng, 6),
                published=start + timedelta(minutes=n),
                content="<p>" + "</p><p>".join(_words(rng, 40) for _ in range(4)) + "</p>",
                content_type=ContentType.HTML,
                text=_words(rng, 100),
                link=f"https://big.example/{n}",
            )
            for n in range(ARTICLES)
        ],
    )
    ids = [article_id for _, article_id in store.view_keys(store_filter())]
    read = set(rng.sample(ids, len(ids) // 3))
    starred = set(rng.sample(ids, 40))
    store.set_read(read)
    store.set_starred(starred)
    store.close()
    (folder / "newsreader.db.checked").unlink(missing_ok=True)
    assert not Path(f"{db}-wal").exists()
    return Built(folder, db, config, read, starred)


def store_filter() -> object:
    from newsreader.store import ArticleFilter

    return ArticleFilter()


def integrity_errors(db: Path) -> list[str]:
    """What ``PRAGMA integrity_check`` says of a copy of ``db`` (the file itself is untouched)."""
    probe = db.with_name(db.name + ".probe")
    shutil.copyfile(db, probe)
    try:
        connection = sqlite3.connect(probe)
        try:
            rows = [str(r[0]) for r in connection.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as error:
            rows = [str(error)]
        finally:
            connection.close()
    finally:
        probe.unlink()
    return [] if rows == ["ok"] else rows


def damage(source: Path, target: Path, rng: random.Random) -> None:
    """A copy of ``source`` with one random overwrite of 16 B to 4 KB at a random offset."""
    data = bytearray(source.read_bytes())
    size = rng.randint(16, 4096)
    offset = rng.randrange(0, len(data) - size)
    data[offset : offset + size] = rng.randbytes(size)
    target.write_bytes(bytes(data))


COMMANDS: list[list[str]] = [
    ["list", "--limit", "5"],
    ["show", "{id}"],
    ["mark", "{id}", "--star"],
    ["refresh", "--force", "-q"],
    ["feeds"],
]


def run(
    capsys: pytest.CaptureFixture[str], built: Built, db: Path, args: list[str]
) -> tuple[int, str]:
    status = main(["--config", str(built.config), "--db", str(db), *args])
    _, err = capsys.readouterr()
    return status, err


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


def recover_works() -> bool:
    """Whether an installed ``sqlite3`` program's ``.recover`` works on a sound file."""
    import subprocess
    import tempfile

    cli = shutil.which("sqlite3")
    if cli is None:
        return False
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe.db"
        connection = sqlite3.connect(probe)
        connection.execute("CREATE TABLE t (x)")
        connection.commit()
        connection.close()
        result = subprocess.run([cli, str(probe), ".recover"], capture_output=True, timeout=30)
        return result.returncode == 0


@pytest.mark.parametrize("use_cli", [True, False], ids=["sqlite3-recover", "row-salvage"])
def test_repair_recovers_read_and_starred_state(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str], use_cli: bool
) -> None:
    if use_cli and not recover_works():
        pytest.skip("no sqlite3 program whose .recover works (3.40.1's fails on sound files)")
    db = tmp_path / "newsreader.db"
    data = bytearray(built.db.read_bytes())
    page = 4096
    pages = len(data) // page
    for number in range(pages // 3, pages // 3 + 3):
        data[number * page + 8 : number * page + 1200] = b"\xa5" * 1192
    db.write_bytes(bytes(data))
    assert integrity_errors(db)
    before = db.read_bytes()
    args = ["repair"] if use_cli else ["repair", "--no-sqlite3"]
    status = main(["--config", str(built.config), "--db", str(db), *args])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "kept the damaged file as" in out
    method = "(sqlite3 .recover)" if use_cli else "(row-by-row salvage)"
    assert method in out
    [copy] = tmp_path.glob("newsreader.db.damaged-*")
    assert copy.read_bytes() == before
    assert integrity_errors(db) == []
    store = Store.open_reader(db)
    try:
        summaries = store.summaries(sorted(built.read | built.starred))
        total = store.count_articles()
    finally:
        store.close()
    # Three ruined pages of a cache of thousands of articles lose at most a few dozen rows.
    assert total >= ARTICLES - 100
    recovered_read = {i for i, s in summaries.items() if s.read}
    recovered_starred = {i for i, s in summaries.items() if s.starred}
    assert recovered_read <= built.read and recovered_starred <= built.starred
    assert len(recovered_read) >= len(built.read) - 50
    assert len(recovered_starred) >= len(built.starred) - 2
    assert check_cache(db) is None and is_recorded_clean(db)
    leftovers = [p.name for p in tmp_path.iterdir() if ".repair" in p.name]
    assert leftovers == []  # neither the work folder nor the rebuilt file's WAL stays
    # The repaired cache works for every command again.
    status = main(
        [
            "--config",
            str(built.config),
            "--db",
            str(db),
            "mark",
            str(min(recovered_read)),
            "--unread",
        ]
    )
    assert status == 0, capsys.readouterr().err


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
    from newsreader.store.schema import MIGRATIONS, SCHEMA_VERSION

    db = tmp_path / "newsreader.db"
    old = SCHEMA_VERSION - 1
    connection = sqlite3.connect(db, isolation_level=None)
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


def _varint(data: bytes | bytearray, at: int) -> tuple[int, int]:
    """An SQLite varint at ``at``: its value and the offset after it."""
    value = 0
    for n in range(9):
        byte = data[at + n]
        if n == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + n + 1
    raise AssertionError("unreachable")


def flip_read_flags_in_index(db: Path, index: str, count: int) -> int:
    """Flip the ``read`` value of ``count`` entries in one leaf page of ``index`` only (the
    table keeps its own): the page stays well formed and in order, the index now disagrees
    with its table. Returns how many entries were flipped."""
    connection = sqlite3.connect(db)
    try:
        [page_size] = connection.execute("PRAGMA page_size").fetchone()
        pages = [
            p
            for (p,) in connection.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (index,)
            )
        ]
        columns = [str(r[2]) for r in connection.execute(f"PRAGMA index_info({index})")]
    finally:
        connection.close()
    position = columns.index("read")
    data = bytearray(db.read_bytes())
    page = pages[len(pages) // 2]
    start = (page - 1) * page_size
    assert data[start] == 0x0A, "an index leaf page"
    cells = int.from_bytes(data[start + 3 : start + 5], "big")
    flipped = 0
    for cell in range(min(cells, count)):
        pointer = int.from_bytes(data[start + 8 + 2 * cell : start + 10 + 2 * cell], "big")
        _, at = _varint(data, start + pointer)  # payload size
        _, at = _varint(data, at)  # record header size
        for _ in range(position):
            _, at = _varint(data, at)
        if data[at] in (8, 9):  # the constants 0 and 1: flip one for the other
            data[at] ^= 1
            flipped += 1
    db.write_bytes(bytes(data))
    return flipped


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
