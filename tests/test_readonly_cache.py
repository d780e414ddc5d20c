"""A cache that cannot be written: reading commands work, writing ones say plainly why not.

Root ignores permission bits, so the real-permission test runs the commands as the
unprivileged user ``nobody`` through ``setpriv`` when the suite runs as root (as itself
otherwise). The decision itself is also tested in-process with the access answers injected.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.cli import main
from newsreader.context import open_context, read_only_reason
from newsreader.render import article_markdown
from newsreader.store import StoreError

NOBODY = 65534
FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>
<link>https://example.org/</link><item><title>One</title><link>https://example.org/1</link>
<guid>one</guid><description>&lt;p&gt;Hello &lt;b&gt;there&lt;/b&gt;&lt;/p&gt;</description></item>
</channel></rss>"""


def _build(folder: Path) -> tuple[Path, Path, int]:
    """A config with one local feed and a cache refreshed from it; the feed article's id."""
    (folder / "feed.xml").write_text(FEED, "utf-8")
    config = folder / "feeds.toml"
    config.write_text(
        f'[settings]\nrefresh_on_start = false\n\n[[feeds]]\nurl = "{folder / "feed.xml"}"\n',
        "utf-8",
    )
    db = folder / "cache" / "newsreader.db"
    assert main(["--config", str(config), "--db", str(db), "refresh", "-q"]) == 0
    ctx = open_context(str(config), str(db))
    try:
        [article] = [a for a in ctx.store.list_articles() if a.title == "One"]
        assert ctx.store.article(article.id).body is None  # type: ignore[union-attr]
    finally:
        ctx.close()
    return config, db, article.id


def test_read_only_reason_follows_the_access_answers(tmp_path: Path) -> None:
    db = tmp_path / "newsreader.db"
    assert read_only_reason(db, lambda p, m: False) == ""  # to be created: the opener decides
    db.write_bytes(b"")
    assert read_only_reason(db, lambda p, m: True) == ""
    assert read_only_reason(db, lambda p, m: p != db) == "the file is not writable"
    folder_ro = read_only_reason(db, lambda p, m: p != tmp_path)
    assert folder_ro == f"its folder {tmp_path} is not writable"
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").write_bytes(b"")
    assert read_only_reason(db, lambda p, m: p != tmp_path) == ""  # SQLite's files are there


def test_injected_read_only_access_opens_a_reader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, db, article_id = _build(tmp_path)
    capsys.readouterr()
    with pytest.raises(StoreError, match=r"is read-only \(the file is not writable\): cannot mark"):
        open_context(str(config), str(db), action="mark", access=lambda p, m: False)
    ctx = open_context(str(config), str(db), writes=False, access=lambda p, m: False)
    try:
        assert not ctx.store.writable and ctx.warning == ""
        article = ctx.store.article(article_id)
        assert article is not None
        assert "Hello **there**" in article_markdown(ctx.store, article)  # not cached, no error
        with pytest.raises(StoreError, match="is read-only"):
            ctx.store.set_read([article_id])
    finally:
        ctx.close()


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder another user can reach (pytest's own temporary folders are private)."""
    folder = Path(tempfile.mkdtemp(prefix="newsreader-ro-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder)


def _as_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permission bits cannot be tested")
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


@pytest.mark.parametrize("folder_writable", [False, True], ids=["ro-folder", "rw-folder"])
def test_a_read_only_cache_reads_and_refuses_writes_plainly(
    shared_tmp: Path, folder_writable: bool
) -> None:
    prefix = _as_user()
    config, db, article_id = _build(shared_tmp)
    for path in [shared_tmp, *shared_tmp.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o444)
    if folder_writable:
        if prefix:
            os.chown(db.parent, NOBODY, NOBODY)
    else:
        db.parent.chmod(0o555)
    before = db.read_bytes()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                *prefix,
                sys.executable,
                "-m",
                "newsreader",
                "--config",
                str(config),
                "--db",
                str(db),
                *args,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "HOME": str(shared_tmp)},
            timeout=120,
        )

    for args in (["list"], ["show", str(article_id)], ["feeds"], ["search", "hello"]):
        result = run(*args)
        assert result.returncode == 0, (args, result.stderr)
        assert result.stderr == "", (args, result.stderr)
    assert "Hello **there**" in run("show", str(article_id)).stdout
    for args, verb in (
        (["mark", str(article_id), "--star"], "mark"),
        (["refresh"], "refresh"),
        (["import", str(shared_tmp / "feed.xml")], "import"),
    ):
        result = run(*args)
        assert result.returncode != 0, args
        assert f"the cache {db} is read-only" in result.stderr and f"cannot {verb}" in result.stderr
        assert "damaged" not in result.stderr and "OperationalError" not in result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
    assert db.read_bytes() == before
