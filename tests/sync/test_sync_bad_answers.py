"""A broken server: one clear line, the queue kept, nothing local lost, the next sync retries.

A small local server plays the broken Fever server (``fake_fever.py``).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from fake_fever import PASSWORD, USER, FakeFever
from pytest_httpserver import HTTPServer
from sync_helpers import run, write_config

from newsreader.store import ArticleFilter, Store, sync_state


@pytest.fixture
def fever(server: HTTPServer) -> FakeFever:
    fake = FakeFever()
    fake.add_items(3)
    fake.install(server)
    return fake


@pytest.fixture
def setup(tmp_path: Path, server: HTTPServer, fever: FakeFever) -> tuple[Path, Path]:
    """A cache synced once with the good server, then one article read and one starred here."""
    config = write_config(tmp_path, server.url_for("/fever/"), USER, PASSWORD, timeout=1)
    db = tmp_path / "cache.db"
    return config, db


def _synced_with_changes(
    capsys: pytest.CaptureFixture[str], config: Path, db: Path
) -> tuple[int, int]:
    status, out, err = run(capsys, config, db, "sync")
    assert status == 0, err
    assert "3 new article(s)" in out
    store = Store.open(db)
    try:
        articles = store.list_articles(ArticleFilter(feed_ids=_server_feed_ids(store)))
        # Newest first: server items 3 and 2.
        assert [a.title for a in articles] == ["Item 3", "Item 2", "Item 1"]
        first, second = articles[0].id, articles[1].id
        store.set_read([first])
        store.set_starred([second])
        assert sync_state.queue_size(store) == 2
    finally:
        store.close()
    return first, second


def _server_feed_ids(store: Store) -> tuple[int, ...]:
    return tuple(f.id for f in store.feeds() if f.kind == "server")


def _state(db: Path, article_id: int) -> tuple[bool, bool, int]:
    store = Store.open(db)
    try:
        article = store.article(article_id)
        assert article is not None
        return article.read, article.starred, sync_state.queue_size(store)
    finally:
        store.close()


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("auth0", "refused the username or password (auth: 0)"),
        ("html", "answered with a web page, not the Fever API"),
        ("malformed", "sent malformed JSON"),
        ("slow", "did not answer in time"),
        ("error", "answered HTTP 500"),
    ],
)
def test_bad_answer_is_one_line_and_keeps_the_queue(
    capsys: pytest.CaptureFixture[str],
    setup: tuple[Path, Path],
    fever: FakeFever,
    mode: str,
    expected: str,
) -> None:
    config, db = setup
    first, second = _synced_with_changes(capsys, config, db)
    fever.mode = mode
    fever.delay = 2.5  # the config's timeout is 1 s
    status, out, err = run(capsys, config, db, "sync")
    assert status == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("newsreader: error: sync failed: ")
    assert expected in lines[0]
    assert "2 local change(s) kept for the next sync" in lines[0]
    assert "Traceback" not in err
    assert _state(db, first) == (True, False, 2)
    assert _state(db, second) == (False, True, 2)
    assert fever.marks == []

    # The next sync, with the server well again, sends the queue.
    fever.mode = "ok"
    status, out, err = run(capsys, config, db, "sync")
    assert status == 0, err
    assert "2 change(s) sent" in out
    assert sorted(fever.marks) == [("read", 3), ("saved", 2)]
    assert _state(db, first) == (True, False, 0)
    assert _state(db, second) == (False, True, 0)


def test_server_down(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, setup: tuple[Path, Path]
) -> None:
    config, db = setup
    first, _ = _synced_with_changes(capsys, config, db)
    with socket.socket() as sock:  # a port where nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (tmp_path / "down").mkdir()
    down = write_config(tmp_path / "down", f"http://127.0.0.1:{port}/fever/", USER, PASSWORD)
    status, _, err = run(capsys, down, db, "sync")
    assert status == 1
    assert len(err.strip().splitlines()) == 1
    assert f"cannot reach the server at http://127.0.0.1:{port}/fever/" in err
    assert _state(db, first) == (True, False, 2)


def test_wrong_password(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: HTTPServer, fever: FakeFever
) -> None:
    config = write_config(tmp_path, server.url_for("/fever/"), USER, "not the password")
    status, _, err = run(capsys, config, tmp_path / "cache.db", "account", "test")
    assert status == 1
    assert err.strip() == (
        f"newsreader: error: the server at {server.url_for('/fever/')} refused the username "
        "or password (auth: 0)"
    )


def test_ids_the_server_does_not_have(
    capsys: pytest.CaptureFixture[str], setup: tuple[Path, Path], fever: FakeFever
) -> None:
    """Items of feeds it never listed and unread ids with no item are left out, with a
    warning; the sync still succeeds."""
    config, db = setup
    fever.mode = "unknown_ids"
    status, out, err = run(capsys, config, db, "sync")
    assert status == 0, err
    assert "3 new article(s)" in out
    assert "1 unread or saved item id(s) it does not have" in err
    assert "1 item(s) of feeds the server does not list were skipped" in err
    store = Store.open(db)
    try:
        assert store.count_articles(ArticleFilter(feed_ids=_server_feed_ids(store))) == 3
    finally:
        store.close()


def test_change_for_an_item_deleted_on_the_server_is_dropped_not_retried(
    capsys: pytest.CaptureFixture[str], setup: tuple[Path, Path], fever: FakeFever
) -> None:
    config, db = setup
    first, _second = _synced_with_changes(capsys, config, db)
    del fever.items[3]  # the read article's item
    fever.unread.discard(3)
    status, out, err = run(capsys, config, db, "sync")
    assert status == 0, err
    assert "1 change(s) sent" in out
    assert "1 change(s) were for items the server no longer has" in err
    assert fever.marks == [("saved", 2)]
    assert _state(db, first) == (True, False, 0)  # still read here
