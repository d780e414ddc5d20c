"""The command line, run as a user runs it: a real process, config file and cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

OFFLINE_CONFIG = "[settings]\nrefresh_on_start = false\n"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsreader", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def config(isolated_home: Path) -> Path:
    path = Path(os.environ["NEWSREADER_CONFIG"])
    path.write_text(OFFLINE_CONFIG, "utf-8")
    return path


def test_version_and_help() -> None:
    from newsreader import __version__

    assert run("--version").stdout.strip() == f"newsreader {__version__}"
    for command in ("import", "list", "show", "mark", "feeds", "search"):
        result = run(command, "--help")
        assert result.returncode == 0 and "usage: newsreader" in result.stdout


def test_first_run_copies_default_config_and_imports_the_guide(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only the default location is created on first run (a named config must exist).
    monkeypatch.delenv("NEWSREADER_CONFIG")
    result = run("list", "--json")
    assert result.returncode == 0, result.stderr
    titles = [a["title"] for a in json.loads(result.stdout)]
    assert "Welcome to newsreader" in titles
    default = isolated_home / ".config" / "newsreader" / "feeds.toml"
    assert default.read_text("utf-8").startswith("# newsreader")
    feeds = json.loads(run("feeds", "--json").stdout)
    assert any(f["url"].startswith("https://") for f in feeds)
    for feed in feeds:
        assert {"id", "title", "url", "total", "unread", "status", "error"} <= feed.keys()


def test_import_list_show_mark_search_the_seed(config: Path, shared_dir: Path) -> None:
    seed = shared_dir / "fixtures" / "stored" / "trump-putin-budapest.txt"
    imported = run("import", str(seed))
    assert imported.returncode == 0, imported.stderr
    assert "1 new" in imported.stdout
    articles = json.loads(run("list", "--json", "--feed", "Imported").stdout)
    (article,) = articles
    assert set(article) >= {"id", "feed", "title", "link", "published", "read", "starred"}
    assert article["read"] is False and article["starred"] is False
    assert article["published"][:4].isdigit() and "T" in article["published"]
    shown = run("show", str(article["id"]))
    assert shown.returncode == 0
    assert "## The Tomahawk Missile Debate\n" in shown.stdout
    assert "Leave a Reply" not in shown.stdout
    text = run("show", str(article["id"]), "--format", "text").stdout
    assert "The Tomahawk Missile Debate" in text and "##" not in text

    assert run("mark", str(article["id"]), "--star", "--read").returncode == 2  # one at a time
    assert run("mark", str(article["id"]), "--star").returncode == 0
    assert run("mark", str(article["id"]), "--read").returncode == 0
    again = run("import", str(seed))
    assert "1 unchanged" in again.stdout
    (after,) = json.loads(run("list", "--json", "--starred").stdout)
    assert after["id"] == article["id"] and after["read"] and after["starred"]
    assert json.loads(run("list", "--json", "--unread", "--feed", "Imported").stdout) == []

    hits = json.loads(run("search", "tomahawk missiles", "--json").stdout)
    assert hits and hits[0]["id"] == article["id"]
    assert "**" in hits[0]["snippet"]
    assert json.loads(run("search", "zzzyxnothing", "--json").stdout) == []


def test_errors_are_one_line_without_traceback(config: Path, tmp_path: Path) -> None:
    for args in (("show", "99999"), ("mark", "99999", "--read"), ("list", "--feed", "nope")):
        result = run(*args)
        assert result.returncode == 1
        assert result.stderr.startswith("newsreader: error:") and "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1
    result = run("search", "!!!")
    assert result.returncode == 1 and "nothing to search for" in result.stderr


def test_broken_config_names_file_and_line_and_writes_nothing(config: Path) -> None:
    config.write_text('[settings]\nrefresh_on_start = "yes"\n', "utf-8")
    db = Path(os.environ["NEWSREADER_DB"])
    result = run("list")
    assert result.returncode == 2
    assert f"{config}, line 2: settings.refresh_on_start" in result.stderr
    assert "Traceback" not in result.stderr
    assert not db.exists()


def test_damaged_cache_is_refused_and_kept(config: Path) -> None:
    db = Path(os.environ["NEWSREADER_DB"])
    db.write_bytes(b"garbage" * 1000)
    result = run("list")
    assert result.returncode == 2 and "damaged or not a newsreader cache" in result.stderr
    assert db.read_bytes() == b"garbage" * 1000


def test_flags_override_environment(config: Path, tmp_path: Path) -> None:
    other_config = tmp_path / "other.toml"
    other_config.write_text(
        OFFLINE_CONFIG + '[[feeds]]\nurl = "https://example.org/feed"\n', "utf-8"
    )
    other_db = tmp_path / "other.db"
    result = run("--config", str(other_config), "--db", str(other_db), "feeds", "--json")
    assert result.returncode == 0, result.stderr
    assert "https://example.org/feed" in [f["url"] for f in json.loads(result.stdout)]
    assert other_db.exists() and not Path(os.environ["NEWSREADER_DB"]).exists()


def test_cache_damaged_past_its_header_gives_one_line(config: Path) -> None:
    assert run("list").returncode == 0  # creates the cache and imports the guide
    db = Path(os.environ["NEWSREADER_DB"])
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    data = bytearray(db.read_bytes())
    page = 4096
    data[page * 2 :] = b"\xa5" * (len(data) - page * 2)  # keep the header, ruin the pages
    db.write_bytes(bytes(data))
    result = run("list")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert str(db) in result.stderr
