"""Syncing from the app (``R`` and on start) with a small Fever server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fake_fever import PASSWORD, USER, FakeFever
from pytest_httpserver import HTTPServer
from sync_helpers import write_config
from textual.widgets import Input

from newsreader.config import load_config
from newsreader.context import AppContext, sync_sources
from newsreader.sources import accounts
from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.screens.password import PasswordScreen

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_password_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither the environment nor an earlier test's answer gives a password."""
    monkeypatch.delenv(accounts.PASSWORD_VARIABLE, raising=False)
    monkeypatch.setattr(accounts, "_asked", {})


@pytest.fixture
def fever(server: HTTPServer) -> FakeFever:
    fake = FakeFever()
    fake.add_items(3)
    fake.install(server)
    return fake


def make_app(store: Store, config_path: Path) -> NewsreaderApp:
    config = load_config(config_path)
    sync_sources(store, config)  # as ``newsreader`` does: the bundled welcome article
    return NewsreaderApp(AppContext(config=config, store=store), clock=lambda: NOW)


def notes_of(app: NewsreaderApp) -> list[tuple[str, str]]:
    """Every notification's (text, severity), from now on."""
    notes: list[tuple[str, str]] = []
    original = app.notify

    def notify(message: str, **kwargs: object) -> None:
        notes.append((message, str(kwargs.get("severity", "information"))))
        original(message, **kwargs)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    return notes


async def wait_for(pilot: object, condition: Callable[[], bool], seconds: float = 8) -> None:
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)  # type: ignore[attr-defined]
        if condition():
            return


def titles(app: NewsreaderApp) -> set[str]:
    listing = app.main.articles
    return {listing.article_at(r).title for r in range(listing.count)}  # type: ignore[union-attr]


def synced(notes: list[tuple[str, str]]) -> bool:
    return any(text.startswith(("Synced:", "Sync failed")) for text, _ in notes)


async def test_refresh_all_syncs_and_the_servers_articles_appear(
    store: Store, tmp_path: Path, server: HTTPServer, fever: FakeFever
) -> None:
    config = write_config(tmp_path, server.url_for("/fever/"), USER, PASSWORD)
    app = make_app(store, config)
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        assert "Item 1" not in titles(app)  # refresh_on_start is off: no sync yet
        notes = notes_of(app)
        subtitles: list[str] = []
        app.watch(app, "sub_title", lambda title: subtitles.append(title), init=False)
        await pilot.press("R")
        await wait_for(pilot, lambda: synced(notes))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (
            "Synced: 1 feed(s), 3 new article(s), 0 change(s) sent, 0 change(s) received",
            "information",
        ) in notes, notes
        assert any(s.startswith("Syncing") for s in subtitles), subtitles
        assert {"Item 1", "Item 2", "Item 3"} <= titles(app)
        views = {v.key.split("/")[-1]: v for v in app.main.feeds.views}
        feed = next(v for v in app.main.feeds.views if v.title == "Feed one")
        assert feed.unread == 3
        assert "tag:news" in views  # the server's group is the feed's tag
        # Reading a server article here is queued and sent by the next R.
        listing = app.main.articles
        row = [listing.article_at(r).title for r in range(listing.count)].index("Item 3")  # type: ignore[union-attr]
        await pilot.press(*["j"] * row, "enter")
        await wait_for(pilot, lambda: app.main.pane.article is not None)
        await app.workers.wait_for_complete()
        assert app.main.pane.article is not None and app.main.pane.article.title == "Item 3"
        notes.clear()
        await pilot.press("R")
        await wait_for(pilot, lambda: synced(notes))
        assert any("1 change(s) sent" in text for text, _ in notes), notes
        assert ("read", 3) in fever.marks


async def test_a_wrong_password_is_one_line_and_the_app_keeps_working(
    store: Store, tmp_path: Path, server: HTTPServer, fever: FakeFever
) -> None:
    config = write_config(tmp_path, server.url_for("/fever/"), USER, "not the password")
    app = make_app(store, config)
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        notes = notes_of(app)
        await pilot.press("R")
        await wait_for(pilot, lambda: synced(notes))
        failures = [(t, s) for t, s in notes if t.startswith("Sync failed")]
        assert len(failures) == 1, notes
        text, severity = failures[0]
        assert severity == "error"
        assert "refused the username or password" in text
        assert "\n" not in text
        assert app.sub_title == "Sync failed"
        assert not app.main.syncer.running
        # Still working: moving, opening, and another sync that fails the same way.
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.main.pane.article is not None)
        assert app.main.pane.article is not None
        notes.clear()
        await pilot.press("R")
        await wait_for(pilot, lambda: synced(notes))
        assert [t for t, _ in notes if t.startswith("Sync failed")] == [text]


def ask_config(tmp_path: Path, url: str, refresh_on_start: bool) -> Path:
    """An account without password_command (the app has to ask)."""
    path = tmp_path / "ask.toml"
    path.write_text(
        f"[settings]\nrefresh_on_start = {str(refresh_on_start).lower()}\ntimeout = 5\n\n"
        f'[account]\nkind = "fever"\nurl = "{url}"\nusername = "{USER}"\n',
        "utf-8",
    )
    return path


async def test_on_start_the_password_is_asked_masked_and_the_app_syncs(
    store: Store, tmp_path: Path, server: HTTPServer, fever: FakeFever
) -> None:
    app = make_app(store, ask_config(tmp_path, server.url_for("/fever/"), True))
    notes = notes_of(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PasswordScreen))
        assert isinstance(app.screen, PasswordScreen)
        field = app.screen.query_one("#password-input", Input)
        assert field.password  # masked
        assert app.focused is field
        await pilot.press(*PASSWORD, "enter")
        await wait_for(pilot, lambda: synced(notes))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is app.main
        assert any(t.startswith("Synced: 1 feed(s), 3 new") for t, _ in notes), notes
        assert PASSWORD not in "".join(t for t, _ in notes)
        assert {"Item 1", "Item 2", "Item 3"} <= titles(app)


async def test_a_wrongly_typed_password_is_asked_again_on_the_next_sync(
    store: Store, tmp_path: Path, server: HTTPServer, fever: FakeFever
) -> None:
    app = make_app(store, ask_config(tmp_path, server.url_for("/fever/"), False))
    notes = notes_of(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(app.screen, PasswordScreen))
        await pilot.press(*"wrong", "enter")
        await wait_for(pilot, lambda: synced(notes))
        assert any("refused" in t for t, _ in notes if t.startswith("Sync failed")), notes
        notes.clear()
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(app.screen, PasswordScreen))
        assert isinstance(app.screen, PasswordScreen)
        await pilot.press(*PASSWORD, "enter")
        await wait_for(pilot, lambda: synced(notes))
        assert any(t.startswith("Synced:") for t, _ in notes), notes


async def test_escape_in_the_password_dialog_skips_the_sync(
    store: Store, tmp_path: Path, server: HTTPServer, fever: FakeFever
) -> None:
    app = make_app(store, ask_config(tmp_path, server.url_for("/fever/"), False))
    notes = notes_of(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(app.screen, PasswordScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: synced(notes))
        assert ("Sync failed: no password given", "error") in notes, notes
        assert app.screen is app.main
