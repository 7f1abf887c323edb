"""The approval desk's steps: make drafts, check them, edit them, list them.

Every text a therapist may approve goes through the guard here, when it is drafted and again on
every edit, and its warnings are stored with it; engage.review refuses to approve blocking ones
without an override reason. Status changes themselves are engage.review's alone.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import asdict
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from engage import crisis, guard, invisible, review
from engage.config import Config
from engage.errors import NotFoundError, TransitionError, UsageError
from engage.models import BlogPost, Draft, DraftEvent, Match, Thread, utcnow
from engage.types import (
    BlogArticle,
    DraftInput,
    DraftKind,
    DraftStatus,
    DraftText,
    GuardContext,
    GuardWarning,
    Move,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.app import Engage
    from engage.db import Database
    from engage.drafting import Drafter

log = logging.getLogger(__name__)

RECENT_ITEMS = 10
#: Crisis resources engage's own crisis replies link to; never "a link off the allow-list".
CRISIS_DOMAINS = ("988lifeline.org", "crisistextline.org", "findahelpline.com")


def own_domains(config: Config) -> tuple[str, ...]:
    website = config.settings.profile.website
    host = urlsplit(website).hostname if website else None
    return (host.removeprefix("www."),) if host else ()


def guard_context(
    session: Session, config: Config, thread: Thread | None, match: Match | None,
    exclude_draft: int | None = None,
) -> GuardContext:  # fmt: skip
    """What the guard needs besides the text: the thread, matching's flags, the therapist's own
    names and sites, the link allow-list and their last ten approved or published items."""
    from sqlalchemy import select

    settings = config.settings
    recent = session.scalars(
        select(Draft.text)
        .where(
            Draft.status.in_([DraftStatus.APPROVED, DraftStatus.PUBLISHING, DraftStatus.PUBLISHED]),
            Draft.id != (exclude_draft or 0),
        )
        .order_by(Draft.updated_at.desc())
        .limit(RECENT_ITEMS - 1)
    ).all()
    domains = own_domains(config)
    community = thread.community if thread else ""
    return GuardContext(
        thread=f"{thread.community}: {thread.title}\n{thread.body}" if thread else "",
        crisis=match.crisis if match else None,
        client_side=match.client_side if match else None,
        own_names=tuple(n for n in (settings.profile.name,) if n),
        own_domains=domains,
        allowed_domains=(*settings.publishing.link_allow_list, *domains, *CRISIS_DOMAINS),
        recent_items=tuple(recent),
        community_forbids_promotion=community in settings.publishing.no_self_promotion_in,
    )


def warnings_json(warnings: list[GuardWarning]) -> list[dict[str, Any]]:
    return [{**asdict(w), "slug": str(w.slug), "span": list(w.span)} for w in warnings]


def check_text(
    session: Session, config: Config, text: str, thread: Thread | None, match: Match | None,
    exclude_draft: int | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    context = guard_context(session, config, thread, match, exclude_draft)
    return warnings_json(guard.check(text, context)) + placeholder_warnings(text)


def reply_target(thread: Thread) -> str:
    """Where a reply goes: Reddit's fullname for Reddit threads, else the thread's URL."""
    return f"t3_{thread.external_id}" if thread.platform == "reddit" else thread.url


def add_draft(
    session: Session,
    config: Config,
    *,
    text: str,
    kind: DraftKind,
    move: str | None,
    platform: str,
    target: str,
    thread: Thread | None = None,
    blog_post: BlogPost | None = None,
    cites: tuple[str, ...] = (),
    actor: str = "drafter",
    auto_key: str | None = None,
) -> Draft:
    """Store a new pending draft with its guard warnings, and its first audit event."""
    match = thread.match if thread is not None else None
    draft = Draft(
        kind=kind.value,
        move=move,
        thread_id=thread.id if thread else None,
        blog_post_id=blog_post.id if blog_post else None,
        platform=platform,
        target=target,
        text=text,
        status=DraftStatus.PENDING.value,
        warnings=check_text(session, config, text, thread, match),
        cites=list(cites),
        auto_key=auto_key,
    )
    session.add(draft)
    session.flush()
    session.add(DraftEvent(draft_id=draft.id, from_status=None, to_status="pending", actor=actor,
                           detail={"created": kind.value, "move": move}))  # fmt: skip
    return draft


def edit_draft(
    db: Database, config: Config, draft_id: int, text: str, *, actor: str, move: str | None = None
) -> list[dict[str, Any]]:
    """New text for a draft: checked again, and back to pending if it was approved."""
    if not text.strip():
        raise UsageError("a draft can't be empty: reject it instead")
    with db.read() as session:
        draft = get_draft(session, draft_id)
        thread = thread_of(session, draft)
        match = thread.match if thread is not None else None
        warnings = check_text(session, config, text, thread, match, exclude_draft=draft_id)
    review.edit(db, draft_id, text=text, warnings=warnings, actor=actor, move=move)
    return warnings


def recheck_draft(engage: Engage, draft_id: int) -> list[dict[str, Any]]:
    """The draft's guard warnings against its thread as it is now, stored when they changed:
    run before every approval, so a thread that became a crisis after it was drafted for can't
    have a networking reply approved on yesterday's warnings."""
    with engage.db.read() as session:
        draft = get_draft(session, draft_id)
        thread = thread_of(session, draft)
        match = thread.match if thread is not None else None
        text, stored = draft.text, draft.warnings
        warnings = check_text(session, engage.config, text, thread, match, exclude_draft=draft_id)
    if warnings != stored:
        review.recheck(engage.db, draft_id, text=text, warnings=warnings)
    return warnings


