"""``newsreader repair``: a damaged copy of a real cache is rebuilt, read/starred state first."""

from __future__ import annotations

from pathlib import Path

import pytest

from damaged_cache import ARTICLES, Built, build_cache, integrity_errors, recover_works
from newsreader.cli import main
from newsreader.store import Store
from newsreader.store.integrity import check_cache, is_recorded_clean


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_cache(tmp_path_factory.mktemp("built"))


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
