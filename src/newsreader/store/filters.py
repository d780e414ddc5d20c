"""Which articles a view shows, as one SQL condition shared by lists, counts and search."""

from __future__ import annotations

from dataclasses import dataclass

from newsreader.store.rows import TAG_SEPARATOR


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles a list shows. Empty fields do not filter.

    Articles of removed (inactive) feeds are never shown, whatever the filter says; articles
    hidden by filters are not shown unless ``hidden`` asks for them.
    """

    feed_id: int | None = None
    feed_ids: tuple[int, ...] | None = None
    tag: str | None = None
    unread: bool = False
    starred: bool = False
    article_ids: tuple[int, ...] | None = None
    hidden: bool | None = False  # False: leave out articles hidden by filters; None: any


def where_sql(
    where: ArticleFilter, *, ordered: bool = True, active_checked: bool = False
) -> tuple[str, list[object]]:
    """The condition on ``articles a`` for ``where``, and its parameters.

    It names only ``a``'s columns, so a query needs no join to filter. The feed conditions
    read the small feeds table once. When ``ordered`` (a page walked in display order),
    ``+a.feed_id`` keeps SQLite on a list index in that order rather than looking articles
    up feed by feed and sorting them; otherwise (counts, all keys) a feed list or tag may use
    the per-feed index. With one feed, ``+a.read``/``+a.starred`` keep SQLite on that feed's
    index. ``active_checked`` leaves out the active-feed condition when the caller already
    chose active feeds.
    """
    clauses: list[str] = []
    params: list[object] = []
    feeds = feed_set_sql(where)
    if feeds is not None:
        clauses.append(f"{'+' if ordered else ''}a.feed_id IN ({feeds[0]})")
        params.extend(feeds[1])
    elif not active_checked:
        clauses.append(f"+a.feed_id IN ({ACTIVE_FEEDS})")
    one_feed = where.feed_id is not None
    if one_feed:
        clauses.append("a.feed_id = ?")
        params.append(where.feed_id)
    if where.unread:
        clauses.append("+a.read = 0" if one_feed else "a.read = 0")
    if where.starred:
        clauses.append("+a.starred = 1" if one_feed else "a.starred = 1")
    if where.hidden is not None:
        clauses.append(f"{'+' if one_feed else ''}a.hidden = {int(where.hidden)}")
    if where.article_ids is not None:
        clauses.append(f"a.id IN ({_marks(len(where.article_ids))})")
        params.extend(where.article_ids)
    return " AND ".join(clauses) or "1", params


ACTIVE_FEEDS = "SELECT id FROM feeds WHERE active = 1"


def feed_set_sql(where: ArticleFilter) -> tuple[str, list[object]] | None:
    """A query for the active feeds a tag or feed list names; None if ``where`` names none."""
    if where.tag is None and where.feed_ids is None:
        return None
    sql = ACTIVE_FEEDS
    params: list[object] = []
    if where.tag is not None:
        sql += f" AND ('{TAG_SEPARATOR}' || tags || '{TAG_SEPARATOR}') LIKE ? ESCAPE '\\'"
        params.append(f"%{TAG_SEPARATOR}{_escape_like(where.tag)}{TAG_SEPARATOR}%")
    if where.feed_ids is not None:
        sql += f" AND id IN ({_marks(len(where.feed_ids))})"
        params.extend(where.feed_ids)
    return sql, params


def _marks(count: int) -> str:
    return ",".join("?" * count)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
