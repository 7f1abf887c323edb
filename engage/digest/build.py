"""Gather what today's digest says, from the database, into plain values (engage.digest.model).

Each section is one indexed query, so building stays well under a second on a database with
a million threads (bench/bench_digest.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from engage.models import (
    Draft,
    Engagement,
    Interaction,
    Match,
    Person,
    Source,
    Thread,
    utcnow,
)
from engage.redact import redact
from engage.types import (
    DigestData,
    DigestThread,
    DraftKind,
    DraftStatus,
    EngagementDay,
    FailingSource,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.config import DigestSettings

EXCERPT_CHARS = 280
#: With no earlier digest, "since the last digest" means the last day.
FIRST_WINDOW = timedelta(days=1)


def build_digest(
    session: Session,
    settings: DigestSettings,
    *,
    since: datetime | None,
    now: datetime | None = None,
    yours: Collection[str] = (),
    approval_hours: int = 72,
    linkedin_token: str | None = None,
) -> DigestData:
    """`yours` are the profile's specialty slugs: a thread's "why" names those it touches;
    `approval_hours` is how long an approval lasts (to warn a day before it runs out);
    `linkedin_token` is the line saying the LinkedIn token is about to run out, if it is."""
    now = now or utcnow()
    zone = ZoneInfo(settings.timezone)
    local_today = now.astimezone(zone).date()
    since = since or now - FIRST_WINDOW
    threads = _worth_joining(session, since, settings.max_threads, settings.min_score, now)
    if yours:
        threads = [
            replace(t, specialties=[s for s in t.specialties if s in yours] or t.specialties)
            for t in threads
        ]
    grouped: dict[str, list[DigestThread]] = defaultdict(list)
    for thread in threads:
        grouped[thread.community].append(thread)
    pending_count, oldest = _pending_drafts(session, now)
    return DigestData(
        local_date=local_today,
        timezone=settings.timezone,
        since=since,
        generated_at=now,
        communities=sorted(grouped.items(), key=lambda item: -max(t.score for t in item[1])),
        crisis=_crisis(session, since, now),
        drafts_pending=pending_count,
        oldest_pending_hours=oldest,
        blog_shares_pending=_count_drafts(session, [DraftStatus.PENDING], DraftKind.BLOG_SHARE),
        unknown_publications=_count_drafts(session, [DraftStatus.UNKNOWN], None),
        approved_waiting=_count_drafts(session, [DraftStatus.APPROVED], None),
        approvals_expiring=_approvals_expiring(session, now, approval_hours),
        linkedin_token=linkedin_token,
        failing_sources=_failing_sources(session),
        week=_week(session, zone, local_today),
    )


def _worth_joining(
    session: Session, since: datetime, limit: int, min_score: float, now: datetime
) -> list[DigestThread]:
    from sqlalchemy import select

    query = (
        select(Thread, Match)
        .join(Match, Match.thread_id == Thread.id)
        .where(
            Thread.first_seen_at > since,
            Match.crisis.is_(False),
            Match.client_side.is_(False),
            Match.score > min_score,
            Thread.removed.is_(False),
            Thread.locked.is_(False),
        )
        .order_by(Match.score.desc(), Thread.id)
        .limit(limit)
    )
    return [_digest_thread(thread, match, now) for thread, match in session.execute(query)]


def _crisis(session: Session, since: datetime, now: datetime) -> list[DigestThread]:
    """Every crisis thread of the period, newest first: uncapped, since a crisis left out of
    the digest may be one nobody sees in time."""
    from sqlalchemy import select

    query = (
        select(Thread, Match)
        .join(Match, Match.thread_id == Thread.id)
        # new in the period, or changed in it (a crisis disclosed in an edit of an old thread)
        .where((Thread.first_seen_at > since) | (Thread.updated_at > since))
        .where(Match.crisis.is_(True), Thread.removed.is_(False))
        .order_by(Thread.created_at.desc(), Thread.id)
    )
    return [_digest_thread(thread, match, now) for thread, match in session.execute(query)]


def _digest_thread(thread: Thread, match: Match, now: datetime) -> DigestThread:
    return DigestThread(
        id=thread.id,
        community=thread.community or thread.platform,
        title=thread.title,
        excerpt=_excerpt(thread.body),
        url=thread.url,
        age_hours=max(0.0, (now - thread.created_at).total_seconds() / 3600),
        num_comments=thread.num_comments,
        intent=match.intent,
        specialties=[str(s) for s in match.specialties],
        phrases=_phrases(match.reasons),
        score=match.score,
    )


def _excerpt(body: str) -> str:
    flat = " ".join(body.split())
    if len(flat) <= EXCERPT_CHARS:
        return flat
    return flat[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"


def _phrases(reasons: list[Any]) -> list[str]:
    """The distinct phrases that matched, in the order the matcher gave them (at most five)."""
    seen: dict[str, None] = {}
    for reason in reasons:
        if isinstance(reason, dict):
            phrase = reason.get("phrase") or reason.get("text")
            if phrase:
                seen.setdefault(str(phrase), None)
    return list(seen)[:5]


def _pending_drafts(session: Session, now: datetime) -> tuple[int, float | None]:
    from sqlalchemy import func, select

    count, oldest = session.execute(
        select(func.count(), func.min(Draft.created_at)).where(Draft.status == DraftStatus.PENDING)
    ).one()
    if not count or oldest is None:
        return 0, None
    return int(count), (now - oldest).total_seconds() / 3600


def _count_drafts(session: Session, statuses: list[DraftStatus], kind: DraftKind | None) -> int:
    from sqlalchemy import func, select

    query = select(func.count()).where(Draft.status.in_(statuses))
    if kind is not None:
        query = query.where(Draft.kind == kind)
    return int(session.scalar(query) or 0)


def _approvals_expiring(session: Session, now: datetime, approval_hours: int) -> int:
    """Approved drafts whose approval runs out within a day."""
    from sqlalchemy import func, select

    cutoff = now + timedelta(hours=24) - timedelta(hours=approval_hours)
    return int(session.scalar(select(func.count()).where(
        Draft.status == DraftStatus.APPROVED, Draft.approved_at < cutoff)) or 0)  # fmt: skip


def _failing_sources(session: Session) -> list[FailingSource]:
    from sqlalchemy import select

    rows = session.scalars(
        select(Source).where(Source.enabled, Source.last_error.is_not(None)).order_by(Source.id)
    )
    return [FailingSource(f"{row.kind} {redact(row.target)}", row.last_error or "", row.failures)
            for row in rows]  # fmt: skip


def _week(session: Session, zone: ZoneInfo, today: date) -> list[EngagementDay]:
    """Published engagements, replies received and new colleagues for each of the last 7 days."""
    from sqlalchemy import select

    start_local = datetime.combine(today - timedelta(days=6), datetime.min.time(), zone)
    start = start_local.astimezone(ZoneInfo("UTC"))
    days = {today - timedelta(days=offset): [0, 0, 0] for offset in range(6, -1, -1)}

    def tally(column: Any, index: int, *conditions: Any) -> None:
        for (moment,) in session.execute(select(column).where(column >= start, *conditions)):
            day = moment.astimezone(zone).date()
            if day in days:
                days[day][index] += 1

    tally(Engagement.at, 0)
    tally(Interaction.at, 1, Interaction.kind == "replied_to_me")
    tally(Person.first_seen_at, 2)
    return [EngagementDay(day, *counts) for day, counts in days.items()]
