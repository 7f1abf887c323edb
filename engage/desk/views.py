"""Drafts as the desk shows them (`engage drafts list/show`, `engage review`, the demo): plain
dicts in the documented JSON shape, with the thread, its match and the articles that answer it.

Must not write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engage.desk import states
from engage.desk.articles import articles_for
from engage.desk.drafts import get_draft, thread_of
from engage.drafting.channels import channel_of
from engage.models import BlogPost, Draft, Match, Thread
from engage.types import DraftKind

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.db import Database


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
        "approval_hash": states.approval_hash(draft.text, draft.target),
        "warnings": draft.warnings,
        "cites": draft.cites,
        "created_at": draft.created_at.isoformat(),
        "approved_at": draft.approved_at.isoformat() if draft.approved_at else None,
        "published_url": draft.published_url,
        "published_at": draft.published_at.isoformat() if draft.published_at else None,
        "published_via": draft.published_via,
        "publish_after": draft.publish_after.isoformat() if draft.publish_after else None,
        "error": draft.error,
    }
    channel = channel_of(draft.target) if draft.kind == DraftKind.BLOG_SHARE else None
    if channel is not None:
        row["channel"] = {"name": channel.name, "label": channel.label}
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


def draft_rows(db: Database, statuses: list[str] | None = None) -> list[dict[str, Any]]:
    """Drafts (in these states, or all), oldest first, with the thread each answers."""
    with db.read() as session:
        return list_drafts(session, statuses)


def draft_view(db: Database, draft_id: int) -> dict[str, Any]:
    """A draft with its thread, match and approval hash, as the desk shows it."""
    with db.read() as session:
        draft = get_draft(session, draft_id)
        thread = thread_of(session, draft)
        row = draft_dict(draft, thread)
        row["articles"] = []
        post = session.get(BlogPost, draft.blog_post_id) if draft.blog_post_id else None
        if post is not None:
            row["article"] = {"title": post.title, "url": post.url, "summary": post.summary}
        if thread is not None:
            if draft.move != "share_article":
                row["articles"] = [{"title": a.title, "url": a.url}
                                   for a in articles_for(session, thread)]  # fmt: skip
            row["thread"].update(body=thread.body, num_comments=thread.num_comments,
                                 created_at=thread.created_at.isoformat())  # fmt: skip
            match = thread.match
            row["match"] = None if match is None else {
                "intent": match.intent, "specialties": match.specialties, "flags": match.flags,
                "phrases": list(dict.fromkeys(str(r.get("text")) for r in match.reasons))[:5],
                "lowered": _lowered(session, match),
            }  # fmt: skip
    return row


def _lowered(session: Session, match: Match) -> str | None:
    """Why this kind of thread ranks lower now (the therapist's rejections), or None."""
    from engage.desk.feedback import active_lowerings
    from engage.feedback import kind_of, note

    lowering = active_lowerings(session).get(kind_of(match.intent, match.specialties))
    return None if lowering is None else note(lowering)
