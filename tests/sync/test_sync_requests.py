"""Which requests a sync makes: nothing is sent before the first answer; few requests when
nothing is new; the feeds listed again only when old or when an item of a new feed comes;
both id lists from a server that answers one command per request; lists read before the
marks landed never undo them; sending stops at the first failure; pages that arrive while a
batch is being stored are stored together."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from fake_fever import PASSWORD, USER, FakeFever
from pytest_httpserver import HTTPServer
from sync_helpers import run, write_config

from newsreader import sync
from newsreader.store import ArticleFilter, Store, sync_state
from newsreader.sync_items import Page, PageStored


@pytest.fixture
def fever(server: HTTPServer) -> FakeFever:
    fake = FakeFever()
    fake.add_items(3)
    fake.install(server)
    return fake


@pytest.fixture
def config(tmp_path: Path, server: HTTPServer, fever: FakeFever) -> Path:
    return write_config(tmp_path, server.url_for("/fever/"), USER, PASSWORD)


def _sync(capsys: pytest.CaptureFixture[str], config: Path, db: Path) -> str:
    status, out, err = run(capsys, config, db, "sync")
    assert status == 0, err
    return out


def _by_remote_id(store: Store) -> dict[int, int]:
    with store.database.transaction() as db:
        return dict(db.execute("SELECT remote_id, article_id FROM sync_items").fetchall())


def _change_locally(db: Path, read: Sequence[int] = (), starred: Sequence[int] = ()) -> None:
    store = Store.open(db)
    try:
        ids = _by_remote_id(store)
        store.set_read([ids[i] for i in read])
        store.set_starred([ids[i] for i in starred])
    finally:
        store.close()


def _states(db: Path) -> dict[int, tuple[bool, bool, int]]:
    """Server item id -> (read, starred) here, and the queue's size."""
    store = Store.open(db)
    try:
        result = {}
        for remote, article_id in _by_remote_id(store).items():
            article = store.article(article_id)
            assert article is not None
            result[remote] = (article.read, article.starred, sync_state.queue_size(store))
        return result
    finally:
        store.close()


def test_nothing_is_sent_before_the_first_answer_and_nothing_new_costs_two_requests(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, config: Path, fever: FakeFever
) -> None:
    db = tmp_path / "cache.db"
    _sync(capsys, config, db)
    _change_locally(db, read=[3], starred=[2])
    fever.commands.clear()
    out = _sync(capsys, config, db)
    assert "1 feed(s), 0 new article(s), 2 change(s) sent" in out
    # The first request checks the credentials (and asks for new items); the marks and
    # both lists (one request) go alongside each other after it. The feeds were listed a
    # moment ago and no item of another feed came: they are not asked for again.
    assert fever.commands[0] == "items since_id"
    assert sorted(fever.commands[1:]) == [
        "mark read",
        "mark saved",
        "unread_item_ids saved_item_ids",
    ]


def test_feeds_are_listed_again_when_old_or_when_an_item_of_a_new_feed_comes(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    config: Path,
    fever: FakeFever,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "cache.db"
    _sync(capsys, config, db)
    fever.feed_ids.append(2)  # subscribed on another device; its items follow
    fever.add_items(2, feed_id=2)
    fever.commands.clear()
    out = _sync(capsys, config, db)
    assert "2 feed(s), 2 new article(s)" in out
    assert fever.commands.count("groups feeds") == 1
    store = Store.open(db)
    try:
        assert sorted(f.title for f in store.feeds() if f.kind == "server") == [
            "Feed 2",
            "Feed one",
        ]
    finally:
        store.close()

    fever.commands.clear()
    _sync(capsys, config, db)
    assert "groups feeds" not in fever.commands
    monkeypatch.setattr(sync, "FEEDS_MAX_AGE", 0.0)
    _sync(capsys, config, db)
    assert "groups feeds" in fever.commands


def test_server_answering_one_command_per_request_still_gives_both_lists(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, config: Path, fever: FakeFever
) -> None:
    """Miniflux answers only the first command it knows: the saved list is then asked for
    on its own, and state changed on the server arrives here."""
    fever.one_command = True
    db = tmp_path / "cache.db"
    assert "3 new article(s)" in _sync(capsys, config, db)
    fever.unread.discard(1)
    fever.saved.add(2)
    fever.commands.clear()
    assert "2 change(s) received" in _sync(capsys, config, db)
    assert _states(db) == {1: (True, False, 0), 2: (False, True, 0), 3: (False, False, 0)}
    assert "unread_item_ids saved_item_ids" in fever.commands
    assert "saved_item_ids" in fever.commands


def test_lists_read_before_the_marks_landed_do_not_undo_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, config: Path, fever: FakeFever
) -> None:
    """The lists are asked for while the marks are on their way, so they may not show them
    yet: the changes sent in this sync keep their local state."""
    db = tmp_path / "cache.db"
    _sync(capsys, config, db)
    _change_locally(db, read=[3], starred=[2])
    fever.stale_lists = (set(fever.unread), set(fever.saved))  # as before the marks
    fever.unread.discard(1)  # and one change made on another device, in the stale lists too
    fever.stale_lists[0].discard(1)
    out = _sync(capsys, config, db)
    assert "2 change(s) sent, 1 change(s) received" in out
    assert _states(db) == {1: (True, False, 0), 2: (False, True, 0), 3: (True, False, 0)}
    assert (3 not in fever.unread, 2 in fever.saved) == (True, True)
    fever.stale_lists = None
    assert "0 change(s) received" in _sync(capsys, config, db)
    assert _states(db) == {1: (True, False, 0), 2: (False, True, 0), 3: (True, False, 0)}


def test_sending_stops_at_the_first_failure_and_keeps_the_rest_queued(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, config: Path, fever: FakeFever
) -> None:
    fever.add_items(57)
    db = tmp_path / "cache.db"
    _sync(capsys, config, db)
    store = Store.open(db)
    try:
        store.mark_all_read(ArticleFilter())
        assert sync_state.queue_size(store) == 60
    finally:
        store.close()
    fever.mode = "marks_fail"
    fever.commands.clear()
    status, _, err = run(capsys, config, db, "sync")
    assert status == 1
    assert "answered HTTP 500" in err and "60 local change(s) kept" in err
    tried = sum(command.startswith("mark") for command in fever.commands)
    assert 1 <= tried <= 2 * sync.PUSH_AT_ONCE  # not all 60
    fever.mode = "ok"
    assert "60 change(s) sent" in _sync(capsys, config, db)
    assert not fever.unread


def test_pages_arriving_while_a_batch_is_stored_are_stored_together(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    config: Path,
    fever: FakeFever,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sync, "POOL_MIN_ITEMS", 10**9)  # store in a thread, observed here
    fever.add_items(617)  # 620: 13 pages
    batches: list[int] = []
    first_stored = threading.Event()
    slow_store = sync.store_pages_here

    def store_slowly(store: Store, feed_ids: dict[int, int], pages: Sequence[Page]) -> PageStored:
        batches.append(len(pages))
        if not first_stored.is_set():
            time.sleep(0.5)  # the downloads go on meanwhile
            first_stored.set()
        return slow_store(store, feed_ids, pages)

    monkeypatch.setattr(sync, "store_pages_here", store_slowly)
    db = tmp_path / "cache.db"
    assert "620 new article(s)" in _sync(capsys, config, db)
    assert sum(batches) == 13 and batches[0] == 1
    assert len(batches) < 13  # some batch held more than one page
    store = Store.open(db)
    try:
        assert sync_state.get_state(store, "max_item_id") == "620"
        assert sync_state.server_counts(store)[1] == 620
    finally:
        store.close()
