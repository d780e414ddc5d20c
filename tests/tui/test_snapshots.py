"""What the screen shows: main screen, the seed article, help, a narrow terminal.

Update after an intended change with ``pytest tests/tui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui_helpers import add_articles, import_seed

from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp

App = Callable[..., NewsreaderApp]


async def _settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen(snap_compare: Any, store: Store, make_app: App) -> None:
    add_articles(store, 40)
    ids = [a.id for a in store.list_articles(limit=5)]
    store.set_read(ids[1:3], read=True)
    store.set_starred([ids[2]], starred=True)
    assert snap_compare(make_app(), terminal_size=(120, 35), run_before=_settle)


def test_seed_article(
    snap_compare: Any, store: Store, make_app: App, shared_dir: Path, tmp_path: Path
) -> None:
    import_seed(store, shared_dir, tmp_path)

    async def open_and_jump(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 35), run_before=open_and_jump)


def test_help_screen(snap_compare: Any, store: Store, make_app: App) -> None:
    add_articles(store, 3)
    assert snap_compare(make_app(), press=["question_mark"], terminal_size=(120, 40))


def test_narrow_terminal(snap_compare: Any, store: Store, make_app: App) -> None:
    add_articles(store, 20)

    async def open_first(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=open_first)
