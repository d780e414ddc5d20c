"""The README's key table and the ``?`` help describe the same keys."""

from __future__ import annotations

import re
from pathlib import Path

from newsreader.tui import actions

README = Path(__file__).resolve().parents[2] / "README.md"

# How the README writes the keys the action table names.
README_NAMES = {
    "enter": "Enter",
    "down": "arrows",
    "up": "arrows",
    "left": "←",
    "right": "→",
    "home": "Home",
    "end": "End",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "space": "space",
    "full_stop": ".",
    "comma": ",",
    "slash": "/",
    "question_mark": "?",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
    "escape": "Esc",
}


def key_column() -> set[str]:
    """The keys named in the first cell of the README's key table (`s`, Home, arrows...)."""
    text = README.read_text("utf-8")
    table = text[text.index("| key | does |") :].split("\n\n", 1)[0]
    keys: set[str] = set()
    for row in table.splitlines()[2:]:
        cell = row.split(" | ")[0].lstrip("| ")
        quoted = re.findall(r"`([^`]+)`", cell)
        bare = re.sub(r"`[^`]+`", " ", cell).replace(",", " ").replace("/", " ").split()
        keys |= set(quoted) | {word for word in bare if word not in {"–", "on", "a", "tag"}}
    return keys


def test_every_key_in_the_help_is_in_the_readme_table() -> None:
    listed = key_column()
    missing = []
    for action in actions.palette_actions():
        for key in action.keys.split(","):
            if key.isdigit():
                if not {"1", "9"} <= listed:
                    missing.append(f"{action.id}: 1–9")
            elif README_NAMES.get(key, key) not in listed:
                missing.append(f"{action.id}: {README_NAMES.get(key, key)}")
    assert missing == []


def test_every_key_in_the_readme_table_is_in_the_help() -> None:
    bound = {README_NAMES.get(k, k) for a in actions.palette_actions() for k in a.keys.split(",")}
    bound |= {"Ctrl+P", "Esc", "9"}  # the help's own rows; 1–9 shown as one row
    assert key_column() - bound == set()


def test_every_action_can_be_named_in_keys_as_the_readme_says() -> None:
    text = README.read_text("utf-8")
    remap = text[text.index("Keys can be remapped") : text.index("The mouse works too")]
    named = set(re.findall(r"`([a-z_0-9]+)`", remap)) | {f"open_link_{n}" for n in range(2, 9)}
    assert named == {a.id for a in actions.ACTIONS}
