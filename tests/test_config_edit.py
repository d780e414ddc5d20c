"""Editing feeds.toml in place: removing every feed and adding again leaves a valid file."""

from __future__ import annotations

from pathlib import Path

from newsreader.config import load_config
from newsreader.config_edit import add_feed, remove_feed

CONFIG = """# notes
[settings]
timeout = 5

[[feeds]]
url = "https://a.example/rss"

[[feeds]]
url = "https://b.example/rss"
title = "B"
"""


def test_remove_every_feed_then_add_again(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(CONFIG, "utf-8")
    remove_feed(path, "https://a.example/rss")
    remove_feed(path, "https://b.example/rss")
    assert load_config(path).feeds == ()
    assert "feeds = []" not in path.read_text("utf-8")
    add_feed(path, "https://c.example/rss", "C", ["news"])
    config = load_config(path)
    assert [(f.url, f.title, f.tags) for f in config.feeds] == [
        ("https://c.example/rss", "C", ("news",))
    ]
    assert config.settings.timeout == 5 and "# notes" in path.read_text("utf-8")


def test_add_to_a_file_with_an_empty_inline_feeds_array(tmp_path: Path) -> None:
    # What an earlier version wrote after removing the last feed.
    path = tmp_path / "feeds.toml"
    path.write_text("feeds = []\n[settings]\ntimeout = 5\n", "utf-8")
    add_feed(path, "https://c.example/rss")
    assert [f.url for f in load_config(path).feeds] == ["https://c.example/rss"]


def test_remove_the_last_stored_folder_then_add_a_feed(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    path = tmp_path / "feeds.toml"
    path.write_text(f'[[stored]]\npath = "{folder}"\n', "utf-8")
    [stored] = load_config(path).stored
    remove_feed(path, stored.url)
    add_feed(path, "https://c.example/rss")
    config = load_config(path)
    assert config.stored == () and [f.url for f in config.feeds] == ["https://c.example/rss"]
