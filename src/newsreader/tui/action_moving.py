"""The actions of the article list, the article pane and the feed list: opening and moving.

Part of the one table of actions (:mod:`newsreader.tui.action_table`), in help order.
"""

from __future__ import annotations

from newsreader.tui.action_model import Action, Scope

MOVING: tuple[Action, ...] = (
    Action(
        "open",
        "enter",
        "Open article",
        "Open the highlighted article (marks it read)",
        Scope.ARTICLE_LIST,
        footer="Open",
        tooltip="Open the highlighted article",
    ),
    Action(
        "cursor_down",
        "down,j",
        "Down",
        "Next article or feed (scrolls the article when it has the focus)",
        Scope.ARTICLE_LIST,
    ),
    Action(
        "cursor_up",
        "up,k",
        "Up",
        "Previous article or feed (scrolls the article when it has the focus)",
        Scope.ARTICLE_LIST,
    ),
    Action(
        "page_down_list",
        "pagedown",
        "Page down a list",
        "A page down the list or the article",
        Scope.ARTICLE_LIST,
        action="page_down",
    ),
    Action(
        "page_up_list",
        "pageup",
        "Page up a list",
        "A page up the list or the article",
        Scope.ARTICLE_LIST,
        action="page_up",
    ),
    Action(
        "first",
        "home,g",
        "First article",
        "Go to the newest article, the first feed (the article's top when it has the focus)",
        Scope.ARTICLE_LIST,
    ),
    Action(
        "last",
        "end,G",
        "Last article",
        "Go to the oldest article, the last feed (the article's end when it has the focus)",
        Scope.ARTICLE_LIST,
    ),
    Action(
        "feed_down", "j", "Down", "Next feed", Scope.FEED_LIST, action="cursor_down", help=False
    ),
    Action("feed_up", "k", "Up", "Previous feed", Scope.FEED_LIST, action="cursor_up", help=False),
    Action(
        "scroll_down",
        "j",
        "Scroll down",
        "Scroll the article down a line",
        Scope.ARTICLE_PANE,
        help=False,
    ),
    Action(
        "scroll_up",
        "k",
        "Scroll up",
        "Scroll the article up a line",
        Scope.ARTICLE_PANE,
        help=False,
    ),
    Action("scroll_top", "g", "Top", "Go to the article's top", Scope.ARTICLE_PANE, help=False),
    Action(
        "scroll_bottom", "G", "Bottom", "Go to the article's end", Scope.ARTICLE_PANE, help=False
    ),
    Action(
        "feed_first",
        "home,g",
        "First feed",
        "Top of the feed list",
        Scope.FEED_LIST,
        action="first",
        help=False,
    ),
    Action(
        "feed_last",
        "end,G",
        "Last feed",
        "Bottom of the feed list",
        Scope.FEED_LIST,
        action="last",
        help=False,
    ),
    Action(
        "fold_tag",
        "left,h",
        "Fold tag",
        "Fold a tag in the feed list (Enter on a tag folds or unfolds it)",
        Scope.FEED_LIST,
    ),
    Action("unfold_tag", "right,l", "Unfold tag", "Unfold a tag in the feed list", Scope.FEED_LIST),
    Action(
        "choose_feed",
        "enter",
        "Read feed",
        "Read the highlighted feed: its articles take the keys (on a tag: fold or unfold it)",
        Scope.FEED_LIST,
        action="choose",
        help=False,
        priority=True,
    ),
)
