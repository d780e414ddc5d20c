"""Filters (a killfile done with the search language): ``[[filter]]`` rules in ``feeds.toml``
hide, mark read or star the articles their query finds.

Refresh applies them to each source's new articles as they are stored (:func:`filter_new`);
``newsreader filter --apply`` applies them to the whole cache (:func:`apply_filters`).
Hidden articles are left out of every list, count and search unless a query names
``is:hidden``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from newsreader.model import UpsertCounts

if TYPE_CHECKING:
    from newsreader.config import FilterRule
    from newsreader.store import Store
    from newsreader.store.fts import FilterAction

_DONE = {"hide": "hidden", "read": "marked read", "star": "starred"}


def apply_filters(
    store: Store, rules: Sequence[FilterRule], article_ids: Sequence[int] | None = None
) -> dict[str, int]:
    """Apply ``rules`` in order to ``article_ids`` (None: every cached article).

    Returns how many articles each action changed, e.g. ``{"hide": 12}`` (actions that
    changed nothing are left out).
    """
    from newsreader.search import compile_query

    done: dict[str, int] = {}
    if not rules or (article_ids is not None and not article_ids):
        return done
    for rule in rules:
        # Rules were checked when the config loaded, so they compile.
        action = cast("FilterAction", rule.action)
        changed = store.apply_filter(compile_query(rule.query), action, article_ids)
        if changed:
            done[rule.action] = done.get(rule.action, 0) + changed
    return done


def filter_new(store: Store, rules: Sequence[FilterRule], counts: UpsertCounts) -> UpsertCounts:
    """Apply ``rules`` to the articles a store step just added; ``counts`` with what they did."""
    if not rules or not counts.new_ids:
        return counts
    done = apply_filters(store, rules, counts.new_ids)
    return replace(counts, filtered=tuple(done.items())) if done else counts


def filtered_totals(all_counts: Sequence[UpsertCounts]) -> dict[str, int]:
    """What filters did over many sources' store steps, by action."""
    totals: dict[str, int] = {}
    for counts in all_counts:
        for action, changed in counts.filtered:
            totals[action] = totals.get(action, 0) + changed
    return totals


def describe(totals: dict[str, int]) -> str:
    """``"12 hidden by filters, 2 starred by filters"`` ('' when filters did nothing)."""
    return ", ".join(
        f"{totals[action]} {_DONE[action]} by filters" for action in _DONE if totals.get(action)
    )
