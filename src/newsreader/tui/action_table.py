"""Every action of the app, once: its id, default keys, description and where it applies.

This is data; :mod:`newsreader.tui.actions` turns it into bindings, help rows and palette
entries and checks a user's ``[keys]`` against it.
"""

from __future__ import annotations

from newsreader.tui.action_model import Action, Scope
from newsreader.tui.action_moving import MOVING

__all__ = ["ACTIONS", "Action", "Scope"]


def _links() -> list[Action]:
    return [
        Action(
            f"open_link_{n}",
            str(n),
            f"Open link {n}",
            "Open the article's numbered links",
            Scope.MAIN,
            action=f"open_link({n})",
            help=False,
        )
        for n in range(1, 10)
    ]


# In help and palette order.
ACTIONS: tuple[Action, ...] = (
    *MOVING,
    Action(
        "next_unread",
        "n",
        "Next unread",
        "Open the next unread article",
        Scope.MAIN,
    ),
    Action(
        "previous_unread", "p", "Previous unread", "Open the previous unread article", Scope.MAIN
    ),
    Action(
        "next_section",
        "right_square_bracket",
        "Next section",
        "Jump to the next section heading",
        Scope.MAIN,
        footer="Section",
    ),
    Action(
        "previous_section",
        "left_square_bracket",
        "Previous section",
        "Jump to the previous section heading",
        Scope.MAIN,
    ),
    Action(
        "page_down",
        "space",
        "Page down",
        "Page down the open article; at its end, open the next unread article",
        Scope.MAIN,
    ),
    Action(
        "next_match",
        "full_stop",
        "Next match",
        "Jump to the next word of the active search in the article",
        Scope.MAIN,
    ),
    Action(
        "previous_match",
        "comma",
        "Previous match",
        "Jump to the previous word of the active search in the article",
        Scope.MAIN,
    ),
    Action(
        "full_screen",
        "z",
        "Full-screen reading",
        "Give the article the whole screen, and back",
        Scope.MAIN,
        priority=True,
    ),
    Action(
        "toggle_star",
        "s",
        "Star / unstar",
        "Star or unstar the article",
        Scope.MAIN,
        footer="Star",
        tooltip="Star or unstar",
    ),
    Action(
        "toggle_read",
        "m",
        "Read / unread",
        "Mark the article read or unread",
        Scope.MAIN,
        footer="Read",
        tooltip="Toggle read/unread",
    ),
    Action(
        "mark_all_read", "A", "Mark all read", "Mark every article in this view read", Scope.MAIN
    ),
    Action(
        "undo", "u", "Undo mark all read", "Undo the last mark-all-read", Scope.MAIN, footer="Undo"
    ),
    Action("open_browser", "o", "Open in browser", "Open the article's web page", Scope.MAIN),
    Action(
        "open_link_1",
        "1",
        "Open link 1-9",
        "Open the article's numbered links (a number it does not have says so)",
        Scope.MAIN,
        action="open_link(1)",
    ),
    *_links()[1:],
    Action(
        "fetch_full_text",
        "F",
        "Fetch full text",
        "Fetch and show the article's full text",
        Scope.MAIN,
    ),
    Action(
        "link_picker",
        "L",
        "Links",
        "List the article's links, images and attachments; open one by its number",
        Scope.MAIN,
        action="link_picker",
    ),
    Action(
        "toggle_outline",
        "t",
        "Toggle outline",
        "Show or hide the article's outline of sections",
        Scope.MAIN,
    ),
    Action(
        "toggle_images",
        "i",
        "Toggle pictures",
        "Show or hide the article's pictures (for this session)",
        Scope.MAIN,
    ),
    Action(
        "view_picture",
        "I",
        "View picture",
        "Show the picture in view full screen; o there opens it in the browser",
        Scope.MAIN,
    ),
    Action(
        "toggle_hide_read",
        "H",
        "Hide / show read",
        "Hide read articles in the lists, or show them again (remembered)",
        Scope.MAIN,
    ),
    Action(
        "toggle_feeds",
        "f",
        "Toggle feed list",
        "Show or hide the feed list (at any width)",
        Scope.MAIN,
        priority=True,
    ),
    Action(
        "next_pane",
        "tab",
        "Next pane",
        "Move to the next pane shown: feeds, articles, the article, its outline",
        Scope.MAIN,
        priority=True,
    ),
    Action(
        "previous_pane",
        "shift+tab",
        "Previous pane",
        "Move to the previous pane shown",
        Scope.MAIN,
        priority=True,
    ),
    Action(
        "refresh",
        "r",
        "Refresh feed",
        "Refresh the selected feed (or tag)",
        Scope.MAIN,
        footer="Refresh",
        tooltip="Refresh the selected feed",
    ),
    Action(
        "refresh_all",
        "R",
        "Refresh all",
        "Refresh every feed, sync the account",
        Scope.MAIN,
    ),
    Action(
        "search",
        "slash",
        "Search",
        "Search all articles as you type",
        Scope.MAIN,
        footer="Search",
        tooltip="Search all articles",
        priority=True,
    ),
    Action(
        "save_search",
        "S",
        "Save search",
        "Save the current search as a feed (asks for a name; kept in feeds.toml)",
        Scope.MAIN,
    ),
    Action(
        "delete_saved_search",
        "D",
        "Delete saved search",
        "Delete the saved search highlighted in the feed list (asks first; from feeds.toml)",
        Scope.MAIN,
    ),
    Action(
        "back",
        "escape",
        "Back",
        "Clear the search / back to the article list",
        Scope.MAIN,
        help=False,
        priority=True,
    ),
    Action(
        "cancel_search",
        "escape",
        "Clear search",
        "Clear the search",
        Scope.SEARCH_BAR,
        action="cancel",
        help=False,
        footer="Clear search",
        priority=True,
    ),
    Action(
        "search_results",
        "enter,down",
        "Results",
        "Go to the results",
        Scope.SEARCH_BAR,
        action="submit",
        help=False,
        priority=True,
    ),
    Action(
        "help",
        "question_mark",
        "Help",
        "Show every key",
        Scope.MAIN,
        action="app.help",
        footer="Help",
        tooltip="Show every key",
    ),
    Action(
        "quit",
        "q",
        "Quit",
        "Leave newsreader",
        Scope.MAIN,
        action="app.quit",
        footer="Quit",
        tooltip="Leave newsreader",
    ),
)
