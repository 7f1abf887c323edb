"""What the daily digest says, gathered by engage.digest.build and rendered by
engage.digest.render. Plain values: no IO."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class DigestThread:
    id: int
    community: str
    title: str
    excerpt: str
    url: str
    age_hours: float
    num_comments: int
    intent: str
    specialties: list[str]
    phrases: list[str]
    score: float


@dataclass(frozen=True, slots=True)
class FailingSource:
    label: str
    error: str
    failures: int


@dataclass(frozen=True, slots=True)
class EngagementDay:
    """One day of the weekly chart: published replies/shares, replies received, new colleagues."""

    day: date
    published: int
    replies: int
    new_colleagues: int


@dataclass(frozen=True, slots=True)
class DigestData:
    local_date: date
    timezone: str
    since: datetime
    generated_at: datetime
    communities: list[tuple[str, list[DigestThread]]]
    crisis: list[DigestThread]
    drafts_pending: int
    oldest_pending_hours: float | None
    blog_shares_pending: int
    unknown_publications: int
    failing_sources: list[FailingSource]
    week: list[EngagementDay]
    #: Approved, not yet out: going out by API at its pace, or waiting to be posted by hand.
    approved_waiting: int = 0
    #: Of those, how many approvals run out within a day.
    approvals_expiring: int = 0
    #: "LinkedIn token expires in N days: run engage auth linkedin" when it is time to renew.
    linkedin_token: str | None = None

    @property
    def thread_count(self) -> int:
        return sum(len(threads) for _, threads in self.communities)

    @property
    def yesterday(self) -> EngagementDay | None:
        return self.week[-2] if len(self.week) >= 2 else None

    @property
    def quiet(self) -> bool:
        """Nothing to join and nothing waiting: the day a short note (or nothing) is enough."""
        return not (
            self.thread_count or self.crisis or self.drafts_pending or self.blog_shares_pending
            or self.unknown_publications or self.failing_sources or self.approved_waiting
            or self.linkedin_token
        )  # fmt: skip
