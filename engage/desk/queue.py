"""The drafting step: a draft for every stored thread matched at or above the threshold (or a
crisis) that has none, and a share draft for each recent post of the therapist's own blog,
within the daily maximum of replies; safe when two processes draft at once.

Must not publish, approve or change a draft's status; what a text says is engage.desk.writing's
(and the drafters').
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from engage.desk.articles import article_of
from engage.desk.drafts import add_draft, store_reply
from engage.desk.feedback import active_lowerings, ranked_score
from engage.desk.thread_facts import drafting_input
from engage.desk.writing import drafter_for, introduced_lately, referral_fit, write_reply
from engage.models import BlogPost, Draft, DraftEvent, Match, Thread, utcnow
from engage.types import DraftInput, DraftKind, DraftText, Move
from engage.types.matching import FitCheck

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.app import Engage


def replies_queued_lately(session: Session) -> int:
    """Replies queued automatically in the last 24 hours: what `daily_max_drafts` limits (blog
    shares and crisis replies don't count; a rolling day, so a burst can't straddle midnight)."""
    from sqlalchemy import func, select

    since = utcnow() - timedelta(days=1)
    return int(
        session.scalar(
            select(func.count()).select_from(DraftEvent).join(Draft)
            .where(DraftEvent.from_status.is_(None), DraftEvent.actor == "auto",
                   DraftEvent.at >= since, Draft.kind == DraftKind.REPLY)
        ) or 0
    )  # fmt: skip


#: The advisory lock key of the drafting step on PostgreSQL (any constant unique to engage).
DRAFTING_LOCK = 0x656E6761_6765


def queue_drafts(engage: Engage) -> int:
    """The drafting step, over what is stored: a draft for every thread matched at or above the
    threshold (or flagged as a crisis) that has none yet, so a run finishes what an interrupted
    one left. The best matches first, within the daily maximum, by the score as ranked for the
    therapist (lowered by the kinds of thread they turned down, engage.feedback: one lowered
    below the threshold is not drafted for); crisis threads always get their crisis-resources
    reply, whatever the count. Recent, open threads only.

    Texts are written outside any write transaction (an LLM may take seconds); each is then
    stored in a transaction of its own that checks again that the thread has no draft. The
    unique `auto_key` makes sure two processes drafting at once never queue one thread twice.
    """
    from sqlalchemy import select
    from sqlalchemy.orm import contains_eager

    from engage.drafting import choose_move

    settings = engage.config.settings.publishing
    client_reply = settings.client_side_reply == "pointer"
    chosen: list[tuple[int, DraftInput, Move, bool, tuple[FitCheck, ...]]] = []
    profile = engage.config.settings.profile.to_profile()
    introduced: set[tuple[str, str]] = set()
    with engage.db.read() as session:
        room = max(0, settings.daily_max_drafts - replies_queued_lately(session))
        # A thread that turned out to be a crisis after it was drafted for (an edit, a re-score)
        # still gets its crisis reply: for crisis threads only a crisis reply counts as drafted.
        crisis = Match.crisis.is_(True) & ~_has_draft(DraftKind.CRISIS_REPLY)
        ranked = ranked_score(active_lowerings(session))  # the therapist's rejections
        undrafted = (ranked >= settings.draft_threshold) & ~_has_draft()
        query = (
            select(Thread).join(Match).options(contains_eager(Thread.match))
            .where(Thread.locked.is_(False), Thread.removed.is_(False),
                   Thread.created_at >= utcnow() - timedelta(days=settings.thread_max_age_days),
                   crisis if room == 0 else crisis | (Match.crisis.is_(False) & undrafted))
            .order_by(Match.crisis.desc(), ranked.desc(), Thread.created_at.desc(), Thread.id)
        )  # fmt: skip
        for thread in session.scalars(query):
            facts = drafting_input(session, thread)
            move = choose_move(facts, reply_to_client_side=client_reply)
            if move is None:  # spam, or a help-seeker left alone: nothing to draft, ever
                continue
            introduce = False
            fit: tuple[FitCheck, ...] = ()
            if move is not Move.CRISIS_RESOURCES:
                if room == 0:
                    break  # crisis threads come first: nothing after this one can be drafted
                room -= 1
                # the credential line once per community a month, this run's drafts included
                where = (thread.platform, thread.community)
                introduce = where not in introduced and not introduced_lately(
                    session, thread, profile
                )
                introduced.update([where] if introduce else [])
                fit = referral_fit(engage, thread)
            chosen.append((thread.id, facts, move, introduce, fit))
    drafter = drafter_for(engage.config)
    queued = 0
    for thread_id, facts, move, introduce, fit in chosen:
        written = write_reply(engage.config, drafter, facts, [], move, introduce=introduce,
                              fit=fit)  # fmt: skip
        if written is not None and _store_auto_reply(engage, thread_id, written):
            queued += 1
    return queued


def _store_auto_reply(engage: Engage, thread_id: int, written: DraftText) -> bool:
    """Store one queued reply unless the thread got a draft meanwhile (another run, or the
    therapist) or the daily maximum filled up; False when nothing was stored."""
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    daily_max = engage.config.settings.publishing.daily_max_drafts
    try:
        with engage.db.write() as session:
            _one_drafter_at_a_time(session)
            drafted = select(Draft.id).where(Draft.thread_id == thread_id)
            if written.kind == DraftKind.CRISIS_REPLY:
                drafted = drafted.where(Draft.kind == DraftKind.CRISIS_REPLY)
            if session.scalar(drafted.limit(1)):
                return False
            if written.kind == DraftKind.REPLY and replies_queued_lately(session) >= daily_max:
                return False
            thread = session.get(Thread, thread_id)
            if thread is None:
                return False
            crisis_reply = written.kind == DraftKind.CRISIS_REPLY
            key = f"thread:{thread_id}" + (":crisis" if crisis_reply else "")
            store_reply(session, engage.config, thread, written, actor="auto", auto_key=key)
            return True
    except IntegrityError:  # another process stored it first
        return False


def _one_drafter_at_a_time(session: Session) -> None:
    """Serialise the drafting step's writes across processes, so its checks (no draft yet, room
    left today) hold when it stores. SQLite's BEGIN IMMEDIATE already does; PostgreSQL takes a
    transaction-scoped advisory lock."""
    from sqlalchemy import text

    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DRAFTING_LOCK})


def queue_blog_shares(engage: Engage) -> int:
    """A share draft for each recent post on the therapist's own blog that has none, to the
    channel `[publishing] share_to` names (a first look at an old blog shares only its recent
    posts)."""
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    from engage.drafting import blog_share
    from engage.drafting.channels import channel_named

    channel = channel_named(engage.config.settings.publishing.share_to)
    profile = engage.config.settings.profile.to_profile()
    recent = utcnow() - timedelta(days=engage.config.settings.publishing.thread_max_age_days)
    shared = select(Draft.id).where(Draft.blog_post_id == BlogPost.id).exists()
    with engage.db.read() as session:
        posts = session.scalars(
            select(BlogPost).where(
                ~shared,
                (BlogPost.published_at >= recent)
                | (BlogPost.published_at.is_(None) & (BlogPost.first_seen_at >= recent)),
            ).order_by(BlogPost.id)
        ).all()  # fmt: skip
    queued = 0
    for post in posts:
        written = blog_share(article_of(post), profile, channel.max_chars)
        try:
            with engage.db.write() as session:
                _one_drafter_at_a_time(session)
                if session.scalar(select(Draft.id).where(Draft.blog_post_id == post.id).limit(1)):
                    continue
                current = session.get(BlogPost, post.id)
                if current is None:
                    continue
                add_draft(session, engage.config, text=written.text, kind=written.kind,
                          move=written.move.value, platform=channel.platform,
                          target=channel.target,
                          blog_post=current, cites=written.cites, actor="auto",
                          auto_key=f"blog_post:{post.id}")  # fmt: skip
                queued += 1
        except IntegrityError:  # another process stored it first
            continue
    return queued


def _has_draft(kind: DraftKind | None = None) -> Any:
    """SQL: the thread being selected has a draft (of this kind)."""
    from sqlalchemy import select

    drafts = select(Draft.id).where(Draft.thread_id == Thread.id)
    return (drafts if kind is None else drafts.where(Draft.kind == kind)).exists()
