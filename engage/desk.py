"""The approval desk's steps: make drafts, check them, edit them, list them.

Every text a therapist may approve goes through the guard here, when it is drafted and again on
every edit, and its warnings are stored with it; engage.review refuses to approve blocking ones
without an override reason. Status changes themselves are engage.review's alone.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from engage import guard, review
from engage.config import Config
from engage.errors import NotFoundError, UsageError
from engage.models import BlogPost, Draft, DraftEvent, Match, Thread, utcnow
from engage.types import DraftKind, DraftStatus, GuardContext, GuardWarning

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.db import Database

RECENT_ITEMS = 10


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
        allowed_domains=(*settings.publishing.link_allow_list, *domains),
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
    return warnings_json(guard.check(text, context))


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
        thread = session.get(Thread, draft.thread_id) if draft.thread_id else None
        match = thread.match if thread is not None else None
        warnings = check_text(session, config, text, thread, match, exclude_draft=draft_id)
    review.edit(db, draft_id, text=text, warnings=warnings, actor=actor, move=move)
    return warnings


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


def drafts_today(session: Session) -> int:
    """Drafts queued automatically in the last 24 hours (the daily maximum counts these)."""
    from sqlalchemy import func, select

    since = utcnow() - timedelta(days=1)
    return int(
        session.scalar(
            select(func.count()).select_from(DraftEvent).where(
                DraftEvent.to_status == "pending", DraftEvent.from_status.is_(None),
                DraftEvent.actor == "auto", DraftEvent.at >= since,
            )
        ) or 0
    )  # fmt: skip
