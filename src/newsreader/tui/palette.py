"""The command palette's entries: every action of the registry, and the open article's links."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from newsreader.ingest.sanitize import clean_line
from newsreader.tui.actions import Action, Scope, palette_actions
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.article_pane import ArticlePane

Command = tuple[str, str, Callable[[], Awaitable[None]]]


class ActionsProvider(Provider):
    """Offers the actions of the main screen (nothing on other screens)."""

    def _commands(self) -> Iterator[Command]:
        screen = self.screen
        listing = screen.query(ArticleList).first() if screen.query(ArticleList) else None
        if listing is None:
            return
        panes = screen.query(ArticlePane)
        links = panes.first().links if panes else []
        for action in palette_actions():
            if action.id == "open_link_1":
                for number, url in enumerate(links[:9], start=1):
                    yield (
                        f"Open link {number}",
                        clean_line(url, 100),
                        partial(screen.run_action, f"open_link({number})"),
                    )
                continue
            yield action.title, action.description, partial(self._run, action, listing)

    async def _run(self, action: Action, listing: ArticleList) -> None:
        if action.scope is Scope.ARTICLE_LIST:
            await listing.run_action(action.run)
        else:
            await self.screen.run_action(action.run)

    async def discover(self) -> Hits:
        for title, description, run in self._commands():
            yield DiscoveryHit(title, run, help=description)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, description, run in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=description)
