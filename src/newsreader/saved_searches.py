"""Saved searches (``[[search]]`` in ``feeds.toml``) as feeds: their unread counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsreader.store.filters import ArticleFilter

if TYPE_CHECKING:
    from newsreader.config import SavedSearch
    from newsreader.search import CompiledQuery
    from newsreader.store import Store

UNREAD = ArticleFilter(unread=True)


def compiled(search: SavedSearch) -> CompiledQuery:
    """The saved search's query, compiled now (``since:7d`` is relative to now)."""
    from newsreader.search import compile_query

    return compile_query(search.query)


def unread_counts(store: Store, searches: Sequence[SavedSearch]) -> dict[str, int]:
    """Each saved search's unread count, by name."""
    counts = store.count_queries([compiled(search) for search in searches], UNREAD)
    return {search.name: count for search, count in zip(searches, counts, strict=True)}
