"""A real cache to damage: built through the program, then copied and overwritten by tests.

A local feed file is refreshed, then a large feed of a few thousand articles is stored (so
the file has many pages), a third of them read and some starred.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsreader.cli import main
from newsreader.model import ContentType, NewArticle
from newsreader.store import ArticleFilter, Store

ARTICLES = 3000
WORDS = "river harbour summit market storm budget court league museum bridge winter".split()  # noqa: SIM905


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


def build_cache(folder: Path) -> Built:
    """The cache described above, in ``folder``, with its config."""
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
    ids = [article_id for _, article_id in store.view_keys(ArticleFilter())]
    read = set(rng.sample(ids, len(ids) // 3))
    starred = set(rng.sample(ids, 40))
    store.set_read(read)
    store.set_starred(starred)
    store.close()
    (folder / "newsreader.db.checked").unlink(missing_ok=True)
    assert not Path(f"{db}-wal").exists()
    return Built(folder, db, config, read, starred)


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


def run_command(
    capsys: pytest.CaptureFixture[str], built: Built, db: Path, args: list[str]
) -> tuple[int, str]:
    status = main(["--config", str(built.config), "--db", str(db), *args])
    _, err = capsys.readouterr()
    return status, err


def recover_works() -> bool:
    """Whether an installed ``sqlite3`` program's ``.recover`` works on a sound file."""
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
