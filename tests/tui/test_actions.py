"""The action registry: one entry per action, and remappings that collide are reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tui_helpers import add_articles, write_config

from newsreader.config import load_config
from newsreader.store import Store
from newsreader.tui import actions
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.widgets.article_list import ArticleList

App = Callable[..., NewsreaderApp]


def test_every_action_is_listed_once_and_bound_where_it_applies() -> None:
    ids = [a.id for a in actions.ACTIONS]
    assert len(ids) == len(set(ids))
    listed = {b.id for b in ArticleList.BINDINGS if not isinstance(b, tuple)}
    assert listed == {a.id for a in actions.ACTIONS if a.scope is actions.Scope.ARTICLE_LIST}


def test_a_remapped_key_that_collides_is_reported_with_both_actions() -> None:
    problems = actions.keymap_problems({"quit": "j"})
    assert any("quit" in p and "cursor_down" in p for p in problems), problems
    assert actions.keymap_problems({"toggle_star": "x"}) == []
    assert actions.keymap_problems({"no_such_thing": "x"}) == [
        "Unknown action(s) in [keys]: no_such_thing"
    ]


async def test_the_user_is_warned_of_a_colliding_key(
    store: Store, make_app: App, tmp_path: Path
) -> None:
    add_articles(store, 3)
    path = tmp_path / "keys.toml"
    write_config(path)
    path.write_text(path.read_text() + '\n[keys]\nquit = "j"\n')
    app = make_app(load_config(path))
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert any("quit" in w and "cursor_down" in w for w in warnings), warnings
        # Where both apply, the list's cursor keeps j (the app is still running).
        await pilot.press("j")
        await pilot.pause()
        assert app.main.articles.cursor == 1
        assert app.is_running


async def test_help_rows_and_palette_come_from_the_registry(store: Store, make_app: App) -> None:
    from newsreader.tui.palette import ActionsProvider

    app = make_app()
    async with app.run_test(size=(120, 35)):
        rows = app.help_rows()
        described = {description for _, description in rows}
        for action in actions.palette_actions():
            assert action.description in described
        titles = [hit.text async for hit in ActionsProvider(app.screen).discover()]
        assert titles == [a.title for a in actions.palette_actions() if a.id != "open_link_1"]
