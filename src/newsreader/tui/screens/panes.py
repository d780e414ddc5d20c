"""Which panes the main screen shows and which has the focus: Tab, ``f`` and ``z``.

Tab and Shift+Tab go round the panes that are shown (feed list, article list, the article's
body, its outline), never into the search bar. ``f`` shows or hides the feed list whatever the
width (until it is pressed again, the width decides), ``z`` gives the article the whole screen.
The focus moves at once, not on the next turn of the event loop: the keys typed next land where
the focus went (the bindings that move it are priority bindings, run as their key arrives).
"""

from __future__ import annotations

from typing import Literal

from textual.screen import Screen
from textual.widget import Widget

from newsreader.tui import wording
from newsreader.tui.widgets.article_list import ArticleList
from newsreader.tui.widgets.article_pane import ArticlePane
from newsreader.tui.widgets.feed_list import FeedList
from newsreader.tui.widgets.search_bar import SearchBar

FEEDS_SHOWN = "-feeds-shown"  # the user showed the feed list (f), at any width
FEEDS_HIDDEN = "-feeds-hidden"  # the user hid it
FULL_ARTICLE = "-full-article"  # z: the article alone

# Priority actions that must not run while the search bar has the focus: their keys are typed
# there, or the bar's own binding answers them (Esc).
TYPED_IN_SEARCH = frozenset({"search", "full_screen", "toggle_feeds", "back"})


class PanesScreen(Screen[None]):
    """A screen with a feed list, an article list and an article pane (a base class)."""

    feeds: FeedList
    articles: ArticleList
    pane: ArticlePane
    search_bar: SearchBar

    # -- focus ------------------------------------------------------------------------------

    def shown_panes(self) -> list[Widget]:
        """The panes Tab goes round, in order: those on screen now."""
        chain = set(self.focus_chain)
        panes: list[Widget] = [self.feeds, self.articles, self.pane.scroller, self.pane.outline]
        return [pane for pane in panes if pane in chain]

    def _cycle(self, step: Literal[-1, 1]) -> None:
        panes = self.shown_panes()
        if not panes:
            return
        focused = self.focused
        index = next(
            (
                i
                for i, pane in enumerate(panes)
                if focused is not None and pane in focused.ancestors_with_self
            ),
            None,
        )
        if index is None:  # from the search bar (or nowhere): the list
            target = self.articles if self.articles in panes else panes[0]
        else:
            target = panes[(index + step) % len(panes)]
        self.set_focus(target)

    def action_next_pane(self) -> None:
        self._cycle(1)

    def action_previous_pane(self) -> None:
        self._cycle(-1)

    # -- the feed list ----------------------------------------------------------------------

    @property
    def feeds_shown(self) -> bool:
        """Whether the feed list is shown: the user's choice (f), else the width's."""
        if self.has_class(FEEDS_SHOWN):
            return True
        if self.has_class(FEEDS_HIDDEN):
            return False
        return not self.has_class("-narrow")

    def action_toggle_feeds(self) -> None:
        show = not self.feeds_shown or self.has_class(FULL_ARTICLE)
        self.remove_class(FULL_ARTICLE)  # f while reading full-screen: the feeds, to choose
        self.set_class(show, FEEDS_SHOWN)
        self.set_class(not show, FEEDS_HIDDEN)
        if show:
            self.set_focus(self.feeds)  # shown to choose a feed: it takes the keys
        elif (
            not show and self.focused is not None and self.feeds in self.focused.ancestors_with_self
        ):
            self.set_focus(self.articles)

    # -- full-screen reading ----------------------------------------------------------------

    def action_full_screen(self) -> None:
        self.toggle_class(FULL_ARTICLE)
        if self.has_class(FULL_ARTICLE):
            self.set_focus(self.pane.scroller)
        elif self.focused is None or self.focused not in self.shown_panes():
            self.set_focus(self.articles)

    # -- the outline ------------------------------------------------------------------------

    def action_toggle_outline(self) -> None:
        if self.pane.outline.option_count == 0:
            self.notify(wording.no_outline())
            return
        self.pane.toggle_outline()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in TYPED_IN_SEARCH and self.focused is self.search_bar:
            return False  # the key is typed into the query
        if action == "full_screen":
            return True if self.pane.article is not None else None
        return super().check_action(action, parameters)
