"""Fixtures shared by the whole suite: an isolated config and cache, the shared corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from newsreader.store import Store

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the checkout; tests that need it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED} (expected beside the checkout)")
    return SHARED


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config, data and cache locations, never the user's."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("NEWSREADER_CONFIG", str(home / "feeds.toml"))
    monkeypatch.setenv("NEWSREADER_DB", str(home / "newsreader.db"))
    return home


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A real SQLite cache file in a temporary folder."""
    opened = Store.open(tmp_path / "cache" / "newsreader.db")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def shared_server() -> Iterator[HTTPServer]:
    """A real HTTP server on 127.0.0.1, shared by one test module."""
    from feed_server import start_server, stop_server

    running = start_server()
    yield running
    stop_server(running)


@pytest.fixture
def server(shared_server: HTTPServer) -> Iterator[HTTPServer]:
    """The module's HTTP server, with no handlers left from the previous test."""
    yield shared_server
    shared_server.clear()
