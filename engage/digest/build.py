"""Gather what today's digest says, from the database, into plain values (engage.digest.model).

Each section is one indexed query, so building stays well under a second on a database with
a million threads (bench/bench_digest.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from engage.models import (
    BlogPost,
    Draft,
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
    FailingSource,
    Profile,
    WaitingDraft,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.config import DigestSettings

EXCERPT_CHARS = 280
#: Drafts listed under "waiting for you" (the counts say how many there are in all).
WAITING_SHOWN = 8
OPENING_CHARS = 140
#: Weeks of figures at the foot of the digest.
STATS_WEEKS = 4
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
    profile: Profile | None = None,
) -> DigestData:
    """`yours` are the profile's specialty slugs: a thread's "why" names those it touches;
    `approval_hours` is how long an approval lasts (to warn a day before it runs out);
    `linkedin_token` is the line saying the LinkedIn token is about to run out, if it is;
    `profile` (when given) picks the colleagues a next step is suggested with."""
    from engage.relationships import recent_replies
    from engage.relationships.next_steps import next_steps
    from engage.relationships.stats import weekly_stats

    now = now or utcnow()
    zone = ZoneInfo(settings.timezone)
    local_today = now.astimezone(zone).date()
    since = since or now - FIRST_WINDOW
    threads = _worth_joining(
        session, since, settings.max_threads, settings.min_score, now, profile
    )
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
        waiting=_waiting(session),
        replies=recent_replies(session, since),
        next_steps=next_steps(session, profile, now) if profile is not None else [],
        stats=weekly_stats(session, settings, now=now, weeks=STATS_WEEKS),
        unknown_publications=_count_drafts(session, [DraftStatus.UNKNOWN], None),
        approved_waiting=_count_drafts(session, [DraftStatus.APPROVED], None),
        approvals_expiring=_approvals_expiring(session, now, approval_hours),
        linkedin_token=linkedin_token,
        failing_sources=_failing_sources(session),
    )


def _worth_joining(
    session: Session, since: datetime, limit: int, min_score: float, now: datetime,
    profile: Profile | None,
) -> list[DigestThread]:  # fmt: skip
    """The period's threads above `min_score` as ranked for the therapist: matching's score
    lowered by the kinds of thread they turned down (engage.feedback), best first."""
    from sqlalchemy import select

    from engage.desk.feedback import active_lowerings, ranked_score
    from engage.feedback import kind_of, lowered, note

    by_kind = active_lowerings(session)
    ranked = ranked_score(by_kind)
    query = (
        select(Thread, Match)
        .join(Match, Match.thread_id == Thread.id)
        .where(
            Thread.first_seen_at > since,
            Match.crisis.is_(False),
            Match.client_side.is_(False),
            ranked > min_score,
            Thread.removed.is_(False),
            Thread.locked.is_(False),
        )
        .order_by(ranked.desc(), Thread.id)
        .limit(limit)
    )
    shown = []
    for thread, match in session.execute(query):
        score, lowering = lowered(match.score, kind_of(match.intent, match.specialties), by_kind)
        shown.append(replace(_digest_thread(thread, match, now, profile), score=score,
                             lowered="" if lowering is None else note(lowering)))  # fmt: skip
    return shown


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


def _digest_thread(
    thread: Thread, match: Match, now: datetime, profile: Profile | None = None
) -> DigestThread:
    """A thread as the digest shows it; with the profile, the one-sentence why."""
    why = ""
    if profile is not None:
        from engage.matching import default_taxonomy, why_sentence

        why = why_sentence(match.intent, match.reasons, profile, default_taxonomy(), match.flags)
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
        why=why,
    )


def _excerpt(body: str, limit: int = EXCERPT_CHARS) -> str:
    flat = " ".join(body.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"


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
        select(func.count(), func.min(Draft.created_at)).where(
            Draft.status == DraftStatus.PENDING, Draft.kind != DraftKind.BLOG_SHARE
        )
    ).one()
    if not count or oldest is None:
        return 0, None
    return int(count), (now - oldest).total_seconds() / 3600


def _count_drafts(session: Session, statuses: list[DraftStatus], kind: DraftKind | None) -> int:
    """Drafts in `statuses` of `kind`, or of any kind that goes out (never an outline)."""
    from sqlalchemy import func, select

    query = select(func.count()).where(Draft.status.in_(statuses))
    query = query.where(Draft.kind == kind if kind else Draft.kind != DraftKind.OUTLINE)
    return int(session.scalar(query) or 0)


def _approvals_expiring(session: Session, now: datetime, approval_hours: int) -> int:
    """Approved drafts whose approval runs out within a day (never an outline: it is kept)."""
    from sqlalchemy import func, select

    cutoff = now + timedelta(hours=24) - timedelta(hours=approval_hours)
    return int(session.scalar(select(func.count()).where(
        Draft.status == DraftStatus.APPROVED, Draft.approved_at < cutoff,
        Draft.kind != DraftKind.OUTLINE)) or 0)  # fmt: skip


def _failing_sources(session: Session) -> list[FailingSource]:
    from sqlalchemy import select

    # the rows that keep reading colleagues' replies are never "enabled" for the watch cycle
    readers = Source.kind.like("%\\_replies", escape="\\")
    rows = session.scalars(
        select(Source)
        .where(Source.enabled | readers, Source.last_error.is_not(None))
        .order_by(Source.id)
    )
    return [FailingSource(f"{row.kind} {redact(row.target)}", row.last_error or "", row.failures)
            for row in rows]  # fmt: skip


def _waiting(session: Session) -> list[WaitingDraft]:
    """The drafts behind "waiting for you", oldest first: to approve, or approved and not out."""
    from sqlalchemy import select

    from engage.drafting.channels import channel_of

    rows = session.execute(
        select(Draft, Thread.title, Thread.community, BlogPost.title, Person.handle)
        .outerjoin(Thread, Thread.id == Draft.thread_id)
        .outerjoin(BlogPost, BlogPost.id == Draft.blog_post_id)
        .outerjoin(Person, Person.id == Draft.person_id)
        .where(Draft.status.in_([DraftStatus.PENDING, DraftStatus.APPROVED]))
        .where((Draft.status == DraftStatus.PENDING) | (Draft.kind != DraftKind.OUTLINE))
        .order_by(Draft.created_at, Draft.id)
        .limit(WAITING_SHOWN)
    ).all()
    waiting = []
    for draft, thread_title, community, article, person in rows:
        channel = channel_of(draft.target)
        about = (
            thread_title
            or article
            or (f"a note to {person}" if person else "")
            or ("an outline for your article" if draft.kind == DraftKind.OUTLINE else "")
        )
        where = community or (channel.label if channel else draft.platform)
        waiting.append(WaitingDraft(draft.id, draft.kind, draft.status,
                                    _excerpt(draft.text, OPENING_CHARS), about, where))  # fmt: skip
    return waiting
