"""Every action of the app, once: its id, default keys, description and where it applies.

Key bindings, the ``?`` help rows and the command palette are all built from :data:`ACTIONS`;
:func:`keymap_problems` checks a user's ``[keys]`` table against it (unknown action names,
and keys that another action in the same place already answers to).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from textual.binding import Binding


class Scope(StrEnum):
    """Where an action's keys work (which node's bindings hold it)."""

    APP = "anywhere"
    MAIN = "main screen"
    ARTICLE_LIST = "article list"
    ARTICLE_PANE = "article pane"
    FEED_LIST = "feed list"
    SEARCH_BAR = "search bar"


@dataclass(frozen=True, slots=True)
class Action:
    """One action: ``id`` names it in ``[keys]``; ``action`` is what the binding runs."""

    id: str
    keys: str
    title: str
    description: str
    scope: Scope
    action: str = ""
    footer: str = ""  # the footer label; "" keeps it out of the footer
    tooltip: str = ""
    help: bool = True  # listed in ``?`` and the palette

    @property
    def run(self) -> str:
        return self.action or self.id


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
    Action(
        "open",
        "enter",
        "Open article",
        "Open the highlighted article (marks it read)",
        Scope.ARTICLE_LIST,
        footer="Open",
        tooltip="Open the highlighted article",
    ),
    Action("cursor_down", "down,j", "Down", "Next article", Scope.ARTICLE_LIST),
    Action("cursor_up", "up,k", "Up", "Previous article", Scope.ARTICLE_LIST),
    Action(
        "page_down_list",
        "pagedown",
        "Page down list",
        "A page down the list",
        Scope.ARTICLE_LIST,
        action="page_down",
        help=False,
    ),
    Action(
        "page_up_list",
        "pageup",
        "Page up list",
        "A page up the list",
        Scope.ARTICLE_LIST,
        action="page_up",
        help=False,
    ),
    Action("first", "home,g", "First article", "Go to the newest article", Scope.ARTICLE_LIST),
    Action("last", "end,G", "Last article", "Go to the oldest article", Scope.ARTICLE_LIST),
    Action(
        "feed_down", "j", "Down", "Next feed", Scope.FEED_LIST, action="cursor_down", help=False
    ),
    Action("feed_up", "k", "Up", "Previous feed", Scope.FEED_LIST, action="cursor_up", help=False),
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
    Action("page_down", "space", "Page down", "Page down the open article", Scope.MAIN),
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
        "Open the article's numbered links",
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
    Action("toggle_outline", "t", "Toggle outline", "Show or hide the section outline", Scope.MAIN),
    Action("toggle_feeds", "f", "Toggle feed list", "Show or hide the feed list", Scope.MAIN),
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
    ),
    Action(
        "back",
        "escape",
        "Back",
        "Clear the search / back to the article list",
        Scope.MAIN,
        help=False,
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
    ),
    Action(
        "search_results",
        "down",
        "Results",
        "Go to the results",
        Scope.SEARCH_BAR,
        action="submit",
        help=False,
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

BY_ID: dict[str, Action] = {a.id: a for a in ACTIONS}

# Rows of the help that are no action of ours (Textual's focus keys, the palette).
EXTRA_HELP: tuple[tuple[str, str], ...] = (
    ("tab shift+tab", "Move between panes"),
    ("esc", "Clear the search / back to the article list"),
    ("^p", "Command palette (every action, themes)"),
)

# The footer shows bindings in their order: these first, in this order (as it always has).
_FOOTER_ORDER = (
    "quit",
    "help",
    "search",
    "toggle_star",
    "toggle_read",
    "next_section",
    "refresh",
    "undo",
)


def bindings(scope: Scope) -> list[Binding]:
    """The key bindings of the actions that apply in ``scope``."""
    chosen = [a for a in ACTIONS if a.scope is scope]
    first = [a for a in chosen if a.id in _FOOTER_ORDER]
    first.sort(key=lambda a: _FOOTER_ORDER.index(a.id))
    ordered = first + [a for a in chosen if a.id not in _FOOTER_ORDER]
    return [
        Binding(
            a.keys,
            a.run,
            a.footer or a.title,
            show=bool(a.footer),
            id=a.id,
            tooltip=a.tooltip,
        )
        for a in ordered
    ]


def _overlap(one: Scope, other: Scope) -> bool:
    """Whether keys of ``one`` and ``other`` can be pressed at the same moment."""
    return one is other or Scope.APP in (one, other) or Scope.MAIN in (one, other)


def _split(keys: str) -> set[str]:
    return {k.strip() for k in keys.split(",") if k.strip()}


def keymap_problems(keymap: Mapping[str, str]) -> list[str]:
    """What is wrong with a ``[keys]`` table: unknown actions and colliding keys.

    A key the user gives an action collides when another action in the same place (or one
    of them anywhere on the main screen) answers to it too: the one nearer the focus would
    win, and the other would silently stop working.
    """
    problems: list[str] = []
    unknown = sorted(set(keymap) - set(BY_ID))
    if unknown:
        problems.append(f"Unknown action(s) in [keys]: {', '.join(unknown)}")
    effective = {a.id: _split(keymap.get(a.id, a.keys)) for a in ACTIONS}
    reported: set[frozenset[str]] = set()
    for remapped in (a for a in ACTIONS if a.id in keymap):
        for other in ACTIONS:
            if other.id == remapped.id or not _overlap(remapped.scope, other.scope):
                continue
            pair = frozenset((remapped.id, other.id))
            shared = effective[remapped.id] & effective[other.id]
            if shared and pair not in reported:
                reported.add(pair)
                keys = ", ".join(sorted(shared))
                problems.append(
                    f'[keys]: "{keys}" for {remapped.id} is also the key of {other.id} '
                    f"({other.title}, {other.scope}): one of them will not work"
                )
    return problems


def help_rows(
    keymap: Mapping[str, str], key_display: Callable[[Binding], str]
) -> list[tuple[str, str]]:
    """(keys, description) for every action, with ``keymap`` applied."""

    def shown(action_id: str) -> str:
        action = BY_ID[action_id]
        keys = keymap.get(action_id, action.keys)
        return " ".join(
            key_display(Binding(k.strip(), action.run, action.title)) for k in keys.split(",")
        )

    rows: list[tuple[str, str]] = []
    for action in palette_actions():
        keys = shown(action.id)
        if action.id == "open_link_1":
            keys = f"{keys}…{shown('open_link_9')}"
        rows.append((keys, action.description))
    rows.extend(EXTRA_HELP)
    return rows


def palette_actions() -> Iterable[Action]:
    """The actions the help and the command palette list, in order."""
    return (a for a in ACTIONS if a.help)
