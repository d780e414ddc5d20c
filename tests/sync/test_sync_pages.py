"""Pulling many pages of items: all arrive, and a sync stopped half-way resumes after the last
whole page it stored (in the worker process that stores big pulls, or in a thread)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_fever import PASSWORD, USER, FakeFever
from pytest_httpserver import HTTPServer
from sync_helpers import run, write_config

from newsreader import sync
from newsreader.store import Store, sync_state


def _stored(db: Path) -> tuple[int, str]:
    store = Store.open(db)
    try:
        return sync_state.server_counts(store)[1], sync_state.get_state(store, "max_item_id")
    finally:
        store.close()


@pytest.mark.parametrize("in_process", [True, False])
def test_interrupted_pull_resumes_after_the_last_stored_page(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    server: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    in_process: bool,
) -> None:
    if not in_process:
        monkeypatch.setattr(sync, "POOL_MIN_ITEMS", 10**9)
    fever = FakeFever()
    fever.add_items(620)  # 13 pages of 50, enough for the worker process
    fever.install(server)
    config = write_config(tmp_path, server.url_for("/fever/"), USER, PASSWORD)
    db = tmp_path / "cache.db"
    fever.pages_before_failing = 5
    status, _, err = run(capsys, config, db, "sync")
    assert status == 1 and "answered HTTP 500" in err
    assert _stored(db) == (250, "250")
    fever.pages_before_failing = None
    status, out, err = run(capsys, config, db, "sync")
    assert status == 0, err
    assert "370 new article(s)" in out
    assert _stored(db) == (620, "620")
    store = Store.open(db)
    try:
        assert store.count_articles() == 620 + 2  # and the bundled guide's two articles
        assert sum(f.unread for f in store.feeds() if f.kind == "server") == 620
    finally:
        store.close()


def test_sync_account_reports_progress_for_the_app(
    tmp_path: Path, server: HTTPServer, store: Store
) -> None:
    """What the app calls: the config's account, progress by stage, a report."""
    from newsreader.config import load_config
    from newsreader.sources.accounts import AccountError
    from newsreader.sync import SyncProgress, sync_account

    fever = FakeFever()
    fever.add_items(120)
    fever.install(server)
    config = load_config(write_config(tmp_path, server.url_for("/fever/"), USER, PASSWORD))
    steps: list[SyncProgress] = []
    report = sync_account(config, store, steps.append)
    assert report.new_items == 120 and report.queued == 0
    stages = [s.stage for s in steps]
    assert stages[:2] == ["connect", "feeds"] and stages[-2:] == ["state", "done"]
    assert [(s.done, s.total) for s in steps if s.stage == "items"] == [
        (50, 120),
        (100, 120),
        (120, 120),
    ]
    assert steps[-1].message.startswith("synced: 1 feed(s), 120 new article(s)")

    (tmp_path / "plain.toml").write_text("[settings]\n", "utf-8")
    with pytest.raises(AccountError, match="no \\[account\\]"):
        sync_account(load_config(tmp_path / "plain.toml"), store)
