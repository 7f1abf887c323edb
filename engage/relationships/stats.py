"""What happened each week: threads surfaced, drafts approved, replies out (by API and by hand),
replies back, new colleagues, steps taken off the screen, and new clients by source: the whole
path from a thread to a referral, week by week, so the therapist can see whether it works.

Weeks are ISO weeks (Monday to Sunday) in the digest's timezone. The measures:
  threads_surfaced   matches above the digest's min_score (not a crisis, not a client's post)
                     whose thread was first seen that week: what the digest could offer
  drafts_approved    drafts approved by the therapist that week (pending -> approved)
  published_api/hand engagements logged that week, by how they went out
  replies_received   interactions in (a colleague wrote to the therapist)
  new_colleagues     people first seen that week (a merged handle is not a new colleague)
  next_steps         steps taken off the screen (engage people met)
  new_clients, clients_<source>, therapist_share, from_colleagues
                     intakes by the day the client came (a date, already local)

`weekly_stats(session, settings, now=..., weeks=...)` is what the digest calls: the rows, each
with `ever` (ever non-zero, all time) so a summary hides what never happened.

Must not write, and must not count anything it can't see in the stored rows (no estimates).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from engage.models import DraftEvent, Engagement, Intake, Interaction, Match, Person, Thread, utcnow
from engage.relationships.people import STEP_PREFIX
from engage.relationships.referrals import SOURCES
from engage.types.relationships import StatRow, WeeklyStats, WeekSpan

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.config import Config, DigestSettings
    from engage.db import Database

DEFAULT_WEEKS = 8
MAX_WEEKS = 520

#: (key, label) of every row, in the order shown.
ROWS: tuple[tuple[str, str], ...] = (
    ("threads_surfaced", "Threads surfaced"),
    ("drafts_approved", "Drafts approved"),
    ("published_api", "Published by API"),
    ("published_hand", "Published by hand"),
    ("replies_received", "Replies received"),
    ("new_colleagues", "New colleagues"),
    ("next_steps", "Next steps taken"),
    ("new_clients", "New clients"),
    *((f"clients_{s}", f"  from {s.replace('_', ' ')}") for s in SOURCES),
    ("therapist_share", "Share referred by therapists"),
    ("from_colleagues", "From colleagues met through engage"),
)


def week_spans(today: date, weeks: int) -> tuple[WeekSpan, ...]:
    """The ISO weeks ending with the one `today` is in, oldest first."""
    monday = today - timedelta(days=today.weekday())
    spans = []
    for back in range(weeks - 1, -1, -1):
        start = monday - timedelta(weeks=back)
        year, week, _ = start.isocalendar()
        spans.append(WeekSpan(f"{year}-W{week:02d}", start, start + timedelta(days=6)))
    return tuple(spans)


def weekly_stats(
    session: Session, settings: DigestSettings, *, now: datetime | None = None,
    weeks: int = DEFAULT_WEEKS,
) -> WeeklyStats:  # fmt: skip
    """Every measure for the last `weeks` ISO weeks (the current one included, oldest first)."""
    from sqlalchemy import select

    now = now or utcnow()
    zone = ZoneInfo(settings.timezone)
    spans = week_spans(now.astimezone(zone).date(), weeks)
    start = datetime.combine(spans[0].start, time.min, zone).astimezone(ZoneInfo("UTC"))
    end = datetime.combine(spans[-1].end + timedelta(days=1), time.min, zone).astimezone(
        ZoneInfo("UTC")
    )
    index = {span.start: i for i, span in enumerate(spans)}
    counts: dict[str, list[int]] = {key: [0] * len(spans) for key, _ in ROWS}

    def week_of(day: date) -> int | None:
        return index.get(day - timedelta(days=day.weekday()))

    def tally(key: str, moments: Iterable[datetime]) -> None:
        for moment in moments:
            i = week_of(moment.astimezone(zone).date())
            if i is not None:
                counts[key][i] += 1

    def between(column: Any) -> tuple[Any, Any]:
        return column >= start, column < end

    surfaced = _surfaced(settings.min_score)
    tally("threads_surfaced", session.scalars(
        select(Thread.first_seen_at).join(Match, Match.thread_id == Thread.id)
        .where(*surfaced, *between(Thread.first_seen_at))))  # fmt: skip
    approvals = session.execute(
        select(DraftEvent.draft_id, DraftEvent.at).where(*_approved(), *between(DraftEvent.at))
    ).all()
    seen: set[tuple[int, int]] = set()
    for draft_id, at in approvals:  # one per draft per week: an edit and re-approval is one
        i = week_of(at.astimezone(zone).date())
        if i is not None and (draft_id, i) not in seen:
            seen.add((draft_id, i))
            counts["drafts_approved"][i] += 1
    for via, at in session.execute(
        select(Engagement.via, Engagement.at).where(*between(Engagement.at))
    ):
        tally("published_hand" if via == "hand" else "published_api", [at])
    for kind, direction, at in session.execute(
        select(Interaction.kind, Interaction.direction, Interaction.at).where(
            *between(Interaction.at)
        )
    ):
        if kind.startswith(STEP_PREFIX):
            tally("next_steps", [at])
        elif direction == "in":
            tally("replies_received", [at])
    tally("new_colleagues", session.scalars(
        select(Person.first_seen_at).where(Person.merged_into_id.is_(None),
                                           *between(Person.first_seen_at))))  # fmt: skip
    for day, channel, referrer_id in session.execute(
        select(Intake.received_on, Intake.channel, Intake.referrer_id).where(
            Intake.received_on >= spans[0].start, Intake.received_on <= spans[-1].end
        )
    ):
        i = week_of(day)
        if i is None:
            continue
        counts["new_clients"][i] += 1
        counts.setdefault(f"clients_{channel}", [0] * len(spans))[i] += 1
        counts["from_colleagues"][i] += referrer_id is not None
    ever = _ever(session, settings.min_score)
    rows = []
    for key, label in ROWS:
        values: tuple[int | float | None, ...]
        if key == "therapist_share":
            values = tuple(
                round(t / n, 3) if n else None
                for t, n in zip(counts["clients_therapist"], counts["new_clients"], strict=True)
            )
        else:
            values = tuple(counts[key])
        rows.append(StatRow(key, label, values, any(values) or ever(key)))
    return WeeklyStats(settings.timezone, spans, tuple(rows))


def stats(db: Database, config: Config, *, weeks: int = DEFAULT_WEEKS,
          now: datetime | None = None) -> WeeklyStats:  # fmt: skip
    """`engage stats`: the weekly rows over the config's digest timezone and min_score."""
    with db.read() as session:
        return weekly_stats(session, config.settings.digest, now=now, weeks=weeks)