def thread_of(session: Session, draft: Draft) -> Thread | None:
    return session.get(Thread, draft.thread_id) if draft.thread_id else None


def get_draft(session: Session, draft_id: int) -> Draft:
    draft = session.get(Draft, draft_id)
    if draft is None:
        raise NotFoundError(f"draft {draft_id} does not exist (see engage drafts list)")
    return draft


def draft_dict(draft: Draft, thread: Thread | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": draft.id,
        "thread_id": draft.thread_id,
        "kind": draft.kind,
        "status": draft.status,
        "move": draft.move,
        "platform": draft.platform,
        "target": draft.target,
        "text": draft.text,
        "approval_hash": review.approval_hash(draft.text, draft.target),
        "warnings": draft.warnings,
        "cites": draft.cites,
        "created_at": draft.created_at.isoformat(),
        "approved_at": draft.approved_at.isoformat() if draft.approved_at else None,
        "published_url": draft.published_url,
        "error": draft.error,
    }
    if thread is not None:
        row["thread"] = {"title": thread.title, "community": thread.community, "url": thread.url}
    return row


def list_drafts(session: Session, statuses: list[str] | None = None) -> list[dict[str, Any]]:
    from sqlalchemy import select

    query = select(Draft, Thread).outerjoin(Thread, Thread.id == Draft.thread_id)
    if statuses:
        query = query.where(Draft.status.in_(statuses))
    query = query.order_by(Draft.created_at, Draft.id)
    return [draft_dict(draft, thread) for draft, thread in session.execute(query)]


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


PLACEHOLDER = re.compile(r"\[[^\[\]\n]{2,200}\]")
#: Characters a reader can't see (engage.invisible): approved text must be exactly what the
#: therapist saw.
INVISIBLE = invisible.PATTERN


def placeholder_warnings(text: str) -> list[dict[str, Any]]:
    """A [bracket] the drafter left for the therapist must be filled before anything is posted,
    and nothing invisible may ride along with the text they approve."""
    found = [
        {"slug": "unfilled_placeholder", "blocking": True, "span": [m.start(), m.end()],
         "message": f"fill in or remove {m.group(0)} before approving"}
        for m in PLACEHOLDER.finditer(text)
    ]  # fmt: skip
    found += [
        {"slug": "invisible_characters", "blocking": True, "span": [m.start(), m.end()],
         "message": f"remove the invisible character U+{ord(m.group(0)):04X}"}
        for m in INVISIBLE.finditer(text)
    ]  # fmt: skip
    return found


