"""What the feed list offers to show: special views, tags and feeds, as plain values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsreader.model import Feed, FeedKind
from newsreader.store import ArticleFilter


@dataclass(frozen=True, slots=True)
class View:
    """One entry of the feed list and the articles it selects."""

    key: str  # unique: "all", "unread", "starred", "tag:NAME", "feed:ID", "tag:NAME/feed:ID"
    title: str
    where: ArticleFilter
    kind: str  # "special", "section", "tag", "feed"
    unread: int = 0
    total: int = 0
    depth: int = 0
    feed: Feed | None = None
    members: tuple[Feed, ...] = ()  # a tag's feeds

    @property
    def failed_feeds(self) -> tuple[Feed, ...]:
        """The feeds of this view whose last refresh failed."""
        if self.feed is not None:
            return (self.feed,) if self.feed.failed else ()
        return tuple(f for f in self.members if f.failed)

    @property
    def feed_ids(self) -> tuple[int, ...] | None:
        """The feeds a refresh of this view fetches (``None``: all of them)."""
        if self.feed is not None:
            return (self.feed.id,)
        if self.where.feed_ids is not None:
            return self.where.feed_ids
        return None


ALL = View("all", "All articles", ArticleFilter(), "special")


def build_views(feeds: Sequence[Feed], starred: int) -> list[View]:
    """The feed list, top to bottom: All, Unread, Starred, tags with their feeds, the rest."""
    unread = sum(f.unread for f in feeds)
    total = sum(f.total for f in feeds)
    views = [
        View("all", "All articles", ArticleFilter(), "special", unread, total),
        View("unread", "Unread", ArticleFilter(unread=True), "special", unread, unread),
        View("starred", "Starred", ArticleFilter(starred=True), "special", 0, starred),
    ]
    # A feed server's feeds (synced) are listed with the subscriptions, their groups as tags.
    subscriptions = [f for f in feeds if f.kind in (FeedKind.FEED, FeedKind.SERVER)]
    stored = [f for f in feeds if f.kind is FeedKind.STORED]
    tags = sorted({t for f in subscriptions for t in f.tags}, key=str.lower)
    for tag in tags:
        members = [f for f in subscriptions if tag in f.tags]
        views.append(
            View(
                f"tag:{tag}",
                tag,
                ArticleFilter(feed_ids=tuple(f.id for f in members)),
                "tag",
                sum(f.unread for f in members),
                sum(f.total for f in members),
                members=tuple(members),
            )
        )
        views.extend(_feed_view(f, f"tag:{tag}/", depth=1) for f in members)
    untagged = [f for f in subscriptions if not f.tags]
    if untagged and tags:
        views.append(View("section:feeds", "Feeds", ArticleFilter(), "section"))
    views.extend(_feed_view(f, "", depth=0) for f in untagged)
    if stored:
        views.append(View("section:stored", "Stored articles", ArticleFilter(), "section"))
        views.extend(_feed_view(f, "", depth=0) for f in stored)
    return views


def _feed_view(feed: Feed, prefix: str, depth: int) -> View:
    return View(
        f"{prefix}feed:{feed.id}",
        feed.title or feed.url,
        ArticleFilter(feed_id=feed.id),
        "feed",
        feed.unread,
        feed.total,
        depth,
        feed,
    )
