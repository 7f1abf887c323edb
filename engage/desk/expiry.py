"""Expiry: drafts that can no longer be posted as approved (their thread locked, removed or too
old, or their approval older than its limit: never an outline's, kept and never posted) are
expired, each through the state machine so a fresh approval racing it stands.

Must not delete anything: an expired draft stays, with its reason, in the audit log.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from engage.desk import states
from engage.errors import TransitionError
from engage.models import Draft, Thread, utcnow
from engage.types import DraftKind, DraftStatus

if TYPE_CHECKING:
    from engage.app import Engage


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
                (Draft.status == DraftStatus.APPROVED) & (Draft.approved_at < stale_approval)
                & (Draft.kind != DraftKind.OUTLINE),  # kept for an article, never posted
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
                states.transition(  # only the draft as read: a fresh approval is not expired
                    session, draft_id, [DraftStatus(status)], DraftStatus.EXPIRED,
                    actor="worker", detail={"reason": reason},
                    expect={"approved_at": approved_at},
                )  # fmt: skip
            expired += 1
        except TransitionError:
            continue  # someone acted on it meanwhile; their action stands
    return expired
