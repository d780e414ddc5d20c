"""Workers started on the UI thread are named in a few words: Textual otherwise describes a
worker by the repr of its arguments, made on the UI thread (a view's 100,000 keys took 50 ms,
a long article's whole text as long as it is)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.worker import Worker
from tui_helpers import add_articles

from newsreader.store import Store
from newsreader.tui.app import NewsreaderApp

App = Callable[..., NewsreaderApp]


@pytest.fixture
def descriptions(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The description of every worker made from now on."""
    made: list[str] = []
    original = Worker.__init__

    def init(self: Worker[Any], *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append(self.description)

    monkeypatch.setattr(Worker, "__init__", init)
    yield made


async def test_reading_a_view_again_names_its_worker_briefly(
    store: Store, make_app: App, descriptions: list[str]
) -> None:
    add_articles(store, 600)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        listing = app.main.articles
        assert listing.rows.keys is not None and len(listing.rows.keys) == 600
        descriptions.clear()
        listing.reload()  # with the 600 keys known
        await pilot.press("G")  # pages read far from the first
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert descriptions
        assert max(len(d) for d in descriptions) < 200, descriptions


async def test_drawing_a_long_article_names_its_worker_briefly(
    store: Store, make_app: App, descriptions: list[str]
) -> None:
    add_articles(store, 1)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("enter")  # the pane open, at its width
        await app.workers.wait_for_complete()
        await pilot.pause()
        descriptions.clear()
        body = app.main.pane.long_body
        body.show("\n\n".join(f"## Part {n}\n\n" + "Words to read. " * 60 for n in range(40)))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert body.complete and len(body.headings) == 40
        assert descriptions
        assert max(len(d) for d in descriptions) < 200, descriptions
