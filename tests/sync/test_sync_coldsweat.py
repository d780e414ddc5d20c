"""Two caches syncing through one real Fever server (coldsweat), offline changes included."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from coldsweat_server import PASSWORD, USER, Coldsweat
from sync_helpers import run, write_config

from newsreader.config import load_config
from newsreader.model import FeedKind
from newsreader.refresh import sources_to_refresh
from newsreader.sources.fever import FeverClient
from newsreader.store import ArticleFilter, Store, sync_state


class Reader:
    """One newsreader (a config and a cache) using the account."""

    def __init__(self, folder: Path, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        folder.mkdir()
        self.config = write_config(folder, url, USER, PASSWORD)
        self.db = folder / "cache.db"
        self.capsys = capsys

    def cli(self, *args: str) -> tuple[int, str, str]:
        return run(self.capsys, self.config, self.db, *args)

    def sync(self) -> str:
        status, out, err = self.cli("sync")
        assert status == 0, err
        return out

    def open(self) -> Store:
        return Store.open(self.db)

    def article_id(self, remote_id: int) -> int:
        store = self.open()
        try:
            with store.database.transaction() as db:
                row = db.execute(
                    "SELECT article_id FROM sync_items WHERE remote_id = ?", (remote_id,)
                ).fetchone()
        finally:
            store.close()
        assert row is not None, f"item {remote_id} is not in {self.db}"
        return int(row[0])

    def state(self, remote_id: int) -> tuple[bool, bool]:
        """(read, starred) of the server's item ``remote_id`` here."""
        store = self.open()
        try:
            article = store.article(self.article_id(remote_id))
        finally:
            store.close()
        assert article is not None
        return article.read, article.starred


def client(server: Coldsweat) -> FeverClient:
    return FeverClient(server.url, USER, PASSWORD)


@pytest.fixture
def a(tmp_path: Path, fever: Coldsweat, capsys: pytest.CaptureFixture[str]) -> Reader:
    return Reader(tmp_path / "a", fever.url, capsys)


@pytest.fixture
def b(tmp_path: Path, fever: Coldsweat, capsys: pytest.CaptureFixture[str]) -> Reader:
    return Reader(tmp_path / "b", fever.url, capsys)


def test_account_test_prints_what_the_server_has(a: Reader, fever: Coldsweat) -> None:
    status, out, err = a.cli("account", "test")
    assert status == 0, err
    items = fever.count("SELECT count(*) FROM entries")
    assert out.strip() == (
        # Groups: "tech", "news" and coldsweat's "Default" for the feed outside any folder.
        f"ok: {USER} at {fever.url}: 4 feed(s), 3 group(s), {items} unread, 0 starred"
    )


def test_first_sync_brings_every_feed_and_item_into_the_cache(a: Reader, fever: Coldsweat) -> None:
    items = fever.count("SELECT count(*) FROM entries")
    assert items > 100  # several pages of 50
    out = a.sync()
    assert f"4 feed(s), {items} new article(s)" in out
    store = a.open()
    try:
        server_feeds = {f.title: f for f in store.feeds() if f.kind is FeedKind.SERVER}
        assert sorted(server_feeds) == sorted(
            ["Daring Fireball", "Generated", "Miniflux commits", "Research"]
        )
        assert server_feeds["Research"].tags == ("tech",)
        assert server_feeds["Generated"].tags == ("news",)
        assert server_feeds["Generated"].total == 60
        assert sum(f.total for f in server_feeds.values()) == items
        assert sum(f.unread for f in server_feeds.values()) == items
        # Refresh leaves them to the server.
        config = load_config(a.config)
        assert not [f for f in sources_to_refresh(store, config) if f.kind is FeedKind.SERVER]
        # Their HTML is sanitised like a feed's, and their text is searchable.
        ids = tuple(f.id for f in server_feeds.values())
        for summary in store.list_articles(ArticleFilter(feed_ids=ids), limit=500):
            article = store.article(summary.id)
            assert article is not None
            assert "<script" not in article.content.lower()
            assert "\x1b" not in article.title + article.content
        assert store.search("generated", ArticleFilter(feed_ids=ids))
    finally:
        store.close()
    assert "0 new article(s)" in a.sync()


