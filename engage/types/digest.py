"""What the daily digest says, gathered by engage.digest.build and rendered by
engage.digest.render. Plain values: no IO."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from engage.types.relationships import NextStep, ReplyView, WeeklyStats


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
    #: One sentence a therapist reads at a glance (engage.matching.why_sentence); "" if unknown.
    why: str = ""
    #: Why it ranks lower than matching scored it (the therapist's rejections of its kind,
    #: engage.feedback); "" when it doesn't. `score` is then the lowered one.
    lowered: str = ""


@dataclass(frozen=True, slots=True)
class FailingSource:
    label: str
    error: str
    failures: int


@dataclass(frozen=True, slots=True)
class WaitingDraft:
    """A draft waiting for the therapist: to approve (pending), or to post by hand (approved).

    `opening` is its first words; `about` what it answers (a thread's title, an article's, a
    colleague); `where` where it goes (a community, a channel, a person)."""

    id: int
    kind: str
    status: str
    opening: str
    about: str
    where: str


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
    #: Approved, not yet out: going out by API at its pace, or waiting to be posted by hand.
    approved_waiting: int = 0
    #: Of those, how many approvals run out within a day.
    approvals_expiring: int = 0
    #: "LinkedIn token expires in N days: run engage auth linkedin" when it is time to renew.
    linkedin_token: str | None = None
    #: The drafts behind the counts above, oldest first (at most WAITING_SHOWN of them).
    waiting: list[WaitingDraft] = field(default_factory=list)
    #: Colleagues' replies and mentions since the last digest, newest first.
    replies: list[ReplyView] = field(default_factory=list)
    #: Steps off the screen worth taking with a colleague, warmest first.
    next_steps: list[NextStep] = field(default_factory=list)
    #: The last weeks' figures; only rows that were ever non-zero are shown.
    stats: WeeklyStats | None = None

    @property
    def thread_count(self) -> int:
        return sum(len(threads) for _, threads in self.communities)

    @property
    def quiet(self) -> bool:
        """Nothing to join and nothing waiting: the day a short note (or nothing) is enough."""
        return not (
            self.thread_count or self.crisis or self.drafts_pending or self.blog_shares_pending
            or self.unknown_publications or self.failing_sources or self.approved_waiting
            or self.linkedin_token or self.replies or self.next_steps
        )  # fmt: skip
