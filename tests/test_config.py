"""feeds.toml: defaults, validation with file/line/key errors, locations."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.config import ConfigError, Settings, default_config_text, ensure_config, load_config
from newsreader.paths import config_path, db_path


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, "utf-8")
    return path


def test_packaged_default_is_valid_and_matches_top_level_file(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    assert ensure_config(path)
    config = load_config(path)
    assert len(config.feeds) >= 5
    assert all(feed.url.startswith("https://") and feed.tags for feed in config.feeds)
    top_level = Path(__file__).resolve().parents[1] / "feeds.toml"
    assert top_level.read_text("utf-8") == default_config_text()


def test_ensure_config_never_overwrites(tmp_path: Path) -> None:
    path = write(tmp_path, "# mine\n")
    assert not ensure_config(path)
    assert path.read_text("utf-8") == "# mine\n"


def test_full_config(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    path = write(
        tmp_path,
        f"""
[settings]
refresh_on_start = false
timeout = 5
retention = 200

[keys]
refresh_all = "R,f5"

[[feeds]]
url = "https://example.org/rss"
title = "Example"
tags = ["news", "world"]
retention = 50

[[feeds]]
url = "file:///srv/feed.xml"

[[stored]]
path = "{folder}"
title = "Saved"

[[stored]]
path = "relative/folder"
""",
    )
    config = load_config(path)
    assert config.settings == Settings(refresh_on_start=False, timeout=5.0, retention=200)
    assert config.keys == {"refresh_all": "R,f5"}
    assert config.feeds[0].tags == ("news", "world") and config.feeds[0].retention == 50
    assert config.feeds[1].title == ""
    assert config.stored[0].path == folder and config.stored[0].title == "Saved"
    assert config.stored[1].path == (tmp_path / "relative" / "folder").resolve()
    assert config.stored[1].title == "folder"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[feeds]]\nurl = "https://a.example/"\n\n[[feeds]]\ntitle = "x"\nurl = 5\n',
            r"line 6: feeds\[2\]\.url: must be a string, got 5",
        ),
        (
            '[[feeds]]\nurl = "https://a.example/"\ntags = "ok"\n\n[[feeds]]\nurl = "x"\ntags = [1]\n',
            r"line 6: feeds\[2\]\.url: must be an http",
        ),
        ('[settings]\ntimeout = "soon"\n', r"line 2: settings\.timeout: must be int or float"),
        ("[settings]\nrefresh_on_start = 1\n", r"line 2: settings\.refresh_on_start: must be bool"),
        ('[settings]\ncolour = "red"\n', r"line 2: settings\.colour: unknown setting"),
        (
            '[[feeds]]\nurl = "https://a.example/"\nurll = "x"\n',
            r"line 3: feeds\[1\]\.urll: unknown key",
        ),
        (
            '[[feeds]]\nurl = "https://a.example/"\n[[feeds]]\nurl = "https://a.example/"\n',
            r"line 4: feeds\[2\]\.url: https://a.example/ is listed twice",
        ),
        ('[[stored]]\ntitle = "x"\n', r"line 1: stored\[1\]: missing or empty"),
        ("[keys]\nquit = 3\n", r"line 2: keys\.quit: must be a key name"),
        ("feeds = 3\n", r"feeds: must be an array of tables"),
        ('[[feeds]\nurl = "x"\n', r"line 1"),
        ("[settings]\ntimeout = -1\n", r"settings\.timeout: must be greater than 0"),
    ],
)
def test_errors_name_file_line_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=expected) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert path.read_text("utf-8") == text  # nothing written


def test_unreadable_config(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(path)
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "missing.toml")


def test_locations_follow_flags_then_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSREADER_CONFIG", str(tmp_path / "env.toml"))
    monkeypatch.setenv("NEWSREADER_DB", str(tmp_path / "env.db"))
    assert config_path() == tmp_path / "env.toml"
    assert db_path() == tmp_path / "env.db"
    assert config_path(str(tmp_path / "flag.toml")) == tmp_path / "flag.toml"
    assert db_path(str(tmp_path / "flag.db")) == tmp_path / "flag.db"
    monkeypatch.delenv("NEWSREADER_CONFIG")
    monkeypatch.delenv("NEWSREADER_DB")
    assert config_path().name == "feeds.toml" and "newsreader" in str(config_path())
    assert db_path().name == "newsreader.db" and "newsreader" in str(db_path())


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1.5", "0"])
def test_timeout_must_be_a_finite_positive_number(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, f"[settings]\ntimeout = {value}\n")
    with pytest.raises(ConfigError, match=r"line 2: settings\.timeout: must be"):
        load_config(path)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_bytes(b'\xef\xbb\xbf[[feeds]]\nurl = "https://a.example/"\ntitle = "A"\n')
    config = load_config(path)
    assert [(f.url, f.title) for f in config.feeds] == [("https://a.example/", "A")]


def test_a_stored_path_that_is_not_a_string_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, "[[stored]]\npath = 5\n")
    with pytest.raises(ConfigError, match=r"line 2: stored\[1\]\.path: must be a string, got 5"):
        load_config(path)
