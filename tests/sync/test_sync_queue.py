"""The queue of local changes: written with the read/starred change, only for server
articles, only when the state changes, the latest change per article and field."""

from __future__ import annotations

from datetime import UTC, datetime

from newsreader.model import NewArticle
from newsreader.store import ArticleFilter, Store, sync_state


def _article(key: str) -> NewArticle:
    return NewArticle(key=key, title=key, published=datetime(2026, 11, 1, tzinfo=UTC))


def _setup(store: Store) -> tuple[int, int, int]:
    """A local feed's article and two server articles (items 7 and 8)."""
    local = store.ensure_feed("https://example.org/feed.xml", "Local")
    store.upsert_articles(local.id, [_article("local")])
    feeds = sync_state.save_feeds(
        store, [sync_state.ServerFeed(3, "https://example.org/s.xml", "Server", "", ("news",))]
    )
    items = [
        sync_state.ServerItem(n, 3, _article(f"server-item:{n}"), read=False, starred=False)
        for n in (7, 8)
    ]
    assert sync_state.save_items(store, feeds, items) == 2
    ids = {a.title: a.id for a in store.list_articles()}
    return ids["local"], ids["server-item:7"], ids["server-item:8"]


def _queue(store: Store) -> list[tuple[int, str, bool]]:
    return sorted((c.remote_id, c.field, c.value) for c in sync_state.pending(store))


def test_only_server_articles_whose_state_changes_are_queued(store: Store) -> None:
    local, seven, eight = _setup(store)
    store.set_read([local, seven])
    store.set_read([seven])  # already read: no new change
    store.set_starred([eight])
    assert _queue(store) == [(7, "read", True), (8, "starred", True)]


def test_latest_change_per_article_and_field_wins(store: Store) -> None:
    _, seven, _ = _setup(store)
    store.set_read([seven])
    first = sync_state.pending(store)[0].changed_at
    store.set_read([seven], read=False)
    [change] = sync_state.pending(store)
    assert (change.remote_id, change.field, change.value) == (7, "read", False)
    assert change.changed_at >= first


def test_mark_all_read_is_queued(store: Store) -> None:
    _setup(store)
    store.mark_all_read(ArticleFilter())
    assert _queue(store) == [(7, "read", True), (8, "read", True)]


def test_sent_changes_leave_the_queue_unless_changed_again(store: Store) -> None:
    _, seven, eight = _setup(store)
    store.set_read([seven, eight])
    sent = sync_state.pending(store)
    store.set_read([eight], read=False)  # changed again while the first change was on its way
    sync_state.drop_sent(store, sent)
    assert _queue(store) == [(8, "read", False)]


def test_server_state_applies_except_where_a_change_is_queued(store: Store) -> None:
    _, seven, eight = _setup(store)
    store.set_starred([seven])  # queued: the server's "not saved" must not undo it
    changed = sync_state.apply_server_state(store, unread={7}, saved={8})
    assert changed == 2  # 8 read and starred; 7 stays unread and starred
    a7, a8 = store.article(seven), store.article(eight)
    assert a7 is not None and a8 is not None
    assert (a7.read, a7.starred, a8.read, a8.starred) == (False, True, True, True)
    assert _queue(store) == [(7, "starred", True)]  # applying the server's state queues nothing
