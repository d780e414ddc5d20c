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


def empty_text(view: View, *, hide_read: bool = False) -> str:
    """What an empty article list says for ``view`` (``hide_read``: read ones are hidden)."""
    if hide_read and view.total and view.key != "unread":
        return "No unread articles here. Press H to show the read ones too."
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
    if all_failed(summary):
        return _all_failed_report(failures), "Nothing refreshed", "error"
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


_NETWORK_ERRORS = ("host not found", "connection refused", "timed out", "network", "unreachable")


def all_failed(summary: Any) -> bool:
    """Whether every source a refresh tried (one at least) failed."""
    tried = [o for o in getattr(summary, "outcomes", []) if getattr(o, "status", "") != "skipped"]
    return bool(tried) and all(getattr(o, "status", "") in ("error", "gone") for o in tried)


def offline(summary: Any) -> bool:
    """Whether a refresh where everything failed failed for want of a network."""
    errors = [str(getattr(o, "error", "")).lower() for o in getattr(summary, "outcomes", [])]
    return (
        all_failed(summary)
        and all(any(word in error for word in _NETWORK_ERRORS) for error in errors if error)
        and any(errors)
    )


def _all_failed_report(failures: list[Any]) -> str:
    """ "Offline: 8 of 8 feeds failed: host not found", then which feeds."""
    errors = [clean_line(getattr(f, "error", ""), 200) or "unknown error" for f in failures]
    common = errors[0] if len(set(errors)) == 1 else f"{errors[0]} (and other errors)"
    count = len(failures)
    network = all(any(word in e.lower() for word in _NETWORK_ERRORS) for e in errors)
    head = "Offline: " if network else ""
    names = ", ".join(clean_line(getattr(f, "title", ""), 40) for f in failures[:3])
    more = f" and {count - 3} more" if count > 3 else ""
    return (
        f"{head}{count} of {plural(count, 'feed')} failed: {common}\n"
        f"{count} failed ({names}{more}); the articles already here are kept."
    )


def updated_header(last_success: str | None, summary: Any) -> str:
    """The header's subtitle after a refresh: the last time one went through."""
    if not all_failed(summary):
        return f"Updated {last_success}" if last_success else "Updated"
    failed = "Offline" if offline(summary) else "Refresh failed"
    return f"{failed} · updated {last_success}" if last_success else failed


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


def nothing_to_undo(*, expired: bool) -> str:
    if expired:
        return "Nothing to undo: the undo window has passed (mark articles unread with m)."
    return "Nothing to undo: u undoes a mark-all-read (A) while its notice shows."


def unknown_theme(name: str, known: list[str]) -> str:
    return (
        f'theme = "{clean_line(name, 40)}" in the config is not a theme; '
        f"using the default. Themes: {', '.join(sorted(known))}"
    )


def hide_read_notice(hidden: bool) -> str:
    if hidden:
        return "Showing unread articles only (starred ones all). Press H to show read ones."
    return "Showing read articles too."


def nothing_to_save() -> str:
    return "Nothing to save: type a search first (/), then press S."


def nothing_highlighted() -> str:
    return "No article here: this view is empty (or still being read)."


def no_outline() -> str:
    return "The article has no section headings: there is no outline to show."


def no_article_open() -> str:
    return "No article is open: highlight one and press Enter."


def no_such_link(number: int, count: int) -> str:
    """Why link ``number`` cannot be opened: the article has ``count`` links."""
    if count == 0:
        return f"The article has no numbered links; {number} is not one of them."
    links = "1 link" if count == 1 else f"{count} links"
    return f"The article has {links}; {number} is not one of them (L lists them)."


def no_saved_search_here() -> str:
    return "Highlight a saved search in the feed list to delete it."


def delete_saved_search_question(name: str) -> str:
    return f"Delete the saved search “{clean_line(name, 60)}” from feeds.toml?"


def save_search_question(query: str) -> str:
    return f"Save “{clean_line(query, 60)}” as a feed named:"


def saved_search_changed(name: str, *, saved: bool) -> str:
    done = "Saved the search" if saved else "Deleted the saved search"
    return f"{done} “{clean_line(name, 60)}” (feeds.toml)."


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
