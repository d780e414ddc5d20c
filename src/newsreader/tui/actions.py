"""Key bindings, help rows and palette entries, built from the one table of actions.

Every action of the app is listed once in :mod:`newsreader.tui.action_table` (its id, default
keys, description and where it applies). Key bindings, the ``?`` help rows and the command
palette are all built from that :data:`ACTIONS` table here;
:func:`keymap_problems` checks a user's ``[keys]`` table against it (unknown action names,
and keys that another action in the same place already answers to).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from textual.binding import Binding

from newsreader.tui.action_table import ACTIONS, Action, Scope

__all__ = [
    "ACTIONS",
    "BY_ID",
    "Action",
    "Scope",
    "bindings",
    "help_rows",
    "keymap_problems",
    "palette_actions",
]


BY_ID: dict[str, Action] = {a.id: a for a in ACTIONS}

# Rows of the help that are no action of ours (Textual's focus keys, the palette).
EXTRA_HELP: tuple[tuple[str, str], ...] = (
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
            priority=a.priority,
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
