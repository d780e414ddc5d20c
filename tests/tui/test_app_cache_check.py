"""The app checks its cache for damage after the first paint: it says so and stops writing."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from tui_helpers import NOW

from damaged_cache import Built, build_cache
from newsreader.context import AppContext, open_context
from newsreader.model import ArticleSummary
from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_cache(tmp_path_factory.mktemp("built"))


def notes_of(app: NewsreaderApp) -> list[tuple[str, str]]:
    notes: list[tuple[str, str]] = []
    original = app.notify

    def notify(message: str, **kwargs: object) -> None:
        notes.append((message, str(kwargs.get("severity", "information"))))
        original(message, **kwargs)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    return notes


async def wait_for(pilot: object, condition: Callable[[], bool], seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)  # type: ignore[attr-defined]
        if condition():
            return


def damaged_copy(built: Built, db: Path) -> None:
    """A copy of the cache with a page in its middle overwritten (it still opens)."""
    data = bytearray(built.db.read_bytes())
    middle = len(data) // 4096 // 2 * 4096
    data[middle + 8 : middle + 900] = b"\x5a" * 892
    db.write_bytes(bytes(data))


async def open_first_unread(app: NewsreaderApp, pilot: object) -> ArticleSummary:
    """Move to the first unread article and open it with Enter (which marks it read)."""
    listing = app.main.articles
    rows = [listing.article_at(r) for r in range(min(listing.count, 20))]
    row = next(r for r, a in enumerate(rows) if a is not None and not a.read)
    await pilot.press(*["j"] * row, "enter")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: app.main.pane.article is not None)
    await app.workers.wait_for_complete()
    summary = rows[row]
    assert summary is not None and app.main.pane.article is not None
    assert app.main.pane.article.id == summary.id
    return summary


def open_app(built: Built, db: Path) -> tuple[AppContext, NewsreaderApp]:
    ctx = open_context(str(built.config), str(db), check=False)  # as ``newsreader`` does
    return ctx, NewsreaderApp(ctx, clock=lambda: NOW)


async def test_damage_is_said_and_writes_stop(built: Built, tmp_path: Path) -> None:
    db = tmp_path / "newsreader.db"
    damaged_copy(built, db)
    ctx, app = open_app(built, db)
    notes = notes_of(app)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: any("is damaged" in t for t, _ in notes))
            await app.workers.wait_for_complete()
            damage = [(t, s) for t, s in notes if "is damaged" in t]
            assert len(damage) == 1, notes
            text, severity = damage[0]
            assert text.startswith(f"the cache {db} is damaged") and severity == "error"
            assert app.sub_title == "Cache damaged: read only"
            assert not ctx.store.writable
            first = await open_first_unread(app, pilot)  # would mark it read
            await pilot.press("R")  # a refresh stores nothing, and says why
            await wait_for(pilot, lambda: app.sub_title == "Refresh failed")
            await app.workers.wait_for_complete()
            assert app.is_running
    finally:
        ctx.close()
    reader = Store.open_reader(db)
    try:
        article = reader.article(first.id)
        assert article is not None and not article.read
    finally:
        reader.close()


async def test_a_sound_cache_is_checked_then_written(built: Built, tmp_path: Path) -> None:
    db = tmp_path / "newsreader.db"
    shutil.copyfile(built.db, db)
    ctx, app = open_app(built, db)
    notes = notes_of(app)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert ctx.checked == db  # found sound: the session's writes are recorded clean
            assert not [t for t, _ in notes if "damaged" in t]
            first = await open_first_unread(app, pilot)
            assert ctx.store.article(first.id).read  # type: ignore[union-attr]
    finally:
        ctx.close()
