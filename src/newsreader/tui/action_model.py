"""What an action is: its id, default keys, description and where its keys work."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
    # Run as the key arrives, before the keys typed after it are routed: for keys that move
    # the focus (what is typed next must land where the focus went).
    priority: bool = False

    @property
    def run(self) -> str:
        return self.action or self.id
