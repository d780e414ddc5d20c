"""Which articles a view shows, as one SQL condition shared by lists, counts and search."""

from __future__ import annotations

from dataclasses import dataclass

from newsreader.store.rows import TAG_SEPARATOR


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles a list shows. Empty fields do not filter.

    Articles of removed (inactive) feeds are never shown, whatever the filter says.
    """

    feed_id: int | None = None
    feed_ids: tuple[int, ...] | None = None
    tag: str | None = None
    unread: bool = False
    starred: bool = False
    article_ids: tuple[int, ...] | None = None


def where_sql(where: ArticleFilter) -> tuple[str, list[object]]:
    """The condition on ``articles a`` for ``where``, and its parameters.

    It names only ``a``'s columns, so a query needs no join to filter. The feed conditions
    read the small feeds table once (``+a.feed_id`` keeps SQLite walking an index in list
    order rather than looking articles up feed by feed and sorting them).
    """
    feeds = "SELECT id FROM feeds WHERE active = 1"
    params: list[object] = []
    if where.tag is not None:
        feeds += f" AND ('{TAG_SEPARATOR}' || tags || '{TAG_SEPARATOR}') LIKE ?"
        params.append(f"%{TAG_SEPARATOR}{_escape_like(where.tag)}{TAG_SEPARATOR}%")
        feeds += " ESCAPE '\\'"
    clauses = [f"+a.feed_id IN ({feeds})"]
    if where.feed_id is not None:
        clauses.append("a.feed_id = ?")
        params.append(where.feed_id)
    if where.feed_ids is not None:
        clauses.append(f"a.feed_id IN ({_marks(len(where.feed_ids))})")
        params.extend(where.feed_ids)
    if where.unread:
        clauses.append("a.read = 0")
    if where.starred:
        clauses.append("a.starred = 1")
    if where.article_ids is not None:
        clauses.append(f"a.id IN ({_marks(len(where.article_ids))})")
        params.extend(where.article_ids)
    return " AND ".join(clauses), params


def _marks(count: int) -> str:
    return ",".join("?" * count)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
