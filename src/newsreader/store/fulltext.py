"""Full texts fetched from articles' pages, kept beside the articles' own text.

When a page gives more than the feed's entry, the article's body, search text and word count
become the page's, and the entry's own are saved in ``full_texts`` so that they can be put
back (a forced fetch that finds less) and so that an entry the feed changes keeps showing
its page. A page that gives no more than the entry, or cannot be fetched, leaves the article
as the feed sent it.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.store import Store

# Statuses of a row in ``full_texts``.
OK = "ok"  # the page's text is stored and shown
SHORT = "short"  # the page gave no more than the entry; the entry is shown
ERROR = "error"  # the page could not be fetched or read


@dataclass(frozen=True, slots=True)
class PageState:
    """An article with what is known of its page: what deciding and fetching need."""

    article_id: int
    feed_id: int
    link: str
    feed_url: str
    entry_text: str  # the feed entry's own text (not the page's)
    entry_words: int
    status: str | None = None  # None: never fetched
    attempts: int = 0
    etag: str | None = None
    last_modified: str | None = None
    markdown: str | None = None  # the stored page text, when status is OK
    words: int = 0  # the stored page text's words
    shown: bool = False  # the article currently shows the page's text


@dataclass(frozen=True, slots=True)
class PageText:
    """The outcome of fetching and reading one page, to record."""

    status: str  # OK, SHORT or ERROR
    url: str = ""
    markdown: str | None = None
    text: str = ""
    word_count: int = 0
    error: str = ""
    etag: str | None = None
    last_modified: str | None = None


_SELECT = (
    "SELECT a.id, a.feed_id, a.link, a.text, a.word_count, a.body, "
    "t.status, t.attempts, t.etag, t.last_modified, t.markdown, "
    "t.entry_saved, t.entry_text, t.entry_words, t.word_count, f.url "
    "FROM articles a JOIN feeds f ON f.id = a.feed_id "
    "LEFT JOIN full_texts t ON t.article_id = a.id "
)


def _state(row: tuple[object, ...]) -> PageState:
    (article_id, feed_id, link, text, words, body, status, attempts, etag, modified, markdown,
     saved, entry_text, entry_words, page_words, feed_url) = row  # fmt: skip
    shown = status == OK and markdown is not None and body == markdown
    if shown and saved:
        text, words = entry_text, entry_words
    return PageState(
        article_id=int(str(article_id)),
        feed_id=int(str(feed_id)),
        link=str(link or ""),
        feed_url=str(feed_url or ""),
        entry_text=str(text or ""),
        entry_words=int(str(words or 0)),
        status=None if status is None else str(status),
        attempts=int(str(attempts or 0)),
        etag=None if etag is None else str(etag),
        last_modified=None if modified is None else str(modified),
        markdown=None if markdown is None else str(markdown),
        words=int(str(page_words or 0)),
        shown=shown,
    )


def page_state(store: Store, article_id: int) -> PageState | None:
    """One article and its page's record; None when there is no such article."""
    with store.database.transaction() as db:
        row = db.execute(_SELECT + "WHERE a.id = ?", (article_id,)).fetchone()
    return None if row is None else _state(row)


def feed_page_states(store: Store, feed_id: int, limit: int, max_attempts: int) -> list[PageState]:
    """The newest ``limit`` articles of a feed whose page may still need work.

    That is: never fetched, failed fewer than ``max_attempts`` times, or fetched but not
    shown (the feed changed the entry since, which put its own text back).
    """
    with store.database.transaction() as db:
        rows = db.execute(
            _SELECT + "WHERE a.feed_id = ? AND (t.status IS NULL "
            "OR (t.status = ? AND t.attempts < ?) "
            "OR (t.status = ? AND (a.body IS NULL OR a.body != t.markdown))) "
            "ORDER BY a.published DESC, a.id DESC LIMIT ?",
            (feed_id, ERROR, max_attempts, OK, limit),
        ).fetchall()
    return [_state(row) for row in rows]


def record_page(store: Store, article_id: int, page: PageText) -> None:
    """Store what fetching a page gave, and show the page's text or the entry's own.

    With OK the article shows ``page``'s text; otherwise it shows the entry's own (put
    back if a page was shown before). An ERROR keeps an earlier good text.
    """
    now = time.time()
    with store.database.transaction() as db:
        current = db.execute(
            "SELECT status, markdown FROM full_texts WHERE article_id = ?", (article_id,)
        ).fetchone()
        if page.status == ERROR and current is not None and current[0] == OK:
            db.execute(
                "UPDATE full_texts SET error = ?, fetched = ? WHERE article_id = ?",
                (page.error, now, article_id),
            )
            return
        db.execute(
            "INSERT INTO full_texts (article_id, url, status, markdown, text, word_count, "
            "error, etag, last_modified, attempts, fetched) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) "
            "ON CONFLICT(article_id) DO UPDATE SET url = excluded.url, "
            "status = excluded.status, markdown = excluded.markdown, text = excluded.text, "
            "word_count = excluded.word_count, error = excluded.error, etag = excluded.etag, "
            "last_modified = excluded.last_modified, attempts = full_texts.attempts + 1, "
            "fetched = excluded.fetched",
            (
                article_id,
                page.url,
                page.status,
                page.markdown if page.status == OK else None,
                page.text if page.status == OK else "",
                page.word_count,
                page.error,
                page.etag,
                page.last_modified,
                now,
            ),
        )
        if page.status == OK:
            _show_page(db, article_id)
        else:
            _show_entry(db, article_id)


def show_stored_page(store: Store, article_id: int) -> bool:
    """Show the page's text stored earlier (after a 304, or a changed entry); False if none."""
    with store.database.transaction() as db:
        row = db.execute(
            "SELECT status FROM full_texts WHERE article_id = ?", (article_id,)
        ).fetchone()
        if row is None or row[0] != OK:
            return False
        db.execute(
            "UPDATE full_texts SET fetched = ? WHERE article_id = ?", (time.time(), article_id)
        )
        _show_page(db, article_id)
    return True


def _show_page(db: sqlite3.Connection, article_id: int) -> None:
    """The article shows its page's text; the entry's own is saved first if it is shown."""
    article = db.execute(
        "SELECT a.body, a.text, a.word_count, t.markdown, t.text, t.word_count "
        "FROM articles a JOIN full_texts t ON t.article_id = a.id WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    if article is None:
        return
    body, text, words, markdown, page_text, page_words = article
    if body == markdown:
        return
    db.execute(
        "UPDATE full_texts SET entry_saved = 1, entry_body = ?, entry_text = ?, entry_words = ? "
        "WHERE article_id = ?",
        (body, text, words, article_id),
    )
    db.execute(
        "UPDATE articles SET body = ?, text = ?, word_count = ? WHERE id = ?",
        (markdown, page_text, page_words, article_id),
    )


def _show_entry(db: sqlite3.Connection, article_id: int) -> None:
    """The article shows the feed entry's own text again, if the page's was shown."""
    db.execute(
        "UPDATE articles SET body = t.entry_body, text = t.entry_text, word_count = t.entry_words "
        "FROM full_texts t WHERE t.article_id = articles.id AND articles.id = ? "
        "AND t.entry_saved = 1",
        (article_id,),
    )
    db.execute(
        "UPDATE full_texts SET entry_saved = 0, entry_body = NULL, entry_text = '', "
        "entry_words = 0 WHERE article_id = ?",
        (article_id,),
    )
