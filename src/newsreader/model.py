"""Plain data passed between sources, ingest, the store and the views. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class FeedKind(StrEnum):
    """Where a feed's articles come from."""

    FEED = "feed"  # RSS, Atom, RDF or JSON Feed fetched over HTTP or from a file
    STORED = "stored"  # article files on disk
    SERVER = "server"  # a feed server's feed (Fever API): its articles arrive by sync only


class FetchStatus(StrEnum):
    """How the last fetch of a feed went; the values are what the cache stores."""

    NEVER = ""  # never fetched
    OK = "ok"
    NOT_MODIFIED = "not modified"
    ERROR = "error"
    GONE = "gone"  # HTTP 410: the publisher removed the feed

    @property
    def failed(self) -> bool:
        return self in (FetchStatus.ERROR, FetchStatus.GONE)


PageKey = tuple[float, int]
"""Where an article sits in a list: (published timestamp, id). Lists show the newest first,
ordered by published, then id, both descending."""


class ContentType(StrEnum):
    """The format of an article's original content."""

    HTML = "html"
    MARKDOWN = "markdown"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Enclosure:
    """A media file attached to an article (a podcast episode, say)."""

    url: str
    type: str = ""
    length: int | None = None


@dataclass(slots=True)
class NewArticle:
    """An article as ingest produces it, before the store gives it an id.

    ``key`` is stable across refreshes of the same source (entry id, else link, else a
    content hash; a file's path for stored articles). ``body`` is Markdown; it may be
    ``None`` when ``content`` is HTML that is converted on first display.
    """

    key: str
    title: str
    published: datetime
    content: str = ""
    content_type: ContentType = ContentType.MARKDOWN
    body: str | None = None
    text: str = ""  # plain text for the search index
    author: str = ""
    link: str = ""
    updated: datetime | None = None
    summary: str = ""
    enclosures: tuple[Enclosure, ...] = ()
    # A hash of the entry as the feed gave it, before sanitising: when a refresh finds the
    # same key with the same hash stored, the entry is skipped unparsed. "" when unknown.
    source_hash: str = field(default="", compare=False)
    # The search index's headings column and the word count, when the parsing process has
    # worked them out already (so the one writer need not); None: the store works them out.
    headings: str | None = field(default=None, compare=False)
    word_count: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Feed:
    """A subscription or a stored-article source, with its counts."""

    id: int
    url: str
    title: str
    kind: FeedKind = FeedKind.FEED
    tags: tuple[str, ...] = ()
    site_link: str = ""
    etag: str | None = None
    last_modified: str | None = None
    last_status: FetchStatus = FetchStatus.NEVER
    last_error: str = ""
    last_fetched: datetime | None = None
    next_fetch: datetime | None = None
    failures: int = 0
    active: bool = True
    total: int = 0
    unread: int = 0

    @property
    def failed(self) -> bool:
        return self.last_status.failed


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What a list of articles shows: no body."""

    id: int
    feed_id: int
    feed_title: str
    title: str
    link: str
    author: str
    published: datetime
    read: bool
    starred: bool

    @property
    def key(self) -> PageKey:
        """This article's place in a list, for keyset paging."""
        return (self.published.timestamp(), self.id)


@dataclass(frozen=True, slots=True)
class Article:
    """One stored article, whole."""

    id: int
    feed_id: int
    feed_title: str
    key: str
    title: str
    link: str
    author: str
    published: datetime
    updated: datetime | None
    summary: str
    content: str
    content_type: ContentType
    body: str | None
    word_count: int
    read: bool
    starred: bool
    read_at: datetime | None = None
    starred_at: datetime | None = None
    enclosures: tuple[Enclosure, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An article that matched a search, with a highlighted snippet."""

    article: ArticleSummary
    snippet: str
    rank: float


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    """What storing one batch of articles did."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    new_ids: tuple[int, ...] = ()  # the ids given to the new articles (filters use them)
    filtered: tuple[tuple[str, int], ...] = ()  # (filter action, articles it changed)


@dataclass(slots=True)
class FetchResult:
    """What fetching one feed produced."""

    url: str
    status: int = 0
    not_modified: bool = False
    body: bytes = b""
    final_url: str = ""
    permanent_redirect: bool = False
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""
    retry_after: float | None = None
    error: str = ""
    headers: dict[str, str] = field(default_factory=dict)