def test_star_on_a_reaches_b(a: Reader, b: Reader, fever: Coldsweat) -> None:
    a.sync()
    b.sync()
    assert a.cli("mark", str(a.article_id(5)), "--star")[0] == 0
    assert "1 change(s) sent" in a.sync()
    assert 5 in client(fever).saved_ids()
    assert b.state(5) == (False, False)
    assert "1 change(s) received" in b.sync()
    assert b.state(5) == (False, True)


def test_read_offline_on_b_survives_a_restart_and_reaches_the_server_and_a(
    tmp_path: Path, a: Reader, b: Reader, fever: Coldsweat
) -> None:
    a.sync()
    b.sync()
    # Offline: B's config points at a server that is not there.
    offline = Reader(tmp_path / "offline", "http://127.0.0.1:9/fever/", b.capsys)
    offline.db = b.db
    ids = [str(b.article_id(n)) for n in (7, 8)]
    assert b.cli("mark", *ids, "--read")[0] == 0
    status, _, err = offline.cli("sync")
    assert status == 1 and "2 local change(s) kept" in err
    # A restart: a new process opens the cache (each CLI call here reopens it too).
    restarted = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsreader",
            "--config",
            str(b.config),
            "--db",
            str(b.db),
            "sync",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert restarted.returncode == 0, restarted.stderr
    assert "2 change(s) sent" in restarted.stdout
    unread = client(fever).unread_ids()
    assert 7 not in unread and 8 not in unread and 9 in unread
    assert a.state(7) == (False, False)
    a.sync()
    assert a.state(7) == (True, False) and a.state(8) == (True, False)
    assert a.state(9) == (False, False)


def test_later_change_wins(a: Reader, b: Reader, fever: Coldsweat) -> None:
    """B reads item 11 and syncs; A, later and offline, reads and then unreads it. A's change
    is the later one: it is sent and reaches B, whose copy had no change since its sync."""
    a.sync()
    b.sync()
    b.cli("mark", str(b.article_id(11)), "--read")
    b.sync()
    a.cli("mark", str(a.article_id(11)), "--read")
    a.cli("mark", str(a.article_id(11)), "--unread")
    a.sync()
    assert a.state(11) == (False, False)
    assert 11 in client(fever).unread_ids()
    b.sync()
    assert b.state(11) == (False, False)


def test_server_state_wins_for_items_without_local_changes(
    a: Reader, b: Reader, fever: Coldsweat
) -> None:
    a.sync()
    b.sync()
    b.cli("mark", str(b.article_id(12)), "--star")
    b.cli("mark", str(b.article_id(13)), "--read")
    b.sync()
    a.cli("mark", str(a.article_id(14)), "--star")  # a local change on another item
    out = a.sync()
    assert "1 change(s) sent" in out and "2 change(s) received" in out
    assert (a.state(12), a.state(13), a.state(14)) == ((False, True), (True, False), (False, True))


def test_queue_survives_sigkill(a: Reader, fever: Coldsweat) -> None:
    """A process changes state and is killed before it could sync: the change is queued in
    the cache and the next sync sends it."""
    a.sync()
    article_id = a.article_id(21)
    script = (
        "import os, signal, sys\n"
        "from newsreader.store import Store\n"
        "store = Store.open(sys.argv[1])\n"
        "store.set_starred([int(sys.argv[2])])\n"
        "store.set_read([int(sys.argv[2])])\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, str(a.db), str(article_id)], timeout=60, check=False
    )
    assert killed.returncode == -signal.SIGKILL
    store = a.open()
    try:
        queued = {(c.remote_id, c.field, c.value) for c in sync_state.pending(store)}
    finally:
        store.close()
    assert queued == {(21, "starred", True), (21, "read", True)}
    assert "2 change(s) sent" in a.sync()
    assert 21 in client(fever).saved_ids() and 21 not in client(fever).unread_ids()
    store = a.open()
    try:
        assert sync_state.queue_size(store) == 0
    finally:
        store.close()