def drafter_for(config: Config) -> Drafter:
    """Templates by default; the configured LLM when [llm] model is set."""
    from engage.drafting import LlmDrafter, TemplateDrafter

    llm = config.settings.llm
    if not llm.model:
        return TemplateDrafter()
    return LlmDrafter(llm.model, api_base=llm.api_base, key=config.secret(llm.key_env))


def draft_input(thread: Thread) -> DraftInput:
    match = thread.match
    stored: dict[str, Any] = {} if match is None else {
        "intent": match.intent, "specialties": match.specialties, "reasons": match.reasons,
        "flags": match.flags, "crisis": match.crisis, "client_side": match.client_side,
    }  # fmt: skip
    facts = DraftInput.from_stored(
        stored, title=thread.title, body=thread.body, community=thread.community,
        url=thread.url, platform=thread.platform,
    )  # fmt: skip
    # Matching's flag OR the crisis detector: a stale or missing match never drafts networking.
    if not facts.crisis and crisis.is_crisis(f"{thread.title}\n{thread.body}", thread.community):
        return dataclasses.replace(facts, crisis=True)
    return facts


def own_articles(session: Session) -> list[BlogArticle]:
    from sqlalchemy import select

    posts = session.scalars(select(BlogPost).order_by(BlogPost.published_at.desc()).limit(200))
    return [BlogArticle(url=p.url, title=p.title, summary=p.summary) for p in posts]


def articles_for(session: Session, thread: Thread, limit: int = 2) -> list[BlogArticle]:
    """The therapist's own articles that answer this thread (none for crisis or help-seekers)."""
    from engage.drafting import suggest_articles

    return suggest_articles(draft_input(thread), own_articles(session), limit=limit)


def reply_facts(session: Session, thread: Thread) -> tuple[DraftInput, list[BlogArticle]]:
    """What writing a reply needs from the database, read at once so the (maybe slow) writing
    itself holds no transaction open."""
    return draft_input(thread), own_articles(session)


def write_reply(
    config: Config,
    drafter: Drafter,
    facts: DraftInput,
    articles: list[BlogArticle],
    move: Move | None,
) -> DraftText | None:
    """The reply text for a thread (None when its move is "no draft", e.g. spam)."""
    from engage.drafting import TemplateDrafter, choose_move, suggest_articles

    client_reply = config.settings.publishing.client_side_reply == "pointer"
    move = move or choose_move(facts, reply_to_client_side=client_reply)
    if move is None:
        return None
    article = None
    if move is Move.SHARE_ARTICLE:
        found = suggest_articles(facts, articles, limit=1)
        if not found:
            raise UsageError(
                "none of your blog posts answers this thread (add your feed with --own)"
            )
        article = found[0]
    profile = config.settings.profile.to_profile()
    if isinstance(drafter, TemplateDrafter):
        return drafter.draft(facts, profile, move=move, article=article)
    try:
        return drafter.draft(facts, profile, move=move, article=article)
    except Exception as exc:  # any failure of a model or its plugin: never an empty desk
        log.warning("LLM drafter failed (%s); using the templates", exc)
        return TemplateDrafter().draft(facts, profile, move=move, article=article)


def store_reply(
    session: Session, config: Config, thread: Thread, written: DraftText, *, actor: str,
    auto_key: str | None = None,
) -> Draft:  # fmt: skip
    return add_draft(
        session, config, text=written.text, kind=written.kind, move=written.move.value,
        platform=thread.platform, target=reply_target(thread), thread=thread,
        cites=written.cites, actor=actor, auto_key=auto_key,
    )  # fmt: skip


