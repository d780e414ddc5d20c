"""What refreshing did: one :class:`FeedOutcome` per source and the :class:`RefreshSummary`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from newsreader.model import UpsertCounts


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """How refreshing one source went."""

    feed_id: int
    title: str
    status: str  # "ok", "not modified", "error", "gone", "skipped"
    counts: UpsertCounts = field(default_factory=UpsertCounts)
    error: str = ""  # one readable line when status is error/gone (or a warning when ok)

    @property
    def failed(self) -> bool:
        return self.status in ("error", "gone")


@dataclass
class RefreshSummary:
    """What a whole refresh did."""

    outcomes: list[FeedOutcome] = field(default_factory=list)
    pictures: int = 0  # fetched into the image cache ahead (``prefetch_images``)

    @property
    def new(self) -> int:
        return sum(o.counts.new for o in self.outcomes)

    @property
    def updated(self) -> int:
        return sum(o.counts.updated for o in self.outcomes)

    @property
    def unchanged(self) -> int:
        return sum(o.counts.unchanged for o in self.outcomes)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def failures(self) -> list[FeedOutcome]:
        return [o for o in self.outcomes if o.failed]


ProgressCallback = Callable[[FeedOutcome, int, int], None]
