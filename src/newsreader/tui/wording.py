"""What the app says: empty lists, failed feeds, refresh results and notices.

Everything from a feed is cleaned with :func:`clean_line` before it is put into a sentence.
"""

from __future__ import annotations

from typing import Any, Literal

from newsreader.ingest.sanitize import clean_line
from newsreader.tui.views import View

Severity = Literal["information", "warning", "error"]


def plural(count: int, word: str) -> str:
    """``1 article``, ``2 articles``."""
    return f"{count} {word}{'s' if count != 1 else ''}"


def empty_text(view: View) -> str:
    """What an empty article list says for ``view``."""
    if view.key == "unread":
        return "No unread articles."
    if view.key == "starred":
        return "No starred articles. Press s on an article to star it."
    failed = view.failed_feeds
    if view.feed is not None and failed:
        error = clean_line(view.feed.last_error, 200) or "unknown error"
        return f"No articles. The last refresh failed:\n{error}\n\nPress r to try again."
    if failed:
        return f"No articles here yet. {failures_text(view)}\n\nPress r to try again."
    if view.kind in ("feed", "tag"):
        return "No articles here yet. Press r to refresh."
    return "No articles yet. Press R to refresh your feeds."


def failures_text(view: View) -> str:
    """Which of ``view``'s feeds failed to refresh, and why ("" when none did)."""
    failed = view.failed_feeds
    if not failed:
        return ""
    if view.feed is not None:
        error = clean_line(view.feed.last_error, 300) or "unknown error"
        return f"The last refresh of {clean_line(view.title, 80)} failed: {error}"
    shown = "; ".join(
        f"{clean_line(f.title or f.url, 40)}: {clean_line(f.last_error, 80) or 'unknown error'}"
        for f in failed[:3]
    )
    more = f"; and {len(failed) - 3} more" if len(failed) > 3 else ""
    total = len(view.members)
    return f"{len(failed)} of {plural(total, 'feed')} failed to refresh: {shown}{more}"


def failures_tooltip(view: View) -> str | None:
    """The failures with the failed feeds' URLs, for a tooltip (None when none failed)."""
    text = failures_text(view)
    if not text:
        return None
    urls = "\n".join(clean_line(f.url, 200) for f in view.failed_feeds[:5])
    return f"{text}\n{urls}"


def refresh_report(summary: Any) -> tuple[str, str, Severity]:
    """The notification text, title and severity for a finished refresh."""
    outcomes = list(getattr(summary, "outcomes", []))
    failures = [o for o in outcomes if getattr(o, "status", "") in ("error", "gone")]
    new = int(getattr(summary, "new", 0))
    updated = int(getattr(summary, "updated", 0))
    text = f"{plural(len(outcomes), 'feed')}: {new} new, {updated} updated"
    if failures:
        names = ", ".join(clean_line(f.title, 40) for f in failures[:3])
        more = f" and {len(failures) - 3} more" if len(failures) > 3 else ""
        text += f"; {len(failures)} failed ({names}{more})"
        first = clean_line(getattr(failures[0], "error", ""), 200)
        if first:
            text += f"\n{first}"
        return text, "Refreshed", "warning"
    return text, "Refreshed", "information"


def refresh_failed(error: str) -> str:
    return f"Refresh failed: {clean_line(error, 300)}"


def refreshing(label: str) -> str:
    return f"Refreshing {label}…"


def refresh_progress(done: int, total: int) -> str:
    return f"Refreshing {done}/{total} feeds…"


def marked_read(count: int) -> str:
    return f"Marked {plural(count, 'article')} read. Press u to undo."


def marked_unread_again(count: int) -> str:
    return f"Marked {plural(count, 'article')} unread again."


def no_more_unread(forward: bool) -> str:
    return "No more unread articles " + ("below." if forward else "above.")


def search_title(query: str) -> str:
    return f"Search: {clean_line(query, 60)}"


def no_hits(query: str, error: str = "") -> str:
    if error:
        return f"Cannot search for that: {clean_line(error, 200)}"
    return f"No articles match “{clean_line(query, 60)}”."


def local_file(name: str) -> str:
    return (
        f"This article is a local file ({clean_line(name, 100)}), not a web page: "
        "it is all here to read."
    )