def draft_on_demand(engage: Engage, thread_id: int, move: Move | None, *, actor: str) -> Draft:
    """`engage draft THREAD`: score the thread if it never was (crisis triage first), write the
    reply outside any write transaction (an LLM may be slow), then store it."""
    from engage.matches import score_threads

    with engage.db.write() as session:
        thread = session.get(Thread, thread_id)
        if thread is None:
            raise NotFoundError(f"thread {thread_id} does not exist (see engage threads list)")
        if thread.match is None:
            score_threads(session, engage.matcher, [thread_id])
    with engage.db.read() as session:
        facts, articles = reply_facts(session, session.get_one(Thread, thread_id))
    written = write_reply(engage.config, drafter_for(engage.config), facts, articles, move)
    if written is None:
        raise UsageError(f"engage drafts no reply to thread {thread_id} (spam, or a help-seeker's "
                         'post with client_side_reply = "none")')  # fmt: skip
    with engage.db.write() as session:
        return store_reply(session, engage.config, session.get_one(Thread, thread_id), written,
                           actor=actor)  # fmt: skip


def redraft(engage: Engage, draft_id: int, move: Move, *, actor: str) -> list[dict[str, Any]]:
    """Write a pending or approved reply again with another move (back to pending)."""
    with engage.db.read() as session:
        draft = get_draft(session, draft_id)
        thread = thread_of(session, draft)
        if thread is None:
            raise UsageError(f"draft {draft_id} answers no thread: edit it instead")
        facts, articles = reply_facts(session, thread)
    written = write_reply(engage.config, drafter_for(engage.config), facts, articles, move)
    if written is None:
        raise UsageError(f"no reply is drafted for this thread with {move.value}")
    return edit_draft(engage.db, engage.config, draft_id, written.text, actor=actor,
                      move=written.move.value)  # fmt: skip


def moves_for(engage: Engage, draft_id: int) -> tuple[Move, ...]:
    from engage.drafting import allowed_moves

    with engage.db.read() as session:
        draft = get_draft(session, draft_id)
        thread = thread_of(session, draft)
        return allowed_moves(draft_input(thread)) if thread is not None else ()


#: The advisory lock key of the drafting step on PostgreSQL (any constant unique to engage).
DRAFTING_LOCK = 0x656E6761_6765


def queue_drafts(engage: Engage) -> int:
    """The drafting step, over what is stored: a draft for every thread matched at or above the
    threshold (or flagged as a crisis) that has none yet, so a run finishes what an interrupted
    one left. The best matches first, within the daily maximum; crisis threads always get their
    crisis-resources reply, whatever the count. Recent, open threads only.

    Texts are written outside any write transaction (an LLM may take seconds); each is then
    stored in a transaction of its own that checks again that the thread has no draft. The
    unique `auto_key` makes sure two processes drafting at once never queue one thread twice.
    """
    from sqlalchemy import select
    from sqlalchemy.orm import contains_eager

    from engage.drafting import choose_move

    settings = engage.config.settings.publishing
    client_reply = settings.client_side_reply == "pointer"
    chosen: list[tuple[int, DraftInput, Move]] = []
    with engage.db.read() as session:
        room = max(0, settings.daily_max_drafts - replies_queued_lately(session))
        # A thread that turned out to be a crisis after it was drafted for (an edit, a re-score)
        # still gets its crisis reply: for crisis threads only a crisis reply counts as drafted.
        crisis = Match.crisis.is_(True) & ~_has_draft(DraftKind.CRISIS_REPLY)
        undrafted = (Match.score >= settings.draft_threshold) & ~_has_draft()
        query = (
            select(Thread).join(Match).options(contains_eager(Thread.match))
            .where(Thread.locked.is_(False), Thread.removed.is_(False),
                   Thread.created_at >= utcnow() - timedelta(days=settings.thread_max_age_days),
                   crisis if room == 0 else crisis | (Match.crisis.is_(False) & undrafted))
            .order_by(Match.crisis.desc(), Match.score.desc(), Thread.created_at.desc(),
                      Thread.id)
        )  # fmt: skip
        for thread in session.scalars(query):
            facts = draft_input(thread)
            move = choose_move(facts, reply_to_client_side=client_reply)
            if move is None:  # spam, or a help-seeker left alone: nothing to draft, ever
                continue
            if move is not Move.CRISIS_RESOURCES:
                if room == 0:
                    break  # crisis threads come first: nothing after this one can be drafted
                room -= 1
            chosen.append((thread.id, facts, move))
    drafter = drafter_for(engage.config)
    queued = 0
    for thread_id, facts, move in chosen:
        written = write_reply(engage.config, drafter, facts, [], move)
        if written is not None and _store_auto_reply(engage, thread_id, written):
            queued += 1
    return queued