def _surfaced(min_score: float) -> tuple[Any, ...]:
    return (Match.score > min_score, Match.crisis.is_(False), Match.client_side.is_(False))


def _is_step() -> Any:
    return Interaction.kind.startswith(STEP_PREFIX, autoescape=True)


def _approved() -> tuple[Any, ...]:
    return (DraftEvent.to_status == "approved", DraftEvent.from_status == "pending")


def _ever(session: Session, min_score: float) -> Callable[[str], bool]:
    """Whether each row was ever non-zero, all time (one small query per row asked)."""
    from sqlalchemy import select

    def exists(query: Any) -> bool:
        return session.execute(query.limit(1)).first() is not None

    checks: dict[str, Callable[[], bool]] = {
        "threads_surfaced": lambda: exists(
            select(Match.id).join(Thread, Thread.id == Match.thread_id).where(
                *_surfaced(min_score))),
        "drafts_approved": lambda: exists(select(DraftEvent.id).where(*_approved())),
        "published_api": lambda: exists(select(Engagement.id).where(Engagement.via != "hand")),
        "published_hand": lambda: exists(select(Engagement.id).where(Engagement.via == "hand")),
        "replies_received": lambda: exists(select(Interaction.id).where(
            Interaction.direction == "in", ~_is_step())),
        "new_colleagues": lambda: exists(select(Person.id)),
        "next_steps": lambda: exists(select(Interaction.id).where(
            _is_step())),
        "new_clients": lambda: exists(select(Intake.id)),
        "therapist_share": lambda: exists(select(Intake.id).where(Intake.channel == "therapist")),
        "from_colleagues": lambda: exists(select(Intake.id).where(Intake.referrer_id.is_not(None))),
    }  # fmt: skip

    def from_source(source: str) -> Callable[[], bool]:
        return lambda: exists(select(Intake.id).where(Intake.channel == source))

    checks.update({f"clients_{source}": from_source(source) for source in SOURCES})

    def ever(key: str) -> bool:
        check = checks.get(key)
        return check() if check is not None else False

    return ever
