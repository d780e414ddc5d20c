"""Storing one parsed feed (in the refresh's writer), and parsing what changed (in a worker).

:func:`parse_changed` runs in the parsing processes, so this module imports only what
parsing and storing need; :func:`store_parsed` runs in the one writer thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from newsreader.context import title_from_url, unique_title
from newsreader.model import Feed as FeedRow
from newsreader.model import FetchStatus, NewArticle, UpsertCounts
from newsreader.refresh_results import FeedOutcome

if TYPE_CHECKING:
    from newsreader.ingest.feed import ParsedFeed
    from newsreader.store import Store

BACKOFF_BASE = timedelta(minutes=5)
BACKOFF_MAX = timedelta(hours=12)


def backoff_delay(failures: int) -> timedelta | None:
    """How long to wait after ``failures`` failures in a row (the first is retried at once)."""
    if failures < 2:
        return None
    # The exponent is capped so that a long run of failures cannot overflow timedelta.
    return min(BACKOFF_BASE * (1 << min(failures - 2, 16)), BACKOFF_MAX)


def now_utc() -> datetime:
    return datetime.now(UTC)


def store_parsed(
    store: Store,
    feed: FeedRow,
    parsed: ParsedFeed,
    etag: str | None,
    last_modified: str | None,
    keep: int | None,
    configured_title: bool,
    titles: dict[int, str] | None = None,
) -> FeedOutcome:
    """Store one parsed feed: its articles in one transaction, then prune and record the fetch.

    ``keep`` is the feed's retention (``None`` or 0: keep all); ``configured_title`` says the
    config names the feed, so its title in the feed does not replace that name. ``titles``
    (feed id -> title of every feed, kept up to date here) saves reading them all to keep
    a new title unique.
    """
    if parsed.error:
        delay = backoff_delay(feed.failures + 1)
        store.record_fetch(
            feed.id,
            FetchStatus.ERROR,
            parsed.error,
            next_fetch=now_utc() + delay if delay else None,
            keep_validators=True,
        )
        return FeedOutcome(feed.id, feed.title, "error", UpsertCounts(), parsed.error)
    articles = parsed.articles
    if parsed.undated:
        articles = _keep_first_seen_dates(store, feed.id, articles, parsed.undated)
    counts = store.upsert_articles(feed.id, articles)
    if parsed.unchanged:  # skipped unparsed: stored already as they are
        counts = replace(counts, unchanged=counts.unchanged + len(parsed.unchanged))
    if keep:
        removed = store.prune(feed.id, keep)
        if removed:
            counts = replace(counts, removed=counts.removed + removed)
    title = feed.title
    untitled = not feed.title or feed.title == title_from_url(feed.url)
    if parsed.title and untitled and not configured_title:
        title = unique_title(store, parsed.title, exclude_id=feed.id, titles=titles)
        store.set_feed_title(feed.id, title)  # names stay unique
        if titles is not None:
            titles[feed.id] = title
    if parsed.link and parsed.link != feed.site_link:
        store.set_site_link(feed.id, parsed.link)
    store.record_fetch(feed.id, FetchStatus.OK, parsed.warning, etag, last_modified)
    return FeedOutcome(feed.id, title, "ok", counts, parsed.warning)


def parse_changed(body: bytes, base: str, content_type: str, known: dict[str, str]) -> ParsedFeed:
    """Parse a fetched feed, skipping entries in ``known`` (key -> source hash) unchanged.

    Runs in a worker process of the pool (or a thread when there is none), which also
    works out what the writer would otherwise compute per article (its headings for the
    search index, its word count), so that the one writer does less.
    """
    from newsreader.ingest.feed import parse_feed
    from newsreader.store.headings import headings_of

    parsed = parse_feed(body, base, content_type, known=known)
    for article in parsed.articles:
        article.headings = headings_of(article.body, article.content, article.content_type)
        article.word_count = len(article.text.split())
    return parsed


def _keep_first_seen_dates(
    store: Store, feed_id: int, articles: Sequence[NewArticle], undated: Sequence[str]
) -> list[NewArticle]:
    """Undated entries keep the date they were first stored with, so they do not move."""
    known = store.published_times(feed_id, undated)
    if not known:
        return list(articles)
    return [
        replace(article, published=known[article.key]) if article.key in known else article
        for article in articles
    ]