def _has_draft(kind: DraftKind | None = None) -> Any:
    """SQL: the thread being selected has a draft (of this kind)."""
    from sqlalchemy import select

    drafts = select(Draft.id).where(Draft.thread_id == Thread.id)
    return (drafts if kind is None else drafts.where(Draft.kind == kind)).exists()


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
    """A LinkedIn share draft for each recent post on the therapist's own blog that has none
    (a first look at an old blog shares only its recent posts)."""
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    from engage.drafting import blog_share

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
        article = BlogArticle(url=post.url, title=post.title, summary=post.summary)
        written = blog_share(article, profile)
        try:
            with engage.db.write() as session:
                _one_drafter_at_a_time(session)
                if session.scalar(select(Draft.id).where(Draft.blog_post_id == post.id).limit(1)):
                    continue
                current = session.get(BlogPost, post.id)
                if current is None:
                    continue
                add_draft(session, engage.config, text=written.text, kind=written.kind,
                          move=written.move.value, platform="linkedin", target="linkedin:share",
                          blog_post=current, cites=written.cites, actor="auto",
                          auto_key=f"blog_post:{post.id}")  # fmt: skip
                queued += 1
        except IntegrityError:  # another process stored it first
            continue
    return queued


def expire_stale(engage: Engage) -> int:
    """Expire drafts that can no longer be posted as approved: their thread is locked, removed
    or too old, or their approval is older than the configured limit."""
    from sqlalchemy import or_, select

    settings = engage.config.settings.publishing
    now = utcnow()
    too_old = now - timedelta(days=settings.thread_max_age_days)
    stale_approval = now - timedelta(hours=settings.approval_max_age_hours)
    waiting = [DraftStatus.PENDING, DraftStatus.APPROVED]
    with engage.db.read() as session:
        rows = session.execute(
            select(Draft.id, Draft.status, Draft.approved_at, Thread.locked, Thread.removed,
                   Thread.created_at)
            .outerjoin(Thread, Thread.id == Draft.thread_id)
            .where(Draft.status.in_(waiting), or_(
                Thread.locked.is_(True), Thread.removed.is_(True), Thread.created_at < too_old,
                (Draft.status == DraftStatus.APPROVED) & (Draft.approved_at < stale_approval),
            ))
        ).all()  # fmt: skip
    expired = 0
    for draft_id, status, approved_at, locked, removed, created_at in rows:
        reason = (
            "thread locked" if locked else "thread removed" if removed
            else "thread too old" if created_at is not None and created_at < too_old
            else "approval too old"
        )  # fmt: skip
        try:
            with engage.db.write() as session:
                review.transition(  # only the draft as read: a fresh approval is not expired
                    session, draft_id, [DraftStatus(status)], DraftStatus.EXPIRED,
                    actor="worker", detail={"reason": reason},
                    expect={"approved_at": approved_at},
                )  # fmt: skip
            expired += 1
        except TransitionError:
            continue  # someone acted on it meanwhile; their action stands
    return expired
