"""Fixtures for the app's tests: a config without network feeds and an app on a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tui_helpers import NOW, write_config

from newsreader.config import Config
from newsreader.context import AppContext
from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp


@pytest.fixture(autouse=True)
def truecolor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draw in true colour whatever $TERM the tests run under (16 colours draw differently)."""
    import textual.constants

    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", "truecolor")


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return write_config(tmp_path / "feeds.toml")


@pytest.fixture
def make_app(store: Store, config: Config) -> Callable[..., NewsreaderApp]:
    def make(cfg: Config | None = None) -> NewsreaderApp:
        return NewsreaderApp(AppContext(config=cfg or config, store=store), clock=lambda: NOW)

    return make
